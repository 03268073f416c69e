import Accounts
import Foundation

/// View model of `admin-users.mustache`: every user and the form creating one (its values kept
/// after a refusal, never the password).
struct AdminUsersPage: Sendable {
    /// One row of the user table.
    struct Row: Sendable {
        var id: String
        var name: String
        var displayName: String
        var roles: String
        var status: String
        var twoStep: String
        var created: String
    }

    var title = "Users"
    var chrome: PageChrome
    var navUsers = true
    var csrfToken: String
    var rows: [Row]
    /// The create form's role checkboxes; shown only to those who may assign roles.
    var roleChoices: [AdminRoleChoice]
    var canAssignRoles: Bool
    var problem: String?
    /// The create form's values, kept after a refusal.
    var name = ""
    var displayName = ""

    init(users: [User], roles: [Role], chrome: PageChrome, csrfToken: String, canAssignRoles: Bool, ticked: Set<UUID> = []) {
        self.chrome = chrome
        self.csrfToken = csrfToken
        self.canAssignRoles = canAssignRoles
        roleChoices = AdminRoleChoice.all(roles, held: ticked)
        rows = users.map { user in
            Row(
                id: user.id.uuidString.lowercased(),
                name: user.name,
                displayName: user.displayName,
                roles: AdminRoleChoice.names(of: user.roleIDs, in: roles).joined(separator: ", "),
                status: user.isDisabled ? "Disabled" : "Active",
                twoStep: user.totpSecret == nil ? "Off" : "On",
                created: AdminTime.text(user.createdAt))
        }
    }
}
