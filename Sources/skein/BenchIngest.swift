import ArgumentParser
import Bench

/// `skein bench ingest`: end-to-end ingest into a child `skein serve`, then the raw-COPY limit.
struct BenchIngest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest spans/s, latency, CPU per 1,000 spans and peak RSS, against the raw-COPY limit of the same PostgreSQL.")

    func run() async throws {
        _ = BenchBuildConfiguration.current
    }
}
