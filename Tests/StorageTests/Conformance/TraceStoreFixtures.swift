import Foundation
import Storage
import TraceModel

/// Spans, times and comparisons shared by the conformance checks.
enum TraceStoreFixtures {
    static let second: UInt64 = 1_000_000_000
    static let millisecond: UInt64 = 1_000_000
    static let day: UInt64 = 86_400 * second
    /// 2026-01-10 00:00:00 UTC, a fixed instant so fixtures do not depend on the clock.
    static let base: UInt64 = 1_768_003_200 * second

    static var now: UInt64 { UInt64(Date().timeIntervalSince1970 * 1e9) }

    static func resource(_ service: String, _ extra: [Attribute] = []) -> Resource {
        Resource(attributes: [Attribute("service.name", .string(service))] + extra)
    }

    static func span(
        trace: UInt64, id: UInt64, parent: UInt64? = nil, service: String, name: String, kind: SpanKind = .server,
        start: UInt64, durationMillis: UInt64 = 10, attributes: [Attribute] = [], error: Bool = false,
        resourceAttributes: [Attribute] = []
    ) -> Span {
        Span(
            traceID: TraceID(high: 0xABCD, low: trace), spanID: SpanID(id), parentSpanID: parent.map(SpanID.init),
            name: name, kind: kind, startTimeUnixNano: start, endTimeUnixNano: start + durationMillis * millisecond,
            attributes: attributes, status: SpanStatus(code: error ? .error : .unset, message: error ? "boom" : ""),
            resource: resource(service, resourceAttributes))
    }

    static func traceID(_ trace: UInt64) -> TraceID { TraceID(high: 0xABCD, low: trace) }

    /// A span as any store may return it: attribute order is not significant (OpenTelemetry
    /// attributes are a map), so lists are compared sorted by key with the last duplicate kept.
    static func normalized(_ span: Span) -> Span {
        var span = span
        span.attributes = normalized(span.attributes)
        span.events = span.events.map { event in
            var event = event
            event.attributes = normalized(event.attributes)
            return event
        }
        span.links = span.links.map { link in
            var link = link
            link.attributes = normalized(link.attributes)
            return link
        }
        span.resource.attributes = normalized(span.resource.attributes)
        span.scope.attributes = normalized(span.scope.attributes)
        return span
    }

    static func normalized(_ attributes: [Attribute]) -> [Attribute] {
        var latest: [String: AttributeValue] = [:]
        for attribute in attributes { latest[attribute.key] = normalized(attribute.value) }
        return latest.map { Attribute($0.key, $0.value) }.sorted { $0.key < $1.key }
    }

    static func normalized(_ value: AttributeValue) -> AttributeValue {
        switch value {
        case .array(let values): return .array(values.map(normalized))
        case .keyValueList(let attributes): return .keyValueList(normalized(attributes))
        default: return value
        }
    }

    /// Every attribute value type, with the edge cases a lossy encoding would break.
    static let everyValueType: [Attribute] = [
        Attribute("string", .string("plain")),
        Attribute("string.tricky", .string("quote \" backslash \\ newline \n tab \t unicode é 漢字 🧵 control \u{1}")),
        Attribute("string.empty", .string("")),
        Attribute("string.number-like", .string("42")),
        Attribute("bool.true", .bool(true)),
        Attribute("bool.false", .bool(false)),
        Attribute("int.max", .int(Int64.max)),
        Attribute("int.min", .int(Int64.min)),
        Attribute("int.minus-one", .int(-1)),
        Attribute("int.zero", .int(0)),
        Attribute("double.tenth", .double(0.1)),
        Attribute("double.one", .double(1.0)),
        Attribute("double.big", .double(1e300)),
        Attribute("double.large-integer", .double(1e18)),
        Attribute("double.tiny", .double(.leastNonzeroMagnitude)),
        Attribute("double.max", .double(Double.greatestFiniteMagnitude)),
        Attribute("double.negative", .double(-2.5)),
        Attribute("double.infinity", .double(.infinity)),
        Attribute("double.minus-infinity", .double(-.infinity)),
        Attribute("double.precise", .double(123_456_789.123_456_78)),
        Attribute("bytes", .bytes([0x00, 0x01, 0x7F, 0x80, 0xFF])),
        Attribute("bytes.empty", .bytes([])),
        Attribute("array", .array([.string("a"), .int(1), .double(2.0), .bool(false), .empty, .array([.int(7)])])),
        Attribute("array.empty", .array([])),
        Attribute("kvlist", .keyValueList([
            Attribute("inner", .string("x")), Attribute("n", .int(3)),
            Attribute("nested", .keyValueList([Attribute("deep", .bytes([1, 2]))])),
        ])),
        Attribute("kvlist.empty", .keyValueList([])),
        Attribute("empty", .empty),
    ]

    /// A span with every field set to something other than its default.
    static func everyField(start: UInt64) -> Span {
        Span(
            traceID: TraceID(high: 0x0102_0304_0506_0708, low: 0x090A_0B0C_0D0E_0F10),
            spanID: SpanID(0x1112_1314_1516_1718), parentSpanID: SpanID(0xFFFF_FFFF_FFFF_FFFE),
            traceState: "vendor=a,other=b", flags: 0x301, name: "GET /users/{id}", kind: .client,
            startTimeUnixNano: start + 123, endTimeUnixNano: start + 456_789,
            attributes: everyValueType + [
                Attribute("http.route", .string("/users/{id}")), Attribute("http.response.status_code", .int(503)),
                Attribute("db.system", .string("postgresql")), Attribute("peer.service", .string("billing")),
            ],
            droppedAttributesCount: 3,
            events: [
                SpanEvent(timeUnixNano: start + 200, name: "exception", attributes: [
                    Attribute("exception.type", .string("IOError")), Attribute("exception.escaped", .bool(true)),
                ], droppedAttributesCount: 1),
                SpanEvent(timeUnixNano: start + 100, name: "plain"),
            ],
            droppedEventsCount: 4,
            links: [
                SpanLink(
                    traceID: TraceID(high: 9, low: 10), spanID: SpanID(11), traceState: "k=v",
                    attributes: [Attribute("link.kind", .string("follows"))], droppedAttributesCount: 2, flags: 1),
                SpanLink(traceID: TraceID(high: 0, low: 12), spanID: SpanID(13)),
            ],
            droppedLinksCount: 5,
            status: SpanStatus(code: .error, message: "upstream timed out"),
            resource: Resource(
                attributes: [
                    Attribute("service.name", .string("frontend")), Attribute("host.cores", .int(8)),
                    Attribute("deployment", .keyValueList([Attribute("region", .string("eu"))])),
                ],
                droppedAttributesCount: 6, schemaURL: "https://opentelemetry.io/schemas/1.26.0"),
            scope: InstrumentationScope(
                name: "io.opentelemetry.http", version: "1.2.3", attributes: [Attribute("scope.attr", .double(0.5))],
                droppedAttributesCount: 7, schemaURL: "https://example.com/scope"))
    }
}
