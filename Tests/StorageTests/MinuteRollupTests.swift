import Foundation
import PostgresNIO
import Testing
import TraceModel

@testable import Storage

/// The per-minute rollups answer `serviceActivity` and `dependencies` exactly as the live query
/// over `spans` does, whatever the window and whichever minutes are rolled up, dirty or young.
@Suite("Minute rollups")
struct MinuteRollupTests {
    private typealias F = TraceStoreFixtures
    private static let minute: UInt64 = 60 * F.second

    /// 120 traces over about 20 minutes after `F.base`: a root in "web", calls to "api" that start
    /// up to 40 s later (often in the next minute), "api" calling "db" and itself, some errors,
    /// an orphan, and a parent two hours before its child (not an edge: too far apart).
    private static func traffic(from start: UInt64 = F.base, traces: ClosedRange<UInt64> = 1...120) -> [Span] {
        var spans: [Span] = []
        for t in traces {
            let root = start + t * 10_300 * F.millisecond
            spans.append(F.span(trace: t, id: 1, service: "web", name: "GET /", start: root, durationMillis: 45_000, error: t % 17 == 0))
            let api = root + (t % 5) * 9_700 * F.millisecond
            spans.append(F.span(trace: t, id: 2, parent: 1, service: "api", name: "call", start: api, durationMillis: 3_000, error: t % 7 == 0))
            spans.append(F.span(trace: t, id: 3, parent: 2, service: "db", name: "query", start: api + 1_500 * F.millisecond))
            spans.append(F.span(trace: t, id: 4, parent: 2, service: "api", name: "internal", start: api + 10 * F.millisecond))
            if t % 3 == 0 {
                spans.append(F.span(trace: t, id: 5, parent: 4, service: "cache", name: "get", start: api + 20 * F.millisecond))
            }
        }
        spans.append(F.span(trace: 999, id: 2, parent: 1, service: "api", name: "orphan", start: start + 5 * minute))
        spans.append(F.span(trace: 998, id: 1, service: "batch", name: "nightly", start: start + 3 * minute - 7_200 * F.second))
        spans.append(F.span(trace: 998, id: 2, parent: 1, service: "api", name: "late child", start: start + 3 * minute))
        return spans
    }

    /// Windows aligned to minutes and not, inside one minute, starting between a parent and its
    /// child, and covering everything.
    private static let windows: [(start: UInt64, end: UInt64)] = [
        (F.base, F.base + 25 * minute - 1),
        (F.base + 17_300 * F.millisecond, F.base + 11 * minute + 42_900 * F.millisecond),
        (F.base + 2 * minute, F.base + 7 * minute),
        (F.base + 3 * minute + 5 * F.second, F.base + 3 * minute + 50 * F.second),
        (F.base + 61 * F.second, F.base + 19 * minute + 1),
        (F.base - F.day, F.base + F.day),
    ]

    private static func expectRollupsEqualLive(_ store: PostgresTraceStore, _ note: Comment) async throws {
        for window in windows {
            let activity = try await store.serviceActivity(startUnixNano: window.start, endUnixNano: window.end)
            let liveActivity = try await store.liveServiceActivity(startUnixNano: window.start, endUnixNano: window.end)
            #expect(activity == liveActivity, "service activity, \(note), window \(window)")
            let links = try await store.dependencies(startUnixNano: window.start, endUnixNano: window.end)
            let liveLinks = try await store.liveDependencies(startUnixNano: window.start, endUnixNano: window.end)
            #expect(links == liveLinks, "dependencies, \(note), window \(window)")
        }
    }

    private static func count(_ db: TestDatabase, _ table: String) async throws -> Int {
        let rows = try await db.client.query(PostgresQuery(unsafeSQL: "SELECT count(*)::int8 FROM \(table)")).collect()
        return Int(try rows.first?.decode(Int64.self) ?? -1)
    }

    @Test func rolledUpAnswersEqualTheLiveQueryForAlignedAndUnalignedWindows() async throws {
        try await TestDatabase.with(migrated: true) { db in
            let store = PostgresTraceStore(client: db.client, logger: db.logger)
            _ = try await store.write(Self.traffic())
            #expect(try await Self.count(db, "rollup_dirty_minutes") > 20)
            try await Self.expectRollupsEqualLive(store, "nothing rolled up yet")

            let rolledUp = try await store.rollUpAllDirtyMinutes()
            #expect(rolledUp > 20)
            #expect(try await Self.count(db, "rollup_dirty_minutes") == 0)
            #expect(try await Self.count(db, "rollup_edge_minutes") > 0)
            try await Self.expectRollupsEqualLive(store, "all rolled up")

            // The answers are not trivially empty, and keep today's edge definition within the window.
            let all = try await store.dependencies(startUnixNano: F.base, endUnixNano: F.base + 25 * Self.minute)
            #expect(all.first { $0.parent == "web" && $0.child == "api" }?.callCount == 120)
            #expect(all.first { $0.parent == "api" && $0.child == "db" }?.callCount == 120)
            #expect(all.first { $0.parent == "api" && $0.child == "cache" }?.callCount == 40)
            #expect(!all.contains { $0.parent == "batch" || $0.parent == $0.child })
        }
    }

    @Test func lateSpansMakeTheirMinutesLiveUntilRolledUpAgain() async throws {
        try await TestDatabase.with(migrated: true) { db in
            let store = PostgresTraceStore(client: db.client, logger: db.logger)
            // Children first (as OpenTelemetry exports them); their parents arrive after the
            // children's minutes were rolled up, the children starting in the minute after theirs.
            let parents = (500...519 as ClosedRange<UInt64>).map { t in
                F.span(trace: t, id: 1, service: "gateway", name: "GET /late", start: F.base + 4 * Self.minute + 50 * F.second,
                       durationMillis: 30_000)
            }
            let children = (500...519 as ClosedRange<UInt64>).map { t in
                F.span(trace: t, id: 2, parent: 1, service: "api", name: "call", start: F.base + 5 * Self.minute + 5 * F.second)
            }
            _ = try await store.write(Self.traffic() + children)
            try await store.rollUpAllDirtyMinutes()
            let window = (start: F.base, end: F.base + 25 * Self.minute)
            let before = try await store.dependencies(startUnixNano: window.start, endUnixNano: window.end)
            #expect(!before.contains { $0.parent == "gateway" })

            _ = try await store.write(parents)
            #expect(try await Self.count(db, "rollup_dirty_minutes") == 2)
            try await Self.expectRollupsEqualLive(store, "late parents, minutes dirty")
            let dirtyAnswer = try await store.dependencies(startUnixNano: window.start, endUnixNano: window.end)
            #expect(dirtyAnswer.first { $0.parent == "gateway" }?.callCount == 20)

            #expect(try await store.rollUpAllDirtyMinutes() == 2)
            try await Self.expectRollupsEqualLive(store, "late parents rolled up")
            let edges = try await db.client.query(
                "SELECT coalesce(sum(call_count), 0)::int8 FROM rollup_edge_minutes e JOIN services s ON s.id = e.parent_service_id WHERE s.name = 'gateway'"
            ).collect()
            #expect(try edges.first?.decode(Int64.self) == 20)
        }
    }

    @Test func youngMinutesWaitForTheGracePeriodAndAreAnsweredLive() async throws {
        try await TestDatabase.with(migrated: true) { db in
            let store = PostgresTraceStore(client: db.client, logger: db.logger)
            let now = F.now
            let recent = Self.traffic(from: now - 30 * F.second, traces: 1...3).filter { $0.traceID.low < 100 }
            _ = try await store.write(recent)
            #expect(try await store.rollUpAllDirtyMinutes() == 0)
            #expect(try await Self.count(db, "rollup_dirty_minutes") > 0)
            let window = (start: now - 10 * Self.minute, end: now + Self.minute)
            #expect(try await store.serviceActivity(startUnixNano: window.start, endUnixNano: window.end)
                == store.liveServiceActivity(startUnixNano: window.start, endUnixNano: window.end))
            #expect(try await store.dependencies(startUnixNano: window.start, endUnixNano: window.end)
                == store.liveDependencies(startUnixNano: window.start, endUnixNano: window.end))
            // Without a grace period they roll up (as after the grace period has passed).
            #expect(try await store.rollUpAllDirtyMinutes(graceMinutes: -5) > 0)
            #expect(try await store.serviceActivity(startUnixNano: window.start, endUnixNano: window.end)
                == store.liveServiceActivity(startUnixNano: window.start, endUnixNano: window.end))
        }
    }

    @Test func theMigrationMarksTheMinutesOfSpansStoredBeforeIt() async throws {
        // Apply the migrations before 0005, store spans, then apply 0005 to that database.
        let all = try FileManager.default.contentsOfDirectory(atPath: TestPostgresServer.migrationsDirectory).filter { $0.hasSuffix(".sql") }
        let earlier = FileManager.default.temporaryDirectory.appendingPathComponent("skein-migrations-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: earlier, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: earlier) }
        for name in all where name < "0005" {
            try FileManager.default.copyItem(
                atPath: TestPostgresServer.migrationsDirectory + "/" + name, toPath: earlier.appendingPathComponent(name).path)
        }
        try await TestDatabase.with(migrated: false) { db in
            try await MigrationRunner(client: db.client, directory: earlier.path, logger: db.logger).migrate()
            let store = PostgresTraceStore(client: db.client, logger: db.logger)
            let start = Int64(F.base)
            try await store.ensurePartitions(days: [PostgresTraceStore.day(ofNanos: start)])
            // Two spans and their trace part as an older Skein stored them: web at 0:10, its
            // child in api at 1:10 (the next minute).
            try await db.client.query("INSERT INTO services (id, name) VALUES (1, 'web'), (2, 'api')")
            try await db.client.query(
                """
                INSERT INTO spans (trace_id, span_id, parent_span_id, start_ns, duration_ns, service_id, operation_id,
                    resource_id, scope_id, kind, status_code, flags, is_error, attributes)
                VALUES ('\\x01'::bytea, '\\x01'::bytea, NULL, \(start + 10_000_000_000), 65000000000, 1, 1, 1, 1, 2, 0, 0, false, '{}'),
                       ('\\x01'::bytea, '\\x02'::bytea, '\\x01'::bytea, \(start + 70_000_000_000), 1000000, 2, 2, 1, 1, 2, 0, 0, true, '{}')
                """)
            try await db.client.query(
                """
                INSERT INTO trace_parts (trace_id, start_ns, end_ns, span_count, error_count, service_ids, service_span_counts)
                VALUES ('\\x01'::bytea, \(start + 10_000_000_000), \(start + 75_000_000_000), 2, 1, '{1,2}', '{1,1}')
                """)
            let applied = try await MigrationRunner(client: db.client, directory: TestPostgresServer.migrationsDirectory, logger: db.logger).migrate()
            #expect(applied.contains { $0.hasPrefix("0005") })
            #expect(try await Self.count(db, "rollup_dirty_minutes") == 2)
            #expect(try await store.rollUpAllDirtyMinutes() == 2)
            #expect(try await Self.count(db, "rollup_edge_minutes") == 1)
            let window = (start: F.base, end: F.base + 10 * Self.minute)
            #expect(try await store.dependencies(startUnixNano: window.start, endUnixNano: window.end)
                == [DependencyLink(parent: "web", child: "api", callCount: 1)])
            #expect(try await store.serviceActivity(startUnixNano: window.start, endUnixNano: window.end) == [
                ServiceActivity(service: "api", spanCount: 1, errorCount: 1), ServiceActivity(service: "web", spanCount: 1, errorCount: 0),
            ])
        }
    }
}

/// Minute arithmetic.
@Suite("Rollup minutes")
struct RollupMinutesTests {
    @Test func minutesAreFloorDivisionsAlsoBefore1970() {
        #expect(RollupMinutes.minute(ofNanos: 0) == 0)
        #expect(RollupMinutes.minute(ofNanos: 59_999_999_999) == 0)
        #expect(RollupMinutes.minute(ofNanos: 60_000_000_000) == 1)
        #expect(RollupMinutes.minute(ofNanos: -1) == -1)
        #expect(RollupMinutes.minute(ofNanos: -60_000_000_000) == -1)
        #expect(RollupMinutes.minute(ofNanos: -60_000_000_001) == -2)
    }

    @Test func aSpanMarksTheMinutesFromItsStartToItsEndAtMostAnHour() {
        let m = RollupMinutes.nanosPerMinute
        #expect(RollupMinutes.touched(starts: [10 * m + 5, 10 * m + 7], durations: [0, -5]) == [10])
        #expect(RollupMinutes.touched(starts: [10 * m + 59_000_000_000], durations: [2_000_000_000]) == [10, 11])
        #expect(RollupMinutes.touched(starts: [0], durations: [Int64.max]).count == 60)
        #expect(RollupMinutes.touched(starts: [Int64.max], durations: [0]) == [])
    }

    @Test func wholeMinutesLeaveThePartialEdgesOut() {
        let m = RollupMinutes.nanosPerMinute
        #expect(RollupMinutes.wholeMinutes(start: 10 * m, end: 12 * m - 1) == 10...11)
        #expect(RollupMinutes.wholeMinutes(start: 10 * m + 1, end: 12 * m) == 11...11)
        #expect(RollupMinutes.wholeMinutes(start: 10 * m + 1, end: 12 * m - 2) == nil)
        #expect(RollupMinutes.wholeMinutes(start: 10 * m, end: 10 * m - 1) == nil)
        #expect(RollupMinutes.wholeMinutes(start: 0, end: Int64.max)?.upperBound == RollupMinutes.lastMinute)
    }
}
