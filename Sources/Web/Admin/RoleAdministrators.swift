import Accounts

/// The role pages' side of `AccountManagers`: whether changing or deleting a role would take the
/// power to manage users and roles from the last enabled user who has it (the users pages refuse
/// the same for a change of someone's roles or a disabled account).
enum RoleAdministrators {
    /// Whether some user among `users` is a manager (`AccountManagers.isManager`) with `roles`.
    static func exist(users: [User], roles: [Role]) -> Bool {
        users.contains { AccountManagers.isManager($0, roles: roles) }
    }

    /// Whether redefining the roles from `before` to `after` leaves no manager where there was one.
    /// A change is never refused for a state it did not cause: with no manager before, it is accepted.
    static func wouldAllBeLost(users: [User], before: [Role], after: [Role]) -> Bool {
        exist(users: users, roles: before) && !exist(users: users, roles: after)
    }
}
