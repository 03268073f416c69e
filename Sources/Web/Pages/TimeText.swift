import TraceModel

/// UTC dates for the pages: formatting Unix nanoseconds and reading `datetime-local` values.
enum TimeText {
    private struct Civil {
        var year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64, millis: Int64
    }

    private static func civil(_ unixNano: UInt64) -> Civil {
        let totalSeconds = Int64(unixNano / 1_000_000_000)
        let millis = Int64(unixNano % 1_000_000_000) / 1_000_000
        let days = totalSeconds / 86_400
        let secondOfDay = totalSeconds % 86_400
        let date = CivilDate(daysSinceEpoch: days)
        return Civil(
            year: date.year, month: date.month, day: date.day, hour: secondOfDay / 3_600,
            minute: secondOfDay % 3_600 / 60, second: secondOfDay % 60, millis: millis
        )
    }

    private static func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
    private static func three(_ value: Int64) -> String { value < 10 ? "00\(value)" : (value < 100 ? "0\(value)" : "\(value)") }

    /// `2026-11-21 09:39:15.123 UTC`
    static func full(_ unixNano: UInt64) -> String {
        let c = civil(unixNano)
        return "\(c.year)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second)).\(three(c.millis)) UTC"
    }

    /// `09:39:15` for chart axes; with the date (`11-21 09:39`) when `withDate`.
    static func axis(_ unixNano: UInt64, withDate: Bool) -> String {
        let c = civil(unixNano)
        if withDate { return "\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute))" }
        return "\(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    /// The value a `datetime-local` input shows: `2026-11-21T09:39:15`.
    static func inputValue(_ unixNano: UInt64) -> String {
        let c = civil(unixNano)
        return "\(c.year)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))"
    }

    /// Reads `YYYY-MM-DDTHH:MM[:SS[.fff]]` (a space instead of `T` too) as UTC.
    static func parseInput(_ input: String) -> UInt64? {
        let text = input.trimmingWhitespace()
        let parts = text.split(whereSeparator: { $0 == "T" || $0 == " " })
        guard parts.count == 2 else { return nil }
        let date = parts[0].split(separator: "-")
        let time = parts[1].split(separator: ":")
        guard date.count == 3, time.count == 2 || time.count == 3,
              let year = Int64(date[0]), let month = Int64(date[1]), let day = Int64(date[2]),
              let hour = Int64(time[0]), let minute = Int64(time[1]),
              (1970...9999).contains(year), (1...12).contains(month), (1...31).contains(day),
              (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        var secondsValue = 0.0
        if time.count == 3 {
            guard let seconds = Double(time[2]), seconds >= 0, seconds < 61 else { return nil }
            secondsValue = seconds
        }
        // Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        let days = era * 146_097 + doe - 719_468
        let seconds = days * 86_400 + hour * 3_600 + minute * 60
        guard seconds >= 0 else { return nil }
        return UInt64(seconds) * 1_000_000_000 + UInt64((secondsValue * 1_000_000_000).rounded())
    }

    /// `just now`, `42s ago`, `5m ago`, `3h ago`, `2d ago`; `in the future` for clock skew.
    static func relative(_ unixNano: UInt64, now: UInt64) -> String {
        guard now >= unixNano else { return "in the future" }
        let seconds = (now - unixNano) / 1_000_000_000
        switch seconds {
        case ..<5: return "just now"
        case ..<60: return "\(seconds)s ago"
        case ..<3_600: return "\(seconds / 60)m ago"
        case ..<86_400: return "\(seconds / 3_600)h ago"
        default: return "\(seconds / 86_400)d ago"
        }
    }
}
