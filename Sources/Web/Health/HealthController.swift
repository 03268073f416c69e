import Hummingbird

/// Liveness and readiness probes: `GET /healthz` answers while the process runs; `GET /readyz`
/// answers 200 only when the readiness check (database reachable, migrations applied) passes.
public struct HealthController<Context: RequestContext>: Sendable {
    let isReady: @Sendable () async -> Bool

    public init(isReady: @escaping @Sendable () async -> Bool) {
        self.isReady = isReady
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/healthz") { _, _ in Self.text("ok", status: .ok) }
        router.get("/readyz") { _, _ in
            await isReady() ? Self.text("ready", status: .ok) : Self.text("not ready", status: .serviceUnavailable)
        }
    }

    private static func text(_ body: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
