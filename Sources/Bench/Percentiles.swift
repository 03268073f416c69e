/// Order statistics of one set of samples (nearest-rank percentiles computed from every sample,
/// never averaged from partial summaries), in the samples' own unit.
public struct Percentiles: Sendable, Hashable, Codable {
    public let count: Int
    public let min: Double
    public let p50: Double
    public let p90: Double
    public let p99: Double
    public let max: Double
    public let mean: Double

    /// Nil when there are no samples.
    public init?(samples: [Double]) {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        count = sorted.count
        min = sorted[0]
        max = sorted[sorted.count - 1]
        mean = sorted.reduce(0, +) / Double(sorted.count)
        p50 = Self.nearestRank(0.50, of: sorted)
        p90 = Self.nearestRank(0.90, of: sorted)
        p99 = Self.nearestRank(0.99, of: sorted)
    }

    /// The nearest-rank percentile `fraction` (0...1) of ascending `sorted` (not empty): the
    /// smallest sample with at least `fraction` of all samples at or below it.
    public static func nearestRank(_ fraction: Double, of sorted: [Double]) -> Double {
        precondition(!sorted.isEmpty, "no samples")
        let clamped = Swift.min(Swift.max(fraction, 0), 1)
        let rank = Int((clamped * Double(sorted.count)).rounded(.up))
        return sorted[Swift.min(Swift.max(rank, 1), sorted.count) - 1]
    }
}
