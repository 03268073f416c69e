import Foundation

// Lenient readers for the proto3 JSON scalar forms OTLP/JSON senders use.

extension KeyedDecodingContainer {
    /// A string field; absent or null reads as "".
    func string(_ key: Key) throws -> String {
        try decodeIfPresent(String.self, forKey: key) ?? ""
    }

    /// A repeated field; absent or null reads as empty.
    func list<Element: Decodable>(_ key: Key, of type: Element.Type = Element.self) throws -> [Element] {
        try decodeIfPresent([Element].self, forKey: key) ?? []
    }

    func isPresent(_ key: Key) throws -> Bool {
        guard contains(key) else { return false }
        return try !decodeNil(forKey: key)
    }

    /// An integer field sent as a JSON number or as a decimal string (proto3 JSON writes
    /// 64-bit integers as strings); absent or null reads as 0.
    func integer<Value: FixedWidthInteger & Decodable>(_ key: Key, as type: Value.Type = Value.self) throws -> Value {
        guard try isPresent(key) else { return 0 }
        // Failed attempts cost an error value each, so try the usual form first: proto3 JSON
        // writes 64-bit integers as strings and narrower ones as numbers.
        if Value.bitWidth < 64, let value = try? decode(Value.self, forKey: key) { return value }
        if let text = try? decode(String.self, forKey: key) {
            if let value = Value(text, radix: 10), text.first != "+" { return value }
        } else if let value = try? decode(Value.self, forKey: key) {
            return value
        } else if let double = try? decode(Double.self, forKey: key), let value = Value(exactly: double) {
            return value
        }
        throw DecodingError.dataCorruptedError(
            forKey: key, in: self, debugDescription: "expected a \(Value.self) as a JSON number or a decimal string")
    }

    /// A double field sent as a number, a numeric string, or "NaN" / "Infinity" / "-Infinity".
    func double(_ key: Key) throws -> Double {
        guard try isPresent(key) else { return 0 }
        if let value = try? decode(Double.self, forKey: key) { return value }
        if let text = try? decode(String.self, forKey: key) {
            switch text {
            case "NaN": return .nan
            case "Infinity": return .infinity
            case "-Infinity": return -.infinity
            default: if let value = Double(text), value.isFinite { return value }
            }
        }
        throw DecodingError.dataCorruptedError(
            forKey: key, in: self, debugDescription: "expected a double as a JSON number or string")
    }

    /// An enum field sent as its number or its name; unknown names read as 0 (the
    /// unspecified value), as protobuf JSON does when unknown values are ignored.
    func enumeration(_ key: Key, names: [String]) throws -> Int {
        guard try isPresent(key) else { return 0 }
        if let number = try? decode(Int32.self, forKey: key) { return Int(number) }
        if let name = try? decode(String.self, forKey: key) {
            return names.firstIndex(of: name) ?? 0
        }
        throw DecodingError.dataCorruptedError(
            forKey: key, in: self, debugDescription: "expected an enum value as a JSON number or a name")
    }

    /// Base64 bytes (standard or URL-safe alphabet, padding optional).
    func base64(_ key: Key) throws -> [UInt8] {
        let text = try string(key)
        guard let bytes = Base64.decode(text) else {
            throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "expected base64 bytes")
        }
        return bytes
    }
}
