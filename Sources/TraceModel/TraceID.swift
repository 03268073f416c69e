/// A 16-byte W3C / OpenTelemetry trace id. The all-zero id is invalid.
public struct TraceID: Hashable, Sendable, Comparable, CustomStringConvertible {
    public var high: UInt64
    public var low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Parses 32 hex digits (or fewer, left-padded with zeros, as Zipkin and Jaeger allow 16-digit ids).
    public init?(hex: some StringProtocol) {
        guard !hex.isEmpty, hex.utf8.count <= 32 else { return nil }
        var high: UInt64 = 0
        var low: UInt64 = 0
        for byte in hex.utf8 {
            guard let nibble = hexNibble(byte) else { return nil }
            high = high << 4 | low >> 60
            low = low << 4 | nibble
        }
        self.init(high: high, low: low)
    }

    /// Reads exactly 16 big-endian bytes.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == 16 else { return nil }
        let array = Array(bytes)
        self.init(high: UInt64(bigEndianBytes: array[0..<8]), low: UInt64(bigEndianBytes: array[8..<16]))
    }

    public var isValid: Bool { high != 0 || low != 0 }
    public var bytes: [UInt8] { high.bigEndianBytes + low.bigEndianBytes }
    /// 32 lower-case hex digits.
    public var hex: String { high.paddedHex + low.paddedHex }
    public var description: String { hex }

    public static func < (lhs: TraceID, rhs: TraceID) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }
}
