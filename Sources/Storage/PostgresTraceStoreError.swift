/// Why the store could not complete an operation.
public enum PostgresTraceStoreError: Error, CustomStringConvertible {
    /// A dictionary row vanished between its creation and its use (should not happen).
    case dictionaryEntryMissing
    /// A stored row could not be decoded.
    case corruptRow(String)

    public var description: String {
        switch self {
        case .dictionaryEntryMissing: return "a dictionary entry for the batch could not be found; retry the write"
        case .corruptRow(let detail): return "a stored span could not be read: \(detail)"
        }
    }
}
