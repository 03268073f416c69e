import Foundation
import Hummingbird
import HummingbirdTesting
import Ingest
import Intake
import Logging
import Storage
import Testing
import TraceModel
@testable import Web

/// Every per-span limit and the per-trace limit over OTLP/HTTP: the request succeeds with a
/// `partial_success` naming what was altered or left out, and a truncated trace says so on its
/// page, in search results and in the Jaeger API.
@Suite struct IngestLimitsTests {
    typealias OTLP = IngestOTLPHTTPTests

    /// One limit set tight enough that `IngestOTLPHTTPTests.richSpan()` goes over it.
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var limits: IngestLimits
        var reason: String
        var check: @Sendable (Span) -> Bool

        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "attribute value length", limits: IngestLimits(maxAttributeValueLength: 4), reason: "truncated_attribute") {
            $0.attributes["http.route"] == .string("/che") && $0.resource.attributes["host.name"] == .string("web-")
        },
        Case(name: "attributes per span", limits: IngestLimits(maxAttributesPerSpan: 3), reason: "attributes_dropped") {
            $0.attributes.count == 3 && $0.droppedAttributesCount == 2 + 4
        },
        Case(name: "events per span", limits: IngestLimits(maxEventsPerSpan: 0), reason: "events_dropped") {
            $0.events.isEmpty && $0.droppedEventsCount == 3 + 1
        },
        Case(name: "links per span", limits: IngestLimits(maxLinksPerSpan: 0), reason: "links_dropped") {
            $0.links.isEmpty && $0.droppedLinksCount == 4 + 1
        },
    ]

    @Test(arguments: cases)
    func aSpanOverALimitIsStoredAlteredAndTheAnswerSaysSo(_ limit: Case) async throws {
        let store = InMemoryTraceStore()
        let body = try OTLPTraceCodec.encodeJSON([OTLP.richSpan()])
        try await OTLP.postTraces(
            ByteBuffer(bytes: body), headers: [.contentType: "application/json"], store: store, limits: limit.limits
        ) { response in
            #expect(response.status == .ok)
            let partial = try #require(try OTLP.json(response.body)["partialSuccess"] as? [String: Any])
            #expect("\(partial["rejectedSpans"] ?? 0)" == "0", "an altered span is stored, not rejected")
            let message = try #require(partial["errorMessage"] as? String)
            #expect(message.contains("altered 1 span to fit limits: \(limit.reason) (1)"), "\(message)")
        }
        let stored = try #require(try await store.trace(id: OTLP.traceID).first)
        #expect(limit.check(stored))
    }

    @Test func aSpanWithinEveryLimitGetsAnEmptyAnswer() async throws {
        let body = try OTLPTraceCodec.encodeProtobuf([OTLP.richSpan()])
        try await OTLP.postTraces(ByteBuffer(bytes: body), headers: [.contentType: "application/x-protobuf"]) { response in
            #expect(response.status == .ok)
            #expect(response.body.readableBytes == 0)
        }
    }

    /// Three spans of one trace against a limit of two: the third is rejected as `trace_too_large`.
    static func postOverTheTraceLimit(to store: InMemoryTraceStore) async throws {
        let spans = (1...3).map { index in
            var span = OTLP.richSpan()
            span.spanID = SpanID(UInt64(index))
            span.parentSpanID = index == 1 ? nil : SpanID(1)
            span.startTimeUnixNano += UInt64(index) * 1_000
            span.endTimeUnixNano += UInt64(index) * 1_000
            return span
        }
        try await OTLP.postTraces(
            ByteBuffer(bytes: try OTLPTraceCodec.encodeJSON(spans)), headers: [.contentType: "application/json"],
            store: store, limits: IngestLimits(maxSpansPerTrace: 2)
        ) { response in
            #expect(response.status == .ok)
            let partial = try #require(try OTLP.json(response.body)["partialSuccess"] as? [String: Any])
            #expect("\(partial["rejectedSpans"] ?? 0)" == "1")
            let message = try #require(partial["errorMessage"] as? String)
            #expect(message.contains("trace_too_large (1)"), "\(message)")
        }
    }

    @Test func aTraceOverItsSpanLimitIsAnsweredWithTheLeftOutSpansAndShownTruncatedOnItsPage() async throws {
        let store = InMemoryTraceStore()
        try await Self.postOverTheTraceLimit(to: store)
        #expect(try await store.trace(id: OTLP.traceID).count == 2)

        let pages = try await PagesTestTraces.application(reader: store)
        try await pages.test(.router) { client in
            try await client.execute(uri: "/trace/\(OTLP.traceID.hex)", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains(
                    "<p class=\"alert truncated\" role=\"status\"><strong>Truncated:</strong> 1 span of this trace was not stored"))
                #expect(html.contains("per-trace span limit"))
            }
            try await client.execute(uri: "/search?service=checkout", method: .get) { response in
                #expect(response.status == .ok)
                let html = String(buffer: response.body)
                #expect(html.contains("<span class=\"truncated-mark\" title=\"1 more span(s) were not stored"))
            }
        }
    }

    @Test func aTraceWithinItsLimitHasNoBannerNoMarkerAndNoWarning() async throws {
        let store = InMemoryTraceStore()
        try await store.write([OTLP.richSpan()])
        let pages = try await PagesTestTraces.application(reader: store)
        try await pages.test(.router) { client in
            try await client.execute(uri: "/trace/\(OTLP.traceID.hex)", method: .get) { response in
                #expect(response.status == .ok)
                #expect(!String(buffer: response.body).contains("Truncated:"))
            }
            try await client.execute(uri: "/search?service=checkout", method: .get) { response in
                #expect(String(buffer: response.body).contains(OTLP.traceID.hex.prefix(8)))
                #expect(!String(buffer: response.body).contains("truncated-mark"))
            }
        }
        try await OTLP.makeApplication(store: store).test(.router) { client in
            try await client.execute(uri: "/api/traces/\(OTLP.traceID.hex)", method: .get) { response in
                let trace = try #require((try OTLP.json(response.body)["data"] as? [[String: Any]])?.first)
                #expect(trace["warnings"] is NSNull)
            }
        }
    }

    @Test func theJaegerAPIWarnsThatATruncatedTraceIsIncomplete() async throws {
        let store = InMemoryTraceStore()
        try await Self.postOverTheTraceLimit(to: store)
        try await OTLP.makeApplication(store: store).test(.router) { client in
            let expected = ["trace truncated: 1 span was not stored, beyond the per-trace span limit"]
            try await client.execute(uri: "/api/traces/\(OTLP.traceID.hex)", method: .get) { response in
                #expect(response.status == .ok)
                let trace = try #require((try OTLP.json(response.body)["data"] as? [[String: Any]])?.first)
                #expect(trace["warnings"] as? [String] == expected)
                #expect((trace["spans"] as? [Any])?.count == 2)
            }
            try await client.execute(uri: "/api/traces?service=checkout&lookback=1h", method: .get) { response in
                #expect(response.status == .ok)
                let trace = try #require((try OTLP.json(response.body)["data"] as? [[String: Any]])?.first)
                #expect(trace["warnings"] as? [String] == expected)
            }
        }
    }
}
