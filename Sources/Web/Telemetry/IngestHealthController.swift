import Foundation
import Hummingbird
import Logging
import Mustache

/// `GET /admin/ingest`: the ingest-health page for admins, rendered from the same exposition text
/// `/metrics` serves (one source of truth), refreshed by the browser every few seconds.
///
/// There is no login yet (issue 5 adds accounts): the page is open to whoever reaches the UI port.
public struct IngestHealthController<Context: RequestContext>: Sendable {
    let templates: MustacheLibrary
    let scrape: @Sendable () async -> [UInt8]
    let logger: Logger
    let nowUnixSeconds: @Sendable () -> Double

    /// - Parameters:
    ///   - scrape: the metrics exposition, as `MetricsController.scrape()` gives it.
    ///   - nowUnixSeconds: the clock (injected by tests).
    public init(
        templates: MustacheLibrary, scrape: @escaping @Sendable () async -> [UInt8], logger: Logger,
        nowUnixSeconds: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 }
    ) {
        self.templates = templates
        self.scrape = scrape
        self.logger = logger
        self.nowUnixSeconds = nowUnixSeconds
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/admin/ingest") { _, _ in await self.page() }
    }

    func page() async -> Response {
        let metrics = PrometheusText(bytes: await scrape())
        let page = IngestHealthPage(metrics: metrics, nowUnixSeconds: nowUnixSeconds())
        guard let html = templates.render(page, withTemplate: "admin-ingest") else {
            logger.error("Page template is missing", metadata: ["template": "admin-ingest"])
            return Self.html("<!doctype html><title>Skein</title><p>The page template is missing.</p>", status: .internalServerError)
        }
        var response = Self.html(html, status: .ok)
        // The browser reloads the page by itself (no JavaScript needed).
        if let refresh = HTTPFields.Element.Name("Refresh") { response.headers[refresh] = String(page.refreshSeconds) }
        return response
    }

    private static func html(_ html: String, status: HTTPResponse.Status) -> Response {
        let buffer = ByteBuffer(string: html)
        return Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .contentLength: String(buffer.readableBytes), .cacheControl: "no-store"],
            body: ResponseBody(byteBuffer: buffer))
    }
}
