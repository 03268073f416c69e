import CoreMetrics
import Hummingbird
import HummingbirdTesting
import Prometheus
import Storage
import Synchronization
import Testing
@testable import Web

/// `/metrics` and the request-metrics middleware, through a router with a real Prometheus registry.
@Suite struct MetricsControllerTests {
    /// A UI-like router: request metrics first, then `/metrics`, a route with a parameter and static-like 404s.
    static func application(registry: PrometheusCollectorRegistry, beforeScrape: [@Sendable () async -> Void] = []) -> some ApplicationProtocol {
        let router = Router()
        router.middlewares.add(RequestMetricsMiddleware(listener: "ui", factory: PrometheusMetricsFactory(registry: registry)))
        MetricsController<BasicRequestContext>(exposition: { registry.emitToBuffer() }, beforeScrape: beforeScrape)
            .addRoutes(to: router)
        router.get("/api/traces/{traceID}") { _, context in
            context.parameters.get("traceID") == "bad" ? Response(status: .badRequest) : Response(status: .ok)
        }
        router.get("/boom") { _, _ -> Response in throw HTTPError(.internalServerError) }
        return Application(router: router)
    }

    @Test func metricsAreServedInThePrometheusTextFormatWithoutCaching() async throws {
        let registry = PrometheusCollectorRegistry()
        Counter(label: "skein_spans_accepted_total", dimensions: [("protocol", "otlp_http")],
                factory: PrometheusMetricsFactory(registry: registry)).increment(by: 7)
        try await Self.application(registry: registry).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "text/plain; version=0.0.4; charset=utf-8")
                #expect(response.headers[.cacheControl] == "no-store")
                let body = String(buffer: response.body)
                #expect(body.contains("# TYPE skein_spans_accepted_total counter"))
                #expect(body.contains(#"skein_spans_accepted_total{protocol="otlp_http"} 7"#))
            }
        }
    }

    @Test func stateGaugesAreRefreshedBeforeEachScrape() async throws {
        let registry = PrometheusCollectorRegistry()
        let gauge = Gauge(label: "skein_process_resident_memory_bytes", factory: PrometheusMetricsFactory(registry: registry))
        let scrapes = SharedValue(0)
        let refresh: @Sendable () async -> Void = {
            let count = scrapes.update { $0 += 1; return $0 }
            gauge.record(count * 1000)
        }
        try await Self.application(registry: registry, beforeScrape: [refresh]).test(.router) { client in
            for expected in [1000, 2000] {
                try await client.execute(uri: "/metrics", method: .get) { response in
                    let text = PrometheusText(String(buffer: response.body))
                    #expect(text.sum("skein_process_resident_memory_bytes") == Double(expected))
                }
            }
        }
    }

    @Test func requestsAreCountedByRoutePatternNeverByTheRawPath() async throws {
        let registry = PrometheusCollectorRegistry()
        try await Self.application(registry: registry).test(.router) { client in
            for id in ["4bf92f3577b34da6a3ce929d0e0e4736", "0af7651916cd43dd8448eb211c80319c", "bad"] {
                try await client.execute(uri: "/api/traces/\(id)", method: .get) { _ in }
            }
            try await client.execute(uri: "/no/such/page/%3Cscript%3E", method: .get) { #expect($0.status == .notFound) }
            try await client.execute(uri: "/boom", method: .get) { #expect($0.status == .internalServerError) }
        }
        let exposition = String(decoding: registry.emitToBuffer(), as: UTF8.self)
        let text = PrometheusText(exposition)
        let route = ["listener": "ui", "endpoint": "/api/traces/{traceID}"]
        #expect(text.sum("skein_http_requests_total", matching: route.merging(["status_class": "2xx"]) { $1 }) == 2)
        #expect(text.sum("skein_http_requests_total", matching: route.merging(["status_class": "4xx"]) { $1 }) == 1)
        #expect(text.histogram("skein_http_request_duration_seconds", matching: route)?.count == 3)
        #expect(text.sum("skein_http_requests_total", matching: ["endpoint": "unmatched", "status_class": "4xx"]) == 1)
        #expect(text.sum("skein_http_requests_total", matching: ["endpoint": "/boom", "status_class": "5xx"]) == 1)
        #expect(!exposition.contains("4bf92f3577b34da6"))
        #expect(!exposition.contains("script"))
        #expect(text.types["skein_http_request_duration_seconds"] == "histogram")
    }

    @Test func statusClassesAreTheHundredsDigit() {
        #expect(RequestMetricsMiddleware<BasicRequestContext>.statusClass(.ok) == "2xx")
        #expect(RequestMetricsMiddleware<BasicRequestContext>.statusClass(.seeOther) == "3xx")
        #expect(RequestMetricsMiddleware<BasicRequestContext>.statusClass(.tooManyRequests) == "4xx")
        #expect(RequestMetricsMiddleware<BasicRequestContext>.statusClass(.serviceUnavailable) == "5xx")
    }

    @Test func readyzNamesWhatIsNotReadyAndHealthzOnlySaysTheProcessIsUp() async throws {
        let router = Router()
        let report = SharedValue(ReadinessReport(problems: ["migrations pending: 0002_queue.sql"]))
        HealthController<BasicRequestContext>(check: { report.value }).addRoutes(to: router)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(String(buffer: response.body) == "not ready: migrations pending: 0002_queue.sql")
                #expect(response.headers[.cacheControl] == "no-store")
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.cacheControl] == "no-store")
            }
            report.value = ReadinessReport(problems: ["database unreachable"])
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(String(buffer: response.body) == "not ready: database unreachable")
            }
            report.value = .ready
            try await client.execute(uri: "/readyz", method: .get) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == "ready")
            }
        }
    }
}

/// A value shared between a test and the closures it hands out.
final class SharedValue<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    init(_ value: Value) {
        storage = Mutex(value)
    }

    var value: Value {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }

    func update<Result: Sendable>(_ change: @Sendable (inout Value) -> Result) -> Result {
        storage.withLock { change(&$0) }
    }
}
