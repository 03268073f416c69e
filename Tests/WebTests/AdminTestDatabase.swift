import Accounts
import Storage

/// A fresh, migrated database (`WebTestDatabase`) with the built-in roles for the admin-page and
/// ingest-token tests, and an admin and a viewer in it.
struct AdminTestDatabase: Sendable {
    let store: PostgresAccountStore
    let admin: User
    let viewer: User
    let roles: [Role]

    func principal(_ user: User) -> Principal { Principal(user: user, roles: roles) }

    static func with(_ body: (AdminTestDatabase) async throws -> Void) async throws {
        try await WebTestDatabase.with(purpose: "admin") { database in
            let store = PostgresAccountStore(client: database.client, logger: database.logger)
            try await store.seedBuiltInRoles()
            let admin = User(name: "ada", displayName: "Ada", passwordHash: "unused", roleIDs: [Role.admin.id])
            let viewer = User(name: "vic", displayName: "Vic", passwordHash: "unused", roleIDs: [Role.viewer.id])
            try await store.createUser(admin)
            try await store.createUser(viewer)
            try await body(AdminTestDatabase(store: store, admin: admin, viewer: viewer, roles: try await store.roles()))
        }
    }
}
