import TraceModel

/// Writes OTLP/JSON straight into bytes (several times faster than `JSONEncoder`, which matters
/// when the API serves a whole large trace). Same output rules as the spec: lowerCamelCase
/// keys, hex ids, 64-bit integers as strings, enums as integers, default values left out.
/// `<`, `>` and `&` are written as `\u003c`-style escapes so the text is also safe inside HTML.
struct OTLPJSONWriter {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// `{"resourceSpans":[...]}` for these spans, grouped by resource and scope.
    mutating func write(_ spans: [Span]) {
        var first = true
        beginObject()
        key("resourceSpans", &first)
        array(SpanGrouping(spans).groups) { $0.write($1) }
        endObject()
    }

    private mutating func write(_ group: SpanGrouping.ResourceGroup) {
        var first = true
        beginObject()
        key("resource", &first)
        var resourceFirst = true
        beginObject()
        attributes(group.resource.attributes, &resourceFirst)
        uint32("droppedAttributesCount", group.resource.droppedAttributesCount, &resourceFirst)
        endObject()
        list("scopeSpans", group.scopes, &first) { $0.write($1) }
        string("schemaUrl", group.resource.schemaURL, &first)
        endObject()
    }

    private mutating func write(_ group: SpanGrouping.ScopeGroup) {
        var first = true
        beginObject()
        key("scope", &first)
        var scopeFirst = true
        beginObject()
        string("name", group.scope.name, &scopeFirst)
        string("version", group.scope.version, &scopeFirst)
        attributes(group.scope.attributes, &scopeFirst)
        uint32("droppedAttributesCount", group.scope.droppedAttributesCount, &scopeFirst)
        endObject()
        list("spans", group.spans, &first) { $0.write($1) }
        string("schemaUrl", group.scope.schemaURL, &first)
        endObject()
    }

    private mutating func write(_ span: Span) {
        var first = true
        beginObject()
        key("traceId", &first)
        quoted(span.traceID.hex)
        key("spanId", &first)
        quoted(span.spanID.hex)
        if let parent = span.parentSpanID {
            key("parentSpanId", &first)
            quoted(parent.hex)
        }
        string("traceState", span.traceState, &first)
        uint32("flags", span.flags, &first)
        string("name", span.name, &first)
        if span.kind.rawValue != 0 {
            key("kind", &first)
            decimal(span.kind.rawValue)
        }
        uint64("startTimeUnixNano", span.startTimeUnixNano, &first)
        uint64("endTimeUnixNano", span.endTimeUnixNano, &first)
        attributes(span.attributes, &first)
        uint32("droppedAttributesCount", span.droppedAttributesCount, &first)
        list("events", span.events, &first) { $0.write($1) }
        uint32("droppedEventsCount", span.droppedEventsCount, &first)
        list("links", span.links, &first) { $0.write($1) }
        uint32("droppedLinksCount", span.droppedLinksCount, &first)
        if span.status != SpanStatus() {
            key("status", &first)
            var statusFirst = true
            beginObject()
            string("message", span.status.message, &statusFirst)
            if span.status.code.rawValue != 0 {
                key("code", &statusFirst)
                decimal(span.status.code.rawValue)
            }
            endObject()
        }
        endObject()
    }

    private mutating func write(_ event: SpanEvent) {
        var first = true
        beginObject()
        uint64("timeUnixNano", event.timeUnixNano, &first)
        string("name", event.name, &first)
        attributes(event.attributes, &first)
        uint32("droppedAttributesCount", event.droppedAttributesCount, &first)
        endObject()
    }

    private mutating func write(_ link: SpanLink) {
        var first = true
        beginObject()
        key("traceId", &first)
        quoted(link.traceID.hex)
        key("spanId", &first)
        quoted(link.spanID.hex)
        string("traceState", link.traceState, &first)
        attributes(link.attributes, &first)
        uint32("droppedAttributesCount", link.droppedAttributesCount, &first)
        uint32("flags", link.flags, &first)
        endObject()
    }

    // MARK: attributes and values

    private mutating func attributes(_ attributes: [Attribute], _ first: inout Bool) {
        list("attributes", attributes, &first) { $0.keyValue($1) }
    }

    private mutating func keyValue(_ attribute: Attribute) {
        var first = true
        beginObject()
        key("key", &first)
        quoted(attribute.key)
        // An empty value is still written as `{}`, as protobuf JSON writes a set message.
        key("value", &first)
        value(attribute.value)
        endObject()
    }

    private mutating func value(_ value: AttributeValue) {
        var first = true
        beginObject()
        switch value {
        case .string(let string):
            key("stringValue", &first)
            quoted(string)
        case .bool(let bool):
            key("boolValue", &first)
            bytes.append(contentsOf: (bool ? "true" : "false").utf8)
        case .int(let int):
            key("intValue", &first)
            quotedDecimal(int)
        case .double(let double):
            key("doubleValue", &first)
            if double.isNaN {
                quoted("NaN")
            } else if double.isInfinite {
                quoted(double < 0 ? "-Infinity" : "Infinity")
            } else {
                // Swift's description is the shortest text that reads back to the same double.
                bytes.append(contentsOf: double.description.utf8)
            }
        case .bytes(let data):
            key("bytesValue", &first)
            quoted(Base64.encode(data))
        case .array(let values):
            key("arrayValue", &first)
            var arrayFirst = true
            beginObject()
            list("values", values, &arrayFirst) { $0.value($1) }
            endObject()
        case .keyValueList(let attributes):
            key("kvlistValue", &first)
            var listFirst = true
            beginObject()
            list("values", attributes, &listFirst) { $0.keyValue($1) }
            endObject()
        case .empty:
            break
        }
        endObject()
    }

    // MARK: arrays and scalars

    /// `"name":[...]`, left out when empty as proto3 JSON leaves out empty repeated fields.
    private mutating func list<Element>(
        _ name: String, _ elements: [Element], _ first: inout Bool, _ element: (inout Self, Element) -> Void
    ) {
        guard !elements.isEmpty else { return }
        key(name, &first)
        array(elements, element)
    }

    private mutating func array<Element>(_ elements: [Element], _ element: (inout Self, Element) -> Void) {
        beginArray()
        for (index, item) in elements.enumerated() {
            if index > 0 { comma() }
            element(&self, item)
        }
        endArray()
    }

    private mutating func string(_ name: String, _ value: String, _ first: inout Bool) {
        guard !value.isEmpty else { return }
        key(name, &first)
        quoted(value)
    }

    private mutating func uint32(_ name: String, _ value: UInt32, _ first: inout Bool) {
        guard value != 0 else { return }
        key(name, &first)
        decimal(value)
    }

    private mutating func uint64(_ name: String, _ value: UInt64, _ first: inout Bool) {
        guard value != 0 else { return }
        key(name, &first)
        quotedDecimal(value)
    }

    private mutating func key(_ name: String, _ first: inout Bool) {
        if !first { comma() }
        first = false
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    private mutating func decimal(_ value: some FixedWidthInteger) {
        bytes.append(contentsOf: String(value).utf8)
    }

    private mutating func quotedDecimal(_ value: some FixedWidthInteger) {
        bytes.append(UInt8(ascii: "\""))
        decimal(value)
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// A JSON string: quotes, backslashes and control characters escaped, plus `<`, `>`, `&`.
    private mutating func quoted(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        for byte in string.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case UInt8(ascii: "\n"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\r"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case UInt8(ascii: "\t"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0..<0x20, UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"):
                bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                bytes.append(Self.hexDigits[Int(byte >> 4)])
                bytes.append(Self.hexDigits[Int(byte & 0x0F)])
            default:
                bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func comma() { bytes.append(UInt8(ascii: ",")) }
    private mutating func beginObject() { bytes.append(UInt8(ascii: "{")) }
    private mutating func endObject() { bytes.append(UInt8(ascii: "}")) }
    private mutating func beginArray() { bytes.append(UInt8(ascii: "[")) }
    private mutating func endArray() { bytes.append(UInt8(ascii: "]")) }
}
