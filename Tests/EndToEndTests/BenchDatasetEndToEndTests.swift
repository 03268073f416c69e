import Bench
import Foundation
import Testing

/// `skein bench storage`, `query` and `pages` as a person runs them, with tiny sizes, on one small
/// dataset loaded by whichever runs first and reused (`--reuse`) by the others. The folder is kept
/// under `.build/e2e-skein/` for the next run; delete it to load afresh.
@Suite(.serialized) struct BenchDatasetEndToEndTests {
    static let dataDirectory = UserCreateEndToEndTests.packageRoot + "/.build/e2e-skein/bench-dataset"
    static let datasetArguments = ["--spans", "1000", "--hours", "2", "--seed", "5", "--data-dir", dataDirectory, "--reuse"]

    /// Runs `skein bench <subcommand>` with the shared dataset; returns the exit status, the report and its JSON.
    static func bench(_ subcommand: String, _ arguments: [String]) async throws -> (status: Int32, text: String, report: BenchReport?) {
        let jsonPath = NSTemporaryDirectory() + "skein-bench-\(subcommand)-\(UUID().uuidString.prefix(8)).json"
        defer { try? FileManager.default.removeItem(atPath: jsonPath) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: UserCreateEndToEndTests.binary)
        process.arguments = ["bench", subcommand] + datasetArguments + arguments
            + ["--resources-dir", UserCreateEndToEndTests.packageRoot, "--json", jsonPath, "--log-level", "error"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let reader = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }
        let deadline = Date().addingTimeInterval(600)
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
        if process.isRunning {
            process.terminate()
            Issue.record("skein bench \(subcommand) did not finish within 600 s")
        }
        process.waitUntilExit()
        let text = String(decoding: await reader.value, as: UTF8.self)
        let report = try? JSONDecoder().decode(BenchReport.self, from: Data(contentsOf: URL(fileURLWithPath: jsonPath)))
        return (process.terminationStatus, text, report)
    }

    @Test func storagePrintsBytesPerSpanAndTheSpanTable() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: UserCreateEndToEndTests.binary), "build the skein binary first (swift build)")
        let run = try await Self.bench("storage", [])
        #expect(run.status == 0)
        #expect(run.text.contains("Skein benchmark: storage"))
        #expect(run.text.contains("storage.bytes_per_span "))
        #expect(run.text.contains("storage.table.spans "))
        #expect(run.text.contains("storage.index.spans_pkey "))
        // The rollups caught up before measuring (also on a reused dataset).
        #expect(run.text.contains("dataset.rollup.seconds "))
        // 1,000 spans of traffic plus the known traces (20 × 1,000 + 1,000 + 10,000 + 100,000).
        #expect(run.report?.figures.first { $0.name == "storage.spans" }?.value == 132_000)
    }

    @Test func queryPrintsP50AndP99OfEveryQuery() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: UserCreateEndToEndTests.binary), "build the skein binary first (swift build)")
        let run = try await Self.bench("query", ["--repeat", "1"])
        #expect(run.status == 0, "\(run.text)")
        for queryCase in QueryCase.all {
            #expect(run.text.contains("\(queryCase.name).p50 "))
            #expect(run.text.contains("\(queryCase.name).p99 "))
        }
    }

    @Test func pagesPrintsTimeAndSizeOfEveryTracePage() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: UserCreateEndToEndTests.binary), "build the skein binary first (swift build)")
        let run = try await Self.bench("pages", ["--repeat", "1"])
        #expect(run.status == 0, "\(run.text)")
        for spanCount in DatasetKnownTraces.pageSpanCounts {
            #expect(run.text.contains("pages.trace_\(spanCount)_spans.p99 "))
            #expect(run.report?.figures.contains { $0.name == "pages.trace_\(spanCount)_spans.html" && $0.value > 10_000 } == true)
        }
    }
}
