import Accounts
import Foundation
import GRPCCore
import Intake
import Logging
import Testing
import TraceModel

/// Ingest tokens on OTLP/gRPC: read from the `authorization` or `x-skein-token` metadata; a call
/// without an acceptable one is answered UNAUTHENTICATED and counted as refused.
@Suite struct OTLPGRPCIngestTokenTests {
    static let traceID = TraceID(high: 0x1234, low: 0x5678)
    static let owner = User(name: "collector-owner", displayName: "Owner", passwordHash: "x")
    static let ingest = SecretToken.generate(.ingest)
    static let read = SecretToken.generate(.read)

    /// Tokens known to the authorization: one ingest and one read token of `owner`. (The store
    /// behind the lookup is PostgreSQL in production; the end-to-end tests use that one.)
    static func authorization(required: Bool) -> IngestAuthorization {
        let tokens: [[UInt8]: APIToken] = [
            ingest.hash: APIToken(name: "collector", kind: .ingest, ownerUserID: owner.id),
            read.hash: APIToken(name: "grafana", kind: .read, ownerUserID: owner.id),
        ]
        return IngestAuthorization(
            required: required, lookup: { hash in tokens[hash].map { ($0, owner) } }, touch: { _, _ in },
            logger: Logger(label: "test"))
    }

    static func export(
        _ client: GRPCClient<some ClientTransport>, metadata: Metadata
    ) async throws -> [UInt8] {
        try await client.unary(
            request: ClientRequest(message: try GRPCTestSpans.request(GRPCTestSpans.trace(traceID, count: 2)), metadata: metadata),
            descriptor: MethodDescriptor(fullyQualifiedService: "opentelemetry.proto.collector.trace.v1.TraceService", method: "Export"),
            serializer: RawBytesSerializer(), deserializer: RawBytesDeserializer(), options: .defaults
        ) { response in try response.message }
    }

    @Test(arguments: [
        ("none", false, Metadata()),
        ("bearer", true, ["authorization": .string("Bearer \(ingest.value)")] as Metadata),
        ("x-skein-token", true, ["x-skein-token": .string(ingest.value)] as Metadata),
        ("bearer", false, ["authorization": .string("Bearer \(ingest.value)")] as Metadata),
    ])
    func callsWithAnAcceptableTokenOrNoneWhenNotRequiredAreStored(label: String, required: Bool, metadata: Metadata) async throws {
        let server = GRPCTestServer()
        _ = try await server.run(authorization: Self.authorization(required: required)) { client in
            try await Self.export(client, metadata: metadata)
        }
        #expect(try await server.store.trace(id: Self.traceID).count == 2, "\(label)")
    }

    @Test(arguments: [
        ("missing, required", true, Metadata()),
        ("unknown", false, ["authorization": "Bearer skein_ing_unknown"] as Metadata),
        ("read token", true, ["x-skein-token": .string(read.value)] as Metadata),
        ("basic scheme, required", true, ["authorization": "Basic dXNlcjpwYXNz"] as Metadata),
    ])
    func callsWithoutAnAcceptableTokenAreUnauthenticated(label: String, required: Bool, metadata: Metadata) async throws {
        let server = GRPCTestServer()
        let error = await #expect(throws: RPCError.self, "\(label)") {
            try await server.run(authorization: Self.authorization(required: required)) { client in
                try await Self.export(client, metadata: metadata)
            }
        }
        #expect(error?.code == .unauthenticated, "\(label)")
        #expect(try await server.store.trace(id: Self.traceID).isEmpty)
        #expect(server.metricsText().contains(#"skein_ingest_requests_refused_total{protocol="otlp_grpc",reason="unauthenticated"} 1"#))
    }
}
