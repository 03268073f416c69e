import TraceModel

/// How many arrays and key-value lists an attribute value may nest, the same for both OTLP
/// encodings. Each encoding's raw nesting guard (protobuf messages, JSON brackets) counts the
/// levels differently, so a value one of them accepts could be too deep for the other: a span
/// taken in over OTLP/JSON could not be handed out as protobuf and read back, and the other way
/// round. Values nested up to `limit` fit under both guards, and deeper ones are refused by both.
enum AttributeNesting {
    /// 40 is what the protobuf guard always allowed in an event or link attribute: 7 messages
    /// down to the value, 3 per nested key-value list, 128 at most. In OTLP/JSON the same value
    /// sits 12 + 4 × 40 = 172 levels deep, within its 180.
    static let limit = 40

    /// Throws when a value of some resource, scope, span, event or link nests deeper than `limit`.
    /// A resource or scope shared by consecutive spans is checked once, not once per span.
    static func check(_ spans: [Span], encoding: String) throws(IngestDecodingError) {
        var lastResource: [Attribute]?
        var lastScope: [Attribute]?
        for span in spans {
            if span.resource.attributes != lastResource {
                try check(span.resource.attributes, encoding: encoding)
                lastResource = span.resource.attributes
            }
            if span.scope.attributes != lastScope {
                try check(span.scope.attributes, encoding: encoding)
                lastScope = span.scope.attributes
            }
            try check(span.attributes, encoding: encoding)
            for event in span.events { try check(event.attributes, encoding: encoding) }
            for link in span.links { try check(link.attributes, encoding: encoding) }
        }
    }

    private static func check(_ attributes: [Attribute], encoding: String) throws(IngestDecodingError) {
        for attribute in attributes where attribute.value.nesting(upTo: limit + 1) > limit {
            throw IngestDecodingError(
                "\(encoding) body could not be decoded: attribute \"\(attribute.key.prefix(100))\" nests arrays or key-value lists more than \(limit) levels deep")
        }
    }
}

extension AttributeValue {
    /// Arrays and key-value lists around the deepest scalar (0 for a scalar), counting no
    /// further than `cap`.
    fileprivate func nesting(upTo cap: Int) -> Int {
        guard cap > 0 else { return 0 }
        switch self {
        case .array(let values):
            return 1 + values.reduce(0) { deepest, value in
                deepest == cap - 1 ? deepest : max(deepest, value.nesting(upTo: cap - 1))
            }
        case .keyValueList(let attributes):
            return 1 + attributes.reduce(0) { deepest, attribute in
                deepest == cap - 1 ? deepest : max(deepest, attribute.value.nesting(upTo: cap - 1))
            }
        case .string, .bool, .int, .double, .bytes, .empty:
            return 0
        }
    }
}
