/// What a Skein database occupies on disk: every table of the schema (partitions counted under
/// their parent) split into heap, TOAST with the free-space and visibility maps, and indexes, plus
/// each index on its own, and the span count they hold. The whole is `pg_total_relation_size`
/// summed over every table.
public struct StorageFootprint: Sendable, Hashable {
    /// One table (a partitioned table sums its partitions).
    public struct Table: Sendable, Hashable {
        public var name: String
        public var heapBytes: Int64
        /// TOAST plus the free-space and visibility maps: `pg_table_size` − `pg_relation_size`.
        public var toastBytes: Int64
        public var indexBytes: Int64
        public var totalBytes: Int64 { heapBytes + toastBytes + indexBytes }

        public init(name: String, heapBytes: Int64, toastBytes: Int64, indexBytes: Int64) {
            self.name = name
            self.heapBytes = heapBytes
            self.toastBytes = toastBytes
            self.indexBytes = indexBytes
        }
    }

    /// One index (a partitioned index sums its partitions' indexes).
    public struct Index: Sendable, Hashable {
        public var name: String
        public var bytes: Int64

        public init(name: String, bytes: Int64) {
            self.name = name
            self.bytes = bytes
        }
    }

    public var tables: [Table]
    public var indexes: [Index]
    public var spanCount: Int64

    public init(tables: [Table], indexes: [Index], spanCount: Int64) {
        self.tables = tables.sorted { ($0.totalBytes, $1.name) > ($1.totalBytes, $0.name) }
        self.indexes = indexes.sorted { ($0.bytes, $1.name) > ($1.bytes, $0.name) }
        self.spanCount = spanCount
    }

    public var totalBytes: Int64 { tables.reduce(0) { $0 + $1.totalBytes } }

    /// Bytes on disk per stored span, indexes and TOAST included; nil without spans.
    public var bytesPerSpan: Double? {
        spanCount > 0 ? Double(totalBytes) / Double(spanCount) : nil
    }

    /// `bytes` per stored span; 0 without spans.
    public func perSpan(_ bytes: Int64) -> Double {
        spanCount > 0 ? Double(bytes) / Double(spanCount) : 0
    }
}
