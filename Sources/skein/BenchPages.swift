import ArgumentParser
import Bench
import Logging
import SkeinApp

/// `skein bench pages`: the trace page of 1,000 / 10,000 / 100,000-span traces, request time on
/// loopback and HTML size.
struct BenchPages: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pages",
        abstract: "Trace page time and size for traces of 1,000 / 10,000 / 100,000 spans.")

    @OptionGroup var dataset: BenchDatasetOptions

    @Option(name: .customLong("repeat"), help: "Timed requests per page, after one warm-up request.")
    var repetitions: Int = 10

    @Option(name: .customLong("max-seconds"), help: "Stop timing a page after this long.")
    var maxSeconds: Int = 300

    @OptionGroup var report: BenchReportOptions

    func run() async throws {
        try await report.run { logger in try await makeReport(logger: logger) }
    }

    func makeReport(logger: Logger) async throws -> BenchReport {
        let (resources, workspace) = try dataset.workspace()
        defer { workspace.finish() }
        let (prepared, _) = try await workspace.prepare(dataset.parameters, logger: logger) { _ in () }
        let known = DatasetKnownTraces(seed: prepared.dataset.parameters.seed)
        let repetitions = repetitions
        let timeLimit = Duration.seconds(maxSeconds)
        let pages = try await workspace.serve(arguments: ["--resources-dir", resources.root], logger: logger) { server, token in
            let client = QueryHTTPClient(port: server.ports.ui, token: token)
            return try await PagesBenchmark(client: client, known: known, repetitions: repetitions, timeLimit: timeLimit)
                .run(logger: logger)
        }
        var result = BenchReport(title: "pages", machine: .current(postgresVersion: prepared.postgresVersion))
        result.notes.append(prepared.dataset.note)
        result.notes.append("GET /trace/{id} on 127.0.0.1, first byte sent to last byte read, uncompressed (no Accept-Encoding); \(repetitions) timed requests per page after one warm-up")
        result.figures = prepared.dataset.figures + pages.flatMap(\.figures)
        return result
    }
}
