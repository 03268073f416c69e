import Logging
import PostgresNIO
import Synchronization
import TraceModel

/// The PostgreSQL trace store: batched, idempotent writes into day-partitioned tables and the
/// reads behind search, trace pages and the Jaeger API (schema in `Migrations/`, reasons in docs/storage.md).
///
/// The caller owns the `PostgresClient` and must keep its `run()` going while the store is used.
public final class PostgresTraceStore: TraceWriter, TraceReader {
    let client: PostgresClient
    let logger: Logger
    /// Dictionary ids and known partitions, cached after first sight (entries are added only after
    /// the transaction that created them committed).
    let cache = Mutex(DictionaryCache())

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Whether the database answers `SELECT 1` within `timeout` (a readiness probe must not hang
    /// while the pool waits for an unreachable server).
    public func isReady(timeout: Duration = .seconds(2)) async -> Bool {
        let client = client, logger = logger
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                do {
                    let rows = try await client.query("SELECT 1", logger: logger)
                    for try await _ in rows {}
                    return true
                } catch {
                    logger.debug("database not ready", metadata: ["error": "\(String(reflecting: error))"])
                    return false
                }
            }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}

extension String {
    /// PostgreSQL `text` cannot hold U+0000; it becomes U+FFFD (documented in docs/storage.md).
    var storable: String {
        contains("\u{0}") ? String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 })) : self
    }
}
