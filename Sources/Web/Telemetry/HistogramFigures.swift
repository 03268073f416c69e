/// A Prometheus histogram read back from the exposition: cumulative bucket counts, sum and count,
/// with quantiles estimated the way PromQL's `histogram_quantile` does (linear within a bucket).
public struct HistogramFigures: Sendable, Equatable {
    /// Ascending upper bounds (the last is `+Inf`) with the count of observations at or below each.
    public var buckets: [(upperBound: Double, cumulativeCount: Double)]
    public var sum: Double
    public var count: Double

    public init(buckets: [(upperBound: Double, cumulativeCount: Double)], sum: Double, count: Double) {
        self.buckets = buckets
        self.sum = sum
        self.count = count
    }

    /// The mean observation; `nil` before the first one.
    public var mean: Double? { count > 0 ? sum / count : nil }

    /// The estimated `q` quantile (0...1); `nil` before the first observation. An estimate that
    /// falls in the `+Inf` bucket is reported as the highest finite bound (as PromQL does).
    public func quantile(_ q: Double) -> Double? {
        guard let total = buckets.last?.cumulativeCount, total > 0, (0...1).contains(q) else { return nil }
        let rank = q * total
        var lowerBound = 0.0
        var countBelow = 0.0
        for bucket in buckets {
            if bucket.cumulativeCount >= rank {
                guard bucket.upperBound.isFinite else { return lowerBound }
                let inBucket = bucket.cumulativeCount - countBelow
                guard inBucket > 0 else { return bucket.upperBound }
                return lowerBound + (bucket.upperBound - lowerBound) * (rank - countBelow) / inBucket
            }
            lowerBound = bucket.upperBound.isFinite ? bucket.upperBound : lowerBound
            countBelow = bucket.cumulativeCount
        }
        return lowerBound
    }

    public static func == (left: HistogramFigures, right: HistogramFigures) -> Bool {
        left.sum == right.sum && left.count == right.count && left.buckets.count == right.buckets.count
            && zip(left.buckets, right.buckets).allSatisfy { $0.upperBound == $1.upperBound && $0.cumulativeCount == $1.cumulativeCount }
    }
}
