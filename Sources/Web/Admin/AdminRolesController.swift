import Accounts
import Foundation
import Hummingbird
import Logging
import Mustache
import Storage

/// `/admin/roles`: lists every role (permissions, service scope, how many users hold it) and
/// creates a custom one (`POST /admin/roles`); `/admin/roles/{id}` shows one role, changes a
/// custom role (`POST /admin/roles/{id}`) and deletes it (`POST /admin/roles/{id}/delete`, its
/// users lose it). Built-in roles are shown read-only.
///
/// Needs `roles.manage`. Forms carry the session's `csrf_token` for the purpose `admin.roles`.
/// Creating, changing and deleting are written to the audit log (`role.created`, `role.changed`,
/// `role.deleted`) with the role before and after. A change or deletion that would leave no
/// enabled user holding both `users.manage` and `roles.manage` is refused.
public struct AdminRolesController<Context: RequestContext>: Sendable {
    let store: any AccountStore
    let renderer: AdminPageRenderer
    let access: AdminAccess<Context>
    let now: @Sendable () -> Date

    /// The purpose the forms' CSRF tokens are made for.
    public static var formPurpose: String { "admin.roles" }

    /// The fixed lines shown after a redirect (`?notice=`): never text taken from the request.
    enum Notice: String {
        case created, changed, deleted

        var text: String {
            switch self {
            case .created: return "Role created. Give it to users on their user pages."
            case .changed: return "Role changed. Its users have the new permissions and services on their next request."
            case .deleted: return "Role deleted. The users who held it no longer have it."
            }
        }
    }

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
        router.get("/admin/roles") { request, context in try await self.list(request, context: context) }
        router.post("/admin/roles") { request, context in try await self.create(request, context: context) }
        router.get("/admin/roles/{id}") { request, context in
            try await self.show(request, id: context.parameters.get("id"), context: context)
        }
        router.post("/admin/roles/{id}") { request, context in
            try await self.change(request, id: context.parameters.get("id"), context: context)
        }
        router.post("/admin/roles/{id}/delete") { request, context in
            try await self.delete(request, id: context.parameters.get("id"), context: context)
        }
    }

    // MARK: Handlers

    func list(_ request: Request, context: Context) async throws -> Response {
        guard case .success = access.require(.rolesManage, in: context) else { return AdminRefusal.forbidden.response }
        var page = try await listPage(context: context)
        page.notice = Self.notice(in: request)
        return render(page, template: "admin-roles", status: .ok)
    }

    func create(_ request: Request, context: Context) async throws -> Response {
        let (principal, fields): (Principal, FormFields)
        switch try await access.post(request, as: FormFields.self, requiring: .rolesManage, purpose: Self.formPurpose, in: context) {
        case .failure(let refusal): return refusal.response
        case .success(let posted): (principal, fields) = posted
        }
        let form = AdminRoleForm(fields)
        let parts: AdminRoleForm.Parts
        switch form.parts() {
        case .success(let valid): parts = valid
        case .failure(let problem): return try await refuseCreate(form, problem: problem.message, context: context)
        }
        let role = Role(name: parts.name, permissions: parts.permissions, serviceScope: parts.serviceScope)
        do {
            try await store.createRole(role)
        } catch AccountStoreError.nameTaken {
            return try await refuseCreate(form, problem: Self.nameTakenProblem, context: context)
        }
        try await store.appendAudit(AuditEvent(
            time: now(), principal: principal, action: .roleCreated, target: role.name,
            after: Self.auditJSON(role), clientAddress: access.clientAddress(context)))
        return AdminResponse.redirect(to: "/admin/roles/\(role.id.uuidString.lowercased())?notice=\(Notice.created.rawValue)")
    }

    func show(_ request: Request, id: String?, context: Context) async throws -> Response {
        guard case .success = access.require(.rolesManage, in: context) else { return AdminRefusal.forbidden.response }
        guard let role = try await role(id: id) else { return Self.noSuchRole }
        var page = try await rolePage(role, context: context)
        page.notice = Self.notice(in: request)
        return render(page, template: "admin-role", status: .ok)
    }

    func change(_ request: Request, id: String?, context: Context) async throws -> Response {
        let (principal, fields): (Principal, FormFields)
        switch try await access.post(request, as: FormFields.self, requiring: .rolesManage, purpose: Self.formPurpose, in: context) {
        case .failure(let refusal): return refusal.response
        case .success(let posted): (principal, fields) = posted
        }
        guard let before = try await role(id: id) else { return Self.noSuchRole }
        let form = AdminRoleForm(fields)
        if before.isBuiltIn { return try await refuse(before, form: nil, problem: Self.builtInProblem, context: context) }
        let parts: AdminRoleForm.Parts
        switch form.parts() {
        case .success(let valid): parts = valid
        case .failure(let problem): return try await refuse(before, form: form, problem: problem.message, context: context)
        }
        var after = before
        after.name = parts.name
        after.permissions = parts.permissions
        after.serviceScope = parts.serviceScope
        let roles = try await store.roles()
        let rolesAfter = roles.map { $0.id == after.id ? after : $0 }
        if RoleAdministrators.wouldAllBeLost(users: try await store.users(), before: roles, after: rolesAfter) {
            return try await refuse(before, form: form, problem: Self.lastAdministratorProblem, context: context)
        }
        let changed: Bool
        do {
            changed = try await store.updateRole(after)
        } catch AccountStoreError.nameTaken {
            return try await refuse(before, form: form, problem: Self.nameTakenProblem, context: context)
        } catch AccountStoreError.builtInRole {
            return try await refuse(before, form: nil, problem: Self.builtInProblem, context: context)
        }
        guard changed else { return Self.noSuchRole }
        try await store.appendAudit(AuditEvent(
            time: now(), principal: principal, action: .roleChanged, target: after.name,
            before: Self.auditJSON(before), after: Self.auditJSON(after), clientAddress: access.clientAddress(context)))
        return AdminResponse.redirect(to: "/admin/roles/\(after.id.uuidString.lowercased())?notice=\(Notice.changed.rawValue)")
    }

    func delete(_ request: Request, id: String?, context: Context) async throws -> Response {
        let principal: Principal
        switch try await access.post(request, as: FormFields.self, requiring: .rolesManage, purpose: Self.formPurpose, in: context) {
        case .failure(let refusal): return refusal.response
        case .success(let posted): principal = posted.principal
        }
        guard let role = try await role(id: id) else { return Self.noSuchRole }
        if role.isBuiltIn { return try await refuse(role, form: nil, problem: Self.builtInProblem, context: context) }
        let roles = try await store.roles()
        if RoleAdministrators.wouldAllBeLost(users: try await store.users(), before: roles, after: roles.filter { $0.id != role.id }) {
            return try await refuse(role, form: nil, problem: Self.lastAdministratorProblem, context: context)
        }
        let deleted: Bool
        do {
            deleted = try await store.deleteRole(id: role.id)
        } catch AccountStoreError.builtInRole {
            return try await refuse(role, form: nil, problem: Self.builtInProblem, context: context)
        }
        guard deleted else { return Self.noSuchRole }
        try await store.appendAudit(AuditEvent(
            time: now(), principal: principal, action: .roleDeleted, target: role.name,
            before: Self.auditJSON(role), clientAddress: access.clientAddress(context)))
        return AdminResponse.redirect(to: "/admin/roles?notice=\(Notice.deleted.rawValue)")
    }

    // MARK: Answers

    static var nameTakenProblem: String { "Another role already has this name (names are compared without regard to case)." }
    static var builtInProblem: String { "Built-in roles cannot be changed or deleted. Create a custom role instead." }
    static var lastAdministratorProblem: String {
        "Nobody enabled would be left holding both users.manage and roles.manage. Give another enabled user such a role first."
    }

    static var noSuchRole: Response { AdminResponse.text(.notFound, "There is no such role.") }

    /// The fixed notice a redirect asked for, nil for none or an unknown one.
    static func notice(in request: Request) -> String? {
        request.uri.queryParameters.get("notice").flatMap(Notice.init(rawValue:))?.text
    }

    private func refuseCreate(_ form: AdminRoleForm, problem: String, context: Context) async throws -> Response {
        var page = try await listPage(context: context, form: form)
        page.problem = problem
        return render(page, template: "admin-roles", status: .badRequest)
    }

    /// The role page again with `problem`, and the edit form as it was posted (nil: current values).
    private func refuse(_ role: Role, form: AdminRoleForm?, problem: String, context: Context) async throws -> Response {
        var page = try await rolePage(role, context: context, form: form)
        page.problem = problem
        return render(page, template: "admin-role", status: .badRequest)
    }

    // MARK: Pages

    /// The role with the id in the path; nil for a malformed or unknown id.
    private func role(id: String?) async throws -> Role? {
        guard let roleID = id.flatMap(UUID.init(uuidString:)) else { return nil }
        return try await store.role(id: roleID)
    }

    private func listPage(context: Context, form: AdminRoleForm = AdminRoleForm()) async throws -> AdminRolesPage {
        AdminRolesPage(
            roles: try await store.roles(), users: try await store.users(), chrome: access.chrome(context),
            csrfToken: access.formToken(for: Self.formPurpose, in: context), form: form)
    }

    private func rolePage(_ role: Role, context: Context, form: AdminRoleForm? = nil) async throws -> AdminRolePage {
        AdminRolePage(
            role: role, users: try await store.users(), chrome: access.chrome(context),
            csrfToken: access.formToken(for: Self.formPurpose, in: context), form: form)
    }

    private func render(_ page: some Sendable, template: String, status: HTTPResponse.Status) -> Response {
        renderer.render(page, template: template, status: status)
    }

    /// A role for the audit log's before/after columns: name, sorted permissions and services
    /// (`"all"` for every service, else the patterns), as compact JSON with sorted keys.
    static func auditJSON(_ role: Role) -> String? {
        let services: Any = role.serviceScope.patterns ?? "all"
        let fields: [String: Any] = [
            "name": role.name,
            "permissions": role.permissions.map(\.rawValue).sorted(),
            "services": services,
        ]
        return AuditJSON.compact(fields)
    }
}
