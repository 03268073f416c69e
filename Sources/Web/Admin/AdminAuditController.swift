import Accounts
import Foundation
import Hummingbird
import Logging
import Mustache
import Storage

/// `GET /admin/audit`: the audit log, newest first, filtered by user, action and time
/// (`AdminAuditFilter`), a page at a time (`cursor` is the store's `nextCursor`); with
/// `format=csv`, every entry the filter matches (up to `exportLimit`) as a CSV download
/// (`AuditCSV`, safe against formula injection), itself recorded in the audit log as `export`
/// before any of it is sent.
///
/// Needs `audit.read`.
public struct AdminAuditController<Context: RequestContext>: Sendable {
    let store: any AccountStore
    let renderer: AdminPageRenderer
    let access: AdminAccess<Context>

    /// Entries on one page.
    static var pageSize: Int { 50 }
    /// Most entries one CSV export holds.
    static var exportLimit: Int { 50_000 }

    public init(store: any AccountStore, templates: MustacheLibrary, access: AdminAccess<Context>, logger: Logger) {
        self.store = store
        self.renderer = AdminPageRenderer(templates: templates, logger: logger)
        self.access = access
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/admin/audit") { request, context in try await self.audit(request, context: context) }
    }

    func audit(_ request: Request, context: Context) async throws -> Response {
        guard case .success(let principal) = access.require(.auditRead, in: context) else {
            return AdminRefusal.forbidden.response
        }
        let parameters = request.uri.queryParameters
        let filter = AdminAuditFilter(
            user: parameters.get("user"), action: parameters.get("action"), from: parameters.get("from"),
            to: parameters.get("to"), cursor: parameters.get("cursor"))
        let csv = parameters.get("format") == "csv"
        if let problem = filter.problem {
            if csv { return AdminResponse.text(.badRequest, problem) }
            return render(AdminAuditPage(filter: filter, events: [], nextCursor: nil, problem: problem), status: .badRequest, context: context)
        }
        var query = AuditQuery(
            actions: filter.auditAction.map { [$0] } ?? [], from: filter.fromDate, until: filter.untilDate,
            before: filter.cursor, limit: csv ? AuditQuery.maximumLimit : Self.pageSize)
        if !filter.user.isEmpty {
            guard let user = try await store.user(named: filter.user) else {
                let problem = "There is no user called \(filter.user)."
                if csv { return AdminResponse.text(.badRequest, problem) }
                return render(AdminAuditPage(filter: filter, events: [], nextCursor: nil, problem: problem), status: .ok, context: context)
            }
            query.actorUserID = user.id
        }
        if csv { return try await export(query, filter: filter, principal: principal, context: context) }
        let page = try await store.auditEvents(query)
        return render(AdminAuditPage(filter: filter, events: page.events, nextCursor: page.nextCursor, problem: nil), status: .ok, context: context)
    }

    /// Every matching entry as CSV; the export is audited first, so none is sent unrecorded.
    func export(_ first: AuditQuery, filter: AdminAuditFilter, principal: Principal, context: Context) async throws -> Response {
        try await store.appendAudit(AuditEvent(
            principal: principal, action: .export, target: filter.summary, clientAddress: access.clientAddress(context)))
        var events: [AuditEvent] = []
        var query = first
        while events.count < Self.exportLimit {
            let page = try await store.auditEvents(query)
            events += page.events
            guard let next = page.nextCursor else { break }
            query.before = next
        }
        let buffer = ByteBuffer(string: AuditCSV.document(Array(events.prefix(Self.exportLimit))))
        return Response(
            status: .ok,
            headers: [
                .contentType: "text/csv; charset=utf-8", .contentDisposition: "attachment; filename=\"skein-audit.csv\"",
                .contentLength: String(buffer.readableBytes), .cacheControl: "no-store",
            ],
            body: ResponseBody(byteBuffer: buffer))
    }

    private func render(_ page: AdminAuditPage, status: HTTPResponse.Status, context: Context) -> Response {
        var page = page
        page.chrome = access.chrome(context)
        return renderer.render(page, template: "admin-audit", status: status)
    }
}
