import Accounts
import Foundation

/// View model of `admin-roles.mustache`: every role with its permissions, service scope and how
/// many users hold it, and the form that creates a custom role.
struct AdminRolesPage: Sendable {
    /// One row of the roles table.
    struct Row: Sendable {
        var id: String
        var name: String
        var isBuiltIn: Bool
        var permissions: [String]
        var scope: String
        var holders: String
    }

    var title = "Roles"
    var navRoles = true
    var chrome: PageChrome
    var csrfToken: String
    var rows: [Row]
    var problem: String?
    var notice: String?
    /// The create form, with the values typed before a refusal.
    var form: AdminRoleFormView

    init(roles: [Role], users: [User], chrome: PageChrome, csrfToken: String, form: AdminRoleForm = AdminRoleForm()) {
        self.chrome = chrome
        self.csrfToken = csrfToken
        self.form = AdminRoleFormView(form)
        rows = roles.map { role in
            Row(
                id: role.id.uuidString.lowercased(),
                name: role.name,
                isBuiltIn: role.isBuiltIn,
                permissions: role.permissions.map(\.rawValue).sorted(),
                scope: Self.scopeText(role.serviceScope),
                holders: Self.holdersText(Self.holderCount(of: role, among: users)))
        }
    }

    /// A role's service scope as the pages show it.
    static func scopeText(_ scope: ServiceScope) -> String {
        switch scope {
        case .unrestricted: return "All services"
        case .services(let patterns): return patterns.isEmpty ? "No services" : patterns.joined(separator: ", ")
        }
    }

    /// How many of `users` hold `role`.
    static func holderCount(of role: Role, among users: [User]) -> Int {
        users.filter { $0.roleIDs.contains(role.id) }.count
    }

    static func holdersText(_ count: Int) -> String {
        count == 1 ? "1 user" : "\(count) users"
    }
}
