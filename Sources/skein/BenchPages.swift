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

    @Option(help: "Also write the figures as JSON to this file.")
    var json: String?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    func run() async throws {
        let report = try await makeReport(logger: makeLogger(level: logLevel))
        print(report.text, terminator: "")
        if let json { try report.writeJSON(to: json) }
    }

    func makeReport(logger: Logger) async throws -> BenchReport {
        let resources = try ResourceLocator(explicit: dataset.resourcesDirectory)
        let workspace = try DatasetWorkspace(
            dataDirectory: dataset.dataDirectory, keepData: dataset.keepData, reuse: dataset.reuse,
            migrationsDirectory: resources.migrations)
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
        var report = BenchReport(title: "pages", machine: .current(postgresVersion: prepared.postgresVersion))
        report.notes.append(prepared.dataset.note)
        report.notes.append("GET /trace/{id} on 127.0.0.1, first byte sent to last byte read, uncompressed (no Accept-Encoding); \(repetitions) timed requests per page after one warm-up")
        report.figures = prepared.dataset.figures + pages.flatMap(\.figures)
        return report
    }
}
