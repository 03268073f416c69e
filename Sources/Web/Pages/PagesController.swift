import Foundation
import Hummingbird
import Logging
import Mustache
import Storage
import TraceModel

/// The server-rendered pages: landing (`/`), search (`/search`) and trace waterfall (`/trace/{id}`).
public struct PagesController<Context: RequestContext>: Sendable {
    let reader: any TraceReader
    let templates: MustacheLibrary
    let logger: Logger
    let now: @Sendable () -> UInt64

    public init(reader: any TraceReader, templates: MustacheLibrary, logger: Logger) {
        self.init(reader: reader, templates: templates, logger: logger, now: { WallClock.unixNanos() })
    }

    /// - Parameter now: the clock, in Unix nanoseconds (injected by tests).
    public init(reader: any TraceReader, templates: MustacheLibrary, logger: Logger, now: @escaping @Sendable () -> UInt64) {
        self.reader = reader
        self.templates = templates
        self.logger = logger
        self.now = now
    }

    /// Loads every `.mustache` file of the folder (`Templates/` at the repository root).
    public static func loadTemplates(directory: String) async throws -> MustacheLibrary {
        try await MustacheLibrary(directory: directory)
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/") { _, _ in await self.landing() }
        router.get("/search") { request, _ in await self.search(request) }
        router.get("/trace/:traceID") { request, context in
            await self.trace(request, id: context.parameters.get("traceID") ?? "")
        }
    }

    // MARK: Pages

    func landing() async -> HTMLPage {
        let now = self.now()
        do {
            let activity = try await reader.serviceActivity(
                startUnixNano: now > 86_400_000_000_000 ? now - 86_400_000_000_000 : 0, endUnixNano: now
            )
            let page = LandingPage(
                services: activity.map { ServiceChip(name: $0.service, count: $0.spanCount, errorCount: $0.errorCount) },
                hasServices: !activity.isEmpty,
                totalSpans: activity.reduce(0) { $0 + $1.spanCount },
                totalErrors: activity.reduce(0) { $0 + $1.errorCount }
            )
            return render(page, template: "index")
        } catch {
            return storeUnavailable(error)
        }
    }

    func search(_ request: Request) async -> HTMLPage {
        let now = self.now()
        let parameters = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
        var form = SearchForm(parameters: parameters, nowUnixNano: now)
        if let jump = request.uri.queryParameters.get("trace")?.trimmingWhitespace(), !jump.isEmpty {
            if jump.count == 16 || jump.count == 32, let traceID = TraceID(hex: jump), traceID.isValid {
                return .redirect(to: "/trace/" + traceID.hex)
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
            if let query = form.query {
                results = Array(try await reader.findTraces(query).prefix(query.limit))
            }
            let page = SearchPage(
                form: form, services: services, operations: operations, results: results, now: now,
                parameters: parameters
            )
            return render(page, template: "search", status: form.problems.isEmpty ? .ok : .badRequest)
        } catch {
            return storeUnavailable(error)
        }
    }

    func trace(_ request: Request, id: String) async -> HTMLPage {
        guard id.count == 16 || id.count == 32, let traceID = TraceID(hex: id), traceID.isValid else {
            return errorPage(
                status: .badRequest, heading: "That is not a trace id",
                message: "A trace id is 32 hexadecimal digits (16 are accepted too), and not all zeros."
            )
        }
        var selected: SpanID?
        if let spanText = request.uri.queryParameters.get("span"), !spanText.isEmpty {
            guard spanText.count <= 16, let spanID = SpanID(hex: spanText) else {
                return errorPage(
                    status: .badRequest, heading: "That is not a span id",
                    message: "A span id is 16 hexadecimal digits."
                )
            }
            selected = spanID
        }
        do {
            let spans = try await reader.trace(id: traceID)
            guard !spans.isEmpty else {
                return errorPage(
                    status: .notFound, heading: "Trace not found",
                    message: "No spans of trace \(traceID.hex) have been received, or they have expired. "
                        + "Spans can take a few seconds to arrive; try again, or search for it."
                )
            }
            let tree = TraceTree(spans: spans)
            return render(TracePage(tree: tree, traceID: traceID, selected: selected, now: now()), template: "trace")
        } catch {
            return storeUnavailable(error)
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
        let page = ErrorPage(title: heading, heading: heading, message: message, statusCode: status.code)
        return render(page, template: "error", status: status)
    }

    private func storeUnavailable(_ error: any Error) -> HTMLPage {
        logger.error("Trace store failed while rendering a page", metadata: ["error": "\(String(reflecting: error))"])
        return errorPage(
            status: .serviceUnavailable, heading: "The trace store is not answering",
            message: "Skein could not read from its database just now. Try again in a moment; the server log has the details."
        )
    }
}
