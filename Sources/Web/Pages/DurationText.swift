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

    /// Parses `250ms`, `1.5s`, `800us`/`800µs`, `100ns`, `2m`, `1h` into nanoseconds; `nil` when unreadable.
    static func parse(_ input: String) -> UInt64? {
        let text = input.trimmingWhitespace().lowercased()
        guard let unitStart = text.firstIndex(where: { !($0.isNumber || $0 == ".") }) else { return nil }
        let number = text[..<unitStart]
        let unit = text[unitStart...].trimmingWhitespace()
        guard !number.isEmpty, let value = Double(number), value.isFinite, value >= 0 else { return nil }
        let multiplier: Double
        switch unit {
        case "ns": multiplier = 1
        case "us", "µs", "μs": multiplier = 1_000
        case "ms": multiplier = 1_000_000
        case "s": multiplier = 1_000_000_000
        case "m", "min": multiplier = 60_000_000_000
        case "h": multiplier = 3_600_000_000_000
        default: return nil
        }
        let nanos = value * multiplier
        guard nanos < Double(UInt64.max / 2) else { return nil }
        return UInt64(nanos.rounded())
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
