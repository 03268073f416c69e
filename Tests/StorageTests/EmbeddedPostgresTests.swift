import Foundation
import Logging
import PostgresNIO
import Testing

@testable import Storage

/// Each test starts its own cluster in its own folder (an `initdb` each), one test at a time.
@Suite("Embedded PostgreSQL launcher", .serialized)
struct EmbeddedPostgresTests {
    private static var logger: Logger {
        var logger = Logger(label: "skein.test.embedded-postgres")
        logger.logLevel = .warning
        return logger
    }

    /// A new, absent data folder under the system temporary folder (reachable by the server user).
    private func newDataFolder() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("skein-launcher-\(UUID().uuidString.prefix(8))").path
    }

    /// Connects, runs `SELECT current_database()` and disconnects.
    private func currentDatabase(_ endpoint: DatabaseEndpoint) async throws -> String {
        let client = PostgresClient(configuration: endpoint.clientConfiguration(), backgroundLogger: Self.logger)
        return try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask { await client.run(); return nil }
            let rows = try await client.query("SELECT current_database()").collect()
            group.cancelAll()
            return try rows.first?.decode(String.self) ?? ""
        }
    }

    private func isRunning(_ dataFolder: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(dataFolder)/postgres/postmaster.pid")
    }

    @Test func theLauncherInitialisesAStartsAServerWithTheSkeinDatabaseAndStopsIt() async throws {
        let folder = newDataFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let postgres = EmbeddedPostgres(dataDirectory: folder, logger: Self.logger)

        let endpoint = try await postgres.start()
        #expect(postgres.ownsServer)
        #expect(FileManager.default.fileExists(atPath: "\(folder)/postgres/PG_VERSION"))
        guard case .unixSocket(let socket) = endpoint.address else {
            Issue.record("expected a unix socket endpoint, got \(endpoint)")
            return
        }
        #expect(socket == "\(folder)/run/.s.PGSQL.5432")
        #expect(try await currentDatabase(endpoint) == "skein")

        try await postgres.stop()
        #expect(!isRunning(folder))
        await #expect(throws: (any Error).self) {
            // One connection attempt; a pool would keep retrying.
            let configuration = PostgresConnection.Configuration(unixSocketPath: socket, username: "skein", password: nil, database: "skein")
            let connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: Self.logger)
            try await connection.close()
        }
    }

    @Test func aSecondLauncherOnTheSameFolderReusesTheRunningServerAndLeavesItRunning() async throws {
        let folder = newDataFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let first = EmbeddedPostgres(dataDirectory: folder, logger: Self.logger)
        let endpoint = try await first.start()

        let second = EmbeddedPostgres(dataDirectory: folder, logger: Self.logger)
        let sharedEndpoint = try await second.start()
        #expect(sharedEndpoint == endpoint)
        #expect(!second.ownsServer)
        #expect(try await currentDatabase(sharedEndpoint) == "skein")

        try await second.stop()
        #expect(isRunning(folder))
        #expect(try await currentDatabase(endpoint) == "skein")

        try await first.stop()
        #expect(!isRunning(folder))
    }

    @Test func aStoppedClusterStartsAgainWithItsData() async throws {
        let folder = newDataFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let postgres = EmbeddedPostgres(dataDirectory: folder, logger: Self.logger)
        let endpoint = try await postgres.start()
        let client = PostgresClient(configuration: endpoint.clientConfiguration(), backgroundLogger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await client.query("CREATE TABLE kept (id int)")
            try await client.query("INSERT INTO kept VALUES (42)")
            group.cancelAll()
        }
        try await postgres.stop()

        let again = EmbeddedPostgres(dataDirectory: folder, logger: Self.logger)
        let restarted = try await again.start()
        #expect(again.ownsServer)
        let client2 = PostgresClient(configuration: restarted.clientConfiguration(), backgroundLogger: Self.logger)
        let value = try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask { await client2.run(); return nil }
            let rows = try await client2.query("SELECT id FROM kept").collect()
            group.cancelAll()
            return try rows.first?.decode(Int.self)
        }
        #expect(value == 42)
        try await again.stop()
    }

    @Test func stoppingAServerThatWasAlreadyStoppedByHandSucceeds() async throws {
        let folder = newDataFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let postgres = EmbeddedPostgres(dataDirectory: folder, logger: Self.logger)
        _ = try await postgres.start()
        let binaries = try PostgresBinaries.locate(environment: ProcessInfo.processInfo.environment)
        let runner = ProcessRunner(runAsUser: geteuid() == 0 ? "postgres" : nil)
        try runner.runChecked(binaries.pgCtl, ["stop", "-D", "\(folder)/postgres", "-m", "immediate", "-w"])
        try await postgres.stop()
        #expect(!postgres.ownsServer)
    }

    @Test func missingServerProgramsGiveAnErrorThatSaysHowToInstallThem() async throws {
        let emptyBin = newDataFolder()
        try FileManager.default.createDirectory(atPath: emptyBin, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: emptyBin) }
        let postgres = EmbeddedPostgres(
            dataDirectory: newDataFolder(), logger: Self.logger, environment: ["SKEIN_POSTGRES_BIN": emptyBin]
        )
        let error = await #expect(throws: EmbeddedPostgresError.self) { try await postgres.start() }
        let message = error?.message ?? ""
        #expect(message.contains(emptyBin))
        #expect(message.contains("apt-get install postgresql"))
        #expect(message.contains("brew install postgresql@15"))
        #expect(message.contains("--database-url"))
    }

    @Test func theServerProgramsAreFoundWithoutConfiguration() throws {
        let binaries = try PostgresBinaries.locate(environment: ProcessInfo.processInfo.environment.filter { $0.key != "SKEIN_POSTGRES_BIN" })
        #expect(FileManager.default.isExecutableFile(atPath: binaries.initdb))
        #expect(FileManager.default.isExecutableFile(atPath: binaries.pgCtl))
    }

    @Test func aLongDataFolderPathMovesTheSocketToAShortFolderUnderTmp() {
        let deep = "/tmp/" + String(repeating: "very-long-folder-name/", count: 6) + "data"
        let (layout, relocated) = EmbeddedPostgresLayout.make(dataDirectory: deep, serverUser: nil, serverUserCanReach: { _ in true })
        #expect(!relocated)
        #expect(layout.clusterDirectory == "\(deep)/postgres")
        #expect(layout.socketDirectory == "/tmp/skein-\(EmbeddedPostgresLayout.shortHash(of: deep))")
        #expect(EmbeddedPostgresLayout.shortHash(of: deep).count == 12)
    }

    @Test func aDataFolderTheServerUserCannotReachMovesTheClusterUnderVarTmp() {
        let (layout, relocated) = EmbeddedPostgresLayout.make(
            dataDirectory: "/root/project/.skein", serverUser: "postgres", serverUserCanReach: { _ in false }
        )
        let hash = EmbeddedPostgresLayout.shortHash(of: "/root/project/.skein")
        #expect(relocated)
        #expect(layout.clusterDirectory == "/var/tmp/skein-postgres-\(hash)/postgres")
        #expect(layout.socketDirectory == "/var/tmp/skein-postgres-\(hash)/run")
    }

    @Test(.enabled(if: geteuid() == 0, "only root runs the server as another user"))
    func asRootAClusterInAFolderTheServerUserCannotEnterStillStarts() async throws {
        let privateParent = newDataFolder()
        try FileManager.default.createDirectory(atPath: privateParent, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: privateParent)
        defer { try? FileManager.default.removeItem(atPath: privateParent) }
        let folder = "\(privateParent)/data"
        let postgres = EmbeddedPostgres(dataDirectory: folder, logger: Self.logger)

        let endpoint = try await postgres.start()
        let hash = EmbeddedPostgresLayout.shortHash(of: folder)
        let relocated = "/var/tmp/skein-postgres-\(hash)"
        defer { try? FileManager.default.removeItem(atPath: relocated) }
        #expect(FileManager.default.fileExists(atPath: "\(relocated)/postgres/PG_VERSION"))
        #expect(try await currentDatabase(endpoint) == "skein")
        try await postgres.stop()
    }
}
