import Foundation
import TraceModel

extension Span {
    /// The domain span of an OTLP span, with the resource and scope of its groups.
    /// Throws when an id is malformed, so the request keeps its other spans.
    init(_ proto: ProtoSpan, resource: Resource, scope: InstrumentationScope) throws(InvalidSpan) {
        let traceID = try TraceID.required(bytes: proto.traceID)
        let spanID = try SpanID.required(bytes: proto.spanID)
        let parentSpanID = try SpanID.parent(bytes: proto.parentSpanID)
        var links: [SpanLink] = []
        links.reserveCapacity(proto.links.count)
        for link in proto.links {
            if let link = SpanLink(link) { links.append(link) }
        }
        let malformedLinks = UInt32(truncatingIfNeeded: proto.links.count - links.count)
        self.init(
            traceID: traceID,
            spanID: spanID,
            parentSpanID: parentSpanID,
            traceState: proto.traceState,
            flags: proto.flags,
            name: proto.name,
            kind: SpanKind(rawValue: proto.kind.rawValue) ?? .unspecified,
            startTimeUnixNano: proto.startTimeUnixNano,
            endTimeUnixNano: proto.endTimeUnixNano,
            attributes: proto.attributes.map(Attribute.init),
            droppedAttributesCount: proto.droppedAttributesCount,
            events: proto.events.map(SpanEvent.init),
            droppedEventsCount: proto.droppedEventsCount,
            links: links,
            droppedLinksCount: proto.droppedLinksCount &+ malformedLinks,
            status: SpanStatus(proto.status),
            resource: resource,
            scope: scope
        )
    }
}

extension ProtoSpan {
    /// The OTLP message for a span (its resource and scope go to the enclosing groups).
    init(_ span: Span) {
        self.init()
        traceID = Data(span.traceID.bytes)
        spanID = Data(span.spanID.bytes)
        if let parent = span.parentSpanID { parentSpanID = Data(parent.bytes) }
        traceState = span.traceState
        flags = span.flags
        name = span.name
        kind = ProtoSpan.SpanKind(rawValue: span.kind.rawValue) ?? .unspecified
        startTimeUnixNano = span.startTimeUnixNano
        endTimeUnixNano = span.endTimeUnixNano
        attributes = span.attributes.map(ProtoKeyValue.init)
        droppedAttributesCount = span.droppedAttributesCount
        events = span.events.map(ProtoSpan.Event.init)
        droppedEventsCount = span.droppedEventsCount
        links = span.links.map(ProtoSpan.Link.init)
        droppedLinksCount = span.droppedLinksCount
        if span.status != SpanStatus() { status = ProtoStatus(span.status) }
    }
}
