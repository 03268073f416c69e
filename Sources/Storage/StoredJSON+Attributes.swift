import Foundation
import TraceModel

extension StoredJSON.Parser {
    /// Reads a typed attribute object (`StoredAttributes`) straight into attributes, without a
    /// `StoredJSON` tree: a trace of 1,000 spans holds some 12,000 attribute values.
    /// Sorted by key; a repeated key keeps its last value (as `StoredAttributes.attributes`).
    mutating func parseAttributes(depth: Int) throws -> [Attribute] {
        guard depth < 512 else { throw failure("nesting too deep") }
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") else {
            throw StoredJSONError(message: "attributes are not an object", position: position)
        }
        position += 1
        var attributes: [Attribute] = []
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return attributes
        }
        while true {
            skipWhitespace()
            let key = try parseString()
            skipWhitespace()
            try expect(UInt8(ascii: ":"))
            attributes.append(Attribute(key, try parseAttributeValue(depth: depth + 1)))
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            try expect(UInt8(ascii: "}"))
            return Self.normalized(attributes)
        }
    }

    /// Sorted by key, one attribute per key: the first spelling of a key with its last value.
    /// jsonb's own keys are unique (in length-then-bytes order), so the common case is one sort.
    static func normalized(_ attributes: [Attribute]) -> [Attribute] {
        guard attributes.count > 1 else { return attributes }
        var sorted = attributes
        sorted.sort { $0.key < $1.key }
        var hasRepeatedKey = false
        for index in 1..<sorted.count where sorted[index - 1].key == sorted[index].key {
            hasRepeatedKey = true
            break
        }
        guard hasRepeatedKey else { return sorted }
        let order = attributes.indices.sorted { left, right in
            let (a, b) = (attributes[left].key, attributes[right].key)
            return a < b || (a == b && left < right)
        }
        var result: [Attribute] = []
        result.reserveCapacity(attributes.count)
        for index in order {
            if let last = result.last, last.key == attributes[index].key {
                result[result.count - 1].value = attributes[index].value
            } else {
                result.append(attributes[index])
            }
        }
        return result
    }

    /// One typed value (see `StoredAttributes`).
    mutating func parseAttributeValue(depth: Int) throws -> AttributeValue {
        guard depth < 512 else { throw failure("nesting too deep") }
        skipWhitespace()
        guard position < bytes.count else { throw failure("unexpected end") }
        switch bytes[position] {
        case UInt8(ascii: "n"): try expectWord("null"); return .empty
        case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
        case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "["):
            position += 1
            var values: [AttributeValue] = []
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(values) }
            while true {
                values.append(try parseAttributeValue(depth: depth + 1))
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                try expect(UInt8(ascii: "]"))
                return .array(values)
            }
        case UInt8(ascii: "{"):
            return try parseTaggedValue(depth: depth)
        default:
            return try Self.number(numberBytes())
        }
    }

    /// `{"$d":"text"}`, `{"$b":"base64"}` or `{"$kv":{...}}`: exactly one member.
    private mutating func parseTaggedValue(depth: Int) throws -> AttributeValue {
        let start = position
        position += 1
        skipWhitespace()
        let tag = try parseString()
        skipWhitespace()
        try expect(UInt8(ascii: ":"))
        let value: AttributeValue
        switch tag {
        case "$d":
            skipWhitespace()
            let text = try parseString()
            guard let number = Double(text) else { throw StoredJSONError(message: "bad double \(text)", position: start) }
            value = .double(number)
        case "$b":
            skipWhitespace()
            let base64 = try parseString()
            guard let data = Data(base64Encoded: base64) else { throw StoredJSONError(message: "bad base64", position: start) }
            value = .bytes(Array(data))
        case "$kv":
            value = .keyValueList(try parseAttributes(depth: depth + 1))
        default:
            throw StoredJSONError(message: "unknown tagged value \(tag)", position: start)
        }
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "}") else {
            throw StoredJSONError(message: "unknown tagged value", position: start)
        }
        position += 1
        return value
    }

    /// An integer when the digits have no `.`/`e` and fit in 64 bits, else a double.
    static func number(_ digits: UnsafeRawBufferPointer) throws -> AttributeValue {
        if let integer = integer(digits) { return .int(integer) }
        let text = String(decoding: digits, as: UTF8.self)
        guard let number = Double(text) else { throw StoredJSONError(message: "bad number \(text)", position: 0) }
        return .double(number)
    }

    /// The digits as an Int64 (`-` allowed first), or nil when they are not a plain integer or overflow.
    static func integer(_ digits: UnsafeRawBufferPointer) -> Int64? {
        var index = 0
        let negative = digits.first == UInt8(ascii: "-")
        if negative { index = 1 }
        guard index < digits.count else { return nil }
        var magnitude: UInt64 = 0
        while index < digits.count {
            let byte = digits[index]
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
            index += 1
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { return nil }
        return Int64(magnitude)
    }
}
