import GRPCCore
import Intake
import Testing
import TraceModel

/// Messages over `IngestLimits.maxBodyBytes`, measured after decompression.
@Suite struct OTLPGRPCSizeLimitTests {
    static let limits = IngestLimits(maxBodyBytes: 64 * 1024)
    static let traceID = TraceID(high: 0x0123_4567_89ab_cdef, low: 0x0fed_cba9_8765_4321)

    /// A valid export request a little over 64 KiB: one span with a long attribute.
    static func requestOverTheLimit() throws -> [UInt8] {
        var spans = GRPCTestSpans.trace(traceID, count: 1)
        spans[0].attributes.append(Attribute("payload", .string(String(repeating: "x", count: 70 * 1024))))
        return try GRPCTestSpans.request(spans)
    }

    @Test(arguments: [nil, CompressionAlgorithm.gzip])
    func aMessageOverTheLimitIsRefusedWithResourceExhausted(compression: CompressionAlgorithm?) async throws {
        let server = GRPCTestServer()
        let message = try Self.requestOverTheLimit()
        let error = await #expect(throws: RPCError.self) {
            try await server.run(limits: Self.limits) { client in try await client.export(message, compression: compression) }
        }

        #expect(error?.code == .resourceExhausted)
        #expect(error?.message.contains("the limit is 65536") == true, "\(String(describing: error))")
        #expect(try await server.store.trace(id: Self.traceID).isEmpty)
        #expect(server.metricsText().contains(#"skein_ingest_requests_refused_total{protocol="otlp_grpc",reason="too_large"} 1"#))
    }

    @Test func aDecompressionBombIsRefusedAndTheServerKeepsServing() async throws {
        let server = GRPCTestServer()
        // 8 MiB of zeros gzip to about 8 KiB: far under the limit on the wire, 128 times over it inflated.
        let bomb = [UInt8](repeating: 0, count: 8 * 1024 * 1024)
        let spans = GRPCTestSpans.trace(Self.traceID, count: 2)
        let (bombResult, afterwards) = try await server.run(limits: Self.limits) { client in
            let bombResult = await Result { try await client.export(bomb, compression: .gzip) }
            let afterwards = try await client.export(GRPCTestSpans.request(spans), compression: .gzip)
            return (bombResult, afterwards)
        }

        // The transport stops inflating at twice the limit and resets the stream: an error, never OK.
        #expect(throws: RPCError.self) { try bombResult.get() }
        #expect(try GRPCTestSpans.partialSuccess(afterwards) == nil)
        #expect(try await server.store.trace(id: Self.traceID).count == 2)
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
