import Foundation
import Ingest
import Testing
import TraceModel

@Suite struct OTLPProtobufTests {
    @Test func aSpanUsingEveryFieldAndValueTypeSurvivesAProtobufRoundTrip() throws {
        let span = SpanFixtures.richSpan()
        let decoded = try OTLPTraceCodec.decodeProtobuf(try OTLPTraceCodec.encodeProtobuf([span]))
        #expect(decoded.rejected.isEmpty)
        #expect(decoded.spans == [span])
    }

    @Test func spansOfSeveralResourcesAndScopesComeBackInOrderWithTheirOwnResourceAndScope() throws {
        let batch = SpanFixtures.mixedBatch()
        let decoded = try OTLPTraceCodec.decodeProtobuf(try OTLPTraceCodec.encodeProtobuf(batch))
        // Encoding groups by resource then scope, so compare per span id rather than by position.
        #expect(decoded.spans.count == batch.count)
        for span in batch {
            #expect(decoded.spans.contains(span), "span \(span.spanID) came back changed")
        }
    }

    @Test func notANumberAndInfinitiesSurviveTheRoundTrip() throws {
        var span = SpanFixtures.richSpan()
        span.attributes = [Attribute("nan", .double(.nan)), Attribute("inf", .double(.infinity))]
        let decoded = try #require(try OTLPTraceCodec.decodeProtobuf(try OTLPTraceCodec.encodeProtobuf([span])).spans.first)
        guard case .double(let nan)? = decoded.attributes["nan"] else { Issue.record("nan lost"); return }
        #expect(nan.isNaN)
        #expect(decoded.attributes["inf"] == .double(.infinity))
    }

    @Test func whatThePythonSDKExportsDecodesFieldByField() throws {
        let decoded = try OTLPTraceCodec.decodeProtobuf(try bytes(hex: PythonSDKPayloads.protobufHex))
        #expect(decoded.rejected.isEmpty)
        try #require(decoded.spans.count == 2)
        let child = decoded.spans[0], root = decoded.spans[1]
        let traceID = try #require(TraceID(hex: "5b8efff798038103d269b633813fc60c"))

        #expect(root.traceID == traceID)
        #expect(root.spanID == SpanID(0xeee1_9b7e_c3c1_b171))
        #expect(root.parentSpanID == nil)
        #expect(root.name == "root")
        #expect(root.kind == .server)
        #expect(root.flags == 0x100)
        #expect(root.startTimeUnixNano == 1_700_000_000_000_000_000)
        #expect(root.endTimeUnixNano == 1_700_000_000_000_003_000)
        #expect(root.attributes == [
            Attribute("s", .string("str")), Attribute("b", .bool(true)), Attribute("i", .int(-42)),
            Attribute("d", .double(2.5)), Attribute("sa", .array([.string("a"), .string("b")])),
            Attribute("ia", .array([.int(1), .int(2)])),
        ])
        #expect(root.events == [SpanEvent(timeUnixNano: 1_700_000_000_000_000_500, name: "ev",
                                          attributes: [Attribute("k", .string("v"))])])
        #expect(root.links == [SpanLink(
            traceID: TraceID(high: 0x0102_0304_0506_0708, low: 0x090a_0b0c_0d0e_0f10),
            spanID: SpanID(0x1112_1314_1516_1718), attributes: [Attribute("link.attr", .int(7))], flags: 0x300)])
        #expect(root.status == SpanStatus())

        #expect(child.parentSpanID == root.spanID)
        #expect(child.kind == .client)
        #expect(child.status == SpanStatus(code: .error, message: "boom"))

        #expect(root.resource.serviceName == "checkout")
        #expect(root.resource.attributes["deployment.environment"] == .string("prod"))
        #expect(root.resource.attributes["telemetry.sdk.language"] == .string("python"))
        #expect(root.scope == InstrumentationScope(
            name: "fixture.scope", version: "9.9.9", attributes: [Attribute("scope.attr", .string("x"))],
            schemaURL: "https://opentelemetry.io/schemas/1.21.0"))
        #expect(child.resource == root.resource)
    }

    @Test func theProtobufAndJSONExportsOfThePythonSDKDecodeToTheSameSpans() throws {
        let fromProtobuf = try OTLPTraceCodec.decodeProtobuf(try bytes(hex: PythonSDKPayloads.protobufHex))
        let fromJSON = try OTLPTraceCodec.decodeJSON(Array(PythonSDKPayloads.json.utf8))
        #expect(fromJSON.rejected.isEmpty)
        #expect(fromJSON.spans == fromProtobuf.spans)
    }

    @Test func spansWithInvalidIdsAreRejectedOneByOneWhileTheOthersSurvive() throws {
        let good = SpanFixtures.richSpan()
        var zeroTrace = good
        zeroTrace.traceID = TraceID(high: 0, low: 0)
        var zeroSpan = good
        zeroSpan.spanID = SpanID(0)
        let body = try OTLPTraceCodec.encodeProtobuf([zeroTrace, good, zeroSpan])
        let decoded = try OTLPTraceCodec.decodeProtobuf(body)
        #expect(decoded.spans == [good])
        #expect(decoded.rejected.map(\.reason) == ["invalid_trace_id", "invalid_span_id"])
        #expect(decoded.rejected.allSatisfy { !$0.detail.isEmpty })
    }

    @Test func wrongLengthIdsAreRejectedWithTheirOwnReason() throws {
        // Hand-built spans: field 1 trace_id, 2 span_id, 4 parent_span_id (length-delimited).
        func span(traceID: [UInt8], spanID: [UInt8], parentID: [UInt8] = []) -> [UInt8] {
            var bytes: [UInt8] = [0x0A, UInt8(traceID.count)] + traceID + [0x12, UInt8(spanID.count)] + spanID
            if !parentID.isEmpty { bytes += [0x22, UInt8(parentID.count)] + parentID }
            return bytes
        }
        let valid16 = [UInt8](repeating: 0xAB, count: 16), valid8 = [UInt8](repeating: 0xCD, count: 8)
        let spans = [
            span(traceID: Array(valid16.prefix(8)), spanID: valid8),
            span(traceID: valid16, spanID: Array(valid8.prefix(4))),
            span(traceID: valid16, spanID: valid8, parentID: [1, 2, 3]),
            span(traceID: valid16, spanID: valid8, parentID: [UInt8](repeating: 0, count: 8)),
            span(traceID: valid16, spanID: valid8),
        ]
        let scopeSpans: [UInt8] = spans.flatMap { span -> [UInt8] in [0x12] + varint(span.count) + span }
        let resourceSpans: [UInt8] = [0x12] + varint(scopeSpans.count) + scopeSpans
        let request: [UInt8] = [0x0A] + varint(resourceSpans.count) + resourceSpans

        let decoded = try OTLPTraceCodec.decodeProtobuf(request)
        #expect(decoded.rejected.map(\.reason) == ["invalid_trace_id", "invalid_span_id", "invalid_parent_span_id"])
        #expect(decoded.spans.count == 2)
        #expect(decoded.spans.allSatisfy { $0.parentSpanID == nil }, "an all-zero or empty parent id is a root span")
    }

    @Test func aLinkWithAMalformedIdIsDroppedAndCountedInsteadOfRejectingTheSpan() throws {
        var span = SpanFixtures.richSpan()
        span.links = [SpanLink(traceID: TraceID(high: 0, low: 0), spanID: SpanID(1))] + span.links
        let decoded = try #require(try OTLPTraceCodec.decodeProtobuf(try OTLPTraceCodec.encodeProtobuf([span])).spans.first)
        #expect(decoded.links == SpanFixtures.richSpan().links)
        #expect(decoded.droppedLinksCount == span.droppedLinksCount + 1)
    }

    @Test func garbageBytesThrowAnIngestDecodingErrorThatSaysWhatFailed() {
        for garbage: [UInt8] in [[0xFF, 0xFF, 0xFF, 0xFF], Array("{\"resourceSpans\":[]}".utf8), [0x0A, 0x10, 0x01]] {
            #expect {
                try OTLPTraceCodec.decodeProtobuf(garbage)
            } throws: { error in
                guard let error = error as? IngestDecodingError else { return false }
                return error.description.hasPrefix("OTLP protobuf body could not be decoded: ")
            }
        }
    }

    @Test func randomAndTruncatedBodiesNeverCrashTheDecoder() throws {
        let valid = try OTLPTraceCodec.encodeProtobuf(SpanFixtures.mixedBatch())
        var generator = SplitMix64(seed: 42)
        for length in stride(from: 0, to: valid.count, by: max(1, valid.count / 200)) {
            _ = try? OTLPTraceCodec.decodeProtobuf(Array(valid.prefix(length)))
        }
        for _ in 0..<300 {
            var mutated = valid
            for _ in 0..<4 {
                mutated[Int(generator.next() % UInt64(mutated.count))] = UInt8(truncatingIfNeeded: generator.next())
            }
            _ = try? OTLPTraceCodec.decodeProtobuf(mutated)
        }
    }

    @Test func valuesNestedWithinTheDepthLimitDecodeAndDeeperOnesAreRefusedCleanly() throws {
        var span = SpanFixtures.richSpan()
        span.events[0].attributes = [Attribute("nested", SpanFixtures.nestedValue(depth: 40))]
        #expect(try OTLPTraceCodec.decodeProtobuf(try OTLPTraceCodec.encodeProtobuf([span])).spans == [span])

        span.events[0].attributes = [Attribute("nested", SpanFixtures.nestedValue(depth: 41))]
        #expect(throws: IngestDecodingError.self) {
            try OTLPTraceCodec.decodeProtobuf(try OTLPTraceCodec.encodeProtobuf([span]))
        }

        span.attributes = [Attribute("nested", SpanFixtures.nestedValue(depth: 500))]
        let tooDeep = try OTLPTraceCodec.encodeProtobuf([span])
        #expect {
            try OTLPTraceCodec.decodeProtobuf(tooDeep)
        } throws: { error in
            "\(error)".contains("nested more than")
        }
    }

    @Test func anExportResponseCarriesPartialSuccessOnlyWhenSomethingWasRejected() throws {
        #expect(OTLPTraceCodec.exportResponse(rejectedSpans: 0, errorMessage: "", json: false).isEmpty)
        #expect(String(decoding: OTLPTraceCodec.exportResponse(rejectedSpans: 0, errorMessage: "", json: true), as: UTF8.self) == "{}")

        let json = OTLPTraceCodec.exportResponse(rejectedSpans: 3, errorMessage: "3 spans had invalid ids", json: true)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        let partial = try #require(object["partialSuccess"] as? [String: Any])
        #expect(partial["rejectedSpans"] as? String == "3")
        #expect(partial["errorMessage"] as? String == "3 spans had invalid ids")

        // field 1 (partial_success) { field 1 varint 3, field 2 string "x" }
        #expect(OTLPTraceCodec.exportResponse(rejectedSpans: 3, errorMessage: "x", json: false)
            == [0x0A, 0x05, 0x08, 0x03, 0x12, 0x01, 0x78])
    }

    @Test func aStatusBodyCarriesTheCodeAndMessageInBothEncodings() throws {
        #expect(OTLPTraceCodec.status(code: 3, message: "bad", json: false) == [0x08, 0x03, 0x12, 0x03, 0x62, 0x61, 0x64])
        let json = OTLPTraceCodec.status(code: 3, message: "bad \"input\"", json: true)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        #expect(object["code"] as? Int == 3)
        #expect(object["message"] as? String == "bad \"input\"")
    }
}

/// A protobuf base-128 varint.
func varint(_ value: Int) -> [UInt8] {
    var bytes: [UInt8] = [], rest = UInt64(value)
    while rest >= 0x80 {
        bytes.append(UInt8(rest & 0x7F) | 0x80)
        rest >>= 7
    }
    return bytes + [UInt8(rest)]
}

func bytes(hex: String) throws -> [UInt8] {
    let digits = Array(hex.utf8)
    try #require(digits.count % 2 == 0)
    return try stride(from: 0, to: digits.count, by: 2).map { index in
        try #require(UInt8(String(decoding: digits[index...index + 1], as: UTF8.self), radix: 16))
    }
}

/// A small seeded generator so the fuzz loop is repeatable.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
