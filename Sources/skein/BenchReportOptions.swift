import ArgumentParser
import Bench
import Foundation
import Logging

/// What every `skein bench` subcommand shares: the JSON output and the log level; `run` prints
/// the report (the one place the benchmark prints).
struct BenchReportOptions: ParsableArguments {
    @Option(name: .customLong("json"), help: "Also write the figures as JSON to this file.")
    var jsonPath: String?

    @Option(name: .customLong("log-level"), help: "Log level of the benchmark itself (the server logs to a file in its data folder): trace, debug, info, notice, warning, error.")
    var logLevel = "info"

    /// Runs `body`, prints its report and writes the JSON when asked. A debug build warns first.
    func run(_ body: (Logger) async throws -> BenchReport) async throws {
        let logger = makeLogger(level: logLevel)
        if BenchBuildConfiguration.current == .debug {
            FileHandle.standardError.write(Data((BenchReport.debugWarning + "\n").utf8))
        }
        let report = try await body(logger)
        print(report.text, terminator: "")
        if let jsonPath { try report.writeJSON(to: jsonPath) }
    }
}
