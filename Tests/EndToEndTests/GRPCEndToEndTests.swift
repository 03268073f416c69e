import DemoTraffic
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import GRPCProtobuf
import Ingest
import Logging
import SkeinApp
import Synchronization
import Testing
import TraceModel

/// OTLP/gRPC on a real server built by `buildApplication`: a grpc-swift-2 client exports, the
/// Jaeger API reads back; with PostgreSQL stopped the export is refused as UNAVAILABLE; a graceful
/// shutdown answers the calls in flight and loses nothing it acknowledged.
@Suite(.serialized) struct GRPCEndToEndTests {
    static let exportMethod = MethodDescriptor(
        fullyQualifiedService: "opentelemetry.proto.collector.trace.v1.TraceService", method: "Export")

    private func demoTraces(_ count: Int) -> [[Span]] {
        var configuration = DemoConfiguration()
        configuration.seed = 17
        return DemoTrafficGenerator(configuration: configuration, logger: Logger(label: "test")).makeTraces(count: count)
    }

    /// Runs `body` with a client connected to the server's OTLP/gRPC listener.
    private func withClient<Result: Sendable>(
        _ skein: RunningSkein, _ body: (GRPCClient<HTTP2ClientTransport.Posix>) async throws -> Result
    ) async throws -> Result {
        let port = try await skein.server.ports.port(of: .otlpGRPC)
        let transport = try HTTP2ClientTransport.Posix(
            target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
        return try await withGRPCClient(transport: transport) { client in try await body(client) }
    }

    private func export(_ spans: [Span], with client: GRPCClient<HTTP2ClientTransport.Posix>) async throws -> [UInt8] {
        var options = CallOptions.defaults
        options.compression = .gzip
        options.timeout = .seconds(30)
        return try await client.unary(
            request: ClientRequest(message: try OTLPTraceCodec.encodeProtobuf(spans)), descriptor: Self.exportMethod,
            serializer: BytesSerializer(), deserializer: BytesDeserializer(), options: options
        ) { response in try response.message }
    }

    @Test func tracesExportedOverGRPCAreReadableThroughTheJaegerAPIOnceAcknowledged() async throws {
        try await withRunningSkein { skein in
            let traces = demoTraces(10)
            let response = try await withClient(skein) { client in try await export(traces.flatMap { $0 }, with: client) }
            // An ExportTraceServiceResponse without partial_success serializes to no bytes.
            #expect(response.isEmpty)

            // Acknowledged means committed: readable at once.
            for trace in traces {
                let byID = try await skein.getJSON("/api/traces/\(trace[0].traceID.hex)")
                let data = try #require(byID["data"] as? [[String: Any]])
                #expect((data.first?["spans"] as? [Any])?.count == trace.count)
            }
            let services = try await skein.getJSON("/api/services")["data"] as? [String] ?? []
            #expect(Set(services).isSuperset(of: Set(traces.flatMap { $0.map(\.serviceName) })))
        }
    }

    @Test func exportsAreRefusedAsUnavailableWhileThePostgreSQLIsDownAndAcceptedAfterItReturns() async throws {
        try await withRunningSkein { skein in
            let traces = demoTraces(4)
            try await withClient(skein) { client in
                _ = try await export(traces[0], with: client)
                try await skein.stopDatabase()

                var refusal: RPCError?
                for attempt in 0..<20 where refusal == nil {
                    do {
                        _ = try await export(traces[1], with: client)
                        try await Task.sleep(for: .milliseconds(100 * attempt))
                    } catch let error as RPCError {
                        refusal = error
                    }
                }
                let error = try #require(refusal, "no export was refused while PostgreSQL was stopped")
                #expect(error.code == .unavailable, "\(error)")
                let status = try #require(try error.unpackGoogleRPCStatus())
                #expect(status.details.compactMap(\.retryInfo).count == 1)

                try await skein.startDatabase()
                let recovered = await eventually {
                    (try? await export(traces[2], with: client)) != nil
                }
                #expect(recovered, "exports were still refused after PostgreSQL came back")
            }
            let byID = try await skein.getJSON("/api/traces/\(traces[2][0].traceID.hex)")
            let data = try #require(byID["data"] as? [[String: Any]])
            #expect((data.first?["spans"] as? [Any])?.count == traces[2].count)
        }
    }
}

extension GRPCEndToEndTests {
    /// What the senders of the shutdown drill saw.
    final class DrillLedger: Sendable {
        struct Tally {
            var acked: [TraceID] = []
            var refusedByCode: [String: Int] = [:]
        }

        let tally = Mutex(Tally())
        let stopping = Mutex(false)
    }


    @Test func callsInFlightWhenShutdownBeginsAreAnsweredAndEveryAcknowledgedSpanSurvivesARestart() async throws {
        let skein = try await RunningSkein.start()
        let ledger = DrillLedger()
        let deadline = ContinuousClock.now + .seconds(60)
        try await withClient(skein) { client in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for sender in UInt64(1)...4 {
                    group.addTask {
                        var sequence: UInt64 = 0
                        // Until the server stops answering (or a bound is reached).
                        while sequence < 5_000, ContinuousClock.now < deadline {
                            let spans = DrillTrace.spans(service: "grpc-shutdown-drill", family: 0x6D00, sender: sender, sequence: sequence, spanCount: 10)
                            sequence += 1
                            do {
                                _ = try await export(spans, with: client)
                                ledger.tally.withLock { $0.acked.append(spans[0].traceID) }
                            } catch let error as RPCError {
                                ledger.tally.withLock { $0.refusedByCode["\(error.code)", default: 0] += 1 }
                                if ledger.stopping.withLock({ $0 }) { return }
                            }
                        }
                    }
                }
                let flowing = await eventually { ledger.tally.withLock { $0.acked.count } >= 40 }
                #expect(flowing, "ingest flows before the shutdown")
                ledger.stopping.withLock { $0 = true }
                try await skein.stop(removingData: false)
                try await group.waitForAll()
            }
        }

        let final = ledger.tally.withLock { $0 }
        // After the listener closed, calls fail to connect: UNAVAILABLE as well.
        #expect(Set(final.refusedByCode.keys).isSubset(of: ["\(RPCError.Code.unavailable)"]),
                "only UNAVAILABLE may refuse: \(final.refusedByCode), \(final.acked.count) acknowledged")

        let restarted = try await RunningSkein.start(dataDirectory: skein.dataDirectory)
        do {
            let missing = try await restarted.tracesNotStoredWhole(final.acked, spansEach: 10)
            #expect(missing.isEmpty, "acknowledged but lost: \(missing.prefix(10))")
        } catch {
            try await restarted.stop()
            throw error
        }
        try await restarted.stop()
    }
}

/// Request and response messages as bytes: the request is already a serialized
/// `ExportTraceServiceRequest` from `OTLPTraceCodec.encodeProtobuf`.
private struct BytesSerializer: MessageSerializer {
    func serialize<Bytes: GRPCContiguousBytes>(_ message: [UInt8]) throws -> Bytes { Bytes(message) }
}

private struct BytesDeserializer: MessageDeserializer {
    func deserialize<Bytes: GRPCContiguousBytes>(_ serializedMessageBytes: Bytes) throws -> [UInt8] {
        serializedMessageBytes.withUnsafeBytes { Array($0) }
    }
}
