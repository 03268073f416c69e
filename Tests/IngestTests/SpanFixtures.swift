import TraceModel

/// Spans that use every field and every attribute value type, for round-trip tests.
enum SpanFixtures {
    static let traceID = TraceID(high: 0x0af7_6519_16cd_43dd, low: 0x8448_eb21_1c80_319c)
    static let start: UInt64 = 1_763_700_000_123_456_789

    static let everyValueType: [Attribute] = [
        Attribute("string", .string("héllo \"world\"\n\t</script>")),
        Attribute("bool", .bool(true)),
        Attribute("int.max", .int(.max)),
        Attribute("int.min", .int(.min)),
        Attribute("double", .double(0.1)),
        Attribute("double.infinity", .double(-.infinity)),
        Attribute("bytes", .bytes([0x00, 0xDE, 0xAD, 0xBE, 0xEF, 0xFF])),
        Attribute("array", .array([.string("a"), .int(2), .bool(false), .array([.double(1.5), .empty])])),
        Attribute("kvlist", .keyValueList([
            Attribute("id", .int(7)),
            Attribute("nested", .keyValueList([Attribute("deeper", .array([.bytes([1, 2, 3])]))])),
        ])),
        Attribute("empty", .empty),
        Attribute("empty.array", .array([])),
        Attribute("empty.kvlist", .keyValueList([])),
        Attribute("", .string("an empty key survives too")),
    ]

    static let checkoutResource = Resource(
        attributes: [Attribute("service.name", .string("checkout")), Attribute("host.name", .string("web-1"))],
        droppedAttributesCount: 5,
        schemaURL: "https://opentelemetry.io/schemas/1.26.0"
    )

    static let httpScope = InstrumentationScope(
        name: "io.opentelemetry.http", version: "1.2.3",
        attributes: [Attribute("scope.flag", .bool(true))],
        droppedAttributesCount: 1, schemaURL: "https://opentelemetry.io/schemas/1.24.0"
    )

    /// A span with every field set to a non-default value.
    static func richSpan() -> Span {
        Span(
            traceID: traceID, spanID: SpanID(0xb7ad_6b71_6920_3331), parentSpanID: SpanID(0x1111_2222_3333_4444),
            traceState: "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7", flags: 0x301, name: "GET /checkout", kind: .server,
            startTimeUnixNano: start, endTimeUnixNano: start + 1_500_000,
            attributes: everyValueType,
            droppedAttributesCount: 2,
            events: [
                SpanEvent(timeUnixNano: start + 1_000, name: "exception", attributes: [
                    Attribute("exception.message", .string("boom")),
                    Attribute("exception.stack", .array([.string("frame 1"), .string("frame 2")])),
                ], droppedAttributesCount: 6),
                SpanEvent(timeUnixNano: start + 2_000, name: "no attributes"),
            ],
            droppedEventsCount: 3,
            links: [
                SpanLink(
                    traceID: TraceID(high: 1, low: 2), spanID: SpanID(3), traceState: "vendor=v1",
                    attributes: [Attribute("link.reason", .string("retry of"))], droppedAttributesCount: 8,
                    flags: 0x101),
                SpanLink(traceID: traceID, spanID: SpanID(0xFFFF_FFFF_FFFF_FFFF)),
            ],
            droppedLinksCount: 4,
            status: SpanStatus(code: .error, message: "payment declined"),
            resource: checkoutResource,
            scope: httpScope
        )
    }

    /// Spans across two resources and two scopes, interleaved, plus a root span with defaults.
    static func mixedBatch() -> [Span] {
        let other = Resource(attributes: [Attribute("service.name", .string("payments"))])
        let dbScope = InstrumentationScope(name: "db")
        var first = richSpan()
        var second = Span(
            traceID: traceID, spanID: SpanID(2), name: "charge", kind: .client,
            startTimeUnixNano: start, endTimeUnixNano: start + 10, resource: other)
        var third = Span(
            traceID: traceID, spanID: SpanID(3), parentSpanID: SpanID(2), name: "SELECT", kind: .client,
            startTimeUnixNano: start + 1, endTimeUnixNano: start + 5, status: SpanStatus(code: .ok),
            resource: checkoutResource, scope: dbScope)
        let root = Span(traceID: TraceID(high: 0, low: 9), spanID: SpanID(9), name: "", kind: .unspecified,
                        startTimeUnixNano: 0, endTimeUnixNano: 0)
        first.name = "first"
        second.flags = 1
        third.traceState = "k=v"
        return [first, second, third, root, richSpan()]
    }

    /// Attribute values nested `depth` key/value lists deep.
    static func nestedValue(depth: Int) -> AttributeValue {
        var value = AttributeValue.string("bottom")
        for level in 0..<depth {
            value = .keyValueList([Attribute("level\(level)", value)])
        }
        return value
    }
}
