import Accounts
import Foundation
import Logging
import PostgresNIO

/// The PostgreSQL account store (schema in `Migrations/0003_accounts.sql`, reasons in
/// docs/storage.md, "Accounts and audit").
///
/// The caller owns the `PostgresClient` and must keep its `run()` going while the store is used.
/// Call `seedBuiltInRoles()` once at start-up, after migrating.
public final class PostgresAccountStore: AccountStore {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Runs `query` and returns how many rows it returned (statements end in `RETURNING 1`).
    func returnedRowCount(_ query: PostgresQuery) async throws -> Int {
        var count = 0
        for try await _ in try await client.query(query, logger: logger) { count += 1 }
        return count
    }

    /// Whether `error` is PostgreSQL's unique_violation.
    static func isUniqueViolation(_ error: any Error) -> Bool {
        sqlState(of: error) == "23505"
    }

    /// Whether `error` is PostgreSQL's foreign_key_violation.
    static func isForeignKeyViolation(_ error: any Error) -> Bool {
        sqlState(of: error) == "23503"
    }

    /// The server's SQLSTATE, also from inside a failed `withTransaction`.
    private static func sqlState(of error: any Error) -> String? {
        if let transaction = error as? PostgresTransactionError, let inner = transaction.closureError {
            return sqlState(of: inner)
        }
        return (error as? PSQLError)?.serverInfo?[.sqlState]
    }
}

extension Array where Element == UInt8 {
    /// The bytes as a `bytea` parameter.
    var bytea: ByteBuffer { ByteBuffer(bytes: self) }
}
