import TraceModel

/// One attribute as a table row: key, readable value and its type.
struct AttributeRow: Sendable {
    var key: String
    var value: String
    var type: String
    var isEmpty: Bool

    /// Rows for attributes; key-value lists are flattened to dotted keys so nested maps stay readable.
    static func rows(_ attributes: [Attribute], prefix: String = "", depth: Int = 0) -> [AttributeRow] {
        var rows: [AttributeRow] = []
        for attribute in attributes {
            let key = prefix + attribute.key
            if case .keyValueList(let nested) = attribute.value, depth < 8, !nested.isEmpty {
                rows += Self.rows(nested, prefix: key + ".", depth: depth + 1)
            } else {
                let text = attribute.value.text
                rows.append(AttributeRow(key: key, value: text, type: typeName(attribute.value), isEmpty: text.isEmpty))
            }
        }
        return rows
    }

    static func typeName(_ value: AttributeValue) -> String {
        switch value {
        case .string: return "string"
        case .bool: return "bool"
        case .int: return "int"
        case .double: return "double"
        case .bytes: return "bytes"
        case .array(let values): return "array[\(values.count)]"
        case .keyValueList: return "map"
        case .empty: return "empty"
        }
    }
}
