import Accounts

/// Whether someone could still administer Skein: an enabled user whose roles give both
/// `users.manage` and `roles.manage`. A role change that would take the last such person's power
/// away is refused, so nobody locks everyone out of the user and role pages.
enum RoleAdministrators {
    /// Whether some enabled user among `users` holds both permissions through `roles`.
    static func exist(users: [User], roles: [Role]) -> Bool {
        users.contains { user in
            let principal = Principal(user: user, roles: roles)
            return principal.can(.usersManage) && principal.can(.rolesManage)
        }
    }

    /// Whether changing the roles from `before` to `after` leaves no administrator where there was one.
    static func wouldAllBeLost(users: [User], before: [Role], after: [Role]) -> Bool {
        exist(users: users, roles: before) && !exist(users: users, roles: after)
    }
}
