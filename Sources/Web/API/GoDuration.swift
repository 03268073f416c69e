/// Parses Go duration strings (`1.2s`, `100ms`, `500us`, `1h30m`) as Jaeger's API accepts them
/// for `minDuration`/`maxDuration`, into nanoseconds.
enum GoDuration {
    private static let units: [(suffix: String, nanos: Double)] = [
        ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000),
        ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Nanoseconds, or `nil` when the text is not a non-negative Go duration.
    /// `extraUnits` adds units Go lacks (the Jaeger UI's `lookback=2d`).
    static func nanoseconds(_ text: String, extraUnits: [(suffix: String, nanos: Double)] = []) -> UInt64? {
        var rest = Substring(text)
        if rest.hasPrefix("+") { rest = rest.dropFirst() }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        let allUnits = units + extraUnits
        var total: Double = 0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", number.filter({ $0 == "." }).count <= 1,
                  let value = Double(number.hasPrefix(".") ? "0" + number : String(number))
            else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = allUnits.first(where: { $0.suffix == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.nanos
        }
        guard total.isFinite, total < Double(UInt64.max) else { return nil }
        return UInt64(total.rounded())
    }
}
