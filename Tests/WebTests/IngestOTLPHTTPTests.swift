import CompressNIO
import Foundation
import Hummingbird
import HummingbirdTesting
import Ingest
import Logging
import Storage
import Testing
import TraceModel
import Intake
@testable import Web

/// OTLP/HTTP `POST /v1/traces` through the router, read back through the Jaeger API.
@Suite struct IngestOTLPHTTPTests {
    static let now: UInt64 = 1_763_700_000_000_000_000
    static let traceID = TraceID(high: 0x0af7_6519_16cd_43dd, low: 0x8448_eb21_1c80_319c)

    /// A span carrying every attribute type and every OpenTelemetry field Jaeger has a place for.
    static func richSpan() -> Span {
        let start = now - 60_000_000_000
        return Span(
            traceID: traceID, spanID: SpanID(0xb7ad_6b71_6920_3331), parentSpanID: SpanID(0x1111_2222_3333_4444),
            traceState: "congo=t61rcWkgMzE", flags: 1, name: "GET /checkout", kind: .server,
            startTimeUnixNano: start, endTimeUnixNano: start + 1_500_000,
            attributes: [
                Attribute("http.route", .string("/checkout")),
                Attribute("cache.hit", .bool(true)),
                Attribute("http.status_code", .int(500)),
                Attribute("load", .double(0.75)),
                Attribute("payload", .bytes([0xDE, 0xAD, 0xBE, 0xEF])),
                Attribute("tags", .array([.string("a"), .int(2)])),
                Attribute("user", .keyValueList([Attribute("id", .int(7)), Attribute("name", .string("ann"))])),
            ],
            droppedAttributesCount: 2,
            events: [SpanEvent(timeUnixNano: start + 1_000, name: "exception", attributes: [
                Attribute("exception.message", .string("boom")),
            ])],
            droppedEventsCount: 3,
            links: [SpanLink(traceID: TraceID(high: 1, low: 2), spanID: SpanID(3))],
            droppedLinksCount: 4,
            status: SpanStatus(code: .error, message: "payment declined"),
            resource: Resource(attributes: [
                Attribute("service.name", .string("checkout")), Attribute("host.name", .string("web-1")),
            ]),
            scope: InstrumentationScope(name: "io.opentelemetry.http", version: "1.2.3"))
    }

    static func makeApplication(
        store: InMemoryTraceStore, writer: (any TraceWriter)? = nil, limits: IngestLimits = IngestLimits()
    ) -> some ApplicationProtocol {
        let logger = Logger(label: "test")
        let router = Router()
        OTLPHTTPController<BasicRequestContext>(writer: writer ?? store, limits: limits, logger: logger, now: { now })
            .addRoutes(to: router)
        JaegerAPIController<BasicRequestContext>(reader: store, logger: logger, now: { now }).addRoutes(to: router)
        return Application(router: router)
    }

    /// Posts one body to `/v1/traces` on a fresh application over `store` and hands the response to `check`.
    static func postTraces(
        _ body: ByteBuffer, headers: HTTPFields, store: InMemoryTraceStore = InMemoryTraceStore(),
        writer: (any TraceWriter)? = nil, limits: IngestLimits = IngestLimits(), testing: TestingSetup = .router,
        check: @escaping @Sendable (TestResponse) async throws -> Void
    ) async throws {
        try await makeApplication(store: store, writer: writer, limits: limits).test(testing) { client in
            try await client.execute(
                uri: "/v1/traces", method: .post, headers: headers, body: body, testCallback: check)
        }
    }

    static func json(_ buffer: ByteBuffer) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView))
        return try #require(object as? [String: Any])
    }

    /// The tags of the single span of `/api/traces/{id}`, keyed by tag key.
    static func readBackTags(_ client: some TestClientProtocol) async throws -> (span: [String: Any], tags: [String: [String: Any]]) {
        try await client.execute(uri: "/api/traces/\(traceID.hex)", method: .get) { response in
            #expect(response.status == .ok)
            let body = try json(response.body)
            let trace = try #require((body["data"] as? [[String: Any]])?.first)
            let span = try #require((trace["spans"] as? [[String: Any]])?.first)
            let tags = try #require(span["tags"] as? [[String: Any]])
            var byKey: [String: [String: Any]] = [:]
            for tag in tags { if let key = tag["key"] as? String { byKey[key] = tag } }
            return (span, byKey)
        }
    }

    static func expectEveryTypedTag(_ tags: [String: [String: Any]]) {
        #expect(tags["http.route"]?["type"] as? String == "string")
        #expect(tags["http.route"]?["value"] as? String == "/checkout")
        #expect(tags["cache.hit"]?["type"] as? String == "bool")
        #expect(tags["cache.hit"]?["value"] as? Bool == true)
        #expect(tags["http.status_code"]?["type"] as? String == "int64")
        #expect(tags["http.status_code"]?["value"] as? Int == 500)
        #expect(tags["load"]?["type"] as? String == "float64")
        #expect(tags["load"]?["value"] as? Double == 0.75)
        #expect(tags["payload"]?["type"] as? String == "binary")
        #expect(tags["payload"]?["value"] as? String == "3q2+7w==")
        #expect(tags["tags"]?["value"] as? String == #"["a",2]"#)
        #expect(tags["user"]?["value"] as? String == #"{"id":7,"name":"ann"}"#)
        #expect(tags["span.kind"]?["value"] as? String == "server")
        #expect(tags["otel.status_code"]?["value"] as? String == "ERROR")
        #expect(tags["otel.status_description"]?["value"] as? String == "payment declined")
        #expect(tags["error"]?["value"] as? Bool == true)
        #expect(tags["otel.scope.name"]?["value"] as? String == "io.opentelemetry.http")
        #expect(tags["otel.scope.version"]?["value"] as? String == "1.2.3")
        #expect(tags["w3c.tracestate"]?["value"] as? String == "congo=t61rcWkgMzE")
        #expect(tags["otel.dropped_attributes_count"]?["value"] as? Int == 2)
        #expect(tags["otel.dropped_events_count"]?["value"] as? Int == 3)
        #expect(tags["otel.dropped_links_count"]?["value"] as? Int == 4)
    }

    @Test func protobufSpansAreStoredAndReadBackWithEveryTypedTag() async throws {
        let store = InMemoryTraceStore()
        let body = try OTLPTraceCodec.encodeProtobuf([Self.richSpan()])
        try await Self.makeApplication(store: store).test(.router) { client in
            try await client.execute(
                uri: "/v1/traces", method: .post, headers: [.contentType: "application/x-protobuf"],
                body: ByteBuffer(bytes: body)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/x-protobuf")
                #expect(response.body.readableBytes == 0)  // no partial_success
            }
            let (span, tags) = try await Self.readBackTags(client)
            Self.expectEveryTypedTag(tags)
            #expect(span["operationName"] as? String == "GET /checkout")
            #expect(span["startTime"] as? Int == Int((Self.now - 60_000_000_000) / 1_000))
            #expect(span["duration"] as? Int == 1_500)
            let references = try #require(span["references"] as? [[String: Any]])
            #expect(references.map { $0["refType"] as? String } == ["CHILD_OF", "FOLLOWS_FROM"])
            #expect(references.first?["spanID"] as? String == "1111222233334444")
            let logs = try #require(span["logs"] as? [[String: Any]])
            let fields = try #require(logs.first?["fields"] as? [[String: Any]])
            #expect(fields.first?["key"] as? String == "event")
            #expect(fields.first?["value"] as? String == "exception")
        }
    }

    @Test func jsonSpansWithCharsetParameterAreStoredAndReadBack() async throws {
        let store = InMemoryTraceStore()
        let body = try OTLPTraceCodec.encodeJSON([Self.richSpan()])
        try await Self.makeApplication(store: store).test(.router) { client in
            try await client.execute(
                uri: "/v1/traces", method: .post, headers: [.contentType: "application/json; charset=utf-8"],
                body: ByteBuffer(bytes: body)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentType] == "application/json")
            }
            let (_, tags) = try await Self.readBackTags(client)
            Self.expectEveryTypedTag(tags)
            let processTrace = try await client.execute(uri: "/api/traces/\(Self.traceID.hex)", method: .get) {
                try Self.json($0.body)
            }
            let trace = try #require((processTrace["data"] as? [[String: Any]])?.first)
            let process = try #require((trace["processes"] as? [String: [String: Any]])?["p1"])
            #expect(process["serviceName"] as? String == "checkout")
            let processTags = try #require(process["tags"] as? [[String: Any]])
            #expect(processTags.map { $0["key"] as? String } == ["host.name"])
        }
    }

    @Test func handWrittenOTLPJSONWithHexIDsIsAccepted() async throws {
        let store = InMemoryTraceStore()
        let start = Self.now - 1_000_000_000
        let body = """
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"cart"}}]},
            "scopeSpans":[{"scope":{"name":"manual"},"spans":[{"traceId":"5b8efff798038103d269b633813fc60c",
            "spanId":"eee19b7ec3c1b174","name":"add item","kind":2,"startTimeUnixNano":"\(start)",
            "endTimeUnixNano":"\(start + 5_000)","unknownField":1}]}]}]}
            """
        try await Self.postTraces(
            ByteBuffer(string: body),
            headers: [.contentType: "application/json"], store: store
        ) { response in
            #expect(response.status == .ok)
        }
        let spans = try await store.trace(id: try #require(TraceID(hex: "5b8efff798038103d269b633813fc60c")))
        #expect(spans.map(\.name) == ["add item"])
        #expect(spans.first?.serviceName == "cart")
    }

    @Test func gzipBodyIsDecompressed() async throws {
        let store = InMemoryTraceStore()
        var plain = ByteBuffer(bytes: try OTLPTraceCodec.encodeProtobuf([Self.richSpan()]))
        let compressed = try plain.compress(with: .gzip())
        try await Self.postTraces(
            compressed,
            headers: [.contentType: "application/x-protobuf", .contentEncoding: "gzip"], store: store
        ) { response in
            #expect(response.status == .ok)
        }
        #expect(try await store.trace(id: Self.traceID).count == 1)
    }

    @Test func deflateBodyIsDecompressedInZlibAndRawForm() async throws {
        let store = InMemoryTraceStore()
        let encoded = try OTLPTraceCodec.encodeJSON([Self.richSpan()])
        for algorithm in [CompressionAlgorithm.zlib(), .deflate()] {
            var plain = ByteBuffer(bytes: encoded)
            let compressed = try plain.compress(with: algorithm)
            try await Self.makeApplication(store: store).test(.router) { client in
                try await client.execute(
                    uri: "/v1/traces", method: .post,
                    headers: [.contentType: "application/json", .contentEncoding: "deflate"], body: compressed
                ) { response in
                    #expect(response.status == .ok, "\(algorithm)")
                }
            }
        }
        #expect(try await store.trace(id: Self.traceID).count == 1)
    }

    @Test func corruptGzipIsRejectedWith400() async throws {
        try await Self.postTraces(
            ByteBuffer(bytes: [0x1F, 0x8B, 0x08, 0x00, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x03, 0xAA, 0xBB]),
            headers: [.contentType: "application/json", .contentEncoding: "gzip"]
        ) { response in
            #expect(response.status == .badRequest)
        }
    }

    @Test func gzipBombIsRejectedWith413WithoutInflatingIt() async throws {
        // 100 MiB of zeros, compressed in a stream so the test never holds the plain bytes.
        let compressor = CompressionAlgorithm.gzip().compressor
        try compressor.startStream()
        var compressed = ByteBuffer()
        compressed.reserveCapacity(1 << 20)
        let zeros = ByteBuffer(repeating: 0, count: 1 << 20)
        for _ in 0..<100 {
            var chunk = zeros
            try compressor.streamDeflate(from: &chunk, to: &compressed, flush: .no)
        }
        try compressor.finishDeflate(to: &compressed)
        try compressor.finishStream()
        #expect(compressed.readableBytes < 1 << 20)
        let bomb = compressed

        let clock = ContinuousClock()
        let started = clock.now
        try await Self.postTraces(
            bomb,
            headers: [.contentType: "application/x-protobuf", .contentEncoding: "gzip"]
        ) { response in
            #expect(response.status == .contentTooLarge)
        }
        // Generous: a loaded CI machine is slow, but inflating the bomb would take far longer.
        #expect(clock.now - started < .seconds(60))
    }

    @Test func oversizedPlainBodyIsRejectedWith413() async throws {
        try await Self.postTraces(
            ByteBuffer(repeating: UInt8(ascii: " "), count: 5_000),
            headers: [.contentType: "application/json"], limits: IngestLimits(maxBodyBytes: 1_000)
        ) { response in
            #expect(response.status == .contentTooLarge)
            let status = try Self.json(response.body)
            #expect(status["message"] as? String != nil)
        }
    }

    @Test func bodyLargerThanHummingbirdsDefaultUploadLimitIsAccepted() async throws {
        let store = InMemoryTraceStore()
        var span = Self.richSpan()
        span.attributes.append(Attribute("big", .string(String(repeating: "x", count: 3 * 1024 * 1024))))
        let body = try OTLPTraceCodec.encodeProtobuf([span])
        // The value-length limit is raised so the whole value is kept: this test is about the body size.
        try await Self.postTraces(
            ByteBuffer(bytes: body),
            headers: [.contentType: "application/x-protobuf"], store: store,
            limits: IngestLimits(maxAttributeValueLength: 4 * 1024 * 1024)
        ) { response in
            #expect(response.status == .ok)
        }
        #expect(try await store.trace(id: Self.traceID).first?.attributes["big"]?.text.count == 3 * 1024 * 1024)
    }

    @Test func liveServerAcceptsAGzipBodyThatInflatesPastTwoMebibytes() async throws {
        let store = InMemoryTraceStore()
        var span = Self.richSpan()
        span.attributes.append(Attribute("big", .string(String(repeating: "y", count: 3 * 1024 * 1024))))
        var plain = ByteBuffer(bytes: try OTLPTraceCodec.encodeProtobuf([span]))
        let compressed = try plain.compress(with: .gzip())
        try await Self.postTraces(
            compressed,
            headers: [.contentType: "application/x-protobuf", .contentEncoding: "gzip"], store: store, testing: .live
        ) { response in
            #expect(response.status == .ok)
        }
        #expect(try await store.trace(id: Self.traceID).count == 1)
    }

    @Test func unknownContentTypeIsRejectedWith415AndAStatusBody() async throws {
        try await Self.postTraces(ByteBuffer(string: "hi"), headers: [.contentType: "text/plain"]) { response in
            #expect(response.status == .unsupportedMediaType)
            let message = try #require(try Self.json(response.body)["message"] as? String)
            #expect(message.contains("application/x-protobuf"))
        }
    }

    @Test func unknownContentEncodingIsRejectedWith415() async throws {
        try await Self.postTraces(
            ByteBuffer(string: "{}"),
            headers: [.contentType: "application/json", .contentEncoding: "br"]
        ) { response in
            #expect(response.status == .unsupportedMediaType)
        }
    }

    @Test func undecodableBodyIsRejectedWith400AndAnExplanation() async throws {
        try await Self.makeApplication(store: InMemoryTraceStore()).test(.router) { client in
            try await client.execute(
                uri: "/v1/traces", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"resourceSpans": 42}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let message = try #require(try Self.json(response.body)["message"] as? String)
                #expect(message.contains("OTLP"))
            }
            try await client.execute(
                uri: "/v1/traces", method: .post, headers: [.contentType: "application/x-protobuf"],
                body: ByteBuffer(bytes: [0xFF, 0xFF, 0xFF, 0xFF])
            ) { response in
                #expect(response.status == .badRequest)
            }
        }
    }

    @Test func wrongMethodOnTracesEndpointIsRejectedWith405() async throws {
        try await Self.makeApplication(store: InMemoryTraceStore()).test(.router) { client in
            try await client.execute(uri: "/v1/traces", method: .get) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
        }
    }

    @Test func partiallyInvalidBatchIsAnswered200WithPartialSuccess() async throws {
        let store = InMemoryTraceStore()
        var ancient = Self.richSpan()
        ancient.spanID = SpanID(0xA)
        ancient.startTimeUnixNano = 1_000
        ancient.endTimeUnixNano = 2_000
        var backwards = Self.richSpan()
        backwards.spanID = SpanID(0xB)
        backwards.endTimeUnixNano = backwards.startTimeUnixNano - 5_000_000  // 5 ms: beyond the 1 ms tolerance
        var future = Self.richSpan()
        future.spanID = SpanID(0xC)
        future.startTimeUnixNano = Self.now + 2 * 86_400 * 1_000_000_000
        future.endTimeUnixNano = future.startTimeUnixNano + 1
        let body = try OTLPTraceCodec.encodeJSON([Self.richSpan(), ancient, backwards, future])
        try await Self.postTraces(
            ByteBuffer(bytes: body),
            headers: [.contentType: "application/json"], store: store
        ) { response in
            #expect(response.status == .ok)
            let partial = try #require(try Self.json(response.body)["partialSuccess"] as? [String: Any])
            #expect("\(partial["rejectedSpans"] ?? "")" == "3")
            let message = try #require(partial["errorMessage"] as? String)
            #expect(message.contains("timestamp_out_of_range (2)"))
            #expect(message.contains("end_before_start (1)"))
        }
        #expect(try await store.trace(id: Self.traceID).map(\.spanID) == [Self.richSpan().spanID])
    }

    @Test func storageFailureIsAnswered503WithRetryAfter() async throws {
        let body = try OTLPTraceCodec.encodeProtobuf([Self.richSpan()])
        try await Self.postTraces(
            ByteBuffer(bytes: body),
            headers: [.contentType: "application/x-protobuf"], writer: UnavailableTraceWriter()
        ) { response in
            #expect(response.status == .serviceUnavailable)
            #expect(response.headers[.retryAfter] == "5")
            #expect(!String(buffer: response.body).contains("database is gone"))
        }
    }
}

/// A writer whose storage is down: every write fails, as a PostgreSQL outage would.
struct UnavailableTraceWriter: TraceWriter {
    struct Outage: Error, CustomStringConvertible {
        var description: String { "database is gone (secret=hunter2)" }
    }

    func write(_ spans: [Span], limits: WriteLimits) async throws -> WriteReceipt { throw Outage() }
}
