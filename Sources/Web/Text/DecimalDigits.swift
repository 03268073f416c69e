/// Writes the decimal digits of an unsigned integer straight into a byte buffer, without a
/// `String` in between: the Jaeger JSON writer and the trace page's HTML write thousands per request.
enum DecimalDigits {
    static func append(_ value: UInt64, to bytes: inout [UInt8]) {
        guard value >= 10 else { return bytes.append(UInt8(ascii: "0") + UInt8(value)) }
        // UInt64.max has 20 digits; three words hold them, written from the end.
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var remaining = value
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while remaining > 0 {
                buffer[23 - count] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
                count += 1
            }
            bytes.append(contentsOf: buffer[(24 - count)...])
        }
    }
}
