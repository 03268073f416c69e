import DemoTraffic
import Ingest
import Logging
import TraceModel
import XCTest

/// The demo generator's traces, without a server: deterministic, well-formed, and as varied as
/// the pages need (errors, slow traces, retries, links, events, every attribute kind).
final class DemoTrafficGeneratorTests: XCTestCase {
    private static let now: UInt64 = 1_750_000_000_000_000_000

    private func generator(seed: UInt64 = 11, rate: Double = 20) -> DemoTrafficGenerator {
        var configuration = DemoConfiguration()
        configuration.seed = seed
        configuration.tracesPerSecond = rate
        return DemoTrafficGenerator(configuration: configuration, logger: Logger(label: "demo-test"), clock: .fixed(Self.now))
    }

    private lazy var traces: [[Span]] = generator().makeTraces(count: 200)
    private var spans: [Span] { traces.flatMap { $0 } }

    private func allAttributeValues(_ span: Span) -> [AttributeValue] {
        let lists = [span.attributes, span.resource.attributes, span.scope.attributes]
            + span.events.map(\.attributes) + span.links.map(\.attributes)
        return lists.flatMap { $0.map(\.value) }
    }

    func testTheSameSeedAndClockPlayTheSameTraces() {
        XCTAssertEqual(generator(seed: 5).makeTraces(count: 50), generator(seed: 5).makeTraces(count: 50))
        XCTAssertNotEqual(generator(seed: 5).makeTraces(count: 50), generator(seed: 6).makeTraces(count: 50))
    }

    func testMakeTracesReturnsExactlyTheRequestedCount() {
        XCTAssertEqual(generator().makeTraces(count: 1).count, 1)
        XCTAssertEqual(traces.count, 200)
        XCTAssertTrue(generator().makeTraces(count: 0).isEmpty)
    }

    func testAtLeastEightServicesReportSpansOver200Traces() {
        let services = Set(spans.map(\.serviceName))
        XCTAssertGreaterThanOrEqual(services.count, 8, "\(services)")
        for name in ["frontend", "api-gateway", "auth", "orders", "payments", "inventory", "notifications"] {
            XCTAssertTrue(services.contains(name), "no spans from \(name)")
        }
        let peers = Set(spans.compactMap { $0.attributes["peer.service"]?.text })
        XCTAssertTrue(peers.isSuperset(of: ["postgres", "redis", "kafka"]), "\(peers)")
    }

    func testEachTraceHasOneTraceIDOneRootAndTheSampledFlag() {
        for trace in traces {
            XCTAssertFalse(trace.isEmpty)
            XCTAssertEqual(Set(trace.map(\.traceID)).count, 1)
            XCTAssertTrue(trace[0].traceID.isValid)
            XCTAssertEqual(trace.filter { $0.parentSpanID == nil }.count, 1, "trace \(trace[0].traceID) roots")
            XCTAssertEqual(Set(trace.map(\.spanID)).count, trace.count, "duplicate span ids")
            XCTAssertEqual(Set(trace.map(\.traceState)).count, 1, "trace state is propagated unchanged")
            for span in trace { XCTAssertEqual(span.flags & 0x01, 0x01) }
        }
        XCTAssertEqual(Set(traces.map { $0[0].traceID }).count, traces.count, "one trace id per request")
        XCTAssertTrue(spans.contains { $0.traceState == "skein=demo" })
        XCTAssertTrue(spans.contains { $0.traceState.isEmpty })
    }

    func testEveryChildsParentIsInItsTraceAndContainsItInTime() {
        for trace in traces {
            let byID = Dictionary(uniqueKeysWithValues: trace.map { ($0.spanID, $0) })
            for span in trace {
                XCTAssertLessThan(span.startTimeUnixNano, span.endTimeUnixNano, span.name)
                for event in span.events {
                    XCTAssertTrue((span.startTimeUnixNano...span.endTimeUnixNano).contains(event.timeUnixNano), event.name)
                }
                guard let parentID = span.parentSpanID else { continue }
                guard let parent = byID[parentID] else { return XCTFail("\(span.name) has no parent in its trace") }
                XCTAssertGreaterThanOrEqual(span.startTimeUnixNano, parent.startTimeUnixNano, "\(span.name) starts before \(parent.name)")
                XCTAssertLessThanOrEqual(span.endTimeUnixNano, parent.endTimeUnixNano, "\(span.name) ends after \(parent.name)")
            }
        }
    }

    func testClientSpansLastSlightlyLongerThanTheServerSpansTheyCalled() {
        var pairs = 0
        for trace in traces {
            let byID = Dictionary(uniqueKeysWithValues: trace.map { ($0.spanID, $0) })
            for server in trace where server.kind == .server {
                guard let parentID = server.parentSpanID, let client = byID[parentID] else { continue }
                XCTAssertEqual(client.kind, .client)
                XCTAssertNotEqual(client.serviceName, server.serviceName)
                XCTAssertGreaterThan(client.durationNanos, server.durationNanos)
                XCTAssertLessThan(client.durationNanos - server.durationNanos, 5_000_000, "network time is a few ms at most")
                XCTAssertEqual(client.attributes["http.response.status_code"], server.attributes["http.response.status_code"])
                pairs += 1
            }
        }
        XCTAssertGreaterThan(pairs, 400)
    }

    func testNoSpanLiesInTheFutureOfTheClock() {
        XCTAssertLessThanOrEqual(spans.map(\.endTimeUnixNano).max() ?? 0, Self.now)
        let earliest = spans.map(\.startTimeUnixNano).min() ?? 0
        XCTAssertGreaterThan(earliest, Self.now - 60_000_000_000, "200 traces at 20/s cover about ten seconds")
    }

    func testErrorsSlowTracesRetriesAndCacheMissesAllOccur() {
        let errors = spans.filter(\.isError)
        XCTAssertTrue(errors.contains { $0.serviceName == "auth" && $0.attributes["http.response.status_code"] == .int(401) })
        XCTAssertTrue(errors.contains { $0.serviceName == "payments" && $0.kind == .server })
        let slowTraces = traces.filter { trace in
            trace.contains { $0.attributes["db.system"] == .string("postgresql") && $0.durationNanos >= 1_000_000_000 }
        }
        XCTAssertFalse(slowTraces.isEmpty, "no inventory query took a second or more")
        let retried = spans.filter { $0.attributes["http.request.resend_count"] == .int(1) }
        XCTAssertFalse(retried.isEmpty)
        XCTAssertTrue(spans.contains { $0.kind == .client && $0.isError && $0.events.contains { $0.name == "retry" } })
        XCTAssertTrue(spans.contains { $0.events.contains { $0.name == "cache miss" } })
        XCTAssertTrue(spans.contains { $0.attributes["app.cache.hit"] == .bool(true) })
    }

    func testDeclinedPaymentsCarryAnExceptionEvent() throws {
        let declined = try XCTUnwrap(spans.first { $0.serviceName == "payments" && $0.kind == .server && $0.isError })
        let exception = try XCTUnwrap(declined.events.first { $0.name == "exception" })
        XCTAssertEqual(exception.attributes["exception.type"], .string("com.shop.payments.CardDeclinedException"))
        XCTAssertNotNil(exception.attributes["exception.message"])
        XCTAssertTrue(exception.attributes["exception.stacktrace"]?.text.contains("\tat com.shop.payments") ?? false)
        XCTAssertEqual(declined.attributes["http.response.status_code"], .int(402))
        XCTAssertFalse(declined.status.message.isEmpty)
    }

    func testConsumerTracesLinkToTheProducerSpanThatPublishedTheirMessage() throws {
        let bySpanID = Dictionary(spans.map { ($0.spanID, $0) }, uniquingKeysWith: { first, _ in first })
        let consumers = spans.filter { $0.kind == .consumer }
        XCTAssertFalse(consumers.isEmpty)
        for consumer in consumers {
            XCTAssertNil(consumer.parentSpanID)
            XCTAssertEqual(consumer.serviceName, "notifications")
            XCTAssertEqual(consumer.attributes["messaging.system"], .string("kafka"))
            XCTAssertEqual(consumer.attributes["messaging.operation"], .string("process"))
            let link = try XCTUnwrap(consumer.links.first)
            guard let producer = bySpanID[link.spanID] else { continue }  // its checkout fell outside the 200
            XCTAssertEqual(producer.traceID, link.traceID)
            XCTAssertNotEqual(producer.traceID, consumer.traceID)
            XCTAssertEqual(producer.kind, .producer)
            XCTAssertEqual(producer.serviceName, "orders")
            XCTAssertEqual(producer.attributes["messaging.destination.name"], consumer.attributes["messaging.destination.name"])
            XCTAssertEqual(producer.attributes["messaging.operation"], .string("publish"))
            XCTAssertGreaterThanOrEqual(consumer.startTimeUnixNano, producer.endTimeUnixNano)
        }
    }

    func testEveryAttributeValueKindAppears() {
        let values = spans.flatMap(allAttributeValues)
        func has(_ predicate: (AttributeValue) -> Bool) -> Bool { values.contains(where: predicate) }
        XCTAssertTrue(has { if case .string = $0 { true } else { false } })
        XCTAssertTrue(has { if case .int = $0 { true } else { false } })
        XCTAssertTrue(has { if case .double = $0 { true } else { false } })
        XCTAssertTrue(has { if case .bool = $0 { true } else { false } })
        XCTAssertTrue(has { if case .bytes = $0 { true } else { false } })
        XCTAssertTrue(has { if case .keyValueList = $0 { true } else { false } })
        XCTAssertTrue(has { if case .array(let items) = $0, case .string? = items.first { true } else { false } })
        let withBytes = spans.filter { $0.attributes.contains { if case .bytes = $0.value { true } else { false } } }
        XCTAssertLessThan(withBytes.count, spans.count / 20, "bytes are rare")
    }

    func testDatabaseAndMessagingSpansFollowTheSemanticConventions() throws {
        let database = try XCTUnwrap(spans.first { $0.attributes["db.system"] == .string("postgresql") })
        XCTAssertEqual(database.kind, .client)
        for key in ["db.statement", "db.query.text", "db.name", "server.address", "peer.service"] {
            XCTAssertNotNil(database.attributes[key], key)
        }
        XCTAssertEqual(database.attributes["peer.service"], .string("postgres"))
        let cache = try XCTUnwrap(spans.first { $0.attributes["db.system"] == .string("redis") })
        XCTAssertEqual(cache.attributes["peer.service"], .string("redis"))
        let producer = try XCTUnwrap(spans.first { $0.kind == .producer })
        XCTAssertEqual(producer.attributes["messaging.system"], .string("kafka"))
        XCTAssertNotNil(producer.attributes["messaging.destination.name"])
        let server = try XCTUnwrap(spans.first { $0.kind == .server && $0.attributes["http.route"] != nil })
        for key in ["http.request.method", "http.route", "http.response.status_code", "server.address",
                    "network.peer.address", "user_agent.original"] {
            XCTAssertNotNil(server.attributes[key], key)
        }
        let client = try XCTUnwrap(spans.first { $0.kind == .client && $0.attributes["url.full"] != nil })
        XCTAssertNotNil(client.attributes["http.request.method"])
        XCTAssertNotNil(client.attributes["server.address"])
    }

    func testResourcesAndScopesDescribeTheServices() {
        for span in spans {
            let resource = span.resource.attributes
            for key in ["service.name", "service.version", "service.namespace", "deployment.environment.name",
                        "host.name", "telemetry.sdk.name", "telemetry.sdk.language", "telemetry.sdk.version"] {
                XCTAssertNotNil(resource[key], "\(span.serviceName) lacks \(key)")
            }
            guard case .int? = resource["process.pid"] else { return XCTFail("process.pid is not an int") }
            XCTAssertFalse(span.scope.name.isEmpty)
        }
        XCTAssertGreaterThan(Set(spans.map(\.scope.name)).count, 10)
        XCTAssertGreaterThan(Set(spans.map(\.resource)).count, 8, "services run as several instances")
    }

    func testEveryScenarioProducesItsTraces() {
        let factory = DemoTraceFactory()
        var random = DemoRandom(seed: 3)
        for scenario in DemoScenario.allCases {
            let traces = factory.makeTraces(scenario, startingAt: Self.now, using: &random)
            XCTAssertEqual(traces.count, scenario == .checkout ? 2 : 1, "\(scenario)")
            XCTAssertGreaterThan(traces[0].count, 5, "\(scenario)")
            XCTAssertEqual(traces[0].first { $0.parentSpanID == nil }?.serviceName, "frontend")
        }
    }

    func testEncodedProtobufDecodesBackToTheSameSpans() throws {
        let sent = spans
        let decoded = try OTLPTraceCodec.decodeProtobuf(OTLPTraceCodec.encodeProtobuf(sent))
        XCTAssertTrue(decoded.rejected.isEmpty, "\(decoded.rejected.map(\.reason))")
        XCTAssertEqual(decoded.spans.count, sent.count)
        let received = Dictionary(uniqueKeysWithValues: decoded.spans.map { ($0.spanID, $0) })
        for span in sent {
            XCTAssertEqual(received[span.spanID], span, "span \(span.name) changed on the wire")
        }
    }
}
