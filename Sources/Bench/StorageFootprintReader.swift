import Logging
import PostgresNIO

/// Reads a `StorageFootprint` from PostgreSQL's size functions for the tables of the current schema.
public struct StorageFootprintReader: Sendable {
    public let client: PostgresClient
    public let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    public func read() async throws -> StorageFootprint {
        var tables: [StorageFootprint.Table] = []
        let tableRows = try await client.query("""
            SELECT coalesce(p.relname, c.relname)::text,
                   sum(pg_relation_size(c.oid))::bigint,
                   sum(pg_table_size(c.oid) - pg_relation_size(c.oid))::bigint,
                   sum(pg_indexes_size(c.oid))::bigint
            FROM pg_class c
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_inherits i ON i.inhrelid = c.oid
            LEFT JOIN pg_class p ON p.oid = i.inhparent
            WHERE n.nspname = current_schema() AND c.relkind = 'r'
            GROUP BY 1
            """, logger: logger)
        for try await (name, heap, toast, indexes) in tableRows.decode((String, Int64, Int64, Int64).self) {
            tables.append(.init(name: name, heapBytes: heap, toastBytes: toast, indexBytes: indexes))
        }
        var indexes: [StorageFootprint.Index] = []
        let indexRows = try await client.query("""
            SELECT coalesce(pi.relname, ic.relname)::text, sum(pg_relation_size(ic.oid))::bigint
            FROM pg_index x
            JOIN pg_class ic ON ic.oid = x.indexrelid
            JOIN pg_class c ON c.oid = x.indrelid
            JOIN pg_namespace n ON n.oid = c.relnamespace
            LEFT JOIN pg_inherits i ON i.inhrelid = ic.oid
            LEFT JOIN pg_class pi ON pi.oid = i.inhparent
            WHERE n.nspname = current_schema() AND c.relkind = 'r'
            GROUP BY 1
            """, logger: logger)
        for try await (name, bytes) in indexRows.decode((String, Int64).self) {
            indexes.append(.init(name: name, bytes: bytes))
        }
        var spanCount: Int64 = 0
        for try await count in try await client.query("SELECT count(*)::bigint FROM spans", logger: logger).decode(Int64.self) {
            spanCount = count
        }
        return StorageFootprint(tables: tables, indexes: indexes, spanCount: spanCount)
    }
}
