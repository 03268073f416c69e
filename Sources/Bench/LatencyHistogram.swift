/// Every latency sample of one measured phase, in milliseconds. It keeps all samples (a benchmark
/// phase has thousands, not billions), so percentiles are exact; `merge` combines the recorders of
/// several connections before percentiles are taken.
public struct LatencyHistogram: Sendable {
    public private(set) var milliseconds: [Double] = []

    public init() {}

    public var count: Int { milliseconds.count }

    public mutating func record(_ duration: Duration) {
        milliseconds.append(duration.inMilliseconds)
    }

    public mutating func record(milliseconds value: Double) {
        milliseconds.append(value)
    }

    public mutating func merge(_ other: LatencyHistogram) {
        milliseconds.append(contentsOf: other.milliseconds)
    }

    /// Nil when nothing was recorded.
    public var percentiles: Percentiles? { Percentiles(samples: milliseconds) }
}

extension Duration {
    /// This duration in (fractional) milliseconds.
    public var inMilliseconds: Double {
        let parts = components
        return Double(parts.seconds) * 1_000 + Double(parts.attoseconds) / 1e15
    }
}
