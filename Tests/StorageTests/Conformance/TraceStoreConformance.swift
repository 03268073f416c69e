import Storage
import TraceModel
import XCTest

/// The storage contract as executable checks: every `TraceWriter & TraceReader` implementation
/// runs all of them (see the `...ConformanceTests` classes) and must behave the same.
enum TraceStoreConformance {
    typealias Store = any TraceWriter & TraceReader
    typealias F = TraceStoreFixtures

    static func everyFieldAndValueTypeRoundTrips(_ store: Store) async throws {
        var span = F.everyField(start: F.base)
        span.attributes.append(Attribute("double.nan", .double(.nan)))
        span.attributes.append(Attribute("double.negative-zero", .double(-0.0)))
        try await store.write([span])

        let read = try await store.trace(id: span.traceID)
        XCTAssertEqual(read.count, 1)
        guard var stored = read.first else { return }

        // NaN never equals itself and -0.0 equals 0.0: check those two by hand, then compare the rest.
        guard case .double(let nan)? = stored.attributes["double.nan"] else { return XCTFail("NaN lost its type") }
        XCTAssertTrue(nan.isNaN)
        guard case .double(let negativeZero)? = stored.attributes["double.negative-zero"] else { return XCTFail("-0.0 lost its type") }
        XCTAssertEqual(negativeZero.sign, .minus)
        stored.attributes.removeAll { $0.key == "double.nan" || $0.key == "double.negative-zero" }
        span.attributes.removeAll { $0.key == "double.nan" || $0.key == "double.negative-zero" }

        XCTAssertEqual(F.normalized(stored), F.normalized(span))
        for attribute in F.everyValueType {
            XCTAssertEqual(stored.attributes[attribute.key].map(F.normalized), F.normalized(attribute.value), "attribute \(attribute.key)")
        }
    }

    static func servicesAndOperationsAreListedWithTheirKinds(_ store: Store) async throws {
        try await store.write([
            F.span(trace: 1, id: 1, service: "frontend", name: "GET /", kind: .server, start: F.base),
            F.span(trace: 1, id: 2, parent: 1, service: "frontend", name: "call backend", kind: .client, start: F.base + 1),
            F.span(trace: 1, id: 3, parent: 2, service: "backend", name: "handle", kind: .server, start: F.base + 2),
            F.span(trace: 1, id: 4, parent: 3, service: "backend", name: "handle", kind: .internal, start: F.base + 3),
            F.span(trace: 1, id: 5, parent: 3, service: "backend", name: "aaa first", kind: .client, start: F.base + 4),
        ])
        let services = try await store.services()
        XCTAssertEqual(services, ["backend", "frontend"])
        let operations = try await store.operations(service: "backend", kind: nil)
        XCTAssertEqual(operations, [
            Operation(name: "aaa first", kind: .client), Operation(name: "handle", kind: .internal),
            Operation(name: "handle", kind: .server),
        ])
        let serverOperations = try await store.operations(service: "backend", kind: .server)
        XCTAssertEqual(serverOperations, [Operation(name: "handle", kind: .server)])
        let unknown = try await store.operations(service: "nobody", kind: nil)
        XCTAssertEqual(unknown, [])
    }

    static func traceByIDComesBackOrderedByStart(_ store: Store) async throws {
        var spans: [Span] = []
        for index in 1...6 {
            let parent: UInt64? = index == 1 ? nil : 9
            let start: UInt64 = F.base + UInt64(index) * 1000
            spans.append(F.span(trace: 7, id: UInt64(10 - index), parent: parent, service: "s", name: "op\(index)", start: start))
        }
        try await store.write(Array(spans[3...].reversed()))
        try await store.write(Array(spans[..<3].reversed()))
        try await store.write([F.span(trace: 8, id: 1, service: "s", name: "other", start: F.base)])

        let read = try await store.trace(id: F.traceID(7))
        XCTAssertEqual(read.map(\.name), ["op1", "op2", "op3", "op4", "op5", "op6"])
        XCTAssertEqual(read.map(F.normalized), spans.map(F.normalized))
        let unknown = try await store.trace(id: F.traceID(999))
        XCTAssertEqual(unknown, [])
    }

    static func severalTracesAreReadAtOnceAsEachAloneWouldBe(_ store: Store) async throws {
        let day: UInt64 = 86_400_000_000_000
        try await store.write([
            F.span(trace: 21, id: 1, service: "a", name: "first", start: F.base),
            F.span(trace: 21, id: 2, parent: 1, service: "b", name: "second", start: F.base + 1000),
            F.span(trace: 22, id: 1, service: "a", name: "days later", start: F.base + 3 * day),
        ])
        let ids = [F.traceID(21), F.traceID(22), F.traceID(999), F.traceID(21)]
        let read = try await store.traces(ids: ids)
        XCTAssertEqual(Set(read.keys), [F.traceID(21), F.traceID(22)], "unknown ids are absent")
        for id in [F.traceID(21), F.traceID(22)] {
            let alone = try await store.trace(id: id)
            XCTAssertEqual(read[id]?.map(F.normalized), alone.map(F.normalized))
        }
        XCTAssertEqual(read[F.traceID(21)]?.map(\.name), ["first", "second"])
        let none = try await store.traces(ids: [])
        XCTAssertTrue(none.isEmpty)
    }

    static func aTenThousandSpanTraceIsStoredWhole(_ store: Store) async throws {
        let count = 10_000
        var spans: [Span] = []
        for index in 0..<count {
            let parent: UInt64? = index == 0 ? nil : UInt64((index - 1) / 4 + 1)
            let start: UInt64 = F.base + UInt64(index) * 1000
            let attributes = [Attribute("index", .int(Int64(index)))]
            spans.append(F.span(
                trace: 10_000, id: UInt64(index + 1), parent: parent, service: "svc-\(index % 7)", name: "op-\(index % 13)",
                start: start, attributes: attributes, error: index % 100 == 0))
        }
        try await store.write(spans)
        let read = try await store.trace(id: F.traceID(10_000))
        XCTAssertEqual(read.count, count)
        XCTAssertEqual(read.first?.spanID, SpanID(1))
        XCTAssertEqual(read.last?.spanID, SpanID(UInt64(count)))
        XCTAssertEqual(read.map(F.normalized), spans.map(F.normalized))

        let summaries = try await store.findTraces(TraceQuery(startMinUnixNano: F.base, startMaxUnixNano: F.base + F.day))
        XCTAssertEqual(summaries.count, 1)
        XCTAssertEqual(summaries.first?.spanCount, count)
        XCTAssertEqual(summaries.first?.errorCount, 100)
        XCTAssertEqual(summaries.first?.rootService, "svc-0")
        XCTAssertEqual(summaries.first?.services.map(\.spanCount).reduce(0, +), count)
    }

    static func writingTheSameSpansAgainDoesNotDuplicateThem(_ store: Store) async throws {
        let batch = [
            F.span(trace: 3, id: 1, service: "a", name: "root", start: F.base, error: true),
            F.span(trace: 3, id: 2, parent: 1, service: "b", name: "child", start: F.base + 5),
        ]
        try await store.write(batch)
        try await store.write(batch)
        try await store.write([batch[1], batch[1]])

        let read = try await store.trace(id: F.traceID(3))
        XCTAssertEqual(read.count, 2)
        let summaries = try await store.findTraces(TraceQuery(startMinUnixNano: F.base, startMaxUnixNano: F.base + F.day))
        XCTAssertEqual(summaries.count, 1)
        XCTAssertEqual(summaries.first?.spanCount, 2)
        XCTAssertEqual(summaries.first?.errorCount, 1)
        XCTAssertEqual(summaries.first?.services, [ServiceSpanCount(service: "a", spanCount: 1), ServiceSpanCount(service: "b", spanCount: 1)])
        let activity = try await store.serviceActivity(startUnixNano: F.base, endUnixNano: F.base + F.day)
        XCTAssertEqual(activity.map(\.spanCount), [1, 1])
    }

    /// Four traces, one minute apart (trace 1 oldest):
    /// 1: web GET /home (200 ms) → api list (50 ms, http.route=/items on the span)
    /// 2: web GET /cart (2 s, error) → db query (1 s, db.system=postgresql, resource region=eu)
    /// 3: api list (5 ms), resource region=us, span attribute region=span-level
    /// 4: web GET /home (300 ms)
    static func searchFindsTracesByEveryCondition(_ store: Store) async throws {
        let minute = 60 * F.second
        try await store.write([
            F.span(trace: 1, id: 1, service: "web", name: "GET /home", start: F.base, durationMillis: 200,
                   attributes: [Attribute("http.response.status_code", .int(200))]),
            F.span(trace: 1, id: 2, parent: 1, service: "api", name: "list", start: F.base + 10 * F.millisecond, durationMillis: 50,
                   attributes: [Attribute("http.route", .string("/items"))]),
            F.span(trace: 2, id: 1, service: "web", name: "GET /cart", start: F.base + minute, durationMillis: 2000, error: true),
            F.span(trace: 2, id: 2, parent: 1, service: "db", name: "query", kind: .client, start: F.base + minute + F.millisecond,
                   durationMillis: 1000, attributes: [Attribute("db.system", .string("postgresql"))],
                   resourceAttributes: [Attribute("region", .string("eu"))]),
            F.span(trace: 3, id: 1, service: "api", name: "list", start: F.base + 2 * minute, durationMillis: 5,
                   attributes: [Attribute("region", .string("span-level"))], resourceAttributes: [Attribute("region", .string("us"))]),
        ])
        try await store.write([
            F.span(trace: 4, id: 1, service: "web", name: "GET /home", start: F.base + 3 * minute, durationMillis: 300),
        ])
        let window = TraceQuery(startMinUnixNano: F.base, startMaxUnixNano: F.base + F.day)
        func find(_ change: (inout TraceQuery) -> Void) async throws -> [UInt64] {
            var query = window
            change(&query)
            return try await store.findTraces(query).map(\.traceID.low)
        }

        var result = try await find { _ in }
        XCTAssertEqual(result, [4, 3, 2, 1], "newest first")
        result = try await find { $0.limit = 2 }
        XCTAssertEqual(result, [4, 3], "limit keeps the newest traces")
        result = try await find { $0.limit = 0 }
        XCTAssertEqual(result, [])
        result = try await find { $0.service = "web" }
        XCTAssertEqual(result, [4, 2, 1])
        result = try await find { $0.service = "api" }
        XCTAssertEqual(result, [3, 1])
        result = try await find { $0.service = "web"; $0.operation = "GET /home" }
        XCTAssertEqual(result, [4, 1])
        result = try await find { $0.operation = "list" }
        XCTAssertEqual(result, [3, 1])
        result = try await find { $0.service = "web"; $0.operation = "list" }
        XCTAssertEqual(result, [], "service and operation must hold on the same span")
        result = try await find { $0.attributes = ["http.route": "/items"] }
        XCTAssertEqual(result, [1], "tag on a span")
        result = try await find { $0.attributes = ["http.response.status_code": "200"] }
        XCTAssertEqual(result, [1], "integer tag compared as text")
        result = try await find { $0.attributes = ["region": "eu"] }
        XCTAssertEqual(result, [2], "tag on a resource")
        result = try await find { $0.attributes = ["region": "span-level"] }
        XCTAssertEqual(result, [3], "a span attribute wins over the resource attribute of the same key")
        result = try await find { $0.attributes = ["region": "us"] }
        XCTAssertEqual(result, [])
        result = try await find { $0.attributes = ["db.system": "postgresql", "region": "eu"] }
        XCTAssertEqual(result, [2], "several tags on one span")
        result = try await find { $0.attributes = ["db.system": "postgresql", "http.route": "/items"] }
        XCTAssertEqual(result, [], "tags must hold on the same span")
        result = try await find { $0.durationMinNanos = 250 * F.millisecond }
        XCTAssertEqual(result, [4, 2])
        result = try await find { $0.durationMaxNanos = 50 * F.millisecond }
        XCTAssertEqual(result, [3, 1], "bounds are inclusive")
        result = try await find { $0.durationMinNanos = 1000 * F.millisecond; $0.durationMaxNanos = 1000 * F.millisecond }
        XCTAssertEqual(result, [2])
        result = try await find { $0.errorsOnly = true }
        XCTAssertEqual(result, [2])
        result = try await find { $0.errorsOnly = true; $0.service = "db" }
        XCTAssertEqual(result, [], "the error must be on the matching span")
        result = try await find { $0.startMinUnixNano = F.base + minute; $0.startMaxUnixNano = F.base + 2 * minute }
        XCTAssertEqual(result, [3, 2], "start window is inclusive")
        result = try await find { $0.startMinUnixNano = F.base + 10 * minute }
        XCTAssertEqual(result, [])

        let summaries = try await store.findTraces(window)
        guard let cart = summaries.first(where: { $0.traceID == F.traceID(2) }) else { return XCTFail("trace 2 missing") }
        XCTAssertEqual(cart.startUnixNano, F.base + minute)
        XCTAssertEqual(cart.endUnixNano, F.base + minute + 2000 * F.millisecond)
        XCTAssertEqual(cart.durationNanos, 2000 * F.millisecond)
        XCTAssertEqual(cart.rootService, "web")
        XCTAssertEqual(cart.rootOperation, "GET /cart")
        XCTAssertEqual(cart.spanCount, 2)
        XCTAssertEqual(cart.errorCount, 1)
        XCTAssertEqual(cart.services, [ServiceSpanCount(service: "db", spanCount: 1), ServiceSpanCount(service: "web", spanCount: 1)])
        guard let orphan = summaries.first(where: { $0.traceID == F.traceID(3) }) else { return XCTFail("trace 3 missing") }
        XCTAssertEqual(orphan.rootService, "api")
    }

    static func aTraceWithoutItsRootHasNoRootInItsSummary(_ store: Store) async throws {
        try await store.write([F.span(trace: 5, id: 2, parent: 1, service: "late", name: "child", start: F.base)])
        let summaries = try await store.findTraces(TraceQuery(startMinUnixNano: F.base, startMaxUnixNano: F.base + F.day))
        XCTAssertEqual(summaries.count, 1)
        XCTAssertNil(summaries.first?.rootService)
        XCTAssertNil(summaries.first?.rootOperation)
        // The root arriving in a later batch completes the summary.
        try await store.write([F.span(trace: 5, id: 1, service: "early", name: "root", start: F.base - F.second, durationMillis: 2000)])
        let completed = try await store.findTraces(TraceQuery(startMinUnixNano: F.base - F.day, startMaxUnixNano: F.base + F.day))
        XCTAssertEqual(completed.first?.rootService, "early")
        XCTAssertEqual(completed.first?.rootOperation, "root")
        XCTAssertEqual(completed.first?.spanCount, 2)
        XCTAssertEqual(completed.first?.startUnixNano, F.base - F.second)
    }

    static func dependenciesCountCallsBetweenDifferentServices(_ store: Store) async throws {
        try await store.write([
            F.span(trace: 1, id: 1, service: "web", name: "GET /", start: F.base),
            F.span(trace: 1, id: 2, parent: 1, service: "api", name: "a", start: F.base + 1),
            F.span(trace: 1, id: 3, parent: 1, service: "api", name: "b", start: F.base + 2),
            F.span(trace: 1, id: 4, parent: 2, service: "api", name: "internal", start: F.base + 3),
            F.span(trace: 1, id: 5, parent: 4, service: "db", name: "q", start: F.base + 4),
            F.span(trace: 2, id: 1, service: "web", name: "GET /", start: F.base + F.second),
            F.span(trace: 2, id: 2, parent: 1, service: "api", name: "a", start: F.base + F.second + 1),
            F.span(trace: 3, id: 2, parent: 1, service: "api", name: "orphan", start: F.base + F.second),
            F.span(trace: 4, id: 1, service: "web", name: "GET /", start: F.base + 2 * F.day),
            F.span(trace: 4, id: 2, parent: 1, service: "mail", name: "send", start: F.base + 2 * F.day),
        ])
        let links = try await store.dependencies(startUnixNano: F.base, endUnixNano: F.base + F.day)
        XCTAssertEqual(links, [
            DependencyLink(parent: "api", child: "db", callCount: 1),
            DependencyLink(parent: "web", child: "api", callCount: 3),
        ])
        let later = try await store.dependencies(startUnixNano: F.base + F.day, endUnixNano: F.base + 3 * F.day)
        XCTAssertEqual(later, [DependencyLink(parent: "web", child: "mail", callCount: 1)])
    }

    /// The child's start decides the window; the parent may start outside it, but within an hour.
    static func dependenciesCountChildrenInTheWindowWithParentsWithinAnHour(_ store: Store) async throws {
        try await store.write([
            F.span(trace: 1, id: 1, service: "web", name: "GET /", start: F.base - 5 * F.second),
            F.span(trace: 1, id: 2, parent: 1, service: "api", name: "a", start: F.base + F.second),
            F.span(trace: 2, id: 1, service: "cron", name: "nightly", start: F.base - 3_601 * F.second),
            F.span(trace: 2, id: 2, parent: 1, service: "api", name: "b", start: F.base + F.second),
            F.span(trace: 3, id: 1, service: "web", name: "GET /", start: F.base + 10 * F.second),
            F.span(trace: 3, id: 2, parent: 1, service: "mail", name: "send", start: F.base + 70 * F.second),
        ])
        let links = try await store.dependencies(startUnixNano: F.base, endUnixNano: F.base + 60 * F.second)
        XCTAssertEqual(links, [DependencyLink(parent: "web", child: "api", callCount: 1)])
    }

    static func serviceActivityCountsSpansAndErrorsBusiestFirst(_ store: Store) async throws {
        try await store.write([
            F.span(trace: 1, id: 1, service: "web", name: "a", start: F.base, error: true),
            F.span(trace: 1, id: 2, service: "api", name: "b", start: F.base),
            F.span(trace: 1, id: 3, service: "api", name: "c", start: F.base, error: true),
            F.span(trace: 1, id: 4, service: "api", name: "d", start: F.base + 10 * F.second),
            F.span(trace: 1, id: 5, service: "db", name: "e", start: F.base + 5 * F.second),
            F.span(trace: 1, id: 6, service: "cache", name: "e", start: F.base + 5 * F.second),
            F.span(trace: 1, id: 7, service: "db", name: "late", start: F.base + F.day),
        ])
        let activity = try await store.serviceActivity(startUnixNano: F.base, endUnixNano: F.base + 10 * F.second)
        XCTAssertEqual(activity, [
            ServiceActivity(service: "api", spanCount: 3, errorCount: 1),
            ServiceActivity(service: "cache", spanCount: 1, errorCount: 0),
            ServiceActivity(service: "db", spanCount: 1, errorCount: 0),
            ServiceActivity(service: "web", spanCount: 1, errorCount: 1),
        ])
        let empty = try await store.serviceActivity(startUnixNano: 0, endUnixNano: F.second)
        XCTAssertEqual(empty, [])
    }

    static func spansFromYearsAgoAndFromTomorrowAreStoredAndReadBack(_ store: Store) async throws {
        let now = F.now
        let old = F.span(trace: 21, id: 1, service: "history", name: "imported", start: now - 3 * 365 * F.day)
        let tomorrow = F.span(trace: 22, id: 1, service: "skewed", name: "future", start: now + F.day)
        try await store.write([old, tomorrow])
        let readOld = try await store.trace(id: old.traceID)
        XCTAssertEqual(readOld.map(F.normalized), [F.normalized(old)])
        let readTomorrow = try await store.trace(id: tomorrow.traceID)
        XCTAssertEqual(readTomorrow.map(F.normalized), [F.normalized(tomorrow)])
        let found = try await store.findTraces(TraceQuery(
            service: "history", startMinUnixNano: now - 4 * 365 * F.day, startMaxUnixNano: now))
        XCTAssertEqual(found.map(\.traceID), [old.traceID])
    }

    static func sqlLookingValuesAreJustData(_ store: Store) async throws {
        let nasty = "' OR 1=1 --"
        let quotedService = "svc'; DROP TABLE spans; --"
        try await store.write([
            F.span(trace: 31, id: 1, service: quotedService, name: "op\"'\\", start: F.base,
                   attributes: [Attribute("tag", .string(nasty)), Attribute("k'ey", .string("v"))]),
            F.span(trace: 32, id: 1, service: "plain", name: "op", start: F.base, attributes: [Attribute("tag", .string("other"))]),
        ])
        let window = TraceQuery(startMinUnixNano: F.base, startMaxUnixNano: F.base + F.day)
        var query = window
        query.attributes = ["tag": nasty]
        var found = try await store.findTraces(query)
        XCTAssertEqual(found.map(\.traceID.low), [31])
        query.attributes = ["tag": "x' OR '1'='1"]
        found = try await store.findTraces(query)
        XCTAssertEqual(found, [])
        query.attributes = ["k'ey": "v"]
        found = try await store.findTraces(query)
        XCTAssertEqual(found.map(\.traceID.low), [31])
        query.attributes = ["' OR 1=1 --": "v"]
        found = try await store.findTraces(query)
        XCTAssertEqual(found, [])
        query = window
        query.service = quotedService
        query.operation = "op\"'\\"
        found = try await store.findTraces(query)
        XCTAssertEqual(found.map(\.traceID.low), [31])
        let services = try await store.services()
        XCTAssertEqual(services, ["plain", quotedService])
        let operations = try await store.operations(service: quotedService, kind: nil)
        XCTAssertEqual(operations, [Operation(name: "op\"'\\", kind: .server)])
        let stillThere = try await store.trace(id: F.traceID(32))
        XCTAssertEqual(stillThere.count, 1)
    }

    // MARK: Per-trace span limit

    static func theTraceSpanLimitHoldsAcrossWritesAndReadersSeeTheTruncation(_ store: Store) async throws {
        let limits = WriteLimits(maxSpansPerTrace: 3)
        let first = try await store.write([
            F.span(trace: 41, id: 1, service: "web", name: "root", start: F.base + 10 * F.millisecond, durationMillis: 100),
            F.span(trace: 41, id: 2, parent: 1, service: "web", name: "child", start: F.base + 20 * F.millisecond),
            F.span(trace: 42, id: 1, service: "other", name: "small trace", start: F.base),
        ], limits: limits)
        XCTAssertEqual(first, WriteReceipt())

        // Span 5 starts before everything stored: being left out, it must not move the trace's start.
        let second = try await store.write([
            F.span(trace: 41, id: 3, parent: 1, service: "db", name: "query", start: F.base + 30 * F.millisecond),
            F.span(trace: 41, id: 4, parent: 1, service: "db", name: "query", start: F.base + 40 * F.millisecond),
            F.span(trace: 42, id: 2, parent: 1, service: "other", name: "fits", start: F.base + F.millisecond),
            F.span(trace: 41, id: 5, parent: 1, service: "db", name: "query", start: F.base + F.millisecond),
        ], limits: limits)
        XCTAssertEqual(second.spansOverTraceLimit, [
            SpanKey(traceID: F.traceID(41), spanID: SpanID(4)), SpanKey(traceID: F.traceID(41), spanID: SpanID(5)),
        ], "kept in batch order: span 3 filled the trace")

        let read = try await store.trace(id: F.traceID(41))
        XCTAssertEqual(read.map(\.spanID), [SpanID(1), SpanID(2), SpanID(3)])
        let dropped = try await store.droppedSpanCounts(ids: [F.traceID(41), F.traceID(42), F.traceID(999)])
        XCTAssertEqual(dropped, [F.traceID(41): 2], "traces with nothing left out are absent")

        let summaries = try await store.findTraces(TraceQuery(startMinUnixNano: F.base, startMaxUnixNano: F.base + F.day))
        let truncated = summaries.first { $0.traceID == F.traceID(41) }
        XCTAssertEqual(truncated?.droppedSpanCount, 2)
        XCTAssertEqual(truncated?.spanCount, 3)
        XCTAssertEqual(truncated?.startUnixNano, F.base + 10 * F.millisecond, "the left-out span does not count in the bounds")
        XCTAssertEqual(truncated?.rootOperation, "root")
        XCTAssertEqual(summaries.first { $0.traceID == F.traceID(42) }?.droppedSpanCount, 0)

        // Without a limit (the default) later spans are stored; the record of the earlier drops stays.
        try await store.write([F.span(trace: 41, id: 6, parent: 1, service: "db", name: "query", start: F.base + 50 * F.millisecond)])
        let readAgain = try await store.trace(id: F.traceID(41))
        XCTAssertEqual(readAgain.count, 4)
        let droppedAgain = try await store.droppedSpanCounts(ids: [F.traceID(41)])
        XCTAssertEqual(droppedAgain, [F.traceID(41): 2])
    }

    static func retriedSpansOfAFullTraceAreNotCountedAsDroppedAgain(_ store: Store) async throws {
        let limits = WriteLimits(maxSpansPerTrace: 2)
        let stored = [
            F.span(trace: 51, id: 1, service: "web", name: "root", start: F.base),
            F.span(trace: 51, id: 2, parent: 1, service: "web", name: "child", start: F.base + F.millisecond),
        ]
        let fill = try await store.write(stored, limits: limits)
        XCTAssertEqual(fill, WriteReceipt())
        let retry = try await store.write(stored.reversed(), limits: limits)
        XCTAssertEqual(retry, WriteReceipt(), "spans already stored take no room and are not left out")
        let none = try await store.droppedSpanCounts(ids: [F.traceID(51)])
        XCTAssertEqual(none, [:])

        let extra = F.span(trace: 51, id: 3, parent: 1, service: "web", name: "late", start: F.base + 2 * F.millisecond)
        let retryWithMore = try await store.write(stored + [extra], limits: limits)
        XCTAssertEqual(retryWithMore.spansOverTraceLimit, [SpanKey(extra)])
        let one = try await store.droppedSpanCounts(ids: [F.traceID(51)])
        XCTAssertEqual(one, [F.traceID(51): 1])
        let read = try await store.trace(id: F.traceID(51))
        XCTAssertEqual(read.count, 2)
        let summaries = try await store.findTraces(TraceQuery(startMinUnixNano: F.base, startMaxUnixNano: F.base + F.day))
        XCTAssertEqual(summaries.map(\.spanCount), [2])
        XCTAssertEqual(summaries.map(\.droppedSpanCount), [1])
    }
}
