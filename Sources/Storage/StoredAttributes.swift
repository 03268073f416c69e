import Foundation
import TraceModel

/// The typed JSONB encoding of attribute lists, events and links (see docs/storage.md).
///
/// Every `AttributeValue` survives exactly: strings, bools and integers are plain JSON; doubles are
/// JSON numbers with a `.` (PostgreSQL's numeric keeps `1.0` as `1.0`), or `{"$d":"1e+300"}` when
/// the plain form would not survive (exponents, NaN, infinities, -0.0); bytes are `{"$b":base64}`;
/// arrays are JSON arrays; key-value lists are `{"$kv":{...}}`; empty is `null`.
/// Attribute lists become one JSON object; on reading, keys come back sorted (jsonb sorts them) and
/// a repeated key keeps its last value.
enum StoredAttributes {
    /// Values in `attribute_keys.value_type`.
    enum ValueType: Int16 {
        case empty = 0, string, bool, int, double, bytes, array, keyValueList
    }

    static func valueType(_ value: AttributeValue) -> ValueType {
        switch value {
        case .empty: return .empty
        case .string: return .string
        case .bool: return .bool
        case .int: return .int
        case .double: return .double
        case .bytes: return .bytes
        case .array: return .array
        case .keyValueList: return .keyValueList
        }
    }

    // MARK: Attributes

    // Written straight into the column's text (no intermediate JSON tree): this runs for every
    // attribute of every span written.

    static func encode(_ attributes: [Attribute]) -> String {
        var output = ""
        write(attributes, into: &output)
        return output
    }

    /// One value's JSON text, as it stands in an attribute object.
    static func encode(_ value: AttributeValue) -> String {
        var output = ""
        write(value, into: &output)
        return output
    }

    static func write(_ attributes: [Attribute], into output: inout String) {
        output += "{"
        for (index, attribute) in attributes.enumerated() {
            if index > 0 { output += "," }
            StoredJSON.writeString(attribute.key, into: &output)
            output += ":"
            write(attribute.value, into: &output)
        }
        output += "}"
    }

    static func write(_ value: AttributeValue, into output: inout String) {
        switch value {
        case .empty: output += "null"
        case .string(let text): StoredJSON.writeString(text, into: &output)
        case .bool(let flag): output += flag ? "true" : "false"
        case .int(let number): output += String(number)
        case .double(let number):
            let text = String(number)
            let survivesAsNumber = number.isFinite && !(number == 0 && number.sign == .minus)
                && text.contains(".") && !text.contains("e")
            if survivesAsNumber {
                output += text
            } else {
                output += "{\"$d\":"
                StoredJSON.writeString(text, into: &output)
                output += "}"
            }
        case .bytes(let bytes):
            output += "{\"$b\":\""
            output += Data(bytes).base64EncodedString()
            output += "\"}"
        case .array(let values):
            output += "["
            for (index, element) in values.enumerated() {
                if index > 0 { output += "," }
                write(element, into: &output)
            }
            output += "]"
        case .keyValueList(let attributes):
            output += "{\"$kv\":"
            write(attributes, into: &output)
            output += "}"
        }
    }

    static func decode(_ text: String) throws -> [Attribute] {
        var text = text
        return try text.withUTF8 { try decode(UnsafeRawBufferPointer($0)) }
    }

    /// Attributes from the UTF-8 text of an attribute object, read in place.
    static func decode(_ bytes: UnsafeRawBufferPointer) throws -> [Attribute] {
        var parser = StoredJSON.Parser(bytes: bytes)
        let attributes = try parser.parseAttributes(depth: 0)
        try parser.expectEnd()
        return attributes
    }

    static func attributes(_ json: StoredJSON) throws -> [Attribute] {
        guard case .object(let members) = json else { throw StoredJSONError(message: "attributes are not an object", position: 0) }
        var latest: [String: AttributeValue] = [:]
        for member in members { latest[member.key] = try value(member.value) }
        return latest.map { Attribute($0.key, $0.value) }.sorted { $0.key < $1.key }
    }

    static func value(_ json: StoredJSON) throws -> AttributeValue {
        switch json {
        case .null: return .empty
        case .bool(let flag): return .bool(flag)
        case .string(let text): return .string(text)
        case .number(let digits):
            if !digits.contains(where: { $0 == "." || $0 == "e" || $0 == "E" }), let integer = Int64(digits) { return .int(integer) }
            guard let number = Double(digits) else { throw StoredJSONError(message: "bad number \(digits)", position: 0) }
            return .double(number)
        case .array(let values): return .array(try values.map(value))
        case .object(let members):
            guard members.count == 1, let member = members.first else { throw StoredJSONError(message: "unknown tagged value", position: 0) }
            switch (member.key, member.value) {
            case ("$d", .string(let text)):
                guard let number = Double(text) else { throw StoredJSONError(message: "bad double \(text)", position: 0) }
                return .double(number)
            case ("$b", .string(let base64)):
                guard let data = Data(base64Encoded: base64) else { throw StoredJSONError(message: "bad base64", position: 0) }
                return .bytes(Array(data))
            case ("$kv", let list): return .keyValueList(try attributes(list))
            default: throw StoredJSONError(message: "unknown tagged value \(member.key)", position: 0)
            }
        }
    }

    // MARK: Events and links

    /// `[{"t":ns,"n":name,"a":{...},"d":dropped}]`; `nil` (SQL NULL) for no events.
    static func encode(_ events: [SpanEvent]) -> String? {
        guard !events.isEmpty else { return nil }
        var output = "["
        for (index, event) in events.enumerated() {
            if index > 0 { output += "," }
            output += "{\"t\":\(event.timeUnixNano),\"n\":"
            StoredJSON.writeString(event.name, into: &output)
            if !event.attributes.isEmpty { output += ",\"a\":"; write(event.attributes, into: &output) }
            if event.droppedAttributesCount > 0 { output += ",\"d\":\(event.droppedAttributesCount)" }
            output += "}"
        }
        return output + "]"
    }

    static func decodeEvents(_ text: String?) throws -> [SpanEvent] {
        guard var text else { return [] }
        return try text.withUTF8 { try decodeEvents(UnsafeRawBufferPointer($0)) }
    }

    /// Events from the UTF-8 text of an event array, read in place.
    static func decodeEvents(_ bytes: UnsafeRawBufferPointer) throws -> [SpanEvent] {
        guard case .array(let items) = try StoredJSON.parse(bytes) else { throw StoredJSONError(message: "events are not an array", position: 0) }
        return try items.map { item in
            SpanEvent(
                timeUnixNano: try unsigned(item["t"]) ?? 0,
                name: try string(item["n"]) ?? "",
                attributes: try item["a"].map(attributes) ?? [],
                droppedAttributesCount: UInt32(clamping: try unsigned(item["d"]) ?? 0))
        }
    }

    /// `[{"t":traceHex,"s":spanHex,"ts":traceState,"a":{...},"d":dropped,"f":flags}]`; `nil` for no links.
    static func encode(_ links: [SpanLink]) -> String? {
        guard !links.isEmpty else { return nil }
        var output = "["
        for (index, link) in links.enumerated() {
            if index > 0 { output += "," }
            output += "{\"t\":\"\(link.traceID.hex)\",\"s\":\"\(link.spanID.hex)\""
            if !link.traceState.isEmpty { output += ",\"ts\":"; StoredJSON.writeString(link.traceState, into: &output) }
            if !link.attributes.isEmpty { output += ",\"a\":"; write(link.attributes, into: &output) }
            if link.droppedAttributesCount > 0 { output += ",\"d\":\(link.droppedAttributesCount)" }
            if link.flags != 0 { output += ",\"f\":\(link.flags)" }
            output += "}"
        }
        return output + "]"
    }

    static func decodeLinks(_ text: String?) throws -> [SpanLink] {
        guard var text else { return [] }
        return try text.withUTF8 { try decodeLinks(UnsafeRawBufferPointer($0)) }
    }

    /// Links from the UTF-8 text of a link array, read in place.
    static func decodeLinks(_ bytes: UnsafeRawBufferPointer) throws -> [SpanLink] {
        guard case .array(let items) = try StoredJSON.parse(bytes) else { throw StoredJSONError(message: "links are not an array", position: 0) }
        return try items.map { item in
            guard let traceHex = try string(item["t"]), let traceID = TraceID(hex: traceHex),
                  let spanHex = try string(item["s"]), let spanID = SpanID(hex: spanHex)
            else { throw StoredJSONError(message: "link without ids", position: 0) }
            return SpanLink(
                traceID: traceID, spanID: spanID,
                traceState: try string(item["ts"]) ?? "",
                attributes: try item["a"].map(attributes) ?? [],
                droppedAttributesCount: UInt32(clamping: try unsigned(item["d"]) ?? 0),
                flags: UInt32(clamping: try unsigned(item["f"]) ?? 0))
        }
    }

    private static func unsigned(_ json: StoredJSON?) throws -> UInt64? {
        guard let json else { return nil }
        guard case .number(let digits) = json, let value = UInt64(digits) else { throw StoredJSONError(message: "expected an unsigned integer", position: 0) }
        return value
    }

    private static func string(_ json: StoredJSON?) throws -> String? {
        guard let json else { return nil }
        guard case .string(let text) = json else { throw StoredJSONError(message: "expected a string", position: 0) }
        return text
    }
}
