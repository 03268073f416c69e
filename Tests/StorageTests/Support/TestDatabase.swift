import Foundation
import Logging
import PostgresNIO
import Storage

/// A brand-new, empty database on the test server, with a running `PostgresClient` for it.
///
/// The server is Skein's own embedded PostgreSQL (the same launcher `skein serve` uses), started
/// once per checkout in `<package>/.build/test-postgres` and shared by every test process; it is
/// left running for the next `swift test` (stop it with
/// `pg_ctl stop -D .build/test-postgres/postgres`, as the `postgres` user when root).
/// `SKEIN_TEST_POSTGRES_DIR` moves it; `SKEIN_TEST_DATABASE_URL` uses an existing server instead.
///
/// ```swift
/// let db = try await TestDatabase.fresh(migrated: true)
/// defer { Task { await db.teardown() } }   // or: try await TestDatabase.with { db in ... }
/// ```
///
/// Self-contained on purpose: other test targets (which cannot import this one) may copy it.
struct TestDatabase: Sendable {
    let client: PostgresClient
    /// The database's name (`t_<12 hex>`).
    let name: String
    let endpoint: DatabaseEndpoint
    let logger: Logger
    private let runTask: Task<Void, Never>

    /// Creates a new database and starts a client for it; `migrated` applies the project's `Migrations/`.
    static func fresh(migrated: Bool = false) async throws -> TestDatabase {
        let server = try await TestPostgresServer.shared.endpoint()
        let name = "t_" + String(UInt64.random(in: 0...UInt64.max), radix: 16).padding(toLength: 12, withPad: "0", startingAt: 0)
        try await TestPostgresServer.shared.administer("CREATE DATABASE \(name)")

        let endpoint = server.with(database: name)
        var configuration = endpoint.clientConfiguration()
        // Tests run in parallel; keep each one's share of the server's connections small.
        configuration.options.maximumConnections = 6
        var logger = Logger(label: "skein.test.\(name)")
        logger.logLevel = .warning
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let runTask = Task { await client.run() }
        let database = TestDatabase(client: client, name: name, endpoint: endpoint, logger: logger, runTask: runTask)
        if migrated {
            do {
                try await MigrationRunner(client: client, directory: TestPostgresServer.migrationsDirectory, logger: logger).migrate()
            } catch {
                await database.teardown()
                throw error
            }
        }
        return database
    }

    /// Runs `body` with a fresh database and tears it down afterwards, also when `body` throws.
    static func with<T: Sendable>(migrated: Bool = false, _ body: (TestDatabase) async throws -> T) async throws -> T {
        let database = try await fresh(migrated: migrated)
        do {
            let result = try await body(database)
            await database.teardown()
            return result
        } catch {
            await database.teardown()
            throw error
        }
    }

    /// Stops the client and drops the database (errors are ignored: the test result matters more).
    func teardown() async {
        runTask.cancel()
        await runTask.value
        try? await TestPostgresServer.shared.administer("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }
}

/// The one PostgreSQL server the tests of this process use, started on first use.
actor TestPostgresServer {
    static let shared = TestPostgresServer()

    private var starting: Task<(DatabaseEndpoint, PostgresClient), any Error>?

    /// The package root, found from this file's path (Tests/<Target>/Support/TestDatabase.swift).
    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url.path
            }
            url.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()

    static var migrationsDirectory: String { "\(packageRoot)/Migrations" }

    /// Where the server's own `skein` database is; fresh databases are created beside it.
    func endpoint() async throws -> DatabaseEndpoint {
        try await started().0
    }

    /// Runs a statement on the server's maintenance connection (CREATE/DROP DATABASE).
    func administer(_ sql: String) async throws {
        let admin = try await started().1
        try await admin.query(PostgresQuery(unsafeSQL: sql))
    }

    private func started() async throws -> (DatabaseEndpoint, PostgresClient) {
        if let starting { return try await starting.value }
        let task = Task { try await Self.start() }
        starting = task
        do {
            return try await task.value
        } catch {
            starting = nil
            throw error
        }
    }

    private static func start() async throws -> (DatabaseEndpoint, PostgresClient) {
        var logger = Logger(label: "skein.test.postgres")
        logger.logLevel = .notice
        let environment = ProcessInfo.processInfo.environment
        let endpoint: DatabaseEndpoint
        if let url = environment["SKEIN_TEST_DATABASE_URL"], !url.isEmpty {
            endpoint = try DatabaseEndpoint(url: url)
        } else {
            let folder = environment["SKEIN_TEST_POSTGRES_DIR"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "\(packageRoot)/.build/test-postgres"
            // Never stopped by the tests: other test processes may be sharing it.
            endpoint = try await EmbeddedPostgres(
                dataDirectory: folder, logger: logger, environment: environment,
                // Every test makes its own database and pool, and they run in parallel.
                maxConnections: 1000).start()
        }
        var configuration = endpoint.clientConfiguration()
        configuration.options.maximumConnections = 2
        let admin = PostgresClient(configuration: configuration, backgroundLogger: logger)
        Task { await admin.run() }
        return (endpoint, admin)
    }
}
