import Foundation
import NIOCore
import PostgresNIO
import Testing
import TraceModel

@testable import Storage

/// `findTraces` searches time slices newest first and stops early; it must give exactly the
/// answer of the one statement it replaced (every matching span of the window grouped by trace,
/// newest match first, ties by trace id), which `bruteForce` runs here as the reference.
@Suite("Search by time slices")
struct SearchEquivalenceTests {
    private typealias F = TraceStoreFixtures
    private static let minute: UInt64 = 60 * F.second
    private static let hour: UInt64 = 60 * minute
    /// The end of the traffic: traces spread over the 8 hours before it, denser near the end.
    private static let end = F.base + 8 * hour

    /// A small deterministic generator (the same traffic every run).
    private struct Generator {
        var state: UInt64
        mutating func next(_ bound: UInt64) -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return (state >> 33) % bound
        }
    }

    /// 600 traces of one to five spans in "web", "api" and "db"; half the spans after a trace's
    /// first start up to two hours after it, so traces cross slices; typed attributes, some only on the
    /// resource, some on both (the span's wins); two traces whose newest spans start together.
    private static func traffic() -> [Span] {
        var random = Generator(state: 42)
        let services = ["web", "api", "db"]
        let operations = ["GET", "POST", "query"]
        var spans: [Span] = []
        for trace in UInt64(1)...600 {
            // Half the traces in the last 20 minutes, the rest over the 8 hours.
            let back = trace.isMultiple(of: 2) ? random.next(20 * minute) : random.next(8 * hour)
            let first = end - back
            for id in UInt64(1)...(1 + random.next(5)) {
                let start = id == 1 ? first : min(end, first + (random.next(2) == 0 ? random.next(2 * hour) : random.next(30 * F.second)))
                let service = services[Int(random.next(3))]
                var attributes: [Attribute] = [
                    Attribute("http.status", .int([200, 404, 500][Int(random.next(3))])),
                    Attribute("tier", .string(["gold", "silver", "bronze"][Int(random.next(3))])),
                ]
                switch random.next(6) {
                case 0: attributes.append(Attribute("ratio", .double([0.5, 1.25, 1e300][Int(random.next(3))])))
                case 1: attributes.append(Attribute("flag", .bool(random.next(2) == 0)))
                case 2: attributes.append(Attribute("blob", .bytes([0xAB, UInt8(random.next(2))])))
                case 3: attributes.append(Attribute("list", .array([.string("a"), .int(Int64(random.next(2)))])))
                case 4: attributes.append(Attribute("nothing", .empty))
                default: attributes.append(Attribute("region", .string("mars")))
                }
                let region: [Attribute] = random.next(4) == 0 ? [] : [Attribute("region", .string(random.next(2) == 0 ? "eu" : "us"))]
                spans.append(F.span(
                    trace: trace, id: id, parent: id == 1 ? nil : 1, service: service,
                    name: operations[Int(random.next(3))], start: start, durationMillis: 1 + random.next(2_000),
                    attributes: attributes, error: random.next(8) == 0, resourceAttributes: region))
            }
        }
        // An hour after the traffic, alone: trace 9_101 matches in the first slice (10 s) and again
        // near the top of the second, where 9_102 must still be found.
        let quiet = end + hour
        spans.append(F.span(trace: 9_101, id: 1, service: "web", name: "GET", start: quiet - 11 * F.second))
        spans.append(F.span(trace: 9_101, id: 2, parent: 1, service: "web", name: "GET", start: quiet - 5 * F.second))
        spans.append(F.span(trace: 9_102, id: 1, service: "web", name: "GET", start: quiet - 12 * F.second))
        spans.append(F.span(trace: 9_103, id: 1, service: "web", name: "GET", start: quiet - 60 * F.second))
        // Equal newest starts: the trace id decides.
        spans.append(F.span(trace: 9_002, id: 1, service: "web", name: "GET", start: end - 90 * F.second))
        spans.append(F.span(trace: 9_001, id: 1, service: "web", name: "GET", start: end - 90 * F.second))
        return spans
    }

    private static let windows: [(start: UInt64, end: UInt64)] = [
        (end - 30 * F.second, end),
        (end - 5 * minute, end),
        (end - 3 * hour, end - 10 * minute),
        (end - 8 * hour - 1, end + 1),
        (F.base - F.day, end + F.day),
        (end - 2 * hour - 17 * F.second, end - 2 * hour + 12 * minute),
        (end + hour - 2 * minute, end + hour),
    ]

    private static let limits = [1, 2, 3, 7, 20, 500]

    private static let searches: [(String, @Sendable (inout TraceQuery) -> Void)] = [
        ("everything", { _ in }),
        ("service", { $0.service = "api" }),
        ("service and operation", { $0.service = "web"; $0.operation = "GET" }),
        ("operation of every service", { $0.operation = "query" }),
        ("errors", { $0.service = "db"; $0.errorsOnly = true }),
        ("durations", { $0.durationMinNanos = 500 * F.millisecond; $0.durationMaxNanos = 1_500 * F.millisecond }),
        ("integer attribute", { $0.service = "web"; $0.attributes = ["http.status": "500"] }),
        ("two attributes", { $0.attributes = ["http.status": "404", "tier": "gold"] }),
        ("double", { $0.attributes = ["ratio": "1.25"] }),
        ("tagged double", { $0.attributes = ["ratio": "1e+300"] }),
        ("bool", { $0.attributes = ["flag": "false"] }),
        ("bytes", { $0.attributes = ["blob": "ab01"] }),
        ("array", { $0.attributes = ["list": "[\"a\", 1]"] }),
        ("empty value", { $0.attributes = ["nothing": ""] }),
        ("resource attribute", { $0.attributes = ["region": "eu"] }),
        ("span attribute hiding the resource's", { $0.attributes = ["region": "mars"] }),
        ("nothing matches", { $0.attributes = ["http.status": "503"] }),
        ("unknown service", { $0.service = "nobody" }),
    ]

    @Test func slicedSearchesGiveTheAnswerOfTheWholeWindowStatement() async throws {
        try await TestDatabase.with(migrated: true) { db in
            let store = PostgresTraceStore(client: db.client, logger: db.logger)
            _ = try await store.write(Self.traffic())
            var truncatedAnswers = 0
            for (name, change) in Self.searches {
                for window in Self.windows {
                    for limit in Self.limits {
                        var query = TraceQuery(startMinUnixNano: window.start, startMaxUnixNano: window.end, limit: limit)
                        change(&query)
                        let expected = try await Self.bruteForce(db, query)
                        let found = try await store.findTraces(query).map(\.traceID)
                        #expect(found == expected, "\(name), window \(window), limit \(limit)")
                        if expected.count == limit, try await Self.bruteForce(db, { var q = query; q.limit += 1; return q }()).count > limit {
                            truncatedAnswers += 1
                        }
                    }
                }
            }
            // The comparison is not trivial: many answers stop at the limit with more to find.
            #expect(truncatedAnswers > 100)
            var query = TraceQuery(service: "web", startMinUnixNano: Self.end - 2 * Self.minute, startMaxUnixNano: Self.end, limit: 500)
            let tied = try await store.findTraces(query).map(\.traceID).filter { $0.low > 9_000 }
            #expect(tied == [F.traceID(9_001), F.traceID(9_002)])
            query = TraceQuery(service: "web", startMinUnixNano: Self.end, startMaxUnixNano: Self.end + Self.hour, limit: 2)
            #expect(try await store.findTraces(query).map(\.traceID) == [F.traceID(9_101), F.traceID(9_102)])
            query.attributes = ["region": "mars"]
            #expect(try await store.findTraces(query).isEmpty == false)
        }
    }

    @Test func slicesCoverTheWindowOnceNewestFirstAndGrow() {
        for (start, end, first) in [(Int64(0), Int64(1_000), Int64(7)), (5, 5, 10), (-50, 50, 1), (.min, .max, 10_000_000_000), (0, 99, 1_000)] {
            let slices = Array(SearchTimeSlices(start: start, end: end, firstSliceNanos: first))
            #expect(slices.first?.end == end)
            #expect(slices.last?.start == start)
            for (newer, older) in zip(slices, slices.dropFirst()) {
                #expect(older.end == newer.start - 1)
                #expect(older.end - older.start >= newer.end - newer.start || older.start == start)
            }
            #expect(slices.allSatisfy { $0.start <= $0.end })
            #expect(slices.count < 40)
        }
        #expect(Array(SearchTimeSlices(start: 10, end: 9)).isEmpty)
        let growing = Array(SearchTimeSlices(start: 0, end: 1_000_000, firstSliceNanos: 10)).prefix(3).map { $0.end - $0.start + 1 }
        #expect(growing == [10, 40, 160])
    }

    @Test func everyStoredValueIsACandidateForItsOwnText() {
        let values: [AttributeValue] = [
            .string("a\"b"), .string(""), .string("500"), .int(-7), .int(500), .int(.max), .double(0.25), .double(1.0),
            .double(1e300), .double(.nan), .double(-0.0), .double(.infinity), .bool(true), .bool(false),
            .bytes([0, 255]), .bytes([]), .empty,
        ]
        for value in values {
            let stored = "{\"k\":" + StoredAttributes.encode(value) + "}"
            let candidates = SearchAttributeCandidates.candidates(key: "k", text: value.text)
            #expect(candidates?.contains(stored) == true, "\(value) stored as \(stored)")
        }
        #expect(SearchAttributeCandidates.candidates(key: "k", text: "[1, 2]") == nil)
        #expect(SearchAttributeCandidates.candidates(key: "k", text: "{\"$kv\": {}}") == nil)
        #expect(SearchAttributeCandidates.isPlainJSONNumber("-0.50"))
        #expect(!SearchAttributeCandidates.isPlainJSONNumber("01"))
        #expect(!SearchAttributeCandidates.isPlainJSONNumber("1e5"))
        #expect(!SearchAttributeCandidates.isPlainJSONNumber("1."))
        #expect(SearchAttributeCandidates.lowercaseHexBytes("00ff") == [0, 255])
        #expect(SearchAttributeCandidates.lowercaseHexBytes("00FF") == nil)
    }

    /// The statement `findTraces` ran before it searched in slices: every matching span of the
    /// window, grouped by trace, newest match first, ties by trace id.
    private static func bruteForce(_ db: TestDatabase, _ query: TraceQuery) async throws -> [TraceID] {
        var bindings = PostgresBindings()
        func bind(_ value: some PostgresNonThrowingEncodable & PostgresDynamicTypeEncodable) -> String {
            bindings.append(value)
            return "$\(bindings.count)"
        }
        var conditions = [
            "s.start_ns BETWEEN \(bind(Int64(clamping: query.startMinUnixNano))) AND \(bind(Int64(clamping: query.startMaxUnixNano)))",
        ]
        if let service = query.service {
            conditions.append("s.service_id = (SELECT id FROM services WHERE name = \(bind(service)))")
        }
        if let operation = query.operation {
            let service = query.service.map { "AND service_id = (SELECT id FROM services WHERE name = \(bind($0)))" } ?? ""
            conditions.append("s.operation_id IN (SELECT id FROM operations WHERE name = \(bind(operation)) \(service))")
        }
        if let minimum = query.durationMinNanos { conditions.append("greatest(s.duration_ns, 0) >= \(bind(Int64(clamping: minimum)))") }
        if let maximum = query.durationMaxNanos { conditions.append("greatest(s.duration_ns, 0) <= \(bind(Int64(clamping: maximum)))") }
        if query.errorsOnly { conditions.append("s.is_error") }
        for (key, value) in query.attributes.sorted(by: { $0.key < $1.key }) {
            let keyParameter = bind(key)
            conditions.append("""
                skein_attribute_text(coalesce(s.attributes -> \(keyParameter)::text,
                    (SELECT r.attributes -> \(keyParameter)::text FROM resources r WHERE r.id = s.resource_id))) = \(bind(value))
                """)
        }
        let text = """
            SELECT s.trace_id, max(s.start_ns) AS newest FROM spans s
            WHERE \(conditions.joined(separator: "\n  AND "))
            GROUP BY s.trace_id ORDER BY newest DESC, s.trace_id LIMIT \(bind(Int64(query.limit)))
            """
        var ids: [TraceID] = []
        for try await (id, _) in try await db.client.query(PostgresQuery(unsafeSQL: text, binds: bindings)).decode((ByteBuffer, Int64).self) {
            if let traceID = TraceID(bytes: Array(buffer: id)) { ids.append(traceID) }
        }
        return ids
    }
}
