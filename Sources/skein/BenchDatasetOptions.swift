import ArgumentParser
import Bench
import Foundation
import SkeinApp

/// The dataset the query, pages and storage benchmarks run on (`DatasetLoader`), and where it lives.
struct BenchDatasetOptions: ParsableArguments {
    @Option(help: "Spans of ordinary demo traffic to load (the known traces add 131,000); the documented full run uses 10000000.")
    var spans: Int = 200_000

    @Option(help: "The traffic is spread over the last this many hours.")
    var hours: Int = 24

    @Option(help: "Random seed: the same seed and sizes load the same spans.")
    var seed: UInt64 = 1

    @Option(name: .customLong("data-dir"), help: "Data folder for the embedded PostgreSQL; a temporary one (removed afterwards) when absent.")
    var dataDirectory: String?

    @Flag(help: "Measure the dataset already loaded in --data-dir when it has the same --spans/--hours/--seed.")
    var reuse = false

    @Flag(name: .customLong("keep-data"), help: "Keep the temporary data folder.")
    var keepData = false

    @Option(name: .customLong("resources-dir"), help: "Folder holding Templates/, Public/ and Migrations/; found automatically.")
    var resourcesDirectory: String?

    func validate() throws {
        guard spans >= 1_000 else { throw ValidationError("--spans must be at least 1000") }
        guard (2...24 * 30).contains(hours) else { throw ValidationError("--hours must be between 2 and 720 (the oldest hour holds the known traces)") }
        if reuse && dataDirectory == nil { throw ValidationError("--reuse needs --data-dir") }
    }

    /// The parameters asked for, ending now (rounded down to the minute).
    var parameters: DatasetParameters {
        let minute: UInt64 = 60_000_000_000
        let now = UInt64(Date().timeIntervalSince1970 * 1e9) / minute * minute
        return DatasetParameters(spans: spans, hours: hours, seed: seed, endUnixNano: now)
    }

    /// The resources (migrations, templates) and the dataset's data folder, as these options name them.
    func workspace() throws -> (resources: ResourceLocator, workspace: DatasetWorkspace) {
        let resources = try ResourceLocator(explicit: resourcesDirectory)
        let workspace = try DatasetWorkspace(
            dataDirectory: dataDirectory, keepData: keepData, reuse: reuse, migrationsDirectory: resources.migrations)
        return (resources, workspace)
    }
}
