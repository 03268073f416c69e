import Foundation
import Logging
import PostgresNIO
import Storage

/// A fresh, migrated database on the shared test server, dropped after the test: the one every
/// WebTests suite uses (a trimmed copy of the storage tests' `TestDatabase`, which other test
/// targets cannot import).
struct WebTestDatabase: Sendable {
    let client: PostgresClient
    let logger: Logger

    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
            url.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()

    /// Runs `body` on a new database named `t_<purpose>_<random>` (the purpose also names the
    /// logger), on `SKEIN_TEST_DATABASE_URL` or else the embedded server in `.build/test-postgres`.
    static func with(purpose: String = "web", _ body: (WebTestDatabase) async throws -> Void) async throws {
        var logger = Logger(label: "skein.webtests.\(purpose)")
        logger.logLevel = .warning
        let environment = ProcessInfo.processInfo.environment
        let server: DatabaseEndpoint
        if let url = environment["SKEIN_TEST_DATABASE_URL"], !url.isEmpty {
            server = try DatabaseEndpoint(url: url)
        } else {
            let folder = environment["SKEIN_TEST_POSTGRES_DIR"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "\(packageRoot)/.build/test-postgres"
            // Left running: other test processes share it.
            server = try await EmbeddedPostgres(
                dataDirectory: folder, logger: logger, environment: environment,
                // Every test makes its own database and pool, and they run in parallel.
                maxConnections: 1000).start()
        }
        let admin = PostgresClient(configuration: server.clientConfiguration(), backgroundLogger: logger)
        let adminTask = Task { await admin.run() }
        defer { adminTask.cancel() }
        let name = "t_\(purpose)_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))

        var configuration = server.with(database: name).clientConfiguration()
        configuration.options.maximumConnections = 4
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let clientTask = Task { await client.run() }
        var failure: (any Error)?
        do {
            _ = try await MigrationRunner(client: client, directory: "\(packageRoot)/Migrations", logger: logger).migrate()
            try await body(WebTestDatabase(client: client, logger: logger))
        } catch {
            failure = error
        }
        clientTask.cancel()
        await clientTask.value
        try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        if let failure { throw failure }
    }
}
