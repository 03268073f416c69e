import Foundation
import Logging
import Storage
import Synchronization

/// `skein bench ingest`: starts a child `skein serve`, loads it with each protocol in turn from
/// this process (warm-up, then a measured steady state), samples the server's CPU and memory, then
/// measures the raw-COPY limit of the same PostgreSQL with the rows Skein stored, and reports.
public struct IngestBenchmark: Sendable {
    /// What to run; the defaults are the documented full run.
    public struct Options: Sendable {
        public var protocols: [IngestProtocol] = [.otlpProtobuf]
        public var spansPerRequest = 500
        public var connections = 8
        public var warmupSeconds = 10
        public var seconds = 60
        /// Distinct pre-encoded bodies per protocol.
        public var bodies = 200
        /// Upper bound on requests per protocol, whatever the time.
        public var maxRequests = 1_000_000
        public var copyLimit = true
        public var dataDirectory: String?
        public var keepData = false
        /// Passed through to `skein serve` (ingest limits and the like).
        public var serverArguments: [String] = []
        public var migrationsDirectory: String

        public init(migrationsDirectory: String) {
            self.migrationsDirectory = migrationsDirectory
        }
    }

    public static let spansPerSecondTarget = 25_000.0
    public static let peakRSSTargetMiB = 300.0
    public static let copyLimitRatioTarget = 0.60

    public var options: Options
    public var logger: Logger

    public init(options: Options, logger: Logger) {
        self.options = options
        self.logger = logger
    }

    public func run() async throws -> BenchReport {
        var report = BenchReport(title: "ingest", machine: .current())
        report.notes.append("\(options.connections) connections, \(options.spansPerRequest) spans per request, \(options.warmupSeconds) s warm-up, \(options.seconds) s measured per protocol")
        var serverArguments = options.serverArguments
        if !serverArguments.contains("--max-spans-per-request") {
            serverArguments += ["--max-spans-per-request", "\(max(10_000, options.spansPerRequest))"]
        }
        let server = try await BenchServer.start(dataDirectory: options.dataDirectory, keepData: options.keepData,
                                                 arguments: serverArguments, logger: logger)
        do {
            try await measure(server: server, into: &report)
        } catch {
            await server.stop(removeData: false)
            logger.error("the ingest benchmark failed; the server's log is kept", metadata: ["log": "\(server.logFile)"])
            throw error
        }
        await server.stop()
        if let kept = server.dataFolder.removeIfTemporary(), options.keepData || !server.dataFolder.isTemporary {
            report.notes.append("data kept in \(kept)")
        }
        return report
    }

    private func measure(server: BenchServer, into report: inout BenchReport) async throws {
        let endpoint = try await BenchPostgres.embeddedEndpoint(dataDirectory: server.dataDirectory, logger: logger)
        report.machine.postgresVersion = try await BenchPostgres.withClient(endpoint, logger: logger) { client in
            try await BenchPostgres.serverVersion(client, logger: logger)
        }
        let postmaster = PostgresProcesses.postmasterPID(dataDirectory: server.dataDirectory)
        if postmaster == nil { report.notes.append("PostgreSQL processes not found: PostgreSQL CPU is not measured") }
        let sampler = ProcessSampler(skeinPID: server.pid, postmasterPID: postmaster)
        sampler.startSampling()
        defer { sampler.stopSampling() }

        var protobufSpans: Int?
        var protobufRate: Double?
        for wireProtocol in options.protocols {
            let outcome = try await load(wireProtocol, server: server, sampler: sampler, into: &report)
            if wireProtocol == .otlpProtobuf {
                protobufSpans = outcome.acknowledgedSpans
                protobufRate = outcome.spansPerSecond
            }
        }
        report.add(BenchFigure("ingest.peak_rss", sampler.peakRSSMiB, "MiB", target: .atMost(Self.peakRSSTargetMiB)))

        guard options.copyLimit else { return }
        guard let protobufSpans, let protobufRate, protobufSpans > 0 else {
            report.notes.append("raw-COPY limit skipped: it compares with the otlp-protobuf run, which stored nothing or did not run")
            return
        }
        logger.notice("reading the stored rows back for the raw-COPY limit", metadata: ["rows": "\(protobufSpans)"])
        let rows = try await BenchPostgres.withClient(endpoint, logger: logger) { client in
            try await CopyLimitRows.read(spanRows: protobufSpans, from: client, logger: logger)
        }
        let limit = CopyLimit(endpoint: endpoint, migrationsDirectory: options.migrationsDirectory,
                              connections: options.connections, keepDatabase: options.keepData)
        let outcome = try await limit.run(rows, logger: logger)
        report.add(BenchFigure("ingest.copy_limit.span_rows_per_second", outcome.spanRowsPerSecond, "rows/s"))
        report.add(BenchFigure("ingest.copy_limit.rows", Double(outcome.spanRows + outcome.tracePartRows), "rows"))
        report.add(BenchFigure("ingest.otlp-protobuf.skein_over_copy_limit", outcome.spanRowsPerSecond > 0 ? protobufRate / outcome.spanRowsPerSecond : 0,
                               "ratio", target: .atLeast(Self.copyLimitRatioTarget)))
        report.notes.append("raw-COPY limit: \(outcome.spanRows) span rows and \(outcome.tracePartRows) trace_parts rows as Skein stored them, into a new migrated database, \(options.connections) parallel COPYs of \(limit.chunkRows) rows")
    }

    private func load(
        _ wireProtocol: IngestProtocol, server: BenchServer, sampler: ProcessSampler, into report: inout BenchReport
    ) async throws -> IngestLoadOutcome {
        let corpus = try IngestCorpus(protocol: wireProtocol, spansPerRequest: options.spansPerRequest, bodyCount: options.bodies,
                                      nowUnixNano: UInt64(Date().timeIntervalSince1970 * 1e9))
        if wireProtocol == options.protocols.first {
            report.notes.append("spans: demo shop traces, \(BenchFormat.number(corpus.meanAttributesPerSpan, decimals: 1)) attributes per span on average, \(corpus.templates.first.map { $0.body.count / 1024 } ?? 0) KiB per \(wireProtocol.rawValue) request")
        }
        var senders: [any IngestSender] = []
        var grpc: GRPCLoadClient?
        switch wireProtocol {
        case .otlpGRPC:
            let client = try GRPCLoadClient(port: server.ports.otlpGRPC)
            grpc = client
            senders = (0..<options.connections).map { _ in client.sender() }
        case .otlpProtobuf, .otlpJSON, .zipkin:
            guard let route = wireProtocol.httpRoute else { return IngestLoadOutcome() }
            let port = wireProtocol == .zipkin ? server.ports.zipkin : server.ports.otlpHTTP
            for _ in 0..<options.connections {
                senders.append(try await HTTPLoadSender.connect(port: port, path: route.path, contentType: route.contentType))
            }
        }
        logger.notice("loading", metadata: ["protocol": "\(wireProtocol.rawValue)", "seconds": "\(options.warmupSeconds)+\(options.seconds)"])
        let snapshots = CPUSnapshots()
        let load = IngestLoad(corpus: corpus, warmup: .seconds(options.warmupSeconds), measured: .seconds(options.seconds),
                              maxRequests: options.maxRequests)
        let outcome = await load.run(senders: senders,
                                     atSteadyState: { snapshots.start = sampler.cpu() },
                                     atEnd: { snapshots.end = sampler.cpu() })
        for sender in senders { await sender.close() }
        await grpc?.close()

        let name = "ingest.\(wireProtocol.rawValue)"
        let isPrimary = wireProtocol == .otlpProtobuf
        report.add(BenchFigure("\(name).spans_per_second", outcome.spansPerSecond, "spans/s",
                               target: isPrimary ? .atLeast(Self.spansPerSecondTarget) : nil))
        report.add(BenchFigure("\(name).requests_per_second", outcome.requestsPerSecond, "req/s"))
        if let latency = outcome.latency.percentiles {
            report.add(BenchFigure("\(name).latency_p50", latency.p50, "ms"))
            report.add(BenchFigure("\(name).latency_p99", latency.p99, "ms"))
            report.add(BenchFigure("\(name).latency_max", latency.max, "ms"))
        }
        report.add(BenchFigure("\(name).responses_429", Double(outcome.throttled429), "requests"))
        report.add(BenchFigure("\(name).responses_503", Double(outcome.unavailable503), "requests"))
        if outcome.failures > 0 {
            report.add(BenchFigure("\(name).failures", Double(outcome.failures), "requests"))
            report.notes.append("\(wireProtocol.rawValue) failures, e.g.: \(outcome.failureExamples.joined(separator: "; "))")
        }
        if let start = snapshots.start, let end = snapshots.end, outcome.acknowledgedSpans > 0 {
            let thousands = Double(outcome.acknowledgedSpans) / 1_000
            report.add(BenchFigure("\(name).skein_cpu_per_1000_spans", (end.skeinSeconds - start.skeinSeconds) / thousands, "CPU s"))
            if sampler.postmasterPID != nil {
                report.add(BenchFigure("\(name).postgres_cpu_per_1000_spans", (end.postgresSeconds - start.postgresSeconds) / thousands, "CPU s"))
                let vanished = start.postgresProcesses.subtracting(end.postgresProcesses).count
                if vanished > 0 { report.notes.append("\(vanished) PostgreSQL processes ended during the \(wireProtocol.rawValue) run: their CPU is missing") }
            }
        }
        return outcome
    }
}

/// The CPU snapshots taken at the start and the end of a measured phase (from the load's callbacks).
final class CPUSnapshots: Sendable {
    private let state = Mutex<(start: ProcessSampler.CPUSnapshot?, end: ProcessSampler.CPUSnapshot?)>((nil, nil))

    var start: ProcessSampler.CPUSnapshot? {
        get { state.withLock { $0.start } }
        set { state.withLock { $0.start = newValue } }
    }

    var end: ProcessSampler.CPUSnapshot? {
        get { state.withLock { $0.end } }
        set { state.withLock { $0.end = newValue } }
    }
}
