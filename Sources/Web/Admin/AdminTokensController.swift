import Accounts
import Foundation
import Hummingbird
import Logging
import Mustache
import Storage

/// `/admin/tokens`: lists API tokens (name, kind, owner, scope, created, expires, last used,
/// revoked), creates one (`POST /admin/tokens`: its secret is on the answer to that request and
/// nowhere else, never stored or logged) and revokes one (`POST /admin/tokens/{id}/revoke`).
///
/// Needs `tokens.manage`. Forms carry the session's `csrf_token` for the purpose `admin.tokens`.
/// Creating and revoking are written to the audit log (`token.created`, `token.revoked`); a
/// token belongs to the user who created it.
public struct AdminTokensController<Context: RequestContext>: Sendable {
    let store: any AccountStore
    let renderer: AdminPageRenderer
    let access: AdminAccess<Context>
    let now: @Sendable () -> Date

    /// The purpose the forms' CSRF tokens are made for.
    public static var formPurpose: String { "admin.tokens" }
    /// Longest token name accepted.
    static var maximumNameLength: Int { 100 }
    /// Lifetimes the form offers, in days.
    static var expiryChoices: [Int] { [7, 30, 90, 365] }

    public init(
        store: any AccountStore, templates: MustacheLibrary, access: AdminAccess<Context>, logger: Logger,
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.renderer = AdminPageRenderer(templates: templates, logger: logger)
        self.access = access
        self.now = now
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/admin/tokens") { _, context in try await self.list(context: context) }
        router.post("/admin/tokens") { request, context in try await self.create(request, context: context) }
        router.post("/admin/tokens/{id}/revoke") { request, context in
            try await self.revoke(request, id: context.parameters.get("id"), context: context)
        }
    }

    func list(context: Context) async throws -> Response {
        guard case .success = access.require(.tokensManage, in: context) else { return AdminRefusal.forbidden.response }
        return render(try await page(context: context), status: .ok)
    }

    func create(_ request: Request, context: Context) async throws -> Response {
        let (principal, form): (Principal, AdminForm)
        switch try await access.post(request, as: AdminForm.self, requiring: .tokensManage, purpose: Self.formPurpose, in: context) {
        case .failure(let refusal): return refusal.response
        case .success(let posted): (principal, form) = posted
        }
        let name = (form.name ?? "").trimmingCharacters(in: .whitespaces)
        let services = ServicePatternList.parse(form.services ?? "")
        var problem: String?
        let kind = APIToken.Kind(rawValue: form.kind ?? "")
        var expiresAt: Date?
        if let problemWithName = Self.problem(withName: name) {
            problem = problemWithName
        } else if kind == nil {
            problem = "Choose whether the token sends spans (ingest) or reads traces (read)."
        } else if let patternProblem = ServicePatternList.problem(with: services) {
            problem = patternProblem
        } else if let days = form.expiresInDays, !days.isEmpty {
            if let days = Int(days), Self.expiryChoices.contains(days) {
                expiresAt = now().addingTimeInterval(TimeInterval(days) * 86_400)
            } else {
                problem = "Choose one of the offered lifetimes."
            }
        }
        guard let kind, problem == nil else {
            var page = try await page(context: context)
            page.problem = problem
            page.name = name
            page.services = services.joined(separator: ", ")
            return render(page, status: .badRequest)
        }
        let scope: ServiceScope = kind == .read && !services.isEmpty ? .services(services) : .unrestricted
        let secret = SecretToken.generate(kind.secretKind)
        let token = APIToken(
            name: name, kind: kind, ownerUserID: principal.userID, scope: scope, createdAt: now(), expiresAt: expiresAt)
        try await store.createAPIToken(token, secretHash: secret.hash)
        try await store.appendAudit(AuditEvent(
            time: token.createdAt, principal: principal, action: .tokenCreated, target: name,
            after: AuditJSON.compact(["id": token.id.uuidString.lowercased(), "kind": kind.rawValue,
                              "scope": AdminTokensPage.scopeText(scope), "expires": AdminTime.text(expiresAt)]),
            clientAddress: access.clientAddress(context)))
        var page = try await page(context: context)
        page.created = AdminTokensPage.CreatedSecret(name: name, kind: kind.rawValue, secret: secret.value)
        return render(page, status: .ok)
    }

    func revoke(_ request: Request, id: String?, context: Context) async throws -> Response {
        let principal: Principal
        switch try await access.post(request, as: AdminForm.self, requiring: .tokensManage, purpose: Self.formPurpose, in: context) {
        case .failure(let refusal): return refusal.response
        case .success(let posted): principal = posted.principal
        }
        let time = now()
        guard let tokenID = id.flatMap(UUID.init(uuidString:)),
              let token = try await store.apiToken(id: tokenID),
              try await store.revokeAPIToken(id: tokenID, at: time)
        else {
            var page = try await page(context: context)
            page.problem = "There is no such token, or it was already revoked."
            return render(page, status: .notFound)
        }
        try await store.appendAudit(AuditEvent(
            time: time, principal: principal, action: .tokenRevoked, target: token.name,
            before: AuditJSON.compact(["id": token.id.uuidString.lowercased(), "kind": token.kind.rawValue]),
            clientAddress: access.clientAddress(context)))
        return AdminResponse.redirect(to: "/admin/tokens")
    }

    /// Why `name` cannot name a token, nil when it can: 1 to 100 characters, no control characters.
    static func problem(withName name: String) -> String? {
        if name.isEmpty { return "Give the token a name, such as the service or collector that uses it." }
        if name.count > maximumNameLength { return "Use at most \(maximumNameLength) characters for the name." }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control || $0.properties.generalCategory == .format }) {
            return "Use visible characters only in the name."
        }
        return nil
    }

    private func page(context: Context) async throws -> AdminTokensPage {
        let owners = try await store.users()
        let names = Dictionary(owners.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let csrfToken = access.formToken(for: Self.formPurpose, in: context)
        var page = AdminTokensPage(tokens: try await store.apiTokens(ownerUserID: nil), ownerNames: names, csrfToken: csrfToken, now: now())
        page.chrome = access.chrome(context)
        return page
    }

    private func render(_ page: AdminTokensPage, status: HTTPResponse.Status) -> Response {
        renderer.render(page, template: "admin-tokens", status: status)
    }
}
