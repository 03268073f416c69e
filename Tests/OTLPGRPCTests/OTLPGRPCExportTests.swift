import GRPCCore
import GRPCProtobuf
import Intake
import Storage
import Testing
import TraceModel

/// `TraceService/Export` over a real HTTP/2 connection with a grpc-swift-2 client: each row of the
/// gRPC column of the response table.
@Suite struct OTLPGRPCExportTests {
    static let traceID = TraceID(high: 0x5b8e_fff7_9879_8104, low: 0x6d63_2e2b_3f5f_9a8e)

    @Test func exportedSpansAreStoredAndAnsweredWithoutPartialSuccess() async throws {
        let server = GRPCTestServer()
        let spans = GRPCTestSpans.trace(Self.traceID, count: 4)
        let response = try await server.run { client in try await client.export(GRPCTestSpans.request(spans)) }

        #expect(try GRPCTestSpans.partialSuccess(response) == nil)
        let stored = try await server.store.trace(id: Self.traceID)
        #expect(stored.map(\.spanID).sorted() == spans.map(\.spanID).sorted())
        #expect(stored.first { $0.spanID == SpanID(1) }?.serviceName == "checkout")
        #expect(server.metricsText().contains(#"skein_spans_accepted_total{protocol="otlp_grpc"} 4"#))
    }

    @Test func spansWithMalformedIdsAreRejectedInPartialSuccessAndTheOthersStored() async throws {
        let server = GRPCTestServer()
        let spans = GRPCTestSpans.trace(Self.traceID, count: 3)
        let response = try await server.run { client in
            try await client.export(GRPCTestSpans.request(spans, badTraceIDs: [1]))
        }

        let partial = try #require(try GRPCTestSpans.partialSuccess(response))
        #expect(partial.rejectedSpans == 1)
        #expect(partial.errorMessage.contains("invalid_trace_id"), "\(partial.errorMessage)")
        #expect(try await server.store.trace(id: Self.traceID).map(\.spanID).sorted() == [SpanID(1), SpanID(3)])
    }

    @Test(arguments: [CompressionAlgorithm.gzip, .deflate])
    func compressedRequestsAreAccepted(compression: CompressionAlgorithm) async throws {
        let server = GRPCTestServer()
        let spans = GRPCTestSpans.trace(Self.traceID, count: 5)
        let response = try await server.run { client in
            try await client.export(GRPCTestSpans.request(spans), compression: compression)
        }

        #expect(try GRPCTestSpans.partialSuccess(response) == nil)
        #expect(try await server.store.trace(id: Self.traceID).count == 5)
    }

    @Test func bytesThatAreNotAnExportRequestAreRefusedWithInvalidArgument() async throws {
        let server = GRPCTestServer()
        let error = await #expect(throws: RPCError.self) {
            try await server.run { client in try await client.export(Array("not protobuf at all \u{FF}".utf8) + [0xFF, 0xFF]) }
        }

        #expect(error?.code == .invalidArgument)
        #expect(error?.message.hasPrefix("undecodable OTLP protobuf") == true, "\(String(describing: error))")
        #expect(server.metricsText().contains(#"skein_ingest_requests_refused_total{protocol="otlp_grpc",reason="undecodable"} 1"#))
    }

    @Test func requestsWithMoreSpansThanTheLimitAreRefusedWholeWithInvalidArgument() async throws {
        let server = GRPCTestServer()
        let spans = GRPCTestSpans.trace(Self.traceID, count: 3)
        let error = await #expect(throws: RPCError.self) {
            try await server.run(limits: IngestLimits(maxSpansPerRequest: 2)) { client in
                try await client.export(GRPCTestSpans.request(spans))
            }
        }

        #expect(error?.code == .invalidArgument)
        #expect(error?.message.contains("limit is 2 per request") == true, "\(String(describing: error))")
        #expect(try await server.store.trace(id: Self.traceID).isEmpty)
    }

    @Test func aSpentMemoryBudgetRefusesWithResourceExhaustedAndARetryDelay() async throws {
        let server = GRPCTestServer()
        let budget = IngestMemoryBudget(capacityBytes: 1_024)
        let held = try #require(budget.reserve(bytes: 1_000))
        defer { held.release() }
        let error = await #expect(throws: RPCError.self) {
            try await server.run(budget: budget) { client in
                try await client.export(GRPCTestSpans.request(GRPCTestSpans.trace(Self.traceID)))
            }
        }

        #expect(error?.code == .resourceExhausted)
        try Self.expectRetryDelay(seconds: 1, in: error)
        #expect(try await server.store.trace(id: Self.traceID).isEmpty)
        #expect(server.metricsText().contains(#"skein_ingest_requests_refused_total{protocol="otlp_grpc",reason="rate_limited"} 1"#))
    }

    @Test func aWriterThatFailsIsAnsweredWithUnavailableAndARetryDelay() async throws {
        let server = GRPCTestServer()
        let error = await #expect(throws: RPCError.self) {
            try await server.run(writer: UnreachableStorage()) { client in
                try await client.export(GRPCTestSpans.request(GRPCTestSpans.trace(Self.traceID)))
            }
        }

        #expect(error?.code == .unavailable)
        #expect(error?.message.contains("database unavailable") == true, "\(String(describing: error))")
        try Self.expectRetryDelay(seconds: 5, in: error)
    }

    /// The delay is in the `google.rpc.Status` details (OTLP specification) and in the bare
    /// `google.rpc.retryinfo-bin` trailer the Python SDK reads.
    static func expectRetryDelay(seconds: Int64, in error: RPCError?, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let error = try #require(error, sourceLocation: sourceLocation)
        let status = try #require(try error.unpackGoogleRPCStatus(), sourceLocation: sourceLocation)
        #expect(status.code == error.code, sourceLocation: sourceLocation)
        #expect(status.details.compactMap(\.retryInfo).map(\.delay) == [.seconds(seconds)], sourceLocation: sourceLocation)
        let trailer = Array(error.metadata[binaryValues: "google.rpc.retryinfo-bin"])
        #expect(trailer == [[0x0A, 0x02, 0x08, UInt8(seconds)]], sourceLocation: sourceLocation)
    }
}

/// A writer whose database is gone: every write fails as a dropped connection would.
struct UnreachableStorage: TraceWriter {
    struct ConnectionRefused: Error {}

    func write(_ spans: [Span], limits: WriteLimits) async throws -> WriteReceipt {
        throw ConnectionRefused()
    }
}
