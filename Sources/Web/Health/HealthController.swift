import Hummingbird

/// Liveness and readiness probes: `GET /healthz` answers while the process runs; `GET /readyz`
/// answers 200 only when the readiness check (database reachable, every migration applied) passes,
/// and otherwise 503 naming what failed (`not ready: database unreachable`).
public struct HealthController<Context: RequestContext>: Sendable {
    let check: @Sendable () async -> ReadinessReport

    /// - Parameter check: what `/readyz` reports; it should answer within a few seconds.
    public init(check: @escaping @Sendable () async -> ReadinessReport) {
        self.check = check
    }

    /// A readiness check without reasons (for tests and tools): not ready is reported as such.
    public init(isReady: @escaping @Sendable () async -> Bool) {
        self.init(check: { await isReady() ? .ready : ReadinessReport(problems: ["not ready"]) })
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/healthz") { _, _ in Self.text("ok", status: .ok) }
        router.get("/readyz") { _, _ in
            let report = await check()
            guard report.isReady else {
                let problems = report.problems.filter { $0 != "not ready" }
                let reason = problems.isEmpty ? "" : ": " + problems.joined(separator: "; ")
                return Self.text("not ready\(reason)", status: .serviceUnavailable)
            }
            return Self.text("ready", status: .ok)
        }
    }

    private static func text(_ body: String, status: HTTPResponse.Status) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/plain; charset=utf-8", .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }
}
