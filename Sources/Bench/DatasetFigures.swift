extension DatasetPreparation.Outcome {
    /// A note naming the dataset, and the load rate when it was loaded in this run.
    public var note: String {
        let what = "dataset: \(parameters.spans) spans of demo traffic over \(parameters.hours) h, seed \(parameters.seed), plus the known traces"
        return load == nil ? what + " (reused from an earlier load)" : what
    }

    public var figures: [BenchFigure] {
        let rollup = [
            BenchFigure("dataset.rollup.minutes", Double(rollupCatchUp.minutes), "minutes"),
            BenchFigure("dataset.rollup.seconds", rollupCatchUp.seconds, "s"),
        ]
        guard let load else { return rollup }
        return [
            BenchFigure("dataset.load.spans", Double(load.spansWritten), "spans"),
            BenchFigure("dataset.load.rate", load.spansPerSecond, "spans/s"),
        ] + rollup
    }
}
