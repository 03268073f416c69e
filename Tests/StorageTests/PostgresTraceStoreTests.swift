import Logging
import NIOCore
import PostgresNIO
@testable import Storage
import TraceModel
import XCTest

/// PostgreSQL-specific behaviour of the trace store: the JSONB encoding, partitions, promoted
/// columns, dictionaries and attribute keys (the shared contract is in Conformance/).
final class PostgresTraceStoreTests: XCTestCase {
    typealias F = TraceStoreFixtures

    private func withStore(_ body: (PostgresTraceStore, TestDatabase) async throws -> Void) async throws {
        try await TestDatabase.with(migrated: true) { database in
            try await body(PostgresTraceStore(client: database.client, logger: database.logger), database)
        }
    }

    private func strings(_ database: TestDatabase, _ query: PostgresQuery) async throws -> [String] {
        var values: [String] = []
        for try await value in try await database.client.query(query).decode(String.self) { values.append(value) }
        return values
    }

    private func count(_ database: TestDatabase, _ query: PostgresQuery) async throws -> Int64 {
        var total: Int64 = 0
        for try await value in try await database.client.query(query).decode(Int64.self) { total = value }
        return total
    }

    func testTypedValuesSurviveAJSONBRoundTripWithoutPassingThroughDouble() async throws {
        let attributes = F.everyValueType + [
            Attribute("nan", .double(.nan)), Attribute("neg-zero", .double(-0.0)),
            Attribute("int64-near-max", .int(9_007_199_254_740_993)),
        ]
        try await TestDatabase.with { database in
            let text = StoredAttributes.encode(attributes)
            let stored = try await strings(database, "SELECT \(text)::jsonb::text")
            let decoded = try StoredAttributes.decode(try XCTUnwrap(stored.first))
            XCTAssertEqual(decoded.filter { $0.key != "nan" && $0.key != "neg-zero" }.map { Attribute($0.key, F.normalized($0.value)) },
                           F.normalized(attributes.filter { $0.key != "nan" && $0.key != "neg-zero" }))
            guard case .double(let nan)? = decoded["nan"], case .double(let zero)? = decoded["neg-zero"] else { return XCTFail("doubles lost their type") }
            XCTAssertTrue(nan.isNaN)
            XCTAssertEqual(zero.sign, .minus)
            XCTAssertEqual(decoded["int.max"], .int(Int64.max))
            XCTAssertEqual(decoded["int64-near-max"], .int(9_007_199_254_740_993))
            XCTAssertEqual(decoded["double.one"], .double(1.0))
        }
    }

    func testAttributeTextInSQLMatchesTheModelsTextRendering() async throws {
        let values: [AttributeValue] = [.string("a'b"), .int(-7), .double(0.25), .double(1e300), .double(.nan), .bool(true), .bytes([0, 255]), .empty]
        try await TestDatabase.with(migrated: true) { database in
            for value in values {
                let json = StoredAttributes.encode(value)
                let text = try await strings(database, "SELECT skein_attribute_text(\(json)::jsonb)")
                XCTAssertEqual(text, [value.text], "\(value)")
            }
        }
    }

    func testPartitionNamesAreUTCCalendarDays() {
        XCTAssertEqual(PostgresTraceStore.dateText(day: 0), "1970-01-01")
        XCTAssertEqual(PostgresTraceStore.partitionName("spans", day: 20_463), "spans_20260110")
        XCTAssertEqual(PostgresTraceStore.day(ofNanos: Int64(F.base)), 20_463)
        XCTAssertEqual(PostgresTraceStore.day(ofNanos: Int64(F.base) - 1), 20_462)
        XCTAssertEqual(PostgresTraceStore.dateText(day: 11_016), "2000-02-29")
        XCTAssertEqual(PostgresTraceStore.upperBound(day: PostgresTraceStore.day(ofNanos: .max)), "MAXVALUE")
    }

    func testEnsurePartitionsCreatesYesterdayThroughTwoDaysAhead() async throws {
        try await withStore { store, database in
            try await store.ensurePartitions(around: F.base)
            try await store.ensurePartitions(around: F.base)
            let children = try await strings(database, """
                SELECT c.relname::text FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname IN ('spans', 'trace_parts') ORDER BY 1
                """)
            XCTAssertEqual(children, [
                "spans_20260109", "spans_20260110", "spans_20260111", "spans_20260112",
                "trace_parts_20260109", "trace_parts_20260110", "trace_parts_20260111", "trace_parts_20260112",
            ])
        }
    }

    func testTwoStoresCreatingTheSameDayPartitionAtOnceBothSucceed() async throws {
        try await withStore { first, database in
            let second = PostgresTraceStore(client: database.client, logger: database.logger)
            let day = F.base + 40 * F.day
            async let a: Void = first.write([F.span(trace: 1, id: 1, service: "a", name: "x", start: day)])
            async let b: Void = second.write([F.span(trace: 2, id: 1, service: "a", name: "x", start: day + 1)])
            _ = try await (a, b)
            let services = try await first.services()
            XCTAssertEqual(services, ["a"])
            let traces = try await second.findTraces(TraceQuery(startMinUnixNano: day, startMaxUnixNano: day + F.day))
            XCTAssertEqual(Set(traces.map(\.traceID.low)), [1, 2])
        }
    }

    func testAPartitionDroppedBehindTheStoresBackIsRecreatedOnTheNextWrite() async throws {
        try await withStore { store, database in
            try await store.write([F.span(trace: 1, id: 1, service: "a", name: "x", start: F.base)])
            try await database.client.query("DROP TABLE spans_20260110, trace_parts_20260110")
            try await store.write([F.span(trace: 2, id: 1, service: "a", name: "x", start: F.base)])
            let gone = try await store.trace(id: F.traceID(1))
            XCTAssertEqual(gone, [])
            let kept = try await store.trace(id: F.traceID(2))
            XCTAssertEqual(kept.count, 1)
        }
    }

    func testStartsBeyondTheYear2262AreClampedToTheLastRepresentableNanosecond() async throws {
        try await withStore { store, _ in
            let span = F.span(trace: 1, id: 1, service: "a", name: "x", start: UInt64(Int64.max) + 5, durationMillis: 0)
            try await store.write([span])
            let read = try await store.trace(id: span.traceID)
            XCTAssertEqual(read.first?.startTimeUnixNano, UInt64(Int64.max))
        }
    }

    func testHotAttributesArePromotedToColumnsFromOldAndNewNames() async throws {
        try await withStore { store, database in
            try await store.write([
                F.span(trace: 1, id: 1, service: "a", name: "new", start: F.base, attributes: [
                    Attribute("http.route", .string("/users/{id}")), Attribute("http.response.status_code", .int(404)),
                    Attribute("db.system.name", .string("postgresql")), Attribute("peer.service", .string("billing")),
                ]),
                F.span(trace: 1, id: 2, service: "a", name: "old", start: F.base, attributes: [
                    Attribute("http.status_code", .string("502")), Attribute("db.system", .string("redis")),
                ]),
                F.span(trace: 1, id: 3, service: "a", name: "none", start: F.base, attributes: [Attribute("http.route", .int(1))]),
            ])
            let rows = try await database.client.query("""
                SELECT coalesce(http_route, '-'), coalesce(http_status_code, -1), coalesce(db_system, '-'), coalesce(peer_service, '-')
                FROM spans ORDER BY span_id
                """)
            var promoted: [String] = []
            for try await (route, status, db, peer) in rows.decode((String, Int32, String, String).self) {
                promoted.append("\(route) \(status) \(db) \(peer)")
            }
            XCTAssertEqual(promoted, ["/users/{id} 404 postgresql billing", "- 502 redis -", "- -1 - -"])
            let read = try await store.trace(id: F.traceID(1))
            XCTAssertEqual(read.first { $0.name == "old" }?.attributes["http.status_code"], .string("502"), "promoted values stay in the JSONB")
        }
    }

    func testRewritingSpansAddsNoTracePartsAndResourcesAreStoredOnce() async throws {
        try await withStore { store, database in
            let batch = [
                F.span(trace: 1, id: 1, service: "a", name: "x", start: F.base),
                F.span(trace: 1, id: 2, parent: 1, service: "a", name: "y", start: F.base + 1),
            ]
            try await store.write(batch)
            try await store.write(batch)
            let fresh = PostgresTraceStore(client: database.client, logger: database.logger)
            try await fresh.write(batch)
            let parts = try await count(database, "SELECT count(*) FROM trace_parts")
            let resources = try await count(database, "SELECT count(*) FROM resources")
            let operations = try await count(database, "SELECT count(*) FROM operations")
            XCTAssertEqual(parts, 1)
            XCTAssertEqual(resources, 1)
            XCTAssertEqual(operations, 2)
        }
    }

    func testAttributeKeysAreRecordedWithSourceAndTypeForAutocomplete() async throws {
        try await withStore { store, database in
            var span = F.span(trace: 1, id: 1, service: "a", name: "x", start: F.base, attributes: [Attribute("http.route", .string("/"))],
                              resourceAttributes: [Attribute("host.cores", .int(4))])
            span.events = [SpanEvent(timeUnixNano: F.base, name: "e", attributes: [Attribute("retry", .bool(true))])]
            try await store.write([span])
            let keys = try await strings(database, "SELECT key || ':' || source || ':' || value_type FROM attribute_keys ORDER BY key, source")
            XCTAssertEqual(keys, ["host.cores:1:3", "http.route:0:1", "retry:2:2", "service.name:1:1"])
        }
    }

    func testNULCharactersAreReplacedInsteadOfFailingTheBatch() async throws {
        try await withStore { store, _ in
            let span = F.span(trace: 1, id: 1, service: "a\u{0}b", name: "op\u{0}", start: F.base, attributes: [Attribute("k\u{0}", .string("v\u{0}"))])
            try await store.write([span])
            let read = try await store.trace(id: span.traceID)
            XCTAssertEqual(read.first?.name, "op\u{FFFD}")
            XCTAssertEqual(read.first?.serviceName, "a\u{FFFD}b")
            XCTAssertEqual(read.first?.attributes["k\u{FFFD}"], .string("v\u{FFFD}"))
        }
    }

    func testAStoreThatNeverWroteReadsEverythingBackFromTheDictionaries() async throws {
        try await withStore { writer, database in
            let span = F.everyField(start: F.base)
            try await writer.write([span])
            let reader = PostgresTraceStore(client: database.client, logger: database.logger)
            let read = try await reader.trace(id: span.traceID)
            XCTAssertEqual(read.map(F.normalized), [F.normalized(span)])
            let summaries = try await reader.findTraces(TraceQuery(service: "frontend", startMinUnixNano: F.base, startMaxUnixNano: F.base + F.day))
            XCTAssertEqual(summaries.first?.rootOperation, nil, "the span has a parent, so the trace has no root")
            XCTAssertEqual(summaries.first?.services, [ServiceSpanCount(service: "frontend", spanCount: 1)])
        }
    }

    func testIsReadyAnswersFalseSoonWhenNoServerListens() async throws {
        let configuration = PostgresClient.Configuration(
            unixSocketPath: "/tmp/skein-no-such-server/.s.PGSQL.5432", username: "skein", password: nil, database: "skein")
        let client = PostgresClient(configuration: configuration)
        let running = Task { await client.run() }
        let store = PostgresTraceStore(client: client, logger: Logger(label: "test"))
        let started = ContinuousClock.now
        let ready = await store.isReady(timeout: .seconds(1))
        XCTAssertFalse(ready)
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(5))
        running.cancel()
        await running.value
    }

    func testIsReadyAnswersTrueWhenTheDatabaseAnswers() async throws {
        try await withStore { store, _ in
            let ready = await store.isReady()
            XCTAssertTrue(ready)
        }
    }
}
