import Accounts
import Foundation
import Hummingbird
import Logging
import Mustache
import Storage
import TraceModel

/// The server-rendered pages: landing (`/`), search (`/search`) and trace waterfall (`/trace/{id}`).
///
/// When a read fails and the database does not answer, a page says so (503, `Retry-After`);
/// any other failure is a 500 page. Details go to the log, never to the page.
///
/// Every page reads through a `ScopedTraceReader` for the requester's `ServiceScope`
/// (`serviceScope`, asked once per request), so services and spans outside it are not shown.
/// Each page's header is `chrome` of the request (signed-in name, links the principal may follow).
/// A trace shown and a search run with filters are reported to `audit` (`AuditedRead`).
public struct PagesController<Context: RequestContext>: Sendable {
    let baseReader: any TraceReader
    let serviceScope: @Sendable (Context) -> ServiceScope
    let chrome: @Sendable (Context) -> PageChrome
    let audit: @Sendable (Context, AuditedRead) async -> Void
    /// The scope of the request being answered (set by `scoped(to:)`).
    var scope = ServiceScope.unrestricted
    /// The header of the request being answered (set by `scoped(to:)`).
    var pageChrome = PageChrome.anonymous
    let templates: MustacheLibrary
    let logger: Logger
    let now: @Sendable () -> UInt64
    let isDatabaseReachable: @Sendable () async -> Bool

    public init(
        reader: any TraceReader, templates: MustacheLibrary, logger: Logger,
        isDatabaseReachable: @escaping @Sendable () async -> Bool = { true },
        serviceScope: @escaping @Sendable (Context) -> ServiceScope = { _ in .unrestricted },
        chrome: @escaping @Sendable (Context) -> PageChrome = { _ in .anonymous },
        audit: @escaping @Sendable (Context, AuditedRead) async -> Void = { _, _ in }
    ) {
        self.init(
            reader: reader, templates: templates, logger: logger, now: { WallClock.unixNanos() },
            isDatabaseReachable: isDatabaseReachable, serviceScope: serviceScope, chrome: chrome, audit: audit)
    }

    /// - Parameters:
    ///   - now: the clock, in Unix nanoseconds (injected by tests).
    ///   - isDatabaseReachable: asked after a read failed, to tell an outage (503) from a fault (500).
    ///   - serviceScope: the services the request may see (the signed-in principal's scope).
    ///   - chrome: the page header for the request.
    ///   - audit: told of each trace shown and search run (`ReadAuditRecorder.record`); it must
    ///     not fail the page, so it returns nothing.
    public init(
        reader: any TraceReader, templates: MustacheLibrary, logger: Logger, now: @escaping @Sendable () -> UInt64,
        isDatabaseReachable: @escaping @Sendable () async -> Bool = { true },
        serviceScope: @escaping @Sendable (Context) -> ServiceScope = { _ in .unrestricted },
        chrome: @escaping @Sendable (Context) -> PageChrome = { _ in .anonymous },
        audit: @escaping @Sendable (Context, AuditedRead) async -> Void = { _, _ in }
    ) {
        self.baseReader = reader
        self.serviceScope = serviceScope
        self.chrome = chrome
        self.audit = audit
        self.templates = templates
        self.logger = logger
        self.now = now
        self.isDatabaseReachable = isDatabaseReachable
    }

    /// What pages read through: the base reader restricted to the request's scope.
    var reader: ScopedTraceReader { ScopedTraceReader(base: baseReader, scope: scope) }

    /// This controller answering a request of `context`, within its service scope and with its header.
    func scoped(to context: Context) -> Self {
        var scoped = self
        scoped.scope = serviceScope(context)
        scoped.pageChrome = chrome(context)
        return scoped
    }

    /// Loads every `.mustache` file of the folder (`Templates/` at the repository root).
    public static func loadTemplates(directory: String) async throws -> MustacheLibrary {
        try await MustacheLibrary(directory: directory)
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/") { request, context in
            try await self.scoped(to: context).landing().response(from: request, context: context).askingToRetryWhenUnavailable()
        }
        router.get("/search") { request, context in
            let (page, read) = await self.scoped(to: context).search(request)
            if let read { await self.audit(context, read) }
            return try page.response(from: request, context: context).askingToRetryWhenUnavailable()
        }
        router.get("/trace/:traceID") { request, context in
            let (page, read) = await self.scoped(to: context).trace(request, id: context.parameters.get("traceID") ?? "")
            if let read { await self.audit(context, read) }
            return try page.response(from: request, context: context).askingToRetryWhenUnavailable()
        }
    }

    // MARK: Pages

    func landing() async -> HTMLPage {
        let now = self.now()
        do {
            let activity = try await reader.serviceActivity(
                startUnixNano: now > 86_400_000_000_000 ? now - 86_400_000_000_000 : 0, endUnixNano: now
            )
            var page = LandingPage(
                services: activity.map { ServiceChip(name: $0.service, count: $0.spanCount, errorCount: $0.errorCount) },
                hasServices: !activity.isEmpty,
                totalSpans: activity.reduce(0) { $0 + $1.spanCount },
                totalErrors: activity.reduce(0) { $0 + $1.errorCount }
            )
            page.chrome = pageChrome
            return render(page, template: "index")
        } catch {
            return await readFailed(error)
        }
    }

    /// The search page, and the search to record when one was run with filters from the request
    /// (the bare `/search` lists the last hour unasked, which is not recorded).
    func search(_ request: Request) async -> (HTMLPage, AuditedRead?) {
        let now = self.now()
        // Decoded like a browser's form submission: `+` is a space (Hummingbird's query parser keeps it).
        let parameters = QueryParameters(query: request.uri.query).pairs.map { ($0.name, $0.value) }
        var form = SearchForm(parameters: parameters, nowUnixNano: now)
        if let jump = parameters.first(where: { $0.0 == "trace" })?.1.trimmingWhitespace(), !jump.isEmpty {
            if jump.count == 16 || jump.count == 32, let traceID = TraceID(hex: jump), traceID.isValid {
                return (.redirect(to: "/trace/" + traceID.hex), nil)
            }
            form.problems.append("“\(jump)” is not a trace id: a trace id is 32 hexadecimal digits.")
            form.query = nil
        }
        do {
            let services = try await reader.services()
            var operations: [String] = []
            if !form.service.isEmpty {
                var seen = Set<String>()
                for operation in try await reader.operations(service: form.service, kind: nil) where seen.insert(operation.name).inserted {
                    operations.append(operation.name)
                }
            }
            var results: [TraceSummary]?
            var read: AuditedRead?
            if let query = form.query {
                results = Array(try await reader.findTraces(query).prefix(query.limit))
                if !parameters.isEmpty { read = .searchRun(query.auditDescription) }
            }
            var page = SearchPage(
                form: form, services: services, operations: operations, results: results, now: now,
                parameters: parameters, hasRestrictedRoot: reader.hasRestrictedRoot
            )
            page.chrome = pageChrome
            return (render(page, template: "search", status: form.problems.isEmpty ? .ok : .badRequest), read)
        } catch {
            return (await readFailed(error), nil)
        }
    }

    /// The trace page, and the view to record when the trace was shown.
    func trace(_ request: Request, id: String) async -> (HTMLPage, AuditedRead?) {
        guard id.count == 16 || id.count == 32, let traceID = TraceID(hex: id), traceID.isValid else {
            return (errorPage(
                status: .badRequest, heading: "That is not a trace id",
                message: "A trace id is 32 hexadecimal digits (16 are accepted too), and not all zeros."
            ), nil)
        }
        var selected: SpanID?
        if let spanText = request.uri.queryParameters.get("span"), !spanText.isEmpty {
            guard spanText.count <= 16, let spanID = SpanID(hex: spanText) else {
                return (errorPage(
                    status: .badRequest, heading: "That is not a span id",
                    message: "A span id is 16 hexadecimal digits."
                ), nil)
            }
            selected = spanID
        }
        do {
            let trace = try await reader.scopedTrace(id: traceID)
            guard !trace.isEmpty else {
                return (errorPage(
                    status: .notFound, heading: "Trace not found",
                    message: "No spans of trace \(traceID.hex) have been received, or they have expired. "
                        + "Spans can take a few seconds to arrive; try again, or search for it."
                ), nil)
            }
            let tree = TraceTree(spans: trace.spans)
            let dropped = try await reader.droppedSpanCounts(ids: [traceID])[traceID] ?? 0
            var page = TracePage(
                tree: tree, traceID: traceID, selected: selected, now: now(), droppedSpanCount: dropped,
                firstRow: request.uri.queryParameters.get("from").flatMap { Int($0) }, isRestricted: trace.isRestrictedPlaceholder)
            page.chrome = pageChrome
            return (render(page, template: "trace"), .traceViewed(traceID))
        } catch {
            return (await readFailed(error), nil)
        }
    }

    // MARK: Rendering

    func render(_ page: Any, template: String, status: HTTPResponse.Status = .ok) -> HTMLPage {
        guard let html = templates.render(page, withTemplate: template) else {
            logger.error("Page template is missing", metadata: ["template": "\(template)"])
            return HTMLPage(status: .internalServerError, html: "<!doctype html><title>Skein</title><p>The page template is missing.</p>")
        }
        return HTMLPage(status: status, html: html)
    }

    func errorPage(status: HTTPResponse.Status, heading: String, message: String) -> HTMLPage {
        var page = ErrorPage(title: heading, heading: heading, message: message, statusCode: status.code)
        page.chrome = pageChrome
        return render(page, template: "error", status: status)
    }

    /// A read failed: the database-unavailable page when the database does not answer, else a 500 page.
    func readFailed(_ error: any Error) async -> HTMLPage {
        logger.error("Trace store failed while rendering a page", metadata: ["error": "\(String(reflecting: error))"])
        guard await isDatabaseReachable() else {
            var page = ErrorPage(
                title: "Database unavailable", heading: "Database unavailable",
                message: "Skein cannot reach its PostgreSQL database just now, so it cannot read traces.",
                statusCode: HTTPResponse.Status.serviceUnavailable.code,
                details: [
                    "Skein keeps trying to reconnect by itself; this page works again as soon as the database answers, without a restart.",
                    "Meanwhile Skein refuses incoming spans with 503 and Retry-After, so OpenTelemetry SDKs and collectors keep them and send them again later.",
                ],
                linksReadiness: true)
            page.chrome = pageChrome
            return render(page, template: "error", status: .serviceUnavailable)
        }
        return errorPage(
            status: .internalServerError, heading: "Something went wrong",
            message: "Skein could not show this page because of an internal error. Try again; the server log has the details."
        )
    }
}

extension Response {
    /// Every 503 the pages answer means the database is unavailable: tell clients when to retry.
    fileprivate func askingToRetryWhenUnavailable() -> Response {
        status == .serviceUnavailable ? DatabaseUnavailable.retryLater(self) : self
    }
}
