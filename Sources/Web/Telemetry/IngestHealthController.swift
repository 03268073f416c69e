import Foundation
import Hummingbird
import Logging
import Mustache

/// `GET /admin/ingest`: the ingest-health page for admins, rendered from the same exposition text
/// `/metrics` serves (one source of truth), refreshed by the browser every few seconds.
///
/// The route guard lets only principals with `ingest.health.read` through; the page header is
/// `chrome` of the request.
public struct IngestHealthController<Context: RequestContext>: Sendable {
    let templates: MustacheLibrary
    let scrape: @Sendable () async -> [UInt8]
    let logger: Logger
    let nowUnixSeconds: @Sendable () -> Double
    let chrome: @Sendable (Context) -> PageChrome

    /// - Parameters:
    ///   - scrape: the metrics exposition, as `MetricsController.scrape()` gives it.
    ///   - nowUnixSeconds: the clock (injected by tests).
    ///   - chrome: the page header for the request.
    public init(
        templates: MustacheLibrary, scrape: @escaping @Sendable () async -> [UInt8], logger: Logger,
        nowUnixSeconds: @escaping @Sendable () -> Double = { Date().timeIntervalSince1970 },
        chrome: @escaping @Sendable (Context) -> PageChrome = { _ in .anonymous }
    ) {
        self.chrome = chrome
        self.templates = templates
        self.scrape = scrape
        self.logger = logger
        self.nowUnixSeconds = nowUnixSeconds
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/admin/ingest") { _, context in await self.page(chrome: self.chrome(context)) }
    }

    func page(chrome: PageChrome = .anonymous) async -> Response {
        let metrics = PrometheusText(bytes: await scrape())
        var page = IngestHealthPage(metrics: metrics, nowUnixSeconds: nowUnixSeconds())
        page.chrome = chrome
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
