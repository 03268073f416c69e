/// Formats and parses durations the way the pages show and accept them (`850ns`, `12.3µs`, `250ms`, `1.5s`).
enum DurationText {
    /// A short, human reading of a duration in nanoseconds.
    static func format(_ nanos: UInt64) -> String {
        let value = Double(nanos)
        switch nanos {
        case ..<1_000: return "\(nanos)ns"
        case ..<1_000_000: return trimmed(value / 1_000) + "µs"
        case ..<1_000_000_000: return trimmed(value / 1_000_000) + "ms"
        case ..<60_000_000_000: return trimmed(value / 1_000_000_000) + "s"
        case ..<3_600_000_000_000:
            let seconds = nanos / 1_000_000_000
            return "\(seconds / 60)m \(seconds % 60)s"
        default:
            let minutes = nanos / 60_000_000_000
            return "\(minutes / 60)h \(minutes % 60)m"
        }
    }

    /// Three significant digits at most, no trailing zeros: 1.5, 12.3, 250.
    static func trimmed(_ value: Double) -> String {
        let decimals = value < 10 ? 2 : (value < 100 ? 1 : 0)
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        var text = String(rounded)
        if text.hasSuffix(".0") { text.removeLast(2) }
        return text
    }

    /// Parses `250ms`, `1.5s`, `800us`/`800µs`, `100ns`, `2m`, `1h30m` into nanoseconds; `nil` when unreadable.
    /// The Jaeger API's Go duration parser, made forgiving of case and spaces (`20 NS`) and of `min`.
    static func parse(_ input: String) -> UInt64? {
        GoDuration.nanoseconds(input.lowercased().filter { !$0.isWhitespace }, extraUnits: [("min", 60_000_000_000)])
    }
}

extension StringProtocol {
    /// The text without leading and trailing whitespace and newlines.
    func trimmingWhitespace() -> String {
        guard let first = firstIndex(where: { !$0.isWhitespace }),
              let last = lastIndex(where: { !$0.isWhitespace }) else { return "" }
        return String(self[first...last])
    }
}
