import Foundation
import Testing
import TraceModel
@testable import Web

/// `JaegerJSONWriter` writes what `JSONEncoder` wrote for the same traces (keys aside, which
/// `JSONEncoder` orders by hash).
@Suite struct JaegerJSONWriterTests {
    static let awkwardStrings = [
        "", "plain", "quote \" backslash \\ slash /", "tab\tnew\nline\rcr", "\u{8}\u{c}\u{0}\u{1}\u{1f}\u{7f}",
        "é ü 漢字 🙂 \u{2028}\u{2029}", "<script>alert(1)</script>", "e\u{301}",
    ]
    static let awkwardDoubles: [Double] = [
        0, -0.0, 1, -1, 0.1, 0.25, 1.5, 100, 1e-7, 1e-300, 5e-324, 1e15, 1e16, 1e17, 1e300, 123456789.123,
        12345678901234567890, .pi, -2.5e-10, Double.greatestFiniteMagnitude, Double.leastNormalMagnitude,
    ]

    func encoderText(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    @Test func stringsAreEscapedExactlyAsJSONEncoderDoes() throws {
        var strings = Self.awkwardStrings
        strings += (0..<0x80).map { String(UnicodeScalar(UInt8($0))) }
        for text in strings {
            var writer = JaegerJSONWriter()
            writer.string(text)
            #expect(try encoderText([text]) == "[" + String(decoding: writer.bytes, as: UTF8.self) + "]", "\(text.debugDescription)")
        }
    }

    @Test func numbersAreWrittenExactlyAsJSONEncoderDoes() throws {
        var generator = SystemRandomNumberGenerator()
        let doubles = Self.awkwardDoubles + (0..<500).map { _ in
            Double(bitPattern: generator.next() & 0x7FEF_FFFF_FFFF_FFFF) * (Bool.random() ? 1 : -1)
        }
        for number in doubles where number.isFinite {
            var writer = JaegerJSONWriter()
            writer.double(number)
            #expect(try encoderText([number]) == "[" + String(decoding: writer.bytes, as: UTF8.self) + "]", "\(number)")
        }
        for number: Int64 in [0, 1, -1, 9, 10, -10, 1_234_567, .max, .min] {
            var writer = JaegerJSONWriter()
            writer.integer(number)
            #expect(try encoderText([number]) == "[" + String(decoding: writer.bytes, as: UTF8.self) + "]")
        }
        for number: UInt64 in [0, 9, 10, 99, 100, 1_700_000_000_000_000, .max] {
            var writer = JaegerJSONWriter()
            writer.unsigned(number)
            #expect(try encoderText([number]) == "[" + String(decoding: writer.bytes, as: UTF8.self) + "]")
        }
    }

    /// A truncated trace of two processes with every tag type, events, links and a warning.
    static func traces() -> [JaegerTrace] {
        let traceID = TraceID(high: 0xabc, low: 0xdef)
        let resourceA = Resource(attributes: [
            Attribute("service.name", .string("front\"end")), Attribute("host.name", .string("h-1")),
            Attribute("process.pid", .int(4242)),
        ])
        let resourceB = Resource(attributes: [Attribute("service.name", .string("back/end"))])
        var spans: [Span] = []
        for index in 0..<12 {
            let attributes: [Attribute] = Self.awkwardStrings.enumerated().map { Attribute("s\($0.offset)", .string($0.element)) }
                + Self.awkwardDoubles.enumerated().map { Attribute("d\($0.offset)", .double($0.element)) }
                + [
                    Attribute("nan", .double(.nan)), Attribute("inf", .double(-.infinity)), Attribute("flag", .bool(index % 2 == 0)),
                    Attribute("count", .int(Int64(index) - 6)), Attribute("blob", .bytes([0, 1, 2, 250])),
                    Attribute("list", .array([.string("a"), .int(1), .double(0.5)])),
                    Attribute("map", .keyValueList([Attribute("k", .string("v\n"))])), Attribute("none", .empty),
                ]
            spans.append(Span(
                traceID: traceID, spanID: SpanID(UInt64(index + 1)), parentSpanID: index == 0 ? nil : SpanID(1),
                traceState: index == 3 ? "v=1" : "", flags: 0x301, name: "op \(index) <&>", kind: index == 0 ? .server : .client,
                startTimeUnixNano: 1_700_000_000_123_456_789 + UInt64(index) * 1_000,
                endTimeUnixNano: index == 5 ? 1_600_000_000_000_000_000 : 1_700_000_001_000_000_000,
                attributes: attributes, droppedAttributesCount: UInt32(index),
                events: [SpanEvent(timeUnixNano: 1_700_000_000_500_000_000, name: "ev", attributes: [Attribute("k", .int(1))],
                                   droppedAttributesCount: 2)],
                links: index == 2 ? [SpanLink(traceID: TraceID(high: 1, low: 2), spanID: SpanID(3))] : [],
                status: SpanStatus(code: index == 4 ? .error : .ok, message: index == 4 ? "bad \"thing\"" : ""),
                resource: index % 2 == 0 ? resourceA : resourceB,
                scope: InstrumentationScope(name: "lib", version: "1.0")))
        }
        return [
            JaegerTrace(traceID: traceID, spans: spans, droppedSpanCount: 7),
            JaegerTrace(traceID: TraceID(high: 0, low: 9), spans: [spans[1]]),
        ]
    }

    @Test func aResponseReadsAsJSONEncoderWroteIt() throws {
        let traces = Self.traces()
        let expected = try JSONSerialization.jsonObject(with: Data(encoderText(JaegerResponse(data: traces, total: 2, errors: nil)).utf8))
        let written = try JSONSerialization.jsonObject(with: Data(JaegerJSONWriter.response(traces: traces, total: 2)))
        #expect((expected as? NSDictionary) == (written as? NSDictionary))
        #expect((written as? NSDictionary) != nil)
    }

    @Test func keysComeInDeclarationOrderAndProcessesByNumber() {
        let text = String(decoding: JaegerJSONWriter.response(traces: Self.traces(), total: 2), as: UTF8.self)
        #expect(text.hasPrefix(#"{"data":[{"traceID":"00000000000000000000000000000abc00000000"#) || text.hasPrefix(#"{"data":[{"traceID":""#))
        #expect(text.hasSuffix(#"],"total":2,"limit":0,"offset":0,"errors":null}"#))
        #expect(text.contains(#""processes":{"p1":{"serviceName":"front\"end","tags":[{"key":"host.name","type":"string","value":"h-1"},{"key":"process.pid","type":"int64","value":4242}]},"p2":{"serviceName":"back/end","tags":[]}}"#))
        #expect(text.contains(#"{"key":"nan","type":"float64","value":"nan"}"#))
        #expect(text.contains(#""warnings":["trace truncated: 7 spans were not stored, beyond the per-trace span limit"]}"#))
    }
}
