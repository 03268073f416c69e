import Bench
import Foundation
import Testing

/// `skein bench ingest` as a person runs it, with tiny sizes: the built binary starts its own
/// `skein serve`, loads it with every protocol, measures the raw-COPY limit and prints every line.
@Suite struct BenchIngestEndToEndTests {
    @Test func aTinyRunOfEveryProtocolPrintsEveryFigureAndWritesTheJSON() async throws {
        let jsonPath = NSTemporaryDirectory() + "skein-bench-ingest-\(UUID().uuidString.prefix(8)).json"
        defer { try? FileManager.default.removeItem(atPath: jsonPath) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: UserCreateEndToEndTests.binary)
        process.arguments = ["bench", "ingest", "--protocol", "all", "--warmup", "1", "--seconds", "2",
                             "--spans-per-request", "50", "--connections", "2", "--bodies", "3",
                             "--resources-dir", UserCreateEndToEndTests.packageRoot, "--json", jsonPath, "--log-level", "error"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(300)
        let reader = Task.detached { output.fileHandleForReading.readDataToEndOfFile() }
        while process.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(200)) }
        if process.isRunning {
            process.terminate()
            Issue.record("skein bench ingest did not finish within 300 s")
        }
        process.waitUntilExit()
        let text = String(decoding: await reader.value, as: UTF8.self)
        #expect(process.terminationStatus == 0)
        #expect(text.contains("Skein benchmark: ingest"))
        #expect(text.contains("machine: "))
        for wireProtocol in IngestProtocol.allCases {
            #expect(text.contains("ingest.\(wireProtocol.rawValue).spans_per_second "))
            #expect(text.contains("ingest.\(wireProtocol.rawValue).latency_p99 "))
        }
        #expect(text.contains("ingest.otlp-protobuf.skein_cpu_per_1000_spans "))
        #expect(text.contains("ingest.peak_rss "))
        #expect(text.contains("ingest.copy_limit.span_rows_per_second "))
        #expect(text.contains("ingest.otlp-protobuf.skein_over_copy_limit "))
        let report = try JSONDecoder().decode(BenchReport.self, from: Data(contentsOf: URL(fileURLWithPath: jsonPath)))
        #expect(report.figures.contains { $0.name == "ingest.otlp-protobuf.spans_per_second" && $0.value > 0 })
    }
}
