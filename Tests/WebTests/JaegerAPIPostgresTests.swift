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
