import Foundation
import Hummingbird
import HummingbirdTesting
import Ingest
import Logging
import PostgresNIO
import Storage
import Testing
import TraceModel
@testable import Web

/// The ingest endpoints and the Jaeger API over the real PostgreSQL store (Skein's embedded
/// launcher, shared with the storage tests in `.build/test-postgres`).
@Suite struct JaegerAPIPostgresTests {
    static func nowNanos() -> UInt64 { UInt64(Date().timeIntervalSince1970 * 1_000_000_000) }

    /// `IngestOTLPHTTPTests.richSpan()` moved to the present, so it lands in today's partition.
    static func presentRichSpan(now: UInt64) -> Span {
        var span = IngestOTLPHTTPTests.richSpan()
        let shift = now - IngestOTLPHTTPTests.now
        span.startTimeUnixNano += shift
        span.endTimeUnixNano += shift
        span.events = span.events.map { var event = $0; event.timeUnixNano += shift; return event }
        return span
    }

    static func sortedAttributes(_ span: Span) -> Span {
        var span = span
        span.attributes.sort { $0.key < $1.key }
        span.resource.attributes.sort { $0.key < $1.key }
        span.events = span.events.map { var event = $0; event.attributes.sort { $0.key < $1.key }; return event }
        return span
    }

    @Test func otlpSpansRoundTripThroughPostgresWithEveryTypedTag() async throws {
        try await WebTestDatabase.with { database in
            let now = Self.nowNanos()
            let store = PostgresTraceStore(client: database.client, logger: database.logger)
            try await store.ensurePartitions(around: now)
            let router = Router()
            OTLPHTTPController<BasicRequestContext>(writer: store, logger: database.logger, now: { now }).addRoutes(to: router)
            JaegerAPIController<BasicRequestContext>(reader: store, logger: database.logger, now: { now }).addRoutes(to: router)
            let span = Self.presentRichSpan(now: now)
            let body = try OTLPTraceCodec.encodeProtobuf([span])
            try await Application(router: router).test(.router) { client in
                try await client.execute(
                    uri: "/v1/traces", method: .post, headers: [.contentType: "application/x-protobuf"],
                    body: ByteBuffer(bytes: body)
                ) { response in
                    #expect(response.status == .ok)
                }
                let (readSpan, tags) = try await IngestOTLPHTTPTests.readBackTags(client)
                IngestOTLPHTTPTests.expectEveryTypedTag(tags)
                #expect(readSpan["startTime"] as? Int == Int(span.startTimeUnixNano / 1_000))
                #expect((readSpan["references"] as? [Any])?.count == 2)

                try await client.execute(uri: "/api/traces?service=checkout&tags=http.status_code%3D500&minDuration=1ms", method: .get) { response in
                    #expect(response.status == .ok)
                    let found = try IngestOTLPHTTPTests.json(response.body)["data"] as? [[String: Any]]
                    #expect(found?.compactMap { $0["traceID"] as? String } == [IngestOTLPHTTPTests.traceID.hex])
                }
                try await client.execute(uri: "/api/v3/traces/\(IngestOTLPHTTPTests.traceID.hex)", method: .get) { response in
                    #expect(response.status == .ok)
                    let result = try #require(try IngestOTLPHTTPTests.json(response.body)["result"] as? [String: Any])
                    let decoded = try OTLPTraceCodec.decodeJSON(Array(try JSONSerialization.data(withJSONObject: result)))
                    // PostgreSQL's JSONB keeps attributes sorted by key; their order carries no meaning.
                    #expect(decoded.spans.map(Self.sortedAttributes) == [Self.sortedAttributes(span)])
                }
            }
        }
    }
}

/// A fresh, migrated database on the shared test server (a trimmed copy of the storage tests'
/// `TestDatabase`, which other test targets cannot import).
private struct WebTestDatabase: Sendable {
    let client: PostgresClient
    let logger: Logger

    static let packageRoot: String = {
        var url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        while url.path != "/" {
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) { return url.path }
            url.deleteLastPathComponent()
        }
        return FileManager.default.currentDirectoryPath
    }()

    static func with(_ body: (WebTestDatabase) async throws -> Void) async throws {
        var logger = Logger(label: "skein.webtests.postgres")
        logger.logLevel = .warning
        let environment = ProcessInfo.processInfo.environment
        let server: DatabaseEndpoint
        if let url = environment["SKEIN_TEST_DATABASE_URL"], !url.isEmpty {
            server = try DatabaseEndpoint(url: url)
        } else {
            let folder = environment["SKEIN_TEST_POSTGRES_DIR"].flatMap { $0.isEmpty ? nil : $0 }
                ?? "\(packageRoot)/.build/test-postgres"
            // Left running: other test processes share it.
            server = try await EmbeddedPostgres(dataDirectory: folder, logger: logger).start()
        }
        let admin = PostgresClient(configuration: server.clientConfiguration(), backgroundLogger: logger)
        let adminTask = Task { await admin.run() }
        defer { adminTask.cancel() }
        let name = "t_web_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        try await admin.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))

        var configuration = server.with(database: name).clientConfiguration()
        configuration.options.maximumConnections = 4
        let client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        let clientTask = Task { await client.run() }
        var failure: (any Error)?
        do {
            _ = try await MigrationRunner(client: client, directory: "\(packageRoot)/Migrations", logger: logger).migrate()
            try await body(WebTestDatabase(client: client, logger: logger))
        } catch {
            failure = error
        }
        clientTask.cancel()
        await clientTask.value
        try? await admin.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        if let failure { throw failure }
    }
}
