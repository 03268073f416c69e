import CoreMetrics
import Hummingbird

/// Counts and times every request of one listener:
/// `skein_http_requests_total` and `skein_http_request_duration_seconds`, labelled by `listener`,
/// `endpoint` (the matched route *pattern*, such as `/api/traces/{traceID}`, never the raw path:
/// the path is untrusted and unbounded) and `status_class` (`2xx`, `4xx`, ...).
///
/// Add it first, so it also sees requests answered by other middleware (static files) and
/// requests no route matched (`endpoint="unmatched"`).
public struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    public static var requestsMetric: String { "skein_http_requests_total" }
    public static var durationMetric: String { "skein_http_request_duration_seconds" }

    let listener: String
    let factory: any MetricsFactory

    /// - Parameter listener: the `listener` label (`ui`, `otlp_http`, `zipkin`).
    public init(listener: String, factory: any MetricsFactory) {
        self.listener = listener
        self.factory = factory
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(endpointPath: context.endpointPath, status: response.status, since: start)
            return response
        } catch {
            let status = (error as? any HTTPResponseError)?.status ?? .internalServerError
            record(endpointPath: context.endpointPath, status: status, since: start)
            throw error
        }
    }

    private func record(endpointPath: String?, status: HTTPResponse.Status, since start: ContinuousClock.Instant) {
        let elapsed = ContinuousClock.now - start
        let dimensions = [
            ("listener", listener),
            ("endpoint", Self.endpoint(endpointPath)),
            ("status_class", Self.statusClass(status)),
        ]
        Counter(label: Self.requestsMetric, dimensions: dimensions, factory: factory).increment()
        let nanoseconds = elapsed.components.seconds * 1_000_000_000 + elapsed.components.attoseconds / 1_000_000_000
        Timer(label: Self.durationMetric, dimensions: dimensions, factory: factory).recordNanoseconds(nanoseconds)
    }

    /// The route pattern Hummingbird matched; `unmatched` when none did.
    static func endpoint(_ endpointPath: String?) -> String {
        switch endpointPath {
        case nil, "NotFound": "unmatched"
        case "FileMiddleware": "/static/{file}"
        case let path?: path
        }
    }

    static func statusClass(_ status: HTTPResponse.Status) -> String {
        "\(status.code / 100)xx"
    }
}
