/// A JSON value as Skein reads it back from PostgreSQL `jsonb` (writing goes straight to text:
/// `StoredAttributes.write` and `writeString` below).
///
/// Numbers keep their text, so integers never pass through `Double` and `1.0` stays a double.
/// Objects keep their members in order (as a list), which lets duplicate keys be resolved by the
/// caller (PostgreSQL itself keeps the last duplicate and sorts keys).
enum StoredJSON: Sendable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([StoredJSON])
    case object([(key: String, value: StoredJSON)])

    /// The member with this key (the last one when the key repeats), for objects.
    subscript(key: String) -> StoredJSON? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.key == key }?.value
    }

    /// Writes a JSON string literal. PostgreSQL cannot store U+0000 in `jsonb` or `text`, so it is
    /// replaced with U+FFFD (the only lossy case, documented in docs/storage.md).
    static func writeString(_ value: String, into output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{0}": output += "\u{FFFD}"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        output += "\""
    }

    /// Parses JSON text (as PostgreSQL prints `jsonb`).
    static func parse(_ text: String) throws -> StoredJSON {
        var text = text
        return try text.withUTF8 { try parse(UnsafeRawBufferPointer($0)) }
    }

    /// Parses JSON text given as UTF-8 bytes (a row's cell, read in place).
    static func parse(_ bytes: UnsafeRawBufferPointer) throws -> StoredJSON {
        var parser = Parser(bytes: bytes)
        let value = try parser.parseValue(depth: 0)
        try parser.expectEnd()
        return value
    }

    /// A recursive-descent reader over UTF-8 bytes it does not own (valid while they are).
    struct Parser {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

        /// Only whitespace may follow the value.
        mutating func expectEnd() throws {
            skipWhitespace()
            guard position == bytes.count else { throw StoredJSONError(message: "trailing characters", position: position) }
        }

        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x0A, 0x0D, 0x09: position += 1
                default: return
                }
            }
        }

        func failure(_ message: String) -> StoredJSONError { StoredJSONError(message: message, position: position) }

        mutating func expect(_ byte: UInt8) throws {
            guard position < bytes.count, bytes[position] == byte else { throw failure("expected '\(Character(Unicode.Scalar(byte)))'") }
            position += 1
        }

        mutating func expectWord(_ word: String) throws {
            for byte in word.utf8 { try expect(byte) }
        }

        mutating func parseValue(depth: Int) throws -> StoredJSON {
            guard depth < 512 else { throw failure("nesting too deep") }
            skipWhitespace()
            guard position < bytes.count else { throw failure("unexpected end") }
            switch bytes[position] {
            case UInt8(ascii: "n"): try expectWord("null"); return .null
            case UInt8(ascii: "t"): try expectWord("true"); return .bool(true)
            case UInt8(ascii: "f"): try expectWord("false"); return .bool(false)
            case UInt8(ascii: "\""): return .string(try parseString())
            case UInt8(ascii: "["):
                position += 1
                var values: [StoredJSON] = []
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(values) }
                while true {
                    values.append(try parseValue(depth: depth + 1))
                    skipWhitespace()
                    if position < bytes.count, bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    try expect(UInt8(ascii: "]"))
                    return .array(values)
                }
            case UInt8(ascii: "{"):
                position += 1
                var members: [(key: String, value: StoredJSON)] = []
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
                while true {
                    skipWhitespace()
                    let key = try parseString()
                    skipWhitespace()
                    try expect(UInt8(ascii: ":"))
                    members.append((key, try parseValue(depth: depth + 1)))
                    skipWhitespace()
                    if position < bytes.count, bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    try expect(UInt8(ascii: "}"))
                    return .object(members)
                }
            default:
                return .number(try parseNumber())
            }
        }

        mutating func parseNumber() throws -> String {
            String(decoding: try numberBytes(), as: UTF8.self)
        }

        /// The bytes of the number at the current position.
        mutating func numberBytes() throws -> UnsafeRawBufferPointer {
            let start = position
            while position < bytes.count, Self.isNumberByte(bytes[position]) { position += 1 }
            guard position > start else { throw failure("unexpected character") }
            return UnsafeRawBufferPointer(rebasing: bytes[start..<position])
        }

        static func isNumberByte(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+")
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")
        }

        mutating func parseString() throws -> String {
            try expect(UInt8(ascii: "\""))
            // Most strings have no escapes: take them as one slice.
            let start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\") {
                position += 1
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: "\"") {
                position += 1
                return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<position - 1]), as: UTF8.self)
            }
            var utf8 = Array(bytes[start..<position])
            while true {
                guard position < bytes.count else { throw failure("unterminated string") }
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: "\"") { break }
                guard byte == UInt8(ascii: "\\") else { utf8.append(byte); continue }
                guard position < bytes.count else { throw failure("unterminated escape") }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escape)
                case UInt8(ascii: "b"): utf8.append(0x08)
                case UInt8(ascii: "f"): utf8.append(0x0C)
                case UInt8(ascii: "n"): utf8.append(0x0A)
                case UInt8(ascii: "r"): utf8.append(0x0D)
                case UInt8(ascii: "t"): utf8.append(0x09)
                case UInt8(ascii: "u"):
                    var code = try parseHex4()
                    if (0xD800..<0xDC00).contains(code), position + 1 < bytes.count,
                       bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") {
                        position += 2
                        let low = try parseHex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low &- 0xDC00)
                    }
                    utf8.append(contentsOf: String(Unicode.Scalar(code) ?? "\u{FFFD}").utf8)
                default: throw failure("bad escape")
                }
            }
            return String(decoding: utf8, as: UTF8.self)
        }

        mutating func parseHex4() throws -> UInt32 {
            guard position + 4 <= bytes.count else { throw failure("bad \\u escape") }
            var code: UInt32 = 0
            for byte in bytes[position..<position + 4] {
                guard let nibble = Self.hexValue(byte) else { throw failure("bad \\u escape") }
                code = code << 4 | nibble
            }
            position += 4
            return code
        }

        static func hexValue(_ byte: UInt8) -> UInt32? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(byte - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(byte - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(byte - UInt8(ascii: "A") + 10)
            default: return nil
            }
        }
    }
}

/// Stored JSON that Skein cannot read back (a corrupted or foreign row).
struct StoredJSONError: Error, CustomStringConvertible {
    var message: String
    var position: Int

    var description: String { "stored JSON is malformed at byte \(position): \(message)" }
}
