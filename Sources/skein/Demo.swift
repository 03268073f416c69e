import ArgumentParser
import SkeinApp

/// `skein demo`: send simulated traffic to a running Skein (or any OTLP/HTTP receiver).
struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Send OTLP traffic from a simulated multi-service system to an OTLP/HTTP endpoint.")

    @Option(help: "OTLP/HTTP base URL; /v1/traces is appended.")
    var endpoint: String = "http://127.0.0.1:4318"

    @Option(help: "Traces per second; 0 sends as fast as the receiver acknowledges.")
    var rate: Double = 20

    @Option(help: "Seconds to run; runs until interrupted when absent.")
    var duration: Double?

    @Option(help: "Parallel senders.")
    var concurrency: Int = 4

    @Option(help: "Random seed, for repeatable traffic; a random one (logged) when absent.")
    var seed: UInt64?

    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error (SKEIN_LOG_LEVEL).")
    var logLevel: String = Environment.string("SKEIN_LOG_LEVEL") ?? "info"

    func run() async throws {
        let report = try await runDemo(
            endpoint: endpoint, rate: rate, duration: duration, concurrency: concurrency, seed: seed,
            logger: makeLogger(level: logLevel))
        print(report)
    }
}
