import Accounts
import Foundation
import Logging
import PostgresNIO
import Storage

/// A fresh, migrated database with the built-in roles for the admin-page and ingest-token tests,
/// and an admin and a viewer in it (a trimmed copy of the storage tests' `TestDatabase`, which
/// other test targets cannot import).
struct AdminTestDatabase: Sendable {
    let store: PostgresAccountStore
    let admin: User
    let viewer: User
    let roles: [Role]

    func principal(_ user: User) -> Principal { Principal(user: user, roles: roles) }

    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
            url.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()

    static func with(_ body: (AdminTestDatabase) async throws -> Void) async throws {
        var logger = Logger(label: "skein.webtests.admin")
        logger.logLevel = .warning
        let environment = ProcessInfo.processInfo.environment
        let server: DatabaseEndpoint
        if let url = environment["SKEIN_TEST_DATABASE_URL"], !url.isEmpty {
            server = try DatabaseEndpoint(url: url)
        } else {
            let folder = environment["SKEIN_TEST_POSTGRES_DIR"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "\(packageRoot)/.build/test-postgres"
            // Left running: other test processes share it.
            server = try await EmbeddedPostgres(dataDirectory: folder, logger: logger).start()
        }
        let adminClient = PostgresClient(configuration: server.clientConfiguration(), backgroundLogger: logger)
        let adminTask = Task { await adminClient.run() }
        defer { adminTask.cancel() }
        let name = "t_admin_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try await adminClient.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))

        var configuration = server.with(database: name).clientConfiguration()
        configuration.options.maximumConnections = 4
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let clientTask = Task { await client.run() }
        var failure: (any Error)?
        do {
            _ = try await MigrationRunner(client: client, directory: "\(packageRoot)/Migrations", logger: logger).migrate()
            let store = PostgresAccountStore(client: client, logger: logger)
            try await store.seedBuiltInRoles()
            let admin = User(name: "ada", displayName: "Ada", passwordHash: "unused", roleIDs: [Role.admin.id])
            let viewer = User(name: "vic", displayName: "Vic", passwordHash: "unused", roleIDs: [Role.viewer.id])
            try await store.createUser(admin)
            try await store.createUser(viewer)
            try await body(AdminTestDatabase(store: store, admin: admin, viewer: viewer, roles: try await store.roles()))
        } catch {
            failure = error
        }
        clientTask.cancel()
        await clientTask.value
        try? await adminClient.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        if let failure { throw failure }
    }
}
