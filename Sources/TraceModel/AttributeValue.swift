/// A typed attribute value, as OpenTelemetry's `AnyValue`: every variant survives storage and query.
public indirect enum AttributeValue: Hashable, Sendable {
    case string(String)
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case bytes([UInt8])
    case array([AttributeValue])
    case keyValueList([Attribute])
    /// An `AnyValue` with no value set.
    case empty

    /// A plain-text rendering for display and for `key=value` matching.
    public var text: String {
        switch self {
        case .string(let value): return value
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return String(value)
        case .bytes(let value): return value.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
        case .array(let values): return "[" + values.map(\.quotedText).joined(separator: ", ") + "]"
        case .keyValueList(let attributes):
            return "{" + attributes.map { "\($0.key): \($0.value.quotedText)" }.joined(separator: ", ") + "}"
        case .empty: return ""
        }
    }

    private var quotedText: String {
        if case .string(let value) = self { return "\"\(value)\"" }
        return text
    }
}
