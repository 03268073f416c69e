import Foundation
import Logging
import PostgresNIO
import Storage

/// The data folder of a query, pages or storage run and the dataset in it: `prepare` opens the
/// embedded PostgreSQL in process, loads (or reuses) the dataset, lets the caller look at the
/// database, and stops PostgreSQL again; `serve` then runs a child `skein serve` on the same
/// folder. `finish()` removes a temporary folder unless it is kept.
public struct DatasetWorkspace: Sendable {
    public let folder: DatasetFolder
    public let migrationsDirectory: String
    public let reuse: Bool

    public init(dataDirectory: String?, keepData: Bool, reuse: Bool, migrationsDirectory: String) throws {
        folder = try DatasetFolder(given: dataDirectory, keep: keepData)
        self.migrationsDirectory = migrationsDirectory
        self.reuse = reuse
    }

    /// What `prepare` found: the dataset, its load (nil when reused) and the server's version.
    public struct Prepared: Sendable {
        public var dataset: DatasetPreparation.Outcome
        public var postgresVersion: String?
    }

    /// Loads or reuses `wanted`, then runs `inspect` on the open database before closing it.
    public func prepare<Result: Sendable>(
        _ wanted: DatasetParameters, logger: Logger,
        inspect: (Database) async throws -> Result
    ) async throws -> (Prepared, Result) {
        let database = try await Database.open(url: nil, dataDirectory: folder.path, logger: logger)
        // Ctrl-C while loading must not leave the embedded server running.
        BenchChildProcesses.installSignalHandlers()
        let postmaster = PostgresProcesses.postmasterPID(dataDirectory: folder.path)
        if let postmaster { BenchChildProcesses.register(pid: postmaster, graceSeconds: 30) }
        defer { if let postmaster { BenchChildProcesses.unregister(pid: postmaster) } }
        do {
            let preparation = DatasetPreparation(dataDirectory: folder.path, migrationsDirectory: migrationsDirectory, reuse: reuse)
            let outcome = try await preparation.prepare(wanted, database: database, logger: logger)
            let version = try? await Self.serverVersion(database.client, logger: logger)
            let result = try await inspect(database)
            await database.close()
            return (Prepared(dataset: outcome, postgresVersion: version), result)
        } catch {
            await database.close()
            throw error
        }
    }

    /// Starts `skein serve` (with `arguments` appended) on the workspace's folder, runs `body` with
    /// it and a read token, and stops it (also when `body` throws). The folder stays for `finish()`.
    public func serve<Result: Sendable>(
        arguments: [String] = [], logger: Logger, _ body: (BenchServer, String) async throws -> Result
    ) async throws -> Result {
        let server = try await BenchServer.start(dataDirectory: folder.path, keepData: true, arguments: arguments, logger: logger)
        do {
            let token = try await server.makeReadToken()
            let result = try await body(server, token)
            await server.stop(removeData: false)
            return result
        } catch {
            await server.stop(removeData: false)
            throw error
        }
    }

    /// Removes a temporary folder unless kept; returns the folder when it is left on disk.
    @discardableResult
    public func finish() -> String? {
        folder.removeIfTemporary()
    }

    static func serverVersion(_ client: PostgresClient, logger: Logger) async throws -> String? {
        for try await version in try await client.query("SHOW server_version", logger: logger).decode(String.self) {
            return version
        }
        return nil
    }
}
