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

/// In-memory copies of dictionary rows, so a steady stream of spans costs no dictionary queries.
struct DictionaryCache: Sendable {
    struct OperationKey: Hashable, Sendable {
        var serviceID: Int32
        var name: String
        var kind: Int16
    }

    struct AttributeKey: Hashable, Sendable {
        var key: String
        var source: Int16
    }

    var serviceIDs: [String: Int32] = [:]
    var serviceNames: [Int32: String] = [:]
    var operationIDs: [OperationKey: Int32] = [:]
    var operations: [Int32: OperationKey] = [:]
    var resourceIDs: [[UInt8]: Int64] = [:]
    var resources: [Int64: Resource] = [:]
    var scopeIDs: [[UInt8]: Int64] = [:]
    var scopes: [Int64: InstrumentationScope] = [:]
    /// When each attribute key was last written to `attribute_keys` by this process (Unix seconds).
    var attributeKeysWritten: [AttributeKey: Int64] = [:]
    /// UTC days (since the epoch) whose partitions exist.
    var partitionDays: Set<Int64> = []

    /// Bounds memory on servers that see an unbounded number of distinct resources or operations.
    mutating func trimIfLarge() {
        let limit = 200_000
        if resourceIDs.count + resources.count > limit { resourceIDs = [:]; resources = [:] }
        if scopeIDs.count + scopes.count > limit { scopeIDs = [:]; scopes = [:] }
        if operationIDs.count + operations.count > limit { operationIDs = [:]; operations = [:] }
        if attributeKeysWritten.count > limit { attributeKeysWritten = [:] }
    }
}

extension String {
    /// PostgreSQL `text` cannot hold U+0000; it becomes U+FFFD (documented in docs/storage.md).
    var storable: String {
        contains("\u{0}") ? String(String.UnicodeScalarView(unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 })) : self
    }
}
