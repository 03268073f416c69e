import Foundation

/// Number formatting shared by the reports: no locale, thin decimals for large values.
public enum BenchFormat {
    /// `value` with `decimals` fraction digits or, when not given, none for whole numbers and
    /// fewer for large ones (0 from 1,000 up, 1 from 100, 2 from 1, else 3); no grouping, `.` as
    /// the separator.
    public static func number(_ value: Double, decimals: Int? = nil) -> String {
        guard value.isFinite else { return value.isNaN ? "nan" : (value > 0 ? "inf" : "-inf") }
        let whole = value == value.rounded() && abs(value) < 1e15
        let digits = decimals ?? (whole || abs(value) >= 1_000 ? 0 : abs(value) >= 100 ? 1 : abs(value) >= 1 ? 2 : 3)
        return String(format: "%.\(digits)f", value)
    }

    public static func mebibytes(_ bytes: UInt64) -> String {
        number(Double(bytes) / 1_048_576, decimals: 0)
    }
}
