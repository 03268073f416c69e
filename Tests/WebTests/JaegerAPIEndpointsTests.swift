import Foundation
import Hummingbird
import HummingbirdTesting
import Ingest
import Logging
import Storage
import Testing
import TraceModel
@testable import Web

/// The Jaeger query API endpoints (and the health probes served next to them) over an
/// in-memory store.
@Suite struct JaegerAPIEndpointsTests {
    static let now: UInt64 = 1_763_700_000_000_000_000
    static let traceID = TraceID(high: 0xAAAA, low: 0xBBBB)

    /// frontend (server) → cart (server, child) → postgres client span in cart.
    static func fixture() async throws -> InMemoryTraceStore {
        let store = InMemoryTraceStore()
        let start = now - 120_000_000_000
        let frontend = Resource(attributes: [Attribute("service.name", .string("frontend"))])
        let cart = Resource(attributes: [Attribute("service.name", .string("cart"))])
        try await store.write([
            Span(traceID: traceID, spanID: SpanID(1), name: "GET /cart", kind: .server,
                 startTimeUnixNano: start, endTimeUnixNano: start + 3_000_000_000, resource: frontend),
            Span(traceID: traceID, spanID: SpanID(2), parentSpanID: SpanID(1), name: "cart.get", kind: .server,
                 startTimeUnixNano: start + 1_000, endTimeUnixNano: start + 20_000_000,
                 attributes: [Attribute("http.status_code", .int(200))], resource: cart),
            Span(traceID: traceID, spanID: SpanID(3), parentSpanID: SpanID(2), name: "SELECT cart", kind: .client,
                 startTimeUnixNano: start + 2_000, endTimeUnixNano: start + 5_000_000, resource: cart),
            Span(traceID: TraceID(high: 0, low: 0xCCCC), spanID: SpanID(4), name: "GET /health",
                 startTimeUnixNano: start, endTimeUnixNano: start + 1_000, resource: frontend),
        ])
        return store
    }

    static func makeApplication(store: InMemoryTraceStore, ready: Bool = true) -> some ApplicationProtocol {
        let logger = Logger(label: "test")
        let router = Router()
        JaegerAPIController<BasicRequestContext>(reader: store, logger: logger, now: { now }).addRoutes(to: router)
        HealthController<BasicRequestContext>(isReady: { ready }).addRoutes(to: router)
        return Application(router: router)
    }

    static func get(_ uri: String, store: InMemoryTraceStore) async throws -> (HTTPResponse.Status, [String: Any]) {
        try await makeApplication(store: store).test(.router) { client in
            try await client.execute(uri: uri, method: .get) { response in
                #expect(response.headers[.contentType] == "application/json")
                let object = try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView))
                return (response.status, try #require(object as? [String: Any]))
            }
        }
    }

    static func expectEnvelope(_ body: [String: Any], total: Int) {
        #expect(body["total"] as? Int == total)
        #expect(body["limit"] as? Int == 0)
        #expect(body["offset"] as? Int == 0)
        #expect(body["errors"] is NSNull)
    }

    @Test func servicesAreListedInJaegersEnvelope() async throws {
        let (status, body) = try await Self.get("/api/services", store: try await Self.fixture())
        #expect(status == .ok)
        #expect(body["data"] as? [String] == ["cart", "frontend"])
        Self.expectEnvelope(body, total: 2)
    }

    @Test func serviceOperationsAreListedAsNames() async throws {
        let (status, body) = try await Self.get("/api/services/cart/operations", store: try await Self.fixture())
        #expect(status == .ok)
        #expect(body["data"] as? [String] == ["SELECT cart", "cart.get"])
    }

    @Test func percentEncodedServiceNamesInThePathAreDecoded() async throws {
        let store = InMemoryTraceStore()
        try await store.write([
            Span(traceID: Self.traceID, spanID: SpanID(9), name: "tick", startTimeUnixNano: Self.now - 1_000,
                 endTimeUnixNano: Self.now, resource: Resource(attributes: [Attribute("service.name", .string("batch jobs/eu"))])),
        ])
        let (status, body) = try await Self.get("/api/services/batch%20jobs%2Feu/operations", store: store)
        #expect(status == .ok)
        #expect(body["data"] as? [String] == ["tick"])
    }

    @Test func operationsAreListedWithSpanKindAndFilteredByIt() async throws {
        let store = try await Self.fixture()
        let (_, all) = try await Self.get("/api/operations?service=cart", store: store)
        let operations = try #require(all["data"] as? [[String: String]])
        #expect(operations == [["name": "SELECT cart", "spanKind": "client"], ["name": "cart.get", "spanKind": "server"]])
        let (_, servers) = try await Self.get("/api/operations?service=cart&spanKind=server", store: store)
        #expect(servers["data"] as? [[String: String]] == [["name": "cart.get", "spanKind": "server"]])
        let (status, bad) = try await Self.get("/api/operations?service=cart&spanKind=sideways", store: store)
        #expect(status == .badRequest)
        #expect(bad["data"] is NSNull)
    }

    @Test func searchReturnsFullTracesMatchingTheConditions() async throws {
        let store = try await Self.fixture()
        let (status, body) = try await Self.get(
            "/api/traces?service=cart&operation=cart.get&minDuration=10ms&tags=%7B%22http.status_code%22%3A%22200%22%7D",
            store: store)
        #expect(status == .ok)
        let traces = try #require(body["data"] as? [[String: Any]])
        #expect(traces.map { $0["traceID"] as? String } == [Self.traceID.hex])
        #expect((traces.first?["spans"] as? [Any])?.count == 3)
        let processes = try #require(traces.first?["processes"] as? [String: [String: Any]])
        #expect(Set(processes.values.compactMap { $0["serviceName"] as? String }) == ["frontend", "cart"])
        Self.expectEnvelope(body, total: 1)

        let (_, none) = try await Self.get("/api/traces?service=cart&minDuration=1s", store: store)
        #expect((none["data"] as? [Any])?.isEmpty == true)
    }

    @Test func searchByRepeatedTraceIDsFetchesThoseTraces() async throws {
        let (_, body) = try await Self.get(
            "/api/traces?traceID=\(Self.traceID.hex)&traceID=cccc&traceID=ffff", store: try await Self.fixture())
        let traces = try #require(body["data"] as? [[String: Any]])
        #expect(traces.compactMap { $0["traceID"] as? String } == [Self.traceID.hex, TraceID(high: 0, low: 0xCCCC).hex])
    }

    @Test func badSearchParametersGetJaegersErrorShape() async throws {
        let (status, body) = try await Self.get("/api/traces?service=cart&minDuration=soon", store: try await Self.fixture())
        #expect(status == .badRequest)
        #expect(body["data"] is NSNull)
        #expect(body["total"] as? Int == 0)
        let errors = try #require(body["errors"] as? [[String: Any]])
        #expect(errors.first?["code"] as? Int == 400)
        #expect((errors.first?["msg"] as? String)?.contains("minDuration") == true)
    }

    @Test func traceByIDHasJaegersShape() async throws {
        let (status, body) = try await Self.get("/api/traces/\(Self.traceID.hex)", store: try await Self.fixture())
        #expect(status == .ok)
        let trace = try #require((body["data"] as? [[String: Any]])?.first)
        #expect(trace["warnings"] is NSNull)
        let spans = try #require(trace["spans"] as? [[String: Any]])
        let child = try #require(spans.first { $0["spanID"] as? String == SpanID(2).hex })
        #expect(Set(child.keys) == [
            "traceID", "spanID", "flags", "operationName", "references", "startTime", "duration", "tags", "logs",
            "processID", "warnings",
        ])
        #expect(child["duration"] as? Int == 19_999)
        let references = try #require(child["references"] as? [[String: String]])
        #expect(references == [["refType": "CHILD_OF", "traceID": Self.traceID.hex, "spanID": SpanID(1).hex]])
        let processID = try #require(child["processID"] as? String)
        let processes = try #require(trace["processes"] as? [String: [String: Any]])
        #expect(processes[processID]?["serviceName"] as? String == "cart")
    }

    @Test func unknownTraceIsAnswered404WithJaegersErrorShape() async throws {
        let (status, body) = try await Self.get("/api/traces/0123456789abcdef", store: try await Self.fixture())
        #expect(status == .notFound)
        #expect(body["data"] is NSNull)
        #expect((body["errors"] as? [[String: Any]])?.first?["code"] as? Int == 404)
    }

    @Test func malformedTraceIDIsAnswered400() async throws {
        let (status, _) = try await Self.get("/api/traces/not-hex", store: try await Self.fixture())
        #expect(status == .badRequest)
    }

    @Test func dependenciesAreListedAsParentChildCallCount() async throws {
        let endMillis = Self.now / 1_000_000
        let (status, body) = try await Self.get(
            "/api/dependencies?endTs=\(endMillis)&lookback=3600000", store: try await Self.fixture())
        #expect(status == .ok)
        let links = try #require(body["data"] as? [[String: Any]])
        #expect(links.count == 1)
        #expect(links.first?["parent"] as? String == "frontend")
        #expect(links.first?["child"] as? String == "cart")
        #expect(links.first?["callCount"] as? Int == 1)

        let (_, old) = try await Self.get("/api/dependencies?endTs=1000&lookback=10", store: try await Self.fixture())
        #expect((old["data"] as? [Any])?.isEmpty == true)
        let (badStatus, _) = try await Self.get("/api/dependencies?endTs=yesterday", store: try await Self.fixture())
        #expect(badStatus == .badRequest)
    }

    @Test func v3TraceIsOTLPJSONWrappedInResult() async throws {
        let store = try await Self.fixture()
        let (status, body) = try await Self.get("/api/v3/traces/\(Self.traceID.hex)", store: store)
        #expect(status == .ok)
        let result = try #require(body["result"] as? [String: Any])
        #expect((result["resourceSpans"] as? [Any])?.isEmpty == false)
        let data = try JSONSerialization.data(withJSONObject: result)
        let decoded = try OTLPTraceCodec.decodeJSON(Array(data))
        #expect(Set(decoded.spans.map(\.spanID)) == [SpanID(1), SpanID(2), SpanID(3)])

        let (missing, error) = try await Self.get("/api/v3/traces/1234", store: store)
        #expect(missing == .notFound)
        #expect((error["error"] as? [String: Any])?["httpCode"] as? Int == 404)
    }

    @Test func healthzAnswersOkAndReadyzFollowsTheReadinessCheck() async throws {
        let store = InMemoryTraceStore()
        try await Self.makeApplication(store: store, ready: true).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ok")
            }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
        }
        try await Self.makeApplication(store: store, ready: false).test(.router) { client in
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .serviceUnavailable) }
        }
    }
}
