import Accounts
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ingest
import Intake
import Logging
import Prometheus
import Storage
import Testing
import TraceModel
@testable import Web

/// Ingest tokens on OTLP/HTTP and Zipkin, checked against the PostgreSQL account store: 401 with
/// `WWW-Authenticate: Bearer` (and a google.rpc.Status, code 16, on OTLP) for a missing token when
/// one is required and for any unacceptable token; 200/202 otherwise.
@Suite struct IngestTokenHTTPTests {
    static let now: UInt64 = 1_763_700_000_000_000_000

    static func span() -> Span {
        Span(
            traceID: TraceID(high: 7, low: 9), spanID: SpanID(1), name: "GET /", kind: .server,
            startTimeUnixNano: now - 2_000_000, endTimeUnixNano: now - 1_000_000,
            resource: Resource(attributes: [Attribute("service.name", .string("checkout"))]))
    }

    /// The tokens a test uses: an ingest token, a read token and a revoked ingest token of the admin.
    struct Tokens {
        let ingest: String
        let read: String
        let revoked: String

        init(_ database: AdminTestDatabase) async throws {
            func make(_ kind: APIToken.Kind, revoked: Bool = false) async throws -> String {
                let secret = SecretToken.generate(kind.secretKind)
                let token = APIToken(name: "t-\(kind.rawValue)", kind: kind, ownerUserID: database.admin.id)
                try await database.store.createAPIToken(token, secretHash: secret.hash)
                if revoked { _ = try await database.store.revokeAPIToken(id: token.id, at: Date()) }
                return secret.value
            }
            ingest = try await make(.ingest)
            read = try await make(.read)
            revoked = try await make(.ingest, revoked: true)
        }
    }

    static func application(
        _ database: AdminTestDatabase, required: Bool, store: InMemoryTraceStore, registry: PrometheusCollectorRegistry
    ) -> some ApplicationProtocol {
        let logger = Logger(label: "test")
        let pipeline = IngestPipeline(
            writer: store, metrics: IngestMetrics(factory: PrometheusMetricsFactory(registry: registry)), logger: logger,
            now: { now })
        let authorization = IngestAuthorization(store: database.store, required: required, logger: logger)
        let router = Router()
        OTLPHTTPController<BasicRequestContext>(pipeline: pipeline, authorization: authorization, logger: logger).addRoutes(to: router)
        ZipkinController<BasicRequestContext>(pipeline: pipeline, authorization: authorization, logger: logger).addRoutes(to: router)
        return Application(router: router)
    }

    static func headers(_ extra: [HTTPField.Name: String]) -> HTTPFields {
        var fields: HTTPFields = [.contentType: "application/json"]
        for (name, value) in extra { fields[name] = value }
        return fields
    }

    static let skeinToken = HTTPField.Name("x-skein-token")!

    @Test func otlpAnswersEachTokenCaseAsTheResponseTableSays() async throws {
        try await AdminTestDatabase.with { database in
            let tokens = try await Tokens(database)
            let body = ByteBuffer(bytes: try OTLPTraceCodec.encodeJSON([Self.span()]))
            // (required, headers, expected status)
            let rows: [(Bool, [HTTPField.Name: String], HTTPResponse.Status)] = [
                (false, [:], .ok),
                (false, [.authorization: "Bearer \(tokens.ingest)"], .ok),
                (false, [.authorization: "Bearer skein_ing_wrong"], .unauthorized),
                (true, [:], .unauthorized),
                (true, [.authorization: "Bearer \(tokens.ingest)"], .ok),
                (true, [Self.skeinToken: tokens.ingest], .ok),
                (true, [.authorization: "Bearer \(tokens.read)"], .unauthorized),
                (true, [.authorization: "Bearer \(tokens.revoked)"], .unauthorized),
                (true, [.authorization: "Basic dXNlcjpwYXNz"], .unauthorized),
            ]
            for (required, extra, expected) in rows {
                let registry = PrometheusCollectorRegistry()
                let app = Self.application(database, required: required, store: InMemoryTraceStore(), registry: registry)
                try await app.test(.router) { client in
                    try await client.execute(uri: "/v1/traces", method: .post, headers: Self.headers(extra), body: body) { response in
                        #expect(response.status == expected, "required=\(required) \(extra)")
                        if expected == .unauthorized {
                            #expect(response.headers[.wwwAuthenticate] == "Bearer")
                            let status = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                            #expect(status["code"] as? Int == 16)
                        }
                    }
                }
                var text: [UInt8] = []
                registry.emit(into: &text)
                let refused = String(decoding: text, as: UTF8.self)
                    .contains(#"skein_ingest_requests_refused_total{protocol="otlp_http",reason="unauthenticated"} 1"#)
                #expect(refused == (expected == .unauthorized), "required=\(required) \(extra)")
            }
        }
    }

    @Test func zipkinRefusesAMissingTokenWhenRequiredAndTakesAValidOne() async throws {
        try await AdminTestDatabase.with { database in
            let tokens = try await Tokens(database)
            let store = InMemoryTraceStore()
            let app = Self.application(database, required: true, store: store, registry: PrometheusCollectorRegistry())
            let body = ByteBuffer(string: #"[{"traceId":"0000000000000007000000000000000a","id":"0000000000000001","name":"get","timestamp":1763699999000000,"duration":1000,"localEndpoint":{"serviceName":"web"}}]"#)
            try await app.test(.router) { client in
                try await client.execute(uri: "/api/v2/spans", method: .post, headers: Self.headers([:]), body: body) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.headers[.wwwAuthenticate] == "Bearer")
                    #expect(String(buffer: response.body).contains("ingest token"))
                }
                try await client.execute(
                    uri: "/api/v2/spans", method: .post, headers: Self.headers([Self.skeinToken: tokens.ingest]), body: body
                ) { response in
                    #expect(response.status == .accepted)
                }
            }
            #expect(try await store.trace(id: TraceID(high: 7, low: 10)).count == 1)
        }
    }

    @Test func aTokenUseIsRecordedAsItsLastUse() async throws {
        try await AdminTestDatabase.with { database in
            let tokens = try await Tokens(database)
            let app = Self.application(database, required: true, store: InMemoryTraceStore(), registry: PrometheusCollectorRegistry())
            let body = ByteBuffer(bytes: try OTLPTraceCodec.encodeJSON([Self.span()]))
            try await app.test(.router) { client in
                try await client.execute(
                    uri: "/v1/traces", method: .post, headers: Self.headers([.authorization: "Bearer \(tokens.ingest)"]), body: body
                ) { response in #expect(response.status == .ok) }
            }
            let token = try #require(try await database.store.apiToken(secretHash: SecretToken.hash(tokens.ingest)))
            #expect(token.lastUsedAt != nil)
        }
    }
}
