import Logging
import PostgresNIO

/// Applies the numbered SQL files of a migrations folder that the database has not seen yet.
///
/// Each file runs in its own transaction and is recorded in `skein_schema_migrations` in that same
/// transaction, so a file is either wholly applied and recorded or not at all. Every transaction
/// first takes a transaction-scoped advisory lock: several processes migrating one database at
/// once take turns, and each file is applied exactly once.
public struct MigrationRunner: Sendable {
    private let client: PostgresClient
    private let directory: String
    private let logger: Logger

    /// Key of the advisory lock shared by every process migrating a Skein database ("skeinmig").
    static let advisoryLockKey: Int64 = 0x736B_6569_6E6D_6967

    public init(client: PostgresClient, directory: String, logger: Logger) {
        self.client = client
        self.directory = directory
        self.logger = logger
    }

    /// Applies pending migrations in order; returns the file names applied (empty when up to date).
    @discardableResult
    public func migrate() async throws -> [String] {
        let migrations = try Migration.load(from: directory)
        return try await client.withConnection { connection in
            try await inTransaction(connection) {
                try await connection.query("""
                    CREATE TABLE IF NOT EXISTS skein_schema_migrations (
                        version int PRIMARY KEY,
                        name text NOT NULL,
                        applied_at timestamptz NOT NULL DEFAULT now()
                    )
                    """, logger: logger)
            }
            let alreadyApplied = try await appliedVersions(connection)
            let candidates = migrations.filter { !alreadyApplied.contains($0.version) }
            if candidates.isEmpty {
                logger.debug("database schema is up to date", metadata: ["migrations": "\(migrations.count)"])
                return []
            }
            var applied: [String] = []
            for (number, migration) in candidates.enumerated() {
                let didApply = try await apply(migration, on: connection, progress: "\(number + 1)/\(candidates.count)")
                if didApply { applied.append(migration.fileName) }
            }
            logger.info("database schema is up to date", metadata: ["applied": "\(applied.count)"])
            return applied
        }
    }

    /// File names of migrations in the folder that the database has not recorded yet.
    public func pending() async throws -> [String] {
        let migrations = try Migration.load(from: directory)
        let applied = try await client.withConnection { connection in
            try await appliedVersions(connection)
        }
        return migrations.filter { !applied.contains($0.version) }.map(\.fileName)
    }

    // MARK: - Steps

    /// Applies one file unless another process applied it while we waited for the lock.
    private func apply(_ migration: Migration, on connection: PostgresConnection, progress: String) async throws -> Bool {
        let statements = MigrationSQLSplitter.split(migration.sql)
        return try await inTransaction(connection) {
            let recorded = try await connection.query(
                "SELECT 1 FROM skein_schema_migrations WHERE version = \(migration.version)", logger: logger
            ).collect()
            guard recorded.isEmpty else { return false }

            logger.info("applying migration \(migration.fileName) (\(progress))", metadata: ["statements": "\(statements.count)"])
            for (number, statement) in statements.enumerated() {
                do {
                    try await connection.query(PostgresQuery(unsafeSQL: statement.sql), logger: logger).drain()
                } catch {
                    throw MigrationError.statementFailed(
                        fileName: migration.fileName,
                        statementNumber: number + 1,
                        line: statement.line,
                        statement: statement.sql,
                        serverMessage: Self.serverMessage(of: error)
                    )
                }
            }
            try await connection.query("""
                INSERT INTO skein_schema_migrations (version, name, applied_at)
                VALUES (\(migration.version), \(migration.fileName), now())
                """, logger: logger)
            return true
        }
    }

    private func appliedVersions(_ connection: PostgresConnection) async throws -> Set<Int> {
        let exists = try await connection.query(
            "SELECT to_regclass('skein_schema_migrations') IS NOT NULL", logger: logger
        ).collect()
        guard let row = exists.first, try row.decode(Bool.self) else { return [] }
        var versions: Set<Int> = []
        for try await version in try await connection.query(
            "SELECT version FROM skein_schema_migrations", logger: logger
        ).decode(Int.self) {
            versions.insert(version)
        }
        return versions
    }

    /// BEGIN, the advisory lock, `body`, COMMIT; ROLLBACK when anything throws.
    @discardableResult
    private func inTransaction<T>(
        _ connection: PostgresConnection,
        _ body: () async throws -> T
    ) async throws -> T {
        try await connection.query("BEGIN", logger: logger)
        do {
            try await connection.query("SELECT pg_advisory_xact_lock(\(Self.advisoryLockKey))", logger: logger).drain()
            let result = try await body()
            try await connection.query("COMMIT", logger: logger)
            return result
        } catch {
            do {
                try await connection.query("ROLLBACK", logger: logger)
            } catch {
                logger.warning("rollback after a failed migration step failed", metadata: ["error": "\(Self.serverMessage(of: error))"])
            }
            throw error
        }
    }

    /// The server's own words for a failed statement (message, detail, hint, SQLSTATE).
    static func serverMessage(of error: any Error) -> String {
        guard let psql = error as? PSQLError else { return "\(error)" }
        guard let info = psql.serverInfo, let message = info[.message] else { return String(reflecting: psql) }
        var text = message
        if let detail = info[.detail] { text += " (\(detail))" }
        if let hint = info[.hint] { text += " hint: \(hint)" }
        if let state = info[.sqlState] { text += " [SQLSTATE \(state)]" }
        return text
    }
}

extension PostgresRowSequence {
    /// Consumes the rows, so the connection is free for the next statement.
    fileprivate func drain() async throws {
        for try await _ in self {}
    }
}
