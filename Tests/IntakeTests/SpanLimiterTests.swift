import Ingest
import Logging
import Storage
import Testing
import TraceModel
@testable import Intake

/// The per-span limits: what is cut or dropped, the dropped counts it raises, and the counts per reason.
@Suite struct SpanLimiterTests {
    static let start: UInt64 = 1_763_700_000_000_000_000

    static func span(
        id: UInt64 = 1, attributes: [Attribute] = [], events: [SpanEvent] = [], links: [SpanLink] = [],
        resource: Resource = Resource(attributes: [Attribute("service.name", .string("svc"))])
    ) -> Span {
        Span(
            traceID: TraceID(high: 7, low: 7), spanID: SpanID(id), name: "op", startTimeUnixNano: start,
            endTimeUnixNano: start + 1_000, attributes: attributes, events: events, links: links, resource: resource)
    }

    static func limiter(
        attributes: Int = 128, valueBytes: Int = 4_096, events: Int = 128, links: Int = 128
    ) -> SpanLimiter {
        SpanLimiter(limits: IngestLimits(
            maxAttributesPerSpan: attributes, maxAttributeValueLength: valueBytes, maxEventsPerSpan: events, maxLinksPerSpan: links))
    }

    static func limited(_ spans: [Span], by limiter: SpanLimiter) -> CheckedSpans {
        var checked = CheckedSpans(DecodedSpans(spans: spans))
        limiter.limit(&checked)
        return checked
    }

    static func numbered(_ count: Int, prefix: String = "k") -> [Attribute] {
        (0..<count).map { Attribute("\(prefix)\($0)", .int(Int64($0))) }
    }

    @Test func spansWithinEveryLimitComeOutIdenticalAndUncounted() {
        let spans = [
            Self.span(id: 1, attributes: [Attribute("a", .string("short")), Attribute("b", .bytes([1, 2, 3]))]),
            Self.span(id: 2, events: [SpanEvent(timeUnixNano: Self.start, name: "e", attributes: Self.numbered(3))]),
            Self.span(id: 3, links: [SpanLink(traceID: TraceID(high: 1, low: 1), spanID: SpanID(9), attributes: Self.numbered(3))]),
        ]
        let checked = Self.limited(spans, by: Self.limiter(attributes: 3, valueBytes: 5, events: 1, links: 1))
        #expect(checked.spans == spans)
        #expect(checked.alterations.isEmpty)
        #expect(checked.rejected.isEmpty)
    }

    @Test func attributesPastTheLimitAreDroppedKeepingTheFirstInArrivalOrder() {
        let span = Self.span(attributes: Self.numbered(5))
        var withEarlierDrops = span
        withEarlierDrops.droppedAttributesCount = 4
        let checked = Self.limited([span, withEarlierDrops], by: Self.limiter(attributes: 3))
        #expect(checked.spans.map { $0.attributes.map(\.key) } == [["k0", "k1", "k2"], ["k0", "k1", "k2"]])
        #expect(checked.spans.map(\.droppedAttributesCount) == [2, 6])
        #expect(checked.alterations == ["attributes_dropped": 2])
    }

    @Test func eventAndLinkAttributesHaveTheSameLimitAndCountOncePerSpan() {
        let event = SpanEvent(timeUnixNano: Self.start, name: "e", attributes: Self.numbered(4), droppedAttributesCount: 1)
        let link = SpanLink(traceID: TraceID(high: 1, low: 1), spanID: SpanID(9), attributes: Self.numbered(6))
        let checked = Self.limited([Self.span(events: [event, event], links: [link])], by: Self.limiter(attributes: 2))
        let span = checked.spans[0]
        #expect(span.events.map { $0.attributes.map(\.key) } == [["k0", "k1"], ["k0", "k1"]])
        #expect(span.events.map(\.droppedAttributesCount) == [3, 3])
        #expect(span.links[0].attributes.map(\.key) == ["k0", "k1"])
        #expect(span.links[0].droppedAttributesCount == 4)
        #expect(span.droppedAttributesCount == 0, "the span's own attributes were within the limit")
        #expect(checked.alterations == ["attributes_dropped": 1])
    }

    @Test func eventsAndLinksPastTheirLimitsAreDroppedAndCounted() {
        let events = (0..<5).map { SpanEvent(timeUnixNano: Self.start + UInt64($0), name: "e\($0)") }
        let links = (0..<4).map { SpanLink(traceID: TraceID(high: 1, low: 1), spanID: SpanID(UInt64($0 + 1))) }
        var span = Self.span(events: events, links: links)
        span.droppedEventsCount = 10
        span.droppedLinksCount = 1
        let checked = Self.limited([span, Self.span(id: 2, events: events)], by: Self.limiter(events: 2, links: 3))
        #expect(checked.spans[0].events.map(\.name) == ["e0", "e1"])
        #expect(checked.spans[0].droppedEventsCount == 13)
        #expect(checked.spans[0].links.map(\.spanID) == [SpanID(1), SpanID(2), SpanID(3)])
        #expect(checked.spans[0].droppedLinksCount == 2)
        #expect(checked.spans[1].droppedEventsCount == 3)
        #expect(checked.alterations == ["events_dropped": 2, "links_dropped": 1])
    }

    @Test func longStringsAndBytesAreCutToTheLimitInUTF8Bytes() {
        let span = Self.span(attributes: [
            Attribute("text", .string("abcdefghij")),
            Attribute("bytes", .bytes(Array(0..<10))),
            Attribute("exact", .string("abcd")),
            Attribute("number", .int(1_234_567_890)),
        ])
        let checked = Self.limited([span], by: Self.limiter(valueBytes: 4))
        #expect(checked.spans[0].attributes == [
            Attribute("text", .string("abcd")),
            Attribute("bytes", .bytes([0, 1, 2, 3])),
            Attribute("exact", .string("abcd")),
            Attribute("number", .int(1_234_567_890)),
        ])
        #expect(checked.alterations == ["truncated_attribute": 1])
    }

    @Test func truncationNeverSplitsACharacter() {
        // "é" is 2 bytes, "€" 3, "👍🏽" (thumbs up + skin tone) one character of 8 bytes.
        #expect(SpanLimiter.prefix(of: "aé€", maxUTF8Bytes: 2) == "a")
        #expect(SpanLimiter.prefix(of: "aé€", maxUTF8Bytes: 3) == "aé")
        #expect(SpanLimiter.prefix(of: "aé€", maxUTF8Bytes: 5) == "aé")
        #expect(SpanLimiter.prefix(of: "aé€", maxUTF8Bytes: 6) == "aé€")
        #expect(SpanLimiter.prefix(of: "x👍🏽y", maxUTF8Bytes: 8) == "x")
        #expect(SpanLimiter.prefix(of: "x👍🏽y", maxUTF8Bytes: 9) == "x👍🏽")
        // "e" + combining acute accent is one character: never cut between them.
        #expect(SpanLimiter.prefix(of: "ae\u{301}", maxUTF8Bytes: 2) == "a")
        #expect(SpanLimiter.prefix(of: "€", maxUTF8Bytes: 0) == "")
        for limit in 0...12 {
            let cut = SpanLimiter.prefix(of: "aé€👍🏽", maxUTF8Bytes: limit)
            #expect(cut.utf8.count <= limit)
            #expect("aé€👍🏽".hasPrefix(cut))
        }
    }

    @Test func valuesInsideArraysAndKeyValueListsAreCutToo() {
        let nested = AttributeValue.keyValueList([
            Attribute("inner", .string("123456789")),
            Attribute("deeper", .array([.string("abcdefg"), .int(1), .bytes(Array(0..<9))])),
        ])
        let span = Self.span(attributes: [
            Attribute("list", .array([.string("short"), .string("longer than six")])),
            Attribute("map", nested),
        ])
        let checked = Self.limited([span], by: Self.limiter(valueBytes: 6))
        #expect(checked.spans[0].attributes == [
            Attribute("list", .array([.string("short"), .string("longer")])),
            Attribute("map", .keyValueList([
                Attribute("inner", .string("123456")),
                Attribute("deeper", .array([.string("abcdef"), .int(1), .bytes(Array(0..<6))])),
            ])),
        ])
        #expect(checked.alterations == ["truncated_attribute": 1])
    }

    @Test func eventLinkResourceAndScopeValuesAreCutAndCountEverySpanCarryingThem() {
        let resource = Resource(attributes: [
            Attribute("service.name", .string("checkout")), Attribute("process.command_line", .string("java -jar app.jar --verbose")),
        ])
        let event = SpanEvent(timeUnixNano: Self.start, name: "exception", attributes: [Attribute("exception.stacktrace", .string("at a.b.c(D.java:1)"))])
        let link = SpanLink(traceID: TraceID(high: 1, low: 1), spanID: SpanID(9), attributes: [Attribute("why", .string("retry of an earlier call"))])
        var scoped = Self.span(id: 3)
        scoped.scope = InstrumentationScope(name: "lib", attributes: [Attribute("lib.note", .string("a long scope attribute"))])
        let spans = [
            Self.span(id: 1, resource: resource), Self.span(id: 2, resource: resource),
            Self.span(id: 4, events: [event]), Self.span(id: 5, links: [link]), scoped,
        ]
        let checked = Self.limited(spans, by: Self.limiter(valueBytes: 8))
        #expect(checked.spans[0].resource.attributes["process.command_line"] == .string("java -ja"))
        #expect(checked.spans[1].resource == checked.spans[0].resource)
        #expect(checked.spans[0].resource.serviceName == "checkout")
        #expect(checked.spans[2].events[0].attributes["exception.stacktrace"] == .string("at a.b.c"))
        #expect(checked.spans[3].links[0].attributes["why"] == .string("retry of"))
        #expect(checked.spans[4].scope.attributes["lib.note"] == .string("a long s"))
        #expect(checked.alterations == ["truncated_attribute": 5])
    }

    @Test func valuesAreCutOnlyAfterExcessAttributesAreDroppedAndEachReasonIsCounted() {
        let events = (0..<3).map { SpanEvent(timeUnixNano: Self.start, name: "e\($0)") }
        let span = Self.span(attributes: [
            Attribute("kept", .string("0123456789")), Attribute("dropped", .string("0123456789")),
        ], events: events)
        let checked = Self.limited([span, Self.span(id: 2, attributes: Self.numbered(2))], by: Self.limiter(attributes: 1, valueBytes: 3, events: 2))
        #expect(checked.spans[0].attributes == [Attribute("kept", .string("012"))])
        #expect(checked.spans[0].droppedAttributesCount == 1)
        #expect(checked.spans[1].attributes.map(\.key) == ["k0"])
        #expect(checked.alterations == ["truncated_attribute": 1, "attributes_dropped": 2, "events_dropped": 1])
    }

    @Test func thePipelineStoresLimitedSpansAndReportsTheAlterations() async throws {
        let store = InMemoryTraceStore()
        let pipeline = IngestPipeline(
            writer: store, limits: IngestLimits(maxAttributesPerSpan: 2, maxAttributeValueLength: 4),
            logger: Logger(label: "test"), now: { Self.start })
        let span = Self.span(attributes: [Attribute("a", .string("abcdef")), Attribute("b", .int(1)), Attribute("c", .int(2))])
        let outcome = try await pipeline.ingest(DecodedSpans(spans: [span, Self.span(id: 2)]), via: .otlpHTTP)
        #expect(outcome.accepted == 2)
        #expect(outcome.rejected.isEmpty)
        #expect(outcome.alterations == ["truncated_attribute": 1, "attributes_dropped": 1])
        #expect(outcome.partialSuccessMessage == "altered 2 spans to fit limits: attributes_dropped (1), truncated_attribute (1)")
        let stored = try await store.trace(id: span.traceID)
        #expect(stored.first { $0.spanID == SpanID(1) }?.attributes == [Attribute("a", .string("abcd")), Attribute("b", .int(1))])
        #expect(stored.first { $0.spanID == SpanID(1) }?.droppedAttributesCount == 1)
    }
}
