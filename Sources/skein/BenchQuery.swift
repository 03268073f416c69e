import ArgumentParser
import Bench
import Logging
import SkeinApp

/// `skein bench query`: trace by id, searches, dashboards and Jaeger API calls over HTTP against a
/// child `skein serve` on a loaded dataset, p50/p99 per query.
struct BenchQuery: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "query",
        abstract: "Query latency (trace by id, searches, dashboards, Jaeger API) on a loaded dataset, p50/p99 per query.")

    @OptionGroup var dataset: BenchDatasetOptions

    @Option(name: .customLong("repeat"), help: "Timed passes over every query, after two warm-up passes.")
    var repetitions: Int = 50

    @Option(name: .customLong("max-seconds"), help: "Stop the timed passes after this long.")
    var maxSeconds: Int = 600

    @OptionGroup var report: BenchReportOptions

    func run() async throws {
        try await report.run { logger in try await makeReport(logger: logger) }
    }

    func makeReport(logger: Logger) async throws -> BenchReport {
        let (resources, workspace) = try dataset.workspace()
        defer { workspace.finish() }
        let (prepared, operations) = try await workspace.prepare(dataset.parameters, logger: logger) { database in
            var operations: [String: [String]] = [:]
            for service in try await database.traceStore.services() {
                operations[service] = try await database.traceStore.operations(service: service, kind: nil).map(\.name)
            }
            return operations
        }
        let catalogue = QueryCatalogue(
            operations: operations, known: DatasetKnownTraces(seed: prepared.dataset.parameters.seed),
            dataset: prepared.dataset.parameters)
        let repetitions = repetitions
        let timeLimit = Duration.seconds(maxSeconds)
        let samples = try await workspace.serve(arguments: ["--resources-dir", resources.root], logger: logger) { server, token in
            let client = QueryHTTPClient(port: server.ports.ui, token: token)
            return try await QueryBenchmark(client: client, catalogue: catalogue, repetitions: repetitions, timeLimit: timeLimit)
                .run(logger: logger)
        }
        var result = BenchReport(title: "query", machine: .current(postgresVersion: prepared.postgresVersion))
        result.notes.append(prepared.dataset.note)
        result.notes.append("\(samples.passes) timed passes of \(QueryCase.all.count) queries after 2 warm-up passes, one request at a time on one keep-alive connection to 127.0.0.1; parameters (trace, service, operation, hour, thresholds) vary per pass")
        result.notes.append("search windows: one hour of the dataset (a different hour each pass, never the oldest, which holds the known traces); the attribute search spans all hours but the oldest; query.search_errors.api sends tags={\"error\":\"true\"} as Jaeger UI does")
        result.figures = prepared.dataset.figures + samples.figures
        return result
    }
}
