import CompressNIO
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Storage
import Testing
import TraceModel
import Intake
@testable import Web

/// Zipkin v2 `POST /api/v2/spans` through the router, read back through the Jaeger API.
@Suite struct IngestZipkinTests {
    static let now: UInt64 = 1_763_700_000_000_000_000

    static func makeApplication(store: InMemoryTraceStore, limits: IngestLimits = IngestLimits()) -> some ApplicationProtocol {
        let logger = Logger(label: "test")
        let router = Router()
        ZipkinController<BasicRequestContext>(writer: store, limits: limits, logger: logger, now: { now }).addRoutes(to: router)
        JaegerAPIController<BasicRequestContext>(reader: store, logger: logger, now: { now }).addRoutes(to: router)
        return Application(router: router)
    }

    static let body: String = {
        let startMicros = (now - 30_000_000_000) / 1_000
        return """
            [{"traceId":"463ac35c9f6413ad48485a3953bb6124","id":"a2fb4a1d1a96d312","name":"get /users",
              "kind":"SERVER","timestamp":\(startMicros),"duration":2500,
              "localEndpoint":{"serviceName":"frontend","ipv4":"192.168.99.1"},
              "tags":{"http.method":"GET","http.path":"/users"}},
             {"traceId":"463ac35c9f6413ad48485a3953bb6124","parentId":"a2fb4a1d1a96d312","id":"b3fb4a1d1a96d313",
              "name":"select","kind":"CLIENT","timestamp":\(startMicros + 100),"duration":1000,
              "localEndpoint":{"serviceName":"frontend"},"remoteEndpoint":{"serviceName":"postgres"}}]
            """
    }()

    @Test func zipkinSpansAreAccepted202AndReadBack() async throws {
        let store = InMemoryTraceStore()
        try await Self.makeApplication(store: store).test(.router) { client in
            try await client.execute(
                uri: "/api/v2/spans", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: Self.body)
            ) { response in
                #expect(response.status == .accepted)
            }
            try await client.execute(uri: "/api/traces/463ac35c9f6413ad48485a3953bb6124", method: .get) { response in
                #expect(response.status == .ok)
                let body = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
                let trace = try #require((body["data"] as? [[String: Any]])?.first)
                let spans = try #require(trace["spans"] as? [[String: Any]])
                #expect(Set(spans.compactMap { $0["operationName"] as? String }) == ["get /users", "select"])
                let root = try #require(spans.first { $0["operationName"] as? String == "get /users" })
                #expect(root["duration"] as? Int == 2500)
                let tags = try #require(root["tags"] as? [[String: Any]])
                #expect(tags.contains { $0["key"] as? String == "http.method" && $0["value"] as? String == "GET" })
            }
        }
    }

    @Test func gzipZipkinBodyWithoutContentTypeIsAccepted() async throws {
        let store = InMemoryTraceStore()
        var plain = ByteBuffer(string: Self.body)
        let compressed = try plain.compress(with: .gzip())
        try await Self.makeApplication(store: store).test(.router) { client in
            try await client.execute(
                uri: "/api/v2/spans", method: .post, headers: [.contentEncoding: "gzip"], body: compressed
            ) { response in
                #expect(response.status == .accepted)
            }
        }
        #expect(try await store.services() == ["frontend"])
    }

    @Test func thriftAndProto3BodiesAreRejectedWith415() async throws {
        try await Self.makeApplication(store: InMemoryTraceStore()).test(.router) { client in
            for contentType in ["application/x-thrift", "application/x-protobuf"] {
                try await client.execute(
                    uri: "/api/v2/spans", method: .post, headers: [.contentType: contentType],
                    body: ByteBuffer(bytes: [1, 2, 3])
                ) { response in
                    #expect(response.status == .unsupportedMediaType)
                }
            }
        }
    }

    @Test func malformedZipkinJSONIsRejectedWith400AndAPlainMessage() async throws {
        try await Self.makeApplication(store: InMemoryTraceStore()).test(.router) { client in
            try await client.execute(
                uri: "/api/v2/spans", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{not json")
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                #expect(String(buffer: response.body).contains("Zipkin"))
            }
        }
    }

    @Test func oversizedZipkinBodyIsRejectedWith413() async throws {
        let app = Self.makeApplication(store: InMemoryTraceStore(), limits: IngestLimits(maxBodyBytes: 100))
        try await app.test(.router) { client in
            try await client.execute(
                uri: "/api/v2/spans", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: Self.body)
            ) { response in
                #expect(response.status == .contentTooLarge)
            }
        }
    }
}
