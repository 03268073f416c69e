import Foundation

/// The wall clock in Unix nanoseconds: the default `now` of every controller (tests inject their own).
@usableFromInline
enum SystemClock {
    /// Nanoseconds since 1970; `0` for a clock set earlier, rather than a trap converting a negative value.
    @usableFromInline
    static func unixNanos() -> UInt64 {
        UInt64(max(Date().timeIntervalSince1970, 0) * 1_000_000_000)
    }
}
