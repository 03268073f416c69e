import TraceModel

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
