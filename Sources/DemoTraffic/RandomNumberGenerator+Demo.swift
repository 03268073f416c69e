// Small draws the demo scenarios make over and over. Each one consumes the generator in a fixed
// way, so a seed replays the same traffic.
extension RandomNumberGenerator {
    /// True with probability `probability` (0...1).
    mutating func chance(_ probability: Double) -> Bool {
        Double.random(in: 0..<1, using: &self) < probability
    }

    /// A duration drawn uniformly from a range of milliseconds, in nanoseconds.
    mutating func millis(_ range: ClosedRange<Double>) -> UInt64 {
        UInt64((Double.random(in: range, using: &self) * 1_000_000).rounded())
    }

    /// A duration with a long tail: usually near the low end of the range, sometimes near the top.
    mutating func skewedMillis(_ range: ClosedRange<Double>) -> UInt64 {
        let unit = Double.random(in: 0..<1, using: &self)
        let skewed = unit * unit * unit
        return UInt64(((range.lowerBound + skewed * (range.upperBound - range.lowerBound)) * 1_000_000).rounded())
    }

    /// One element of a non-empty array.
    mutating func pick<Element>(_ elements: [Element]) -> Element {
        elements[Int.random(in: 0..<elements.count, using: &self)]
    }

    /// A non-zero 64-bit value, as span ids need.
    mutating func nonZero() -> UInt64 {
        var value: UInt64 = 0
        while value == 0 { value = next() }
        return value
    }

    /// Lower-case hex of `count` random bytes.
    mutating func hex(bytes count: Int) -> String {
        (0..<count).map { _ in
            let byte = UInt8.random(in: 0...255, using: &self)
            return byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined()
    }

    /// `count` random bytes.
    mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8.random(in: 0...255, using: &self) }
    }
}
