/// An 8-byte span id. The all-zero id is invalid (and means "no parent" on the wire).
public struct SpanID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var value: UInt64

    public init(_ value: UInt64) { self.value = value }

    /// Parses up to 16 hex digits.
    public init?(hex: some StringProtocol) {
        guard !hex.isEmpty, hex.utf8.count <= 16 else { return nil }
        var value: UInt64 = 0
        for byte in hex.utf8 {
            guard let nibble = hexNibble(byte) else { return nil }
            value = value << 4 | nibble
        }
        self.value = value
    }

    /// Reads exactly 8 big-endian bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 8 else { return nil }
        self.value = UInt64(bigEndianBytes: Array(bytes)[...])
    }

    public var isValid: Bool { value != 0 }
    public var bytes: [UInt8] { value.bigEndianBytes }
    /// 16 lower-case hex digits.
    public var hex: String { value.paddedHex }
    public var description: String { hex }

    public static func < (lhs: SpanID, rhs: SpanID) -> Bool { lhs.value < rhs.value }
}
