import Accounts
import Foundation
import Ingest
import Logging
import SkeinApp
import Storage
import Testing
import TraceModel

/// `--require-ingest-token` on a real server: an ingest token made through `PostgresAccountStore`
/// lets OTLP/HTTP and Zipkin in, its absence or its revocation does not.
@Suite(.serialized) struct IngestTokenEndToEndTests {
    @Test func aRequiredIngestTokenCreatedInTheStoreLetsSpansIn() async throws {
        try await withRunningSkein(configure: { $0.requireIngestToken = true }) { skein in
            let store = PostgresAccountStore(client: skein.server.database.client, logger: Logger(label: "e2e"))
            let owner = User(name: "ingest-owner", displayName: "Ingest owner", passwordHash: "unused")
            try await store.createUser(owner)
            let secret = SecretToken.generate(.ingest)
            let token = APIToken(name: "e2e", kind: .ingest, ownerUserID: owner.id)
            try await store.createAPIToken(token, secretHash: secret.hash)

            let now = WallClock.unixNanos()
            let traceID = TraceID(high: 0xe2e, low: UInt64.random(in: 1...UInt64.max))
            let span = Span(
                traceID: traceID, spanID: SpanID(1), name: "GET /", kind: .server,
                startTimeUnixNano: now - 2_000_000, endTimeUnixNano: now - 1_000_000,
                resource: Resource(attributes: [Attribute("service.name", .string("e2e-token"))]))
            let body = Data(try OTLPTraceCodec.encodeJSON([span]))

            let anonymous = try await skein.post(port: skein.otlp, path: "/v1/traces", body: body, contentType: "application/json")
            #expect(anonymous.status == 401)
            let zipkinAnonymous = try await skein.post(
                port: skein.zipkin, path: "/api/v2/spans", body: Data("[]".utf8), contentType: "application/json")
            #expect(zipkinAnonymous.status == 401)

            let accepted = try await skein.post(
                port: skein.otlp, path: "/v1/traces", body: body, contentType: "application/json",
                headers: ["Authorization": "Bearer \(secret.value)"])
            #expect(accepted.status == 200)
            #expect(try await store.apiToken(id: token.id)?.lastUsedAt != nil)

            #expect(try await store.revokeAPIToken(id: token.id, at: Date()))
            let other = SecretToken.generate(.ingest)
            let wrong = try await skein.post(
                port: skein.otlp, path: "/v1/traces", body: body, contentType: "application/json",
                headers: ["x-skein-token": other.value])
            #expect(wrong.status == 401)
        }
    }
}
