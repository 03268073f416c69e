import ArgumentParser
import Bench
import Logging
import SkeinApp

/// `skein bench storage`: bytes per span on disk (tables, TOAST and indexes) of a loaded dataset.
struct BenchStorage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "storage",
        abstract: "Bytes per span on disk, indexes and TOAST included, with the split per table and index.")

    @OptionGroup var dataset: BenchDatasetOptions

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
        let (prepared, footprint) = try await workspace.prepare(dataset.parameters, logger: logger) { database in
            try await StorageFootprintReader(client: database.client, logger: logger).read()
        }
        var report = BenchReport(title: "storage", machine: .current(postgresVersion: prepared.postgresVersion))
        report.notes.append(prepared.dataset.note)
        report.notes.append("pg_total_relation_size summed over every table and partition of the schema (heap, TOAST, free-space and visibility maps, indexes) ÷ rows of spans; measured right after loading, before any VACUUM")
        report.figures = prepared.dataset.figures + footprint.figures
        return report
    }
}
