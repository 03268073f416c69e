import GRPCCore
import GRPCNIOTransportHTTP2
import Intake
import Logging
import OTLPGRPC
import Prometheus
import Storage

/// An `OTLPGRPCServer` on a free loopback port over an `IngestPipeline`, with a grpc-swift-2 client
/// connected to it, for one test.
struct GRPCTestServer {
    let store = InMemoryTraceStore()
    let metrics = PrometheusCollectorRegistry()

    /// Runs `body` with a client connected to a server whose pipeline writes to `writer` (the
    /// in-memory store when nil), then shuts both down.
    func run<Result: Sendable>(
        writer: (any TraceWriter)? = nil, limits: IngestLimits = IngestLimits(), budget: IngestMemoryBudget? = nil,
        authorization: IngestAuthorization = .unchecked,
        now: @escaping @Sendable () -> UInt64 = { GRPCTestSpans.now },
        _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        var logger = Logger(label: "otlp-grpc-test")
        logger.logLevel = .warning
        let pipeline = IngestPipeline(
            writer: writer ?? store, limits: limits, budget: budget,
            metrics: IngestMetrics(factory: PrometheusMetricsFactory(registry: metrics)), logger: logger, now: now)
        let server = OTLPGRPCServer(
            host: "127.0.0.1", port: 0, pipeline: pipeline, authorization: authorization, logger: logger)
        let ports = AsyncStream<Int>.makeStream()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await server.serve { port in
                    ports.continuation.yield(port)
                    ports.continuation.finish()
                }
            }
            defer {
                server.beginGracefulShutdown()
                group.cancelAll()
            }
            var iterator = ports.stream.makeAsyncIterator()
            guard let port = await iterator.next() else { throw RPCError(code: .unavailable, message: "server did not start") }
            let transport = try HTTP2ClientTransport.Posix(
                target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext,
                config: .defaults { $0.compression.enabledAlgorithms = .all })
            return try await withGRPCClient(transport: transport) { client in try await body(client) }
        }
    }

    /// The Prometheus text of the pipeline's metrics.
    func metricsText() -> String {
        var buffer: [UInt8] = []
        metrics.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
