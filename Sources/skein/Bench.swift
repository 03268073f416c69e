import ArgumentParser

/// `skein bench`: the benchmark suite. Each subcommand starts what it measures (a child `skein
/// serve` on free local ports, an embedded PostgreSQL), runs a warm-up and then a bounded measured
/// phase, and prints a plain-text report (and `--json PATH`) of figures against the targets.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Benchmarks: ingest rate and its raw-COPY limit, query latency, page rendering, storage size.",
        subcommands: [BenchIngest.self, BenchQuery.self, BenchPages.self, BenchStorage.self, BenchAll.self]
    )
}
