import Accounts
import Foundation

/// View model of `admin-role.mustache`: one role. A custom role has its edit form (current
/// values) and its delete form; a built-in role is shown read-only.
struct AdminRolePage: Sendable {
    /// One permission the role holds, with what it allows.
    struct HeldPermission: Sendable {
        var name: String
        var summary: String
    }

    var title: String
    var navRoles = true
    var chrome: PageChrome
    var csrfToken: String
    var id: String
    var name: String
    var isBuiltIn: Bool
    var permissions: [HeldPermission]
    var scope: String
    var isUnrestricted: Bool
    /// Names of the users holding the role, and how many they are ("2 users").
    var holderNames: [String]
    var hasHolders: Bool
    var holders: String
    var problem: String?
    var notice: String?
    /// The edit form, nil for a built-in role.
    var form: AdminRoleFormView?

    init(role: Role, users: [User], chrome: PageChrome, csrfToken: String, form: AdminRoleForm? = nil) {
        title = "Role \(role.name)"
        self.chrome = chrome
        self.csrfToken = csrfToken
        id = role.id.uuidString.lowercased()
        name = role.name
        isBuiltIn = role.isBuiltIn
        permissions = Permission.allCases.filter(role.permissions.contains).map {
            HeldPermission(name: $0.rawValue, summary: $0.summary)
        }
        scope = AdminRolesPage.scopeText(role.serviceScope)
        isUnrestricted = role.serviceScope == .unrestricted
        let holding = users.filter { $0.roleIDs.contains(role.id) }
        holderNames = holding.map(\.name)
        hasHolders = !holding.isEmpty
        holders = AdminRolesPage.holdersText(holding.count)
        self.form = role.isBuiltIn ? nil : AdminRoleFormView(form ?? AdminRoleForm(role: role))
    }
}
