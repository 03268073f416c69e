import ArgumentParser
import Foundation

/// `skein bench all`: ingest, query, pages and storage one after the other, each with its own
/// sizes (`--quick`: the small sizes that fit in CI). Query, pages and storage share one dataset
/// in one data folder (loaded once, reused by the next two), removed at the end unless kept.
struct BenchAll: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Run every benchmark (ingest, query, pages, storage) with its sizes; --quick for the CI sizes.")

    @Flag(help: "Small sizes that fit in CI: 5 s of ingest per protocol, a 20,000-span dataset, few repetitions.")
    var quick = false

    @Option(help: "Spans of ordinary traffic in the dataset of query, pages and storage (their own default when absent).")
    var spans: Int?

    @Option(name: .customLong("json-dir"), help: "Write each benchmark's figures as <name>.json into this folder.")
    var jsonDirectory: String?

    @Option(name: .customLong("data-dir"), help: "Folder for the shared dataset; a temporary one (removed afterwards) when absent.")
    var dataDirectory: String?

    @Flag(name: .customLong("keep-data"), help: "Keep the dataset folder.")
    var keepData = false

    @Option(name: .customLong("resources-dir"), help: "Folder holding Templates/, Public/ and Migrations/; found automatically.")
    var resourcesDirectory: String?

    func run() async throws {
        let temporary = dataDirectory == nil
        let folder = dataDirectory ?? (NSTemporaryDirectory() as NSString).appendingPathComponent("skein-bench-all-\(UInt32.random(in: .min ... .max))")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o755])
        defer { if temporary && !keepData { try? FileManager.default.removeItem(atPath: folder) } }
        let resources = resourcesDirectory.map { ["--resources-dir", $0] } ?? []
        let datasetSize = (spans ?? (quick ? 20_000 : nil)).map { ["--spans", "\($0)"] } ?? []
        let shared = ["--data-dir", folder, "--reuse"] + datasetSize + resources

        let ingest = try BenchIngest.parse((quick ? ["--warmup", "2", "--seconds", "5"] : []) + ["--protocol", "all"] + resources + json("ingest"))
        try await ingest.run()
        let query = try BenchQuery.parse(shared + (quick ? ["--repeat", "3"] : []) + json("query"))
        try await query.run()
        let pages = try BenchPages.parse(shared + (quick ? ["--repeat", "2"] : []) + json("pages"))
        try await pages.run()
        let storage = try BenchStorage.parse(shared + json("storage"))
        try await storage.run()
    }

    private func json(_ name: String) -> [String] {
        guard let jsonDirectory else { return [] }
        return ["--json", (jsonDirectory as NSString).appendingPathComponent("\(name).json")]
    }
}
