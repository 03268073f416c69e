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

    @OptionGroup var report: BenchReportOptions

    func run() async throws {
        try await report.run { logger in try await makeReport(logger: logger) }
    }

    func makeReport(logger: Logger) async throws -> BenchReport {
        let workspace = try dataset.workspace().workspace
        defer { workspace.finish() }
        let (prepared, footprint) = try await workspace.prepare(dataset.parameters, logger: logger) { database in
            try await StorageFootprintReader(client: database.client, logger: logger).read()
        }
        var result = BenchReport(title: "storage", machine: .current(postgresVersion: prepared.postgresVersion))
        result.notes.append(prepared.dataset.note)
        result.notes.append("pg_total_relation_size summed over every table and partition of the schema (heap, TOAST, free-space and visibility maps, indexes) ÷ rows of spans; measured right after loading, before any VACUUM")
        result.figures = prepared.dataset.figures + footprint.figures
        return result
    }
}
