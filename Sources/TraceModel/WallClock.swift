import Foundation

/// The wall clock in Unix nanoseconds, the unit every span timestamp uses. Code that depends on
/// time takes a `now` closure defaulting to this, so tests inject their own.
public enum WallClock {
    /// Nanoseconds since 1970; `0` for a clock set earlier, rather than a trap converting a negative value.
    public static func unixNanos() -> UInt64 {
        UInt64(max(Date().timeIntervalSince1970, 0) * 1_000_000_000)
    }
}
