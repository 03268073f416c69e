extension QueryBenchmark.Samples {
    /// p50 and p99 in milliseconds per case (in `QueryCase.all` order), the p99 against its target.
    public var figures: [BenchFigure] {
        QueryCase.all.flatMap { queryCase -> [BenchFigure] in
            guard let samples = seconds[queryCase], let percentiles = Percentiles(samples: samples.map { $0 * 1_000 }) else { return [] }
            return [
                BenchFigure("\(queryCase.name).p50", percentiles.p50, "ms"),
                BenchFigure("\(queryCase.name).p99", percentiles.p99, "ms",
                            target: queryCase.p99TargetMilliseconds.map { .atMost($0) }),
            ]
        }
    }
}
