import TraceModel

/// The wall clock the demo stamps its traces with, injectable so tests get fixed timestamps.
public struct DemoClock: Sendable {
    /// Nanoseconds since the Unix epoch.
    public var now: @Sendable () -> UInt64

    public init(now: @escaping @Sendable () -> UInt64) {
        self.now = now
    }

    /// The system's wall clock.
    public static let system = DemoClock { WallClock.unixNanos() }

    /// A clock that always reads `unixNano`.
    public static func fixed(_ unixNano: UInt64) -> DemoClock {
        DemoClock { unixNano }
    }
}
