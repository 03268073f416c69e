@testable import Storage
import Testing
import TraceModel

/// The write path's byte writer must produce exactly the text `StoredAttributes` documents (and
/// reads back): the same bytes as `StoredAttributes.encode` for every kind of value.
struct StoredJSONTextWriterTests {
    typealias F = TraceStoreFixtures

    private static let awkwardStrings: [String] = [
        "", "plain", "quote \" and backslash \\", "line\nbreak\r\ttab", "nul\u{0}inside", "\u{0}",
        "control \u{1}\u{1F}\u{7F}", "ünïcødé ✓ 𝄞 emoji 👩‍💻", "\u{2028}\u{2029}", "trailing\\",
    ]

    private static var awkwardAttributes: [Attribute] {
        var attributes = F.everyValueType
        for (index, text) in awkwardStrings.enumerated() {
            attributes.append(Attribute(text, .string(text)))
            attributes.append(Attribute("nested.\(index)", .array([.string(text), .keyValueList([Attribute(text, .int(Int64(index)))])])))
        }
        attributes += [
            Attribute("int.min", .int(.min)), Attribute("int.max", .int(.max)), Attribute("zero", .int(0)),
            Attribute("negative", .int(-42)), Attribute("nan", .double(.nan)), Attribute("inf", .double(-.infinity)),
            Attribute("neg-zero", .double(-0.0)), Attribute("tiny", .double(5e-324)), Attribute("big", .double(1e300)),
            Attribute("plain-double", .double(0.25)), Attribute("one", .double(1)), Attribute("bytes", .bytes([0, 1, 254, 255])),
            Attribute("no-bytes", .bytes([])), Attribute("empty", .empty), Attribute("empty-array", .array([])),
            Attribute("empty-list", .keyValueList([])), Attribute("duplicate", .bool(true)), Attribute("duplicate", .bool(false)),
        ]
        return attributes
    }

    @Test func attributesAreWrittenAsStoredAttributesEncodesThem() {
        var writer = StoredJSONTextWriter()
        for attributes in [[], F.everyValueType, Self.awkwardAttributes] {
            writer.writeAttributes(attributes)
            #expect(writer.take() == StoredAttributes.encode(attributes))
        }
        for attribute in Self.awkwardAttributes {
            writer.writeValue(attribute.value)
            #expect(writer.take() == StoredAttributes.encode(attribute.value), "\(attribute)")
        }
    }

    @Test func eventsAndLinksAreWrittenAsStoredAttributesEncodesThem() throws {
        let events = [
            SpanEvent(timeUnixNano: 0, name: "", attributes: [], droppedAttributesCount: 0),
            SpanEvent(timeUnixNano: .max, name: "exception \"x\"\n", attributes: Self.awkwardAttributes, droppedAttributesCount: 3),
        ]
        let traceID = try #require(TraceID(hex: "0af7651916cd43dd8448eb211c80319c"))
        let spanID = try #require(SpanID(hex: "b7ad6b7169203331"))
        let links = [
            SpanLink(traceID: traceID, spanID: spanID, traceState: "", attributes: [], droppedAttributesCount: 0, flags: 0),
            SpanLink(traceID: traceID, spanID: spanID, traceState: "k=v,\u{0}", attributes: F.everyValueType,
                     droppedAttributesCount: .max, flags: 0x301),
        ]
        var writer = StoredJSONTextWriter()
        writer.writeEvents(events)
        #expect(writer.take() == StoredAttributes.encode(events))
        writer.writeLinks(links)
        #expect(writer.take() == StoredAttributes.encode(links))
        writer.writeEvents([])
        writer.writeLinks([])
        #expect(writer.take() == "", "no events and no links write nothing (stored as NULL)")
    }

    @Test func textComesBackIntactThroughTheReader() throws {
        var writer = StoredJSONTextWriter()
        writer.writeAttributes([Attribute("k", .string("a\u{0}b\"c"))])
        let decoded = try StoredAttributes.decode(writer.take())
        #expect(decoded == [Attribute("k", .string("a\u{FFFD}b\"c"))])
    }

    @Test func storedTextReplacesOnlyU0000() {
        #expect("plain ✓".storedText == "plain ✓")
        #expect("a\u{0}b\u{0}".storedText == "a\u{FFFD}b\u{FFFD}")
        #expect("a\u{0}b".storedText == "a\u{0}b".storable)
    }
}
