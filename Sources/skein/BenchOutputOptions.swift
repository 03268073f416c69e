import ArgumentParser
import Bench
import Foundation
import Logging

/// What every `skein bench` subcommand shares: where data goes, whether it is kept, the JSON
/// output, the log level; `run` prints the report (the one place the benchmark prints).
struct BenchOutputOptions: ParsableArguments {
    @Option(name: .customLong("data-dir"), help: "Data folder for the server under test; a fresh temporary one (removed afterwards) when absent.")
    var dataDirectory: String?

    @Flag(name: .customLong("keep-data"), help: "Keep the temporary data folder (and the raw-COPY database).")
    var keepData = false

    @Option(name: .customLong("json"), help: "Also write the figures as JSON to this file.")
    var jsonPath: String?

    @Option(name: .customLong("resources-dir"), help: "Folder holding Migrations/; found automatically.")
    var resourcesDirectory: String?

    @Option(name: .customLong("log-level"), help: "Log level of the benchmark itself (the server logs to a file in its data folder).")
    var logLevel = "notice"

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
