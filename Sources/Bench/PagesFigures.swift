extension PagesBenchmark.Page {
    /// The target: a 10,000-span trace page rendered in at most 500 ms.
    static let targetMilliseconds: [Int: Double] = [10_000: 500]

    /// p50 and p99 request time in milliseconds (the p99 against the target where there is one)
    /// and the page's size.
    public var figures: [BenchFigure] {
        guard let percentiles = Percentiles(samples: seconds.map { $0 * 1_000 }) else { return [] }
        let name = "pages.trace_\(spanCount)_spans"
        return [
            BenchFigure("\(name).p50", percentiles.p50, "ms"),
            BenchFigure("\(name).p99", percentiles.p99, "ms", target: Self.targetMilliseconds[spanCount].map { .atMost($0) }),
            BenchFigure("\(name).html", Double(htmlBytes), "bytes"),
        ]
    }
}
