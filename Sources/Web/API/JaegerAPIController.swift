import Accounts
import Foundation
import Hummingbird
import Logging
import Storage
import TraceModel

/// Jaeger's HTTP query API (`/api/services`, `/api/traces`, `/api/dependencies`, ...) with its
/// exact JSON shapes, so the Jaeger UI, Grafana's Jaeger data source and scripts work unchanged;
/// plus `/api/v3/traces/{traceId}` returning OTLP JSON.
///
/// Every answer reads through a `ScopedTraceReader` for the requester's `ServiceScope`
/// (`serviceScope`, asked once per request): spans outside it come back as placeholders with
/// operation name and service `restricted` and no tags, logs or process tags.
///
/// `GET /api/traces/{traceId}?download=1` answers the same JSON as an attachment
/// (`trace-{id}.json`). Trace fetches, searches and downloads are reported to `audit`
/// (`AuditedRead`) once they were answered.
public struct JaegerAPIController<Context: RequestContext>: Sendable {
    let baseReader: any TraceReader
    let serviceScope: @Sendable (Context) -> ServiceScope
    let audit: @Sendable (Context, AuditedRead) async -> Void
    /// The scope of the request being answered (set by `scoped(to:)`).
    var scope = ServiceScope.unrestricted
    let logger: Logger
    let maxTraceLimit: Int
    let now: @Sendable () -> UInt64
    let isDatabaseReachable: @Sendable () async -> Bool

    /// - Parameters:
    ///   - maxTraceLimit: the most traces one search may return, whatever `limit` asks for.
    ///   - now: the clock, Unix nanoseconds (injected for tests).
    ///   - isDatabaseReachable: asked after a read failed, to tell an outage (503) from a fault (500).
    ///   - serviceScope: the services the request may see (the principal's scope).
    ///   - audit: told of each trace fetched, search run and trace downloaded
    ///     (`ReadAuditRecorder.record`); it must not fail the answer, so it returns nothing.
    public init(
        reader: any TraceReader, logger: Logger, maxTraceLimit: Int = 1_500,
        now: @escaping @Sendable () -> UInt64 = { WallClock.unixNanos() },
        isDatabaseReachable: @escaping @Sendable () async -> Bool = { true },
        serviceScope: @escaping @Sendable (Context) -> ServiceScope = { _ in .unrestricted },
        audit: @escaping @Sendable (Context, AuditedRead) async -> Void = { _, _ in }
    ) {
        self.baseReader = reader
        self.serviceScope = serviceScope
        self.audit = audit
        self.logger = logger
        self.maxTraceLimit = maxTraceLimit
        self.now = now
        self.isDatabaseReachable = isDatabaseReachable
    }

    /// What answers read through: the base reader restricted to the request's scope.
    var reader: ScopedTraceReader { ScopedTraceReader(base: baseReader, scope: scope) }

    /// This controller answering a request of `context`, within its service scope.
    func scoped(to context: Context) -> Self {
        var scoped = self
        scoped.scope = serviceScope(context)
        return scoped
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/api/services") { _, context in await self.scoped(to: context).services() }
        router.get("/api/services/{service}/operations") { _, context in
            // Path parameters arrive still percent-encoded (`my%20service`).
            let raw = context.parameters.get("service") ?? ""
            return await self.scoped(to: context).serviceOperations(service: raw.removingPercentEncoding ?? raw)
        }
        router.get("/api/operations") { request, context in
            await self.scoped(to: context).operations(QueryParameters(query: request.uri.query))
        }
        router.get("/api/traces") { request, context in
            let (response, read) = await self.scoped(to: context).findTraces(QueryParameters(query: request.uri.query))
            if let read { await self.audit(context, read) }
            return response
        }
        router.get("/api/traces/{traceId}") { request, context in
            let download = ["1", "true"].contains(request.uri.queryParameters.get("download") ?? "")
            let (response, read) = await self.scoped(to: context)
                .trace(idText: context.parameters.get("traceId") ?? "", download: download)
            if let read { await self.audit(context, read) }
            return response
        }
        router.get("/api/dependencies") { request, context in
            await self.scoped(to: context).dependencies(QueryParameters(query: request.uri.query))
        }
        addV3Routes(to: router)
    }

    func services() async -> Response {
        await answer {
            let services = try await reader.services()
            return JaegerJSON.data(services, total: services.count)
        }
    }

    func serviceOperations(service: String) async -> Response {
        await answer {
            let operations = try await reader.operations(service: service, kind: nil)
            var seen = Set<String>()
            let names = operations.map(\.name).filter { seen.insert($0).inserted }
            return JaegerJSON.data(names, total: names.count)
        }
    }

    func operations(_ parameters: QueryParameters) async -> Response {
        guard let service = parameters["service"] else {
            return JaegerJSON.error(.badRequest("parameter 'service' is required"))
        }
        var kind: SpanKind?
        if let kindText = parameters["spanKind"] {
            guard let parsed = SpanKind(name: kindText), parsed != .unspecified else {
                return JaegerJSON.error(.badRequest(
                    "unsupported span kind '\(kindText)': use server, client, producer, consumer or internal"))
            }
            kind = parsed
        }
        return await answer {
            let operations = try await reader.operations(service: service, kind: kind).map(JaegerOperation.init)
            return JaegerJSON.data(operations, total: operations.count)
        }
    }

    /// The search's answer, and the search to record when it was run.
    func findTraces(_ parameters: QueryParameters) async -> (Response, AuditedRead?) {
        let search: JaegerSearchRequest
        do {
            search = try JaegerSearchRequest(parameters: parameters, nowUnixNano: now(), maxLimit: maxTraceLimit)
        } catch {
            return (JaegerJSON.error(error), nil)
        }
        var read: AuditedRead?
        let response = await answer {
            let ids = search.traceIDs.isEmpty ? try await reader.findTraces(search.query).map(\.traceID) : search.traceIDs
            let spansByTrace = try await reader.traces(ids: ids)
            let dropped = try await reader.droppedSpanCounts(ids: Array(spansByTrace.keys))
            let traces = ids.compactMap { id in
                spansByTrace[id].map { JaegerTrace(traceID: id, spans: $0, droppedSpanCount: dropped[id] ?? 0) }
            }
            read = .searchRun(
                search.traceIDs.isEmpty ? search.query.auditDescription : TraceQuery.auditDescription(traceIDs: search.traceIDs))
            return JaegerJSON.data(traces, total: traces.count)
        }
        return (response, read)
    }

    /// The trace's answer (as an attachment when `download`), and the view or export to record
    /// when the trace was sent.
    func trace(idText: String, download: Bool = false) async -> (Response, AuditedRead?) {
        guard let id = TraceID(hex: idText), id.isValid else {
            return (JaegerJSON.error(.badRequest("malformed trace id '\(idText)': expected up to 32 hex digits")), nil)
        }
        var read: AuditedRead?
        let response = await answer {
            let spans = try await reader.trace(id: id)
            guard !spans.isEmpty else { return JaegerJSON.error(JaegerError(code: 404, msg: "trace not found")) }
            let dropped = try await reader.droppedSpanCounts(ids: [id])[id] ?? 0
            var response = JaegerJSON.data([JaegerTrace(traceID: id, spans: spans, droppedSpanCount: dropped)], total: 1)
            if download {
                // The id is hex digits only, so it needs no quoting in the file name.
                response.headers[.contentDisposition] = "attachment; filename=\"trace-\(id.hex).json\""
                read = .exported(id)
            } else {
                read = .traceViewed(id)
            }
            return response
        }
        return (response, read)
    }

    func dependencies(_ parameters: QueryParameters) async -> Response {
        let nowMillis = now() / 1_000_000
        var endMillis = nowMillis
        if let text = parameters["endTs"] {
            guard let value = UInt64(text) else {
                return JaegerJSON.error(.badRequest("malformed 'endTs' parameter: expected milliseconds since the Unix epoch, got '\(text)'"))
            }
            endMillis = value
        }
        var lookbackMillis: UInt64 = 86_400_000
        if let text = parameters["lookback"] {
            guard let value = UInt64(text) else {
                return JaegerJSON.error(.badRequest("malformed 'lookback' parameter: expected milliseconds, got '\(text)'"))
            }
            lookbackMillis = value
        }
        let endNanos = Self.nanos(fromMillis: endMillis)
        let startNanos = Self.nanos(fromMillis: endMillis > lookbackMillis ? endMillis - lookbackMillis : 0)
        return await answer {
            let links = try await reader.dependencies(startUnixNano: startNanos, endUnixNano: endNanos)
                .map(JaegerDependencyLink.init)
            return JaegerJSON.data(links, total: links.count)
        }
    }

    private static func nanos(fromMillis millis: UInt64) -> UInt64 {
        let (nanos, overflow) = millis.multipliedReportingOverflow(by: 1_000_000)
        return overflow ? UInt64.max : nanos
    }

    /// Runs a storage read; a failure is logged and answered without its details: 503 with
    /// `Retry-After` when the database does not answer, else 500.
    func answer(_ body: () async throws -> Response) async -> Response {
        do {
            return try await body()
        } catch {
            logger.error("Jaeger API query failed", metadata: ["error": "\(String(reflecting: error))"])
            guard await isDatabaseReachable() else {
                return DatabaseUnavailable.retryLater(JaegerJSON.error(JaegerError(code: 503, msg: "database unavailable")))
            }
            return JaegerJSON.error(JaegerError(code: 500, msg: "the trace store could not answer; see the server log"))
        }
    }
}

/// An operation as `/api/operations` lists it.
struct JaegerOperation: Encodable, Sendable {
    var name: String
    var spanKind: String

    init(_ operation: Storage.Operation) {
        name = operation.name
        spanKind = operation.kind == .unspecified ? "" : operation.kind.name
    }
}

/// A service→service edge as `/api/dependencies` lists it.
struct JaegerDependencyLink: Encodable, Sendable {
    var parent: String
    var child: String
    var callCount: Int

    init(_ link: DependencyLink) {
        parent = link.parent
        child = link.child
        callCount = link.callCount
    }
}
