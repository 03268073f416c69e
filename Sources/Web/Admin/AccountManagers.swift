import Accounts
import Foundation

/// The rule that Skein always keeps someone who can administer it: at least one enabled user
/// holding both `users.manage` and `roles.manage` (otherwise nobody could create, enable or
/// promote users again without the command line).
enum AccountManagers {
    /// Whether `user`, with `roles` as they are defined, is an enabled user and role manager.
    static func isManager(_ user: User, roles: [Role]) -> Bool {
        let principal = Principal(user: user, roles: roles)
        return principal.can(.usersManage) && principal.can(.rolesManage)
    }

    /// Whether replacing one of `users` by `changed` still leaves a manager. A change is never
    /// refused for a state it did not cause: with no manager before, any change is accepted.
    static func remain(afterChanging changed: User, among users: [User], roles: [Role]) -> Bool {
        let before = users.contains { isManager($0, roles: roles) }
        let after = users.map { $0.id == changed.id ? changed : $0 }.contains { isManager($0, roles: roles) }
        return after || !before
    }

    /// What the pages say when a change would leave no manager.
    static let lastManagerProblem =
        "This is the last enabled user who may manage users and roles. Give another user the admin role first."
}
