import Accounts
import Foundation

/// View model of `admin-user.mustache`: one user's details and the forms changing their roles,
/// status and password; or, with `user` nil, the page saying there is no such user (404).
struct AdminUserPage: Sendable {
    /// What the page shows about the user.
    struct Details: Sendable {
        var id: String
        var name: String
        var displayName: String
        var roles: String
        var status: String
        var isDisabled: Bool
        var twoStep: String
        var hasTwoStep: Bool
        var created: String
        /// The signed-in admin looking at their own account (who cannot disable it).
        var isSelf: Bool
    }

    var title: String
    var chrome: PageChrome
    var navUsers = true
    var csrfToken: String
    var user: Details?
    var roleChoices: [AdminRoleChoice]
    var canAssignRoles: Bool
    var notice: String?
    var problem: String?

    init(user: User, roles: [Role], chrome: PageChrome, csrfToken: String, viewer: Principal) {
        title = "User \(user.name)"
        self.chrome = chrome
        self.csrfToken = csrfToken
        canAssignRoles = viewer.can(.rolesManage)
        roleChoices = AdminRoleChoice.all(roles, held: user.roleIDs)
        let roleNames = AdminRoleChoice.names(of: user.roleIDs, in: roles)
        self.user = Details(
            id: user.id.uuidString.lowercased(),
            name: user.name,
            displayName: user.displayName,
            roles: roleNames.isEmpty ? "none" : roleNames.joined(separator: ", "),
            status: user.isDisabled ? "Disabled" : "Active",
            isDisabled: user.isDisabled,
            twoStep: user.totpSecret == nil ? "Off" : "On",
            hasTwoStep: user.totpSecret != nil,
            created: AdminTime.text(user.createdAt),
            isSelf: viewer.userID == user.id)
    }

    /// The page for an id that names no user.
    init(missingWith chrome: PageChrome) {
        title = "No such user"
        self.chrome = chrome
        csrfToken = ""
        user = nil
        roleChoices = []
        canAssignRoles = false
    }
}
