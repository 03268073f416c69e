import TraceModel

extension OTLPJSON {
    static let spanKindNames = [
        "SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
        "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER",
    ]
    static let statusCodeNames = ["STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"]

    /// `Span`, with its ids still as the hex text the sender wrote (validated on conversion).
    struct Span: Decodable {
        var traceId: String
        var spanId: String
        var parentSpanId: String
        var traceState: String
        var flags: UInt32
        var name: String
        var kind: Int
        var startTimeUnixNano: UInt64
        var endTimeUnixNano: UInt64
        var attributes: [Attribute]
        var droppedAttributesCount: UInt32
        var events: [Event]
        var droppedEventsCount: UInt32
        var links: [Link]
        var droppedLinksCount: UInt32
        var status: SpanStatus

        private enum CodingKeys: String, CodingKey {
            case traceId, spanId, parentSpanId, traceState, flags, name, kind, startTimeUnixNano, endTimeUnixNano
            case attributes, droppedAttributesCount, events, droppedEventsCount, links, droppedLinksCount, status
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            traceId = try container.string(.traceId)
            spanId = try container.string(.spanId)
            parentSpanId = try container.string(.parentSpanId)
            traceState = try container.string(.traceState)
            flags = try container.integer(.flags)
            name = try container.string(.name)
            kind = try container.enumeration(.kind, names: OTLPJSON.spanKindNames)
            startTimeUnixNano = try container.integer(.startTimeUnixNano)
            endTimeUnixNano = try container.integer(.endTimeUnixNano)
            attributes = try container.attributes(.attributes)
            droppedAttributesCount = try container.integer(.droppedAttributesCount)
            events = try container.list(.events)
            droppedEventsCount = try container.integer(.droppedEventsCount)
            links = try container.list(.links)
            droppedLinksCount = try container.integer(.droppedLinksCount)
            status = try container.decodeIfPresent(Status.self, forKey: .status)?.status ?? SpanStatus()
        }
    }

    /// `Span.Event`.
    struct Event: Decodable {
        var event: SpanEvent

        private enum CodingKeys: String, CodingKey {
            case timeUnixNano, name, attributes, droppedAttributesCount
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            event = SpanEvent(
                timeUnixNano: try container.integer(.timeUnixNano),
                name: try container.string(.name),
                attributes: try container.attributes(.attributes),
                droppedAttributesCount: try container.integer(.droppedAttributesCount)
            )
        }
    }

    /// `Span.Link`, ids as hex text.
    struct Link: Decodable {
        var traceId: String
        var spanId: String
        var traceState: String
        var attributes: [Attribute]
        var droppedAttributesCount: UInt32
        var flags: UInt32

        private enum CodingKeys: String, CodingKey {
            case traceId, spanId, traceState, attributes, droppedAttributesCount, flags
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            traceId = try container.string(.traceId)
            spanId = try container.string(.spanId)
            traceState = try container.string(.traceState)
            attributes = try container.attributes(.attributes)
            droppedAttributesCount = try container.integer(.droppedAttributesCount)
            flags = try container.integer(.flags)
        }
    }

    /// `Status`.
    struct Status: Decodable {
        var status: SpanStatus

        private enum CodingKeys: String, CodingKey {
            case message, code
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            let code = try container.enumeration(.code, names: OTLPJSON.statusCodeNames)
            status = SpanStatus(code: SpanStatus.Code(rawValue: code) ?? .unset, message: try container.string(.message))
        }
    }
}

extension SpanLink {
    /// `nil` when an id is not valid hex of the right length; counted as a dropped link.
    init?(_ json: OTLPJSON.Link) {
        guard let traceID = HexID.traceID(json.traceId, digits: 32...32),
              let spanID = HexID.spanID(json.spanId, digits: 16...16) else { return nil }
        self.init(
            traceID: traceID, spanID: spanID, traceState: json.traceState, attributes: json.attributes,
            droppedAttributesCount: json.droppedAttributesCount, flags: json.flags
        )
    }
}

extension Span {
    /// The domain span of an OTLP/JSON span; throws when an id is not valid hex of the
    /// right length (32 digits for the trace, 16 for spans), so the request keeps its other spans.
    init(_ json: OTLPJSON.Span, resource: Resource, scope: InstrumentationScope) throws(InvalidSpan) {
        guard let traceID = HexID.traceID(json.traceId, digits: 32...32) else {
            throw InvalidSpan(.invalidTraceID(
                "traceId must be 32 hex digits, not all zero (got \(json.traceId.utf8.count) characters)"))
        }
        guard let spanID = HexID.spanID(json.spanId, digits: 16...16) else {
            throw InvalidSpan(.invalidSpanID(
                "spanId must be 16 hex digits, not all zero (got \(json.spanId.utf8.count) characters)"))
        }
        let parentSpanID = try HexID.parentSpanID(json.parentSpanId, digits: 16...16, detail:
            "parentSpanId must be 16 hex digits or empty (got \(json.parentSpanId.utf8.count) characters)")
        let links = json.links.compactMap(SpanLink.init)
        self.init(
            traceID: traceID,
            spanID: spanID,
            parentSpanID: parentSpanID,
            traceState: json.traceState,
            flags: json.flags,
            name: json.name,
            kind: SpanKind(rawValue: json.kind) ?? .unspecified,
            startTimeUnixNano: json.startTimeUnixNano,
            endTimeUnixNano: json.endTimeUnixNano,
            attributes: json.attributes,
            droppedAttributesCount: json.droppedAttributesCount,
            events: json.events.map(\.event),
            droppedEventsCount: json.droppedEventsCount,
            links: links,
            droppedLinksCount: json.droppedLinksCount &+ UInt32(truncatingIfNeeded: json.links.count - links.count),
            status: json.status,
            resource: resource,
            scope: scope
        )
    }
}
