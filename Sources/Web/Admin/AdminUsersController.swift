import Accounts
import Foundation
import Hummingbird
import Logging
import Mustache
import Storage

/// `/admin/users`: lists users and creates one; `/admin/users/{id}` shows one user with forms to
/// change their roles, disable or enable them, reset their password and turn off their two-step
/// sign-in (for a lost authenticator).
///
/// Needs `users.manage`; assigning roles (on creation or with `POST …/roles`) needs `roles.manage`
/// too, so a user manager cannot make admins. Every form carries the session's `csrf_token` for
/// the one purpose `admin.users` (the forms act on the same accounts, and each POST still checks
/// its own permission). Disabling a user or resetting their password signs them out everywhere.
/// No change may leave Skein without an enabled user who may manage users and roles
/// (`AccountManagers`), and nobody may disable themselves. Every change is audited
/// (`user.created`, `user.changed`, `user.disabled`, `user.enabled`, `password.changed`,
/// `totp.disabled`) without
/// passwords or their hashes, and answered with 303 to the user's page and a fixed notice.
public struct AdminUsersController<Context: RequestContext>: Sendable {
    let store: any AccountStore
    let renderer: AdminPageRenderer
    let access: AdminAccess<Context>
    let hasher: PasswordHasher
    let passwordPolicy: PasswordPolicy
    let now: @Sendable () -> Date

    /// The purpose every form's CSRF token is made for.
    public static var formPurpose: String { "admin.users" }
    /// Longest display name accepted.
    static var maximumDisplayNameLength: Int { 128 }

    public init(
        store: any AccountStore, templates: MustacheLibrary, access: AdminAccess<Context>, hasher: PasswordHasher,
        logger: Logger, passwordPolicy: PasswordPolicy = .standard, now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.store = store
        self.renderer = AdminPageRenderer(templates: templates, logger: logger)
        self.access = access
        self.hasher = hasher
        self.passwordPolicy = passwordPolicy
        self.now = now
    }

    public func addRoutes(to router: Router<Context>) {
        router.get("/admin/users") { _, context in try await self.list(context: context) }
        router.post("/admin/users") { request, context in try await self.create(request, context: context) }
        router.get("/admin/users/{id}") { request, context in
            try await self.show(request, id: context.parameters.get("id"), context: context)
        }
        router.post("/admin/users/{id}/roles") { request, context in
            try await self.change(request, id: context.parameters.get("id"), permission: .rolesManage, context: context, apply: self.setRoles)
        }
        router.post("/admin/users/{id}/disable") { request, context in
            try await self.change(request, id: context.parameters.get("id"), permission: .usersManage, context: context, apply: self.disable)
        }
        router.post("/admin/users/{id}/enable") { request, context in
            try await self.change(request, id: context.parameters.get("id"), permission: .usersManage, context: context, apply: self.enable)
        }
        router.post("/admin/users/{id}/password") { request, context in
            try await self.change(
                request, id: context.parameters.get("id"), permission: .usersManage, context: context, apply: self.resetPassword)
        }
        router.post("/admin/users/{id}/totp/disable") { request, context in
            try await self.change(
                request, id: context.parameters.get("id"), permission: .usersManage, context: context, apply: self.turnOffTwoStep)
        }
    }

    // MARK: List and create

    func list(context: Context) async throws -> Response {
        guard case .success(let principal) = access.require(.usersManage, in: context) else { return AdminRefusal.forbidden.response }
        let page = try await listPage(principal: principal, roles: try await store.roles(), context: context)
        return render(page, template: "admin-users", status: .ok)
    }

    func create(_ request: Request, context: Context) async throws -> Response {
        let (principal, form): (Principal, FormFields)
        switch try await access.post(request, as: FormFields.self, requiring: .usersManage, purpose: Self.formPurpose, in: context) {
        case .failure(let refusal): return refusal.response
        case .success(let posted): (principal, form) = posted
        }
        let name = (form.value("name") ?? "").trimmingCharacters(in: .whitespaces)
        let displayName = (form.value("display_name") ?? "").trimmingCharacters(in: .whitespaces)
        let password = form.value("password") ?? ""
        let roles = try await store.roles()
        let chosen = Self.roleIDs(form.values("role"), among: roles)

        var problem: String?
        if let nameProblem = User.problem(withName: name) {
            problem = nameProblem
        } else if let displayNameProblem = Self.problem(withDisplayName: displayName) {
            problem = displayNameProblem
        } else if let passwordProblem = passwordPolicy.problem(with: password, userName: name, displayName: displayName) {
            problem = passwordProblem.description
        } else if !form.values("role").isEmpty, !principal.can(.rolesManage) {
            problem = "You may not assign roles: create the user without roles and ask someone who manages roles."
        } else if chosen == nil {
            problem = "Choose roles from the list."
        } else if try await store.user(named: name) != nil {
            problem = Self.nameTakenProblem(name)
        }
        if problem == nil, let roleIDs = chosen {
            let user = User(
                name: name, displayName: displayName.isEmpty ? name : displayName, passwordHash: await hasher.hash(password),
                roleIDs: roleIDs, createdAt: now())
            do {
                try await store.createUser(user)
                try await store.appendAudit(AuditEvent(
                    time: user.createdAt, principal: principal, action: .userCreated, target: user.name,
                    after: AuditJSON.compact(["name": user.name, "display_name": user.displayName,
                                      "roles": AdminRoleChoice.names(of: roleIDs, in: roles)]),
                    clientAddress: access.clientAddress(context)))
                return AdminResponse.redirect(to: AdminUserNotice.created.location(userID: user.id.uuidString.lowercased()))
            } catch AccountStoreError.nameTaken {
                problem = Self.nameTakenProblem(name)
            }
        }
        var page = try await listPage(principal: principal, roles: roles, context: context, ticked: chosen ?? [])
        page.problem = problem
        page.name = name
        page.displayName = displayName
        return render(page, template: "admin-users", status: .badRequest)
    }

    // MARK: One user

    func show(_ request: Request, id: String?, context: Context) async throws -> Response {
        guard case .success(let principal) = access.require(.usersManage, in: context) else { return AdminRefusal.forbidden.response }
        guard let userID = id.flatMap(UUID.init(uuidString:)), let user = try await store.user(id: userID) else {
            return render(AdminUserPage(missingWith: access.chrome(context)), template: "admin-user", status: .notFound)
        }
        var page = userPage(user, roles: try await store.roles(), principal: principal, context: context)
        page.notice = request.uri.queryParameters.get("done").flatMap(AdminUserNotice.init(rawValue:))?.text
        return render(page, template: "admin-user", status: .ok)
    }

    /// What a change of one user works with: who acts, the posted form, the user and every role.
    struct Change {
        var principal: Principal
        var form: FormFields
        var user: User
        var roles: [Role]
        var clientAddress: String?
    }

    /// What a change does: the notice to redirect with, or the problem to show on the user's page.
    enum Outcome {
        case done(AdminUserNotice)
        case refused(String)
    }

    /// Checks permission and form token, finds the user (404 page when there is none) and applies
    /// the change: 303 to the user's page with its notice, or the page again with the problem (400).
    func change(
        _ request: Request, id: String?, permission: Permission, context: Context,
        apply: (Change) async throws -> Outcome
    ) async throws -> Response {
        let (principal, form): (Principal, FormFields)
        switch try await access.post(request, as: FormFields.self, requiring: permission, purpose: Self.formPurpose, in: context) {
        case .failure(let refusal): return refusal.response
        case .success(let posted): (principal, form) = posted
        }
        guard let userID = id.flatMap(UUID.init(uuidString:)), let user = try await store.user(id: userID) else {
            return render(AdminUserPage(missingWith: access.chrome(context)), template: "admin-user", status: .notFound)
        }
        let roles = try await store.roles()
        let change = Change(principal: principal, form: form, user: user, roles: roles, clientAddress: access.clientAddress(context))
        switch try await apply(change) {
        case .done(let notice):
            return AdminResponse.redirect(to: notice.location(userID: user.id.uuidString.lowercased()))
        case .refused(let problem):
            let current = try await store.user(id: userID) ?? user
            var page = userPage(current, roles: roles, principal: principal, context: context)
            page.problem = problem
            return render(page, template: "admin-user", status: .badRequest)
        }
    }

    func setRoles(_ change: Change) async throws -> Outcome {
        guard let roleIDs = Self.roleIDs(change.form.values("role"), among: change.roles) else {
            return .refused("Choose roles from the list.")
        }
        var changed = change.user
        changed.roleIDs = roleIDs
        guard roleIDs != change.user.roleIDs else { return .done(.roles) }
        guard try await AccountManagers.remain(afterChanging: changed, among: store.users(), roles: change.roles) else {
            return .refused(AccountManagers.lastManagerProblem)
        }
        guard try await store.setRoles(roleIDs, userID: change.user.id) else { return .refused(Self.goneProblem) }
        try await store.appendAudit(AuditEvent(
            time: now(), principal: change.principal, action: .userChanged, target: change.user.name,
            before: AuditJSON.compact(["roles": AdminRoleChoice.names(of: change.user.roleIDs, in: change.roles)]),
            after: AuditJSON.compact(["roles": AdminRoleChoice.names(of: roleIDs, in: change.roles)]),
            clientAddress: change.clientAddress))
        return .done(.roles)
    }

    func disable(_ change: Change) async throws -> Outcome {
        if change.user.id == change.principal.userID {
            return .refused("You cannot disable your own account.")
        }
        if let problem = Self.outranks(change.user, actor: change.principal, roles: change.roles) { return .refused(problem) }
        guard !change.user.isDisabled else { return .done(.disabled) }
        var changed = change.user
        changed.isDisabled = true
        guard try await AccountManagers.remain(afterChanging: changed, among: store.users(), roles: change.roles) else {
            return .refused(AccountManagers.lastManagerProblem)
        }
        guard try await store.setDisabled(true, userID: change.user.id) else { return .refused(Self.goneProblem) }
        let ended = try await store.deleteSessions(userID: change.user.id)
        try await store.appendAudit(AuditEvent(
            time: now(), principal: change.principal, action: .userDisabled, target: change.user.name,
            before: AuditJSON.compact(["status": "active"]), after: AuditJSON.compact(["status": "disabled", "sessions_ended": ended]),
            clientAddress: change.clientAddress))
        return .done(.disabled)
    }

    func enable(_ change: Change) async throws -> Outcome {
        if let problem = Self.outranks(change.user, actor: change.principal, roles: change.roles) { return .refused(problem) }
        guard change.user.isDisabled else { return .done(.enabled) }
        guard try await store.setDisabled(false, userID: change.user.id) else { return .refused(Self.goneProblem) }
        try await store.appendAudit(AuditEvent(
            time: now(), principal: change.principal, action: .userEnabled, target: change.user.name,
            before: AuditJSON.compact(["status": "disabled"]), after: AuditJSON.compact(["status": "active"]),
            clientAddress: change.clientAddress))
        return .done(.enabled)
    }

    func resetPassword(_ change: Change) async throws -> Outcome {
        if let problem = Self.outranks(change.user, actor: change.principal, roles: change.roles) { return .refused(problem) }
        let password = change.form.value("password") ?? ""
        if let problem = passwordPolicy.problem(with: password, userName: change.user.name, displayName: change.user.displayName) {
            return .refused(problem.description)
        }
        guard try await store.setPasswordHash(await hasher.hash(password), userID: change.user.id) else {
            return .refused(Self.goneProblem)
        }
        let ended = try await store.deleteSessions(userID: change.user.id)
        try await store.appendAudit(AuditEvent(
            time: now(), principal: change.principal, action: .passwordChanged, target: change.user.name,
            after: AuditJSON.compact(["reset_by_admin": true, "sessions_ended": ended]),
            clientAddress: change.clientAddress))
        return .done(.password)
    }

    /// Turns off the user's two-step sign-in, for someone who lost their authenticator: they sign
    /// in with their password alone and may set it up again on `/account`. Their sessions end, so
    /// a session opened by whoever holds the lost device does not outlive the change.
    func turnOffTwoStep(_ change: Change) async throws -> Outcome {
        if let problem = Self.outranks(change.user, actor: change.principal, roles: change.roles) { return .refused(problem) }
        guard change.user.totpSecret != nil else { return .done(.twoStepOff) }
        guard try await store.setTOTPSecret(nil, userID: change.user.id) else { return .refused(Self.goneProblem) }
        let ended = try await store.deleteSessions(userID: change.user.id)
        try await store.appendAudit(AuditEvent(
            time: now(), principal: change.principal, action: .totpDisabled, target: change.user.name,
            before: AuditJSON.compact(["two_step": "on"]),
            after: AuditJSON.compact(["two_step": "off", "turned_off_by_admin": true, "sessions_ended": ended]),
            clientAddress: change.clientAddress))
        return .done(.twoStepOff)
    }

    // MARK: Rules

    /// The set of role ids posted as `role` values, or nil when one is not the id of a role.
    static func roleIDs(_ values: [String], among roles: [Role]) -> Set<UUID>? {
        let known = Set(roles.map(\.id))
        var ids = Set<UUID>()
        for value in values {
            guard let id = UUID(uuidString: value), known.contains(id) else { return nil }
            ids.insert(id)
        }
        return ids
    }

    /// Why `displayName` cannot be a display name, nil when it can (empty means "the user name"):
    /// at most 128 characters, visible ones only (it is shown on pages and in the audit log).
    static func problem(withDisplayName displayName: String) -> String? {
        if displayName.unicodeScalars.count > maximumDisplayNameLength {
            return "Use at most \(maximumDisplayNameLength) characters for the display name."
        }
        if !AuditText.isSanitised(displayName, limit: maximumDisplayNameLength) || displayName.contains("\\") {
            return "Use only visible characters in the display name."
        }
        return nil
    }

    /// Why the actor may not disable, enable or reset the password of `user`: the user holds a
    /// permission the actor lacks (taking over such an account would gain it). Nil when they may.
    static func outranks(_ user: User, actor: Principal, roles: [Role]) -> String? {
        let held = roles.filter { user.roleIDs.contains($0.id) }.reduce(into: Set<Permission>()) { $0.formUnion($1.permissions) }
        return held.isSubset(of: actor.permissions)
            ? nil : "This user may do things you may not; ask someone who holds all of their permissions."
    }

    static func nameTakenProblem(_ name: String) -> String {
        "The user name \u{201C}\(name)\u{201D} is taken (names are compared without regard to case). Choose another."
    }

    static var goneProblem: String { "This user no longer exists." }

    // MARK: Pages

    private func listPage(principal: Principal, roles: [Role], context: Context, ticked: Set<UUID> = []) async throws -> AdminUsersPage {
        AdminUsersPage(
            users: try await store.users(), roles: roles, chrome: access.chrome(context),
            csrfToken: access.formToken(for: Self.formPurpose, in: context), canAssignRoles: principal.can(.rolesManage),
            ticked: ticked)
    }

    private func userPage(_ user: User, roles: [Role], principal: Principal, context: Context) -> AdminUserPage {
        AdminUserPage(
            user: user, roles: roles, chrome: access.chrome(context),
            csrfToken: access.formToken(for: Self.formPurpose, in: context), viewer: principal)
    }

    private func render(_ page: Any, template: String, status: HTTPResponse.Status) -> Response {
        renderer.render(page, template: template, status: status)
    }
}
