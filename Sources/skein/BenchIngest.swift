import ArgumentParser
import Bench
import Foundation
import SkeinApp

/// `skein bench ingest`: end-to-end ingest into a child `skein serve`, then the raw-COPY limit.
struct BenchIngest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Ingest spans/s, latency, CPU per 1,000 spans and peak RSS, against the raw-COPY limit of the same PostgreSQL.")

    @Option(name: .customLong("protocol"), help: "otlp-protobuf, otlp-json, otlp-grpc, zipkin, or all.")
    var wireProtocol: String = "otlp-protobuf"

    @Option(name: .customLong("spans-per-request"), help: "Spans in each request body.")
    var spansPerRequest = 500

    @Option(name: .customLong("connections"), help: "Concurrent connections (gRPC: streams), one request in flight on each.")
    var connections = 8

    @Option(name: .customLong("warmup"), help: "Seconds of load before measuring.")
    var warmup = 10

    @Option(name: .customLong("seconds"), help: "Seconds of measured steady state per protocol.")
    var seconds = 60

    @Option(name: .customLong("bodies"), help: "Distinct pre-encoded request bodies per protocol.")
    var bodies = 200

    @Option(name: .customLong("max-requests"), help: "Upper bound on requests per protocol, whatever the time.")
    var maxRequests = 1_000_000

    @Flag(name: .customLong("no-copy-limit"), help: "Skip the raw-COPY limit.")
    var noCopyLimit = false

    @OptionGroup var server: BenchServerOptions

    @OptionGroup var report: BenchReportOptions

    @Option(name: .customLong("server-arg"), parsing: .unconditionalSingleValue, help: "An argument passed through to skein serve (repeatable), e.g. --server-arg=--max-batch-spans=4000.")
    var serverArguments: [String] = []

    func validate() throws {
        _ = try protocols()
        for (flag, value) in [("--spans-per-request", spansPerRequest), ("--connections", connections), ("--seconds", seconds),
                              ("--bodies", bodies), ("--max-requests", maxRequests)] where value <= 0 {
            throw ValidationError("\(flag) must be positive (got \(value))")
        }
        if warmup < 0 { throw ValidationError("--warmup cannot be negative") }
    }

    func protocols() throws -> [IngestProtocol] {
        if wireProtocol == "all" { return IngestProtocol.allCases }
        guard let one = IngestProtocol(rawValue: wireProtocol) else {
            throw ValidationError("--protocol must be one of \(IngestProtocol.allCases.map(\.rawValue).joined(separator: ", ")), all")
        }
        return [one]
    }

    func run() async throws {
        try await report.run { logger in
            let resources = try ResourceLocator(explicit: server.resourcesDirectory)
            var options = IngestBenchmark.Options(migrationsDirectory: resources.migrations)
            options.protocols = try protocols()
            options.spansPerRequest = spansPerRequest
            options.connections = connections
            options.warmupSeconds = warmup
            options.seconds = seconds
            options.bodies = bodies
            options.maxRequests = maxRequests
            options.copyLimit = !noCopyLimit
            options.dataDirectory = server.dataDirectory
            options.keepData = server.keepData
            options.serverArguments = ["--resources-dir", resources.root] + serverArguments
            return try await IngestBenchmark(options: options, logger: logger).run()
        }
    }
}
