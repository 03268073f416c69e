/// HTML written straight into UTF-8 bytes, for markup too repetitive to go through a template
/// (the waterfall writes one row per span: 10,000 rows and more).
///
/// `text(_:)` escapes the five characters templates escape (`< > & " '`), so any string is safe
/// both as element content and inside a double-quoted attribute. UTF-8 never uses an ASCII byte
/// inside a multi-byte character, so escaping byte by byte is exact.
struct HTMLOutput {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int = 0) {
        bytes.reserveCapacity(capacity)
    }

    /// Markup written by Skein itself (never span data).
    mutating func markup(_ html: StaticString) {
        html.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Text Skein built from trusted parts (ids in hex, numbers, class names): written unescaped.
    mutating func trusted(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Any text, escaped for HTML content and double-quoted attributes.
    mutating func text(_ text: String) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "<"): markup("&lt;")
            case UInt8(ascii: ">"): markup("&gt;")
            case UInt8(ascii: "&"): markup("&amp;")
            case UInt8(ascii: "\""): markup("&quot;")
            case UInt8(ascii: "'"): markup("&#39;")
            default: bytes.append(byte)
            }
        }
    }

    /// An integer in decimal.
    mutating func decimal(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        DecimalDigits.append(UInt64(value.magnitude), to: &bytes)
    }

    /// 16 lower-case hex digits, zero-padded (a span id).
    mutating func hex(_ value: UInt64) {
        for shift in stride(from: 60, through: 0, by: -4) {
            let nibble = UInt8((value >> UInt64(shift)) & 0xF)
            bytes.append(nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10)
        }
    }

    /// Everything written so far, as a string.
    var string: String { String(decoding: bytes, as: UTF8.self) }
}
