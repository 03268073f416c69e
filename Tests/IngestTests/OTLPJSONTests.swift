import Foundation
import Ingest
import Testing
import TraceModel

@Suite struct OTLPJSONTests {
    /// Written by hand the way OTLP/JSON senders write it: hex ids (either case), integer and
    /// named enums, 64-bit integers as strings and as numbers, base64 bytes, and fields this
    /// version does not know at every level.
    static let handWritten = #"""
    {
      "futureTopLevel": {"anything": [1, 2, {"x": null}]},
      "resourceSpans": [{
        "resource": {
          "attributes": [
            {"key": "service.name", "value": {"stringValue": "cart"}},
            {"key": "host.cores", "value": {"intValue": 8}}
          ],
          "droppedAttributesCount": 1,
          "entityRefs": [{"type": "service", "idKeys": ["service.name"]}],
          "unknownResourceField": true
        },
        "schemaUrl": "https://opentelemetry.io/schemas/1.26.0",
        "unknownResourceSpansField": "ignored",
        "scopeSpans": [{
          "scope": {"name": "cart-lib", "version": "0.1", "unknownScopeField": 3, "droppedAttributesCount": "2"},
          "schemaUrl": "https://opentelemetry.io/schemas/1.25.0",
          "spans": [{
            "traceId": "5B8EFFF798038103D269B633813FC60C",
            "spanId": "eee19b7ec3c1b174",
            "parentSpanId": "eee19b7ec3c1b173",
            "traceState": "a=b",
            "flags": 257,
            "name": "add item",
            "kind": 3,
            "startTimeUnixNano": "1544712660000000000",
            "endTimeUnixNano": 1544712661000000000,
            "unknownSpanField": {"nested": ["deep", {"deeper": []}]},
            "attributes": [
              {"key": "str", "value": {"stringValue": "with \"quotes\" and \u00e9"}},
              {"key": "int.string", "value": {"intValue": "-9223372036854775808"}},
              {"key": "int.number", "value": {"intValue": 42}},
              {"key": "double", "value": {"doubleValue": 3.25}},
              {"key": "double.int", "value": {"doubleValue": 3}},
              {"key": "double.nanless", "value": {"doubleValue": "-Infinity"}},
              {"key": "bool", "value": {"boolValue": false}},
              {"key": "bytes", "value": {"bytesValue": "3q2+7w=="}},
              {"key": "bytes.urlsafe", "value": {"bytesValue": "-_8"}},
              {"key": "array", "value": {"arrayValue": {"values": [{"stringValue": "x"}, {"intValue": "1"}, {}]}}},
              {"key": "kvlist", "value": {"kvlistValue": {"values": [
                {"key": "inner", "value": {"kvlistValue": {"values": [{"key": "leaf", "value": {"boolValue": true}}]}}}
              ]}}},
              {"key": "empty", "value": {}},
              {"key": "missing.value"},
              {"key": "unknown.value.field", "value": {"futureValue": 1, "stringValue": "kept"}}
            ],
            "droppedAttributesCount": 4,
            "events": [{"timeUnixNano": "1544712660500000000", "name": "checkpoint", "unknownEventField": 1,
                        "attributes": [{"key": "n", "value": {"intValue": "3"}}], "droppedAttributesCount": 5}],
            "droppedEventsCount": "6",
            "links": [{"traceId": "0102030405060708090a0b0c0d0e0f10", "spanId": "1112131415161718",
                       "traceState": "x=y", "flags": 512, "unknownLinkField": [],
                       "attributes": [{"key": "why", "value": {"stringValue": "batch"}}], "droppedAttributesCount": 7}],
            "droppedLinksCount": 8,
            "status": {"code": 2, "message": "out of stock", "unknownStatusField": 0}
          }, {
            "traceId": "5b8efff798038103d269b633813fc60c",
            "spanId": "eee19b7ec3c1b173",
            "parentSpanId": "",
            "name": "checkout",
            "kind": "SPAN_KIND_SERVER",
            "startTimeUnixNano": "1544712659000000000",
            "endTimeUnixNano": "1544712662000000000",
            "status": {"code": "STATUS_CODE_OK"}
          }]
        }]
      }]
    }
    """#

    @Test func aHandWrittenDocumentDecodesEveryFieldAndIgnoresUnknownOnes() throws {
        let decoded = try OTLPTraceCodec.decodeJSON(Array(Self.handWritten.utf8))
        #expect(decoded.rejected.isEmpty)
        try #require(decoded.spans.count == 2)
        let span = decoded.spans[0], root = decoded.spans[1]
        let traceID = try #require(TraceID(hex: "5b8efff798038103d269b633813fc60c"))
        let resource = Resource(
            attributes: [Attribute("service.name", .string("cart")), Attribute("host.cores", .int(8))],
            droppedAttributesCount: 1, schemaURL: "https://opentelemetry.io/schemas/1.26.0")
        let scope = InstrumentationScope(
            name: "cart-lib", version: "0.1", droppedAttributesCount: 2, schemaURL: "https://opentelemetry.io/schemas/1.25.0")

        let expected = Span(
            traceID: traceID, spanID: SpanID(0xeee1_9b7e_c3c1_b174), parentSpanID: SpanID(0xeee1_9b7e_c3c1_b173),
            traceState: "a=b", flags: 257, name: "add item", kind: .client,
            startTimeUnixNano: 1_544_712_660_000_000_000, endTimeUnixNano: 1_544_712_661_000_000_000,
            attributes: [
                Attribute("str", .string("with \"quotes\" and é")),
                Attribute("int.string", .int(.min)),
                Attribute("int.number", .int(42)),
                Attribute("double", .double(3.25)),
                Attribute("double.int", .double(3)),
                Attribute("double.nanless", .double(-.infinity)),
                Attribute("bool", .bool(false)),
                Attribute("bytes", .bytes([0xDE, 0xAD, 0xBE, 0xEF])),
                Attribute("bytes.urlsafe", .bytes([0xFB, 0xFF])),
                Attribute("array", .array([.string("x"), .int(1), .empty])),
                Attribute("kvlist", .keyValueList([
                    Attribute("inner", .keyValueList([Attribute("leaf", .bool(true))])),
                ])),
                Attribute("empty", .empty),
                Attribute("missing.value", .empty),
                Attribute("unknown.value.field", .string("kept")),
            ],
            droppedAttributesCount: 4,
            events: [SpanEvent(timeUnixNano: 1_544_712_660_500_000_000, name: "checkpoint",
                               attributes: [Attribute("n", .int(3))], droppedAttributesCount: 5)],
            droppedEventsCount: 6,
            links: [SpanLink(traceID: TraceID(high: 0x0102_0304_0506_0708, low: 0x090a_0b0c_0d0e_0f10),
                             spanID: SpanID(0x1112_1314_1516_1718), traceState: "x=y",
                             attributes: [Attribute("why", .string("batch"))], droppedAttributesCount: 7, flags: 512)],
            droppedLinksCount: 8,
            status: SpanStatus(code: .error, message: "out of stock"),
            resource: resource, scope: scope)
        #expect(span == expected)

        #expect(root.parentSpanID == nil)
        #expect(root.kind == .server)
        #expect(root.status == SpanStatus(code: .ok))
        #expect(root.resource == resource)
    }

    @Test func aSpanUsingEveryFieldAndValueTypeSurvivesAJSONRoundTrip() throws {
        let span = SpanFixtures.richSpan()
        let decoded = try OTLPTraceCodec.decodeJSON(try OTLPTraceCodec.encodeJSON([span]))
        #expect(decoded.rejected.isEmpty)
        #expect(decoded.spans == [span])
    }

    @Test func aMixedBatchSurvivesAJSONRoundTripAndMatchesTheProtobufOne() throws {
        let batch = SpanFixtures.mixedBatch()
        let viaJSON = try OTLPTraceCodec.decodeJSON(try OTLPTraceCodec.encodeJSON(batch)).spans
        let viaProtobuf = try OTLPTraceCodec.decodeProtobuf(try OTLPTraceCodec.encodeProtobuf(batch)).spans
        #expect(viaJSON == viaProtobuf)
        #expect(Set(viaJSON) == Set(batch))
    }

    @Test func encodedJSONUsesHexIdsStringIntegersAndIntegerEnums() throws {
        let json = try OTLPTraceCodec.encodeJSON([SpanFixtures.richSpan()])
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        let resourceSpans = try #require((document["resourceSpans"] as? [[String: Any]])?.first)
        #expect(resourceSpans["schemaUrl"] as? String == "https://opentelemetry.io/schemas/1.26.0")
        let scopeSpans = try #require((resourceSpans["scopeSpans"] as? [[String: Any]])?.first)
        let span = try #require((scopeSpans["spans"] as? [[String: Any]])?.first)
        #expect(span["traceId"] as? String == "0af7651916cd43dd8448eb211c80319c")
        #expect(span["spanId"] as? String == "b7ad6b7169203331")
        #expect(span["parentSpanId"] as? String == "1111222233334444")
        #expect(span["startTimeUnixNano"] as? String == String(SpanFixtures.start))
        #expect(span["kind"] as? Int == 2)
        #expect((span["status"] as? [String: Any])?["code"] as? Int == 2)
        let link = try #require((span["links"] as? [[String: Any]])?.first)
        #expect(link["traceId"] as? String == "00000000000000010000000000000002")
        #expect(link["spanId"] as? String == "0000000000000003")
        let attributes = try #require(span["attributes"] as? [[String: Any]])
        let intMax = try #require(attributes.first { $0["key"] as? String == "int.max" })
        #expect((intMax["value"] as? [String: Any])?["intValue"] as? String == "9223372036854775807")
        let bytes = try #require(attributes.first { $0["key"] as? String == "bytes" })
        #expect((bytes["value"] as? [String: Any])?["bytesValue"] as? String == "AN6tvu//")
    }

    @Test func awkwardStringsAndDoublesSurviveTheJSONRoundTripAndTheTextStaysHTMLSafe() throws {
        var span = SpanFixtures.richSpan()
        let awkward = "nul \u{0} bell \u{7} esc \u{1B} del \u{7F} \"q\" \\ / </script><b>&amp; 日本語 🚀 e\u{301} \u{10FFFF}"
        span.name = awkward
        span.attributes = [
            Attribute(awkward, .string(awkward)),
            Attribute("tiny", .double(-1.5e-7)),
            Attribute("huge", .double(1e300)),
            Attribute("subnormal", .double(.leastNonzeroMagnitude)),
            Attribute("negative.zero", .double(-0.0)),
            Attribute("whole", .double(5)),
            Attribute("third", .double(1.0 / 3.0)),
        ]
        let json = try OTLPTraceCodec.encodeJSON([span])
        let text = String(decoding: json, as: UTF8.self)
        #expect(!text.contains("<") && !text.contains(">") && !text.contains("&"))
        #expect(try JSONSerialization.jsonObject(with: Data(json)) is [String: Any])
        let decoded = try #require(try OTLPTraceCodec.decodeJSON(json).spans.first)
        #expect(decoded == span)
        guard case .double(let zero)? = decoded.attributes["negative.zero"] else { Issue.record("lost"); return }
        #expect(zero.sign == .minus)
    }

    @Test func notANumberAndInfinitiesSurviveTheJSONRoundTrip() throws {
        var span = SpanFixtures.richSpan()
        span.attributes = [Attribute("nan", .double(.nan)), Attribute("inf", .double(.infinity))]
        let decoded = try #require(try OTLPTraceCodec.decodeJSON(try OTLPTraceCodec.encodeJSON([span])).spans.first)
        guard case .double(let nan)? = decoded.attributes["nan"] else { Issue.record("nan lost"); return }
        #expect(nan.isNaN)
        #expect(decoded.attributes["inf"] == .double(.infinity))
    }

    @Test func spansWithInvalidIdsAreRejectedOneByOneWhileTheOthersSurvive() throws {
        func span(_ traceID: String, _ spanID: String, parent: String = "") -> String {
            #"{"traceId": "\#(traceID)", "spanId": "\#(spanID)", "parentSpanId": "\#(parent)", "name": "s"}"#
        }
        let good = "5b8efff798038103d269b633813fc60c", goodSpan = "eee19b7ec3c1b174"
        let spans = [
            span("00000000000000000000000000000000", goodSpan),
            span("5b8efff798038103", goodSpan),
            span("W7j/95gDgQPSabYzgT/GDA==", goodSpan),
            span(good, "0000000000000000"),
            span(good, "eee19b7ec3c1b17"),
            span(good, "+ee19b7ec3c1b174"),
            span(good, goodSpan, parent: "abc"),
            span(good, goodSpan, parent: "zzzzzzzzzzzzzzzz"),
            span(good, goodSpan),
            #"{"spanId": "\#(goodSpan)"}"#,
        ]
        let body = #"{"resourceSpans": [{"scopeSpans": [{"spans": [\#(spans.joined(separator: ","))]}]}]}"#
        let decoded = try OTLPTraceCodec.decodeJSON(Array(body.utf8))
        #expect(decoded.spans.map(\.spanID) == [SpanID(0xeee1_9b7e_c3c1_b174)])
        #expect(decoded.rejected.map(\.reason) == [
            "invalid_trace_id", "invalid_trace_id", "invalid_trace_id",
            "invalid_span_id", "invalid_span_id", "invalid_span_id",
            "invalid_parent_span_id", "invalid_parent_span_id",
            "invalid_trace_id",
        ])
    }

    @Test func undecodableBodiesThrowAnIngestDecodingErrorThatSaysWhatFailed() {
        let bodies = [
            "", "not json", "[]", #"{"resourceSpans": 5}"#, #"{"resourceSpans": [{"scopeSpans": [{"spans": [{"name": 7}]}]}]}"#,
            #"{"resourceSpans": [{"scopeSpans": [{"spans": [{"startTimeUnixNano": "soon"}]}]}]}"#,
            #"{"resourceSpans": [{"scopeSpans": [{"spans": [{"startTimeUnixNano": "-1"}]}]}]}"#,
            #"{"resourceSpans": [{"scopeSpans": [{"spans": [{"attributes": [{"key": "b", "value": {"bytesValue": "!!"}}]}]}]}]}"#,
            #"{"resourceSpans": ["#,
        ]
        for body in bodies {
            #expect(performing: {
                try OTLPTraceCodec.decodeJSON(Array(body.utf8))
            }, throws: { error in
                guard let error = error as? IngestDecodingError else { return false }
                return error.description.hasPrefix("OTLP/JSON body could not be decoded: ")
            })
        }
    }

    @Test func whereAFieldHasTheWrongTypeTheErrorNamesIt() throws {
        let body = #"{"resourceSpans": [{"scopeSpans": [{"spans": [{"name": 7}]}]}]}"#
        let error = try #require(throws: IngestDecodingError.self) { try OTLPTraceCodec.decodeJSON(Array(body.utf8)) }
        #expect(error.description.contains("resourceSpans[0].scopeSpans[0].spans[0].name"))
    }

    @Test func anEmptyDocumentHasNoSpans() throws {
        #expect(try OTLPTraceCodec.decodeJSON(Array("{}".utf8)).spans.isEmpty)
        #expect(try OTLPTraceCodec.decodeJSON(Array(#"{"resourceSpans": []}"#.utf8)).spans.isEmpty)
    }

    @Test func valuesNestedWithinTheDepthLimitDecodeAndDeeperOnesAreRefusedCleanly() throws {
        // Whatever the protobuf decoder accepts (40 nested lists in an event) JSON accepts too.
        var span = SpanFixtures.richSpan()
        span.events[0].attributes = [Attribute("nested", SpanFixtures.nestedValue(depth: 40))]
        #expect(try OTLPTraceCodec.decodeProtobuf(try OTLPTraceCodec.encodeProtobuf([span])).spans == [span])
        #expect(try OTLPTraceCodec.decodeJSON(try OTLPTraceCodec.encodeJSON([span])).spans == [span])

        let deep = String(repeating: #"{"kvlistValue": {"values": [{"key": "k", "value": "#, count: 5_000)
            + "{}" + String(repeating: "}]}}", count: 5_000)
        let body = #"{"resourceSpans": [{"scopeSpans": [{"spans": [{"attributes": [{"key": "a", "value": \#(deep)}]}]}]}]}"#
        let error = try #require(throws: IngestDecodingError.self) { try OTLPTraceCodec.decodeJSON(Array(body.utf8)) }
        #expect(error.description.contains("nested more than"))

        let brackets = String(repeating: "[", count: 100_000)
        #expect(throws: IngestDecodingError.self) { try OTLPTraceCodec.decodeJSON(Array(brackets.utf8)) }
    }

    @Test func bracesInsideStringsDoNotCountTowardsTheDepthLimit() throws {
        let name = String(repeating: "{[", count: 1_000) + #"\"\\"#
        let body = #"{"resourceSpans": [{"scopeSpans": [{"spans": [{"traceId": "5b8efff798038103d269b633813fc60c", "spanId": "eee19b7ec3c1b174", "name": "\#(name)"}]}]}]}"#
        let decoded = try OTLPTraceCodec.decodeJSON(Array(body.utf8))
        #expect(decoded.spans.first?.name == String(repeating: "{[", count: 1_000) + "\"\\")
    }
}
