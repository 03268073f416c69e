/// The stored attribute objects (`{"key": value}`) that an attribute condition `key = text` can
/// match, for a containment test (`attributes @> candidate`) the GIN index `spans_attributes`
/// answers. A condition compares the value's text (`skein_attribute_text`, which renders every
/// `AttributeValue` as `AttributeValue.text` does), so every value whose text could be `text` is a
/// candidate: the string, and, where `text` reads as one, the integer, the double (as the writer
/// stores it: a number, or `{"$d": text}` for exponents, NaN, infinities and -0.0, whose text is
/// always Swift's own rendering of the double), the bool, the empty value and the bytes. Containment compares numbers
/// by value (`500` also contains `500.0`), so the candidates are a superset: the search still
/// checks the text exactly.
enum SearchAttributeCandidates {
    /// Longest text tried as a plain JSON number (stored numbers are at most ~20 digits).
    static let longestNumberText = 64

    /// The candidates as JSON text, or nil when `text` could be the JSON text of an array or a
    /// key-value list (those compare as their JSON text; no containment test covers them).
    static func candidates(key: String, text: String) -> [String]? {
        if text.hasPrefix("[") || text.hasPrefix("{") { return nil }
        var values: [String] = [StoredAttributes.encode(.string(text))]
        if text.isEmpty { values.append(StoredAttributes.encode(.empty)) }
        if text == "true" || text == "false" { values.append(StoredAttributes.encode(.bool(text == "true"))) }
        if let integer = Int64(text), String(integer) == text { values.append(StoredAttributes.encode(.int(integer))) }
        if let double = Double(text), String(double) == text { values.append(StoredAttributes.encode(.double(double))) }
        if text.utf8.count <= longestNumberText, isPlainJSONNumber(text) { values.append(text) }
        if let bytes = lowercaseHexBytes(text) { values.append(StoredAttributes.encode(.bytes(bytes))) }

        var keyText = ""
        StoredJSON.writeString(key, into: &keyText)
        var seen: Set<String> = []
        return values.filter { seen.insert($0).inserted }.map { "{" + keyText + ":" + $0 + "}" }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?`: how PostgreSQL prints a JSON number (never an exponent).
    static func isPlainJSONNumber(_ text: String) -> Bool {
        var bytes = Substring(text).utf8[...]
        if bytes.first == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        let isDigit = { (byte: UInt8) in byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        let integer = bytes.prefix(while: isDigit)
        guard !integer.isEmpty, integer.count == 1 || integer.first != UInt8(ascii: "0") else { return false }
        bytes = bytes.dropFirst(integer.count)
        if bytes.isEmpty { return true }
        guard bytes.first == UInt8(ascii: "."), bytes.count > 1 else { return false }
        return bytes.dropFirst().allSatisfy(isDigit)
    }

    /// The bytes whose `AttributeValue.text` is `text` (two lowercase hex digits per byte).
    static func lowercaseHexBytes(_ text: String) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count.isMultiple(of: 2) else { return nil }
        func value(_ digit: UInt8) -> UInt8? {
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(digits[index]), let low = value(digits[index + 1]) else { return nil }
            bytes.append(high << 4 | low)
            index += 2
        }
        return bytes
    }
}
