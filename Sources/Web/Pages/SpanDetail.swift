import TraceModel

/// View model of the span detail panel shown under a selected waterfall row.
struct SpanDetail: Sendable {
    /// One span event, timed from the span's start.
    struct Event: Sendable {
        var offset: String
        var name: String
        var attributes: [AttributeRow]
        var hasAttributes: Bool
        var droppedAttributes: UInt32
    }

    /// One link to another span; the href is built from parsed ids only.
    struct Link: Sendable {
        var traceID: String
        var spanID: String
        var href: String
        var traceState: String
        var attributes: [AttributeRow]
        var hasAttributes: Bool
        var sameTrace: Bool
        var hasTraceState: Bool
    }

    var name: String
    var service: String
    var colorClass: String
    var kind: String
    var statusCode: String
    var statusMessage: String
    var isError: Bool
    var traceID: String
    var spanID: String
    var parentSpanID: String
    var hasParent: Bool
    var parentHref: String
    var parentInTrace: Bool
    var start: String
    var offset: String
    var duration: String
    var traceState: String
    var flags: String
    var attributes: [AttributeRow]
    var resourceAttributes: [AttributeRow]
    var resourceSchemaURL: String
    var scopeName: String
    var scopeVersion: String
    var scopeAttributes: [AttributeRow]
    var hasScope: Bool
    var events: [Event]
    var links: [Link]
    var droppedAttributes: UInt32
    var droppedEvents: UInt32
    var droppedLinks: UInt32
    var droppedResourceAttributes: UInt32
    var hasDropped: Bool
    var closeHref: String
    var hasStatusMessage: Bool
    var hasTraceState: Bool
    var hasAttributes: Bool
    var hasEvents: Bool
    var hasLinks: Bool
    var hasScopeVersion: Bool
    var hasScopeAttributes: Bool
    var hasResourceSchemaURL: Bool

    init(node: TraceTree.Node, tree: TraceTree) {
        let span = node.span
        name = span.name
        service = span.serviceName
        colorClass = ServiceColor.cssClass(for: span.serviceName)
        kind = span.kind.name
        switch span.status.code {
        case .unset: statusCode = "unset"
        case .ok: statusCode = "ok"
        case .error: statusCode = "error"
        }
        statusMessage = span.status.message
        isError = span.isError
        traceID = span.traceID.hex
        spanID = span.spanID.hex
        parentSpanID = span.parentSpanID?.hex ?? ""
        hasParent = span.parentSpanID?.isValid ?? false
        parentInTrace = node.parentIndex != nil
        parentHref = span.parentSpanID.map { TraceLink.span($0.hex, inTrace: span.traceID.hex, select: true) } ?? ""
        start = TimeText.full(span.startTimeUnixNano)
        offset = DurationText.format(node.offsetNanos)
        duration = DurationText.format(span.durationNanos)
        traceState = span.traceState
        let flagsHex = String(span.flags, radix: 16)
        flags = "0x" + (flagsHex.count < 2 ? "0" + flagsHex : flagsHex) + ((span.flags & 1) == 1 ? " (sampled)" : "")
        attributes = AttributeRow.rows(span.attributes)
        resourceAttributes = AttributeRow.rows(span.resource.attributes)
        resourceSchemaURL = span.resource.schemaURL
        scopeName = span.scope.name
        scopeVersion = span.scope.version
        scopeAttributes = AttributeRow.rows(span.scope.attributes)
        hasScope = !span.scope.name.isEmpty || !span.scope.version.isEmpty || !span.scope.attributes.isEmpty
        events = span.events.map { event in
            let offset = event.timeUnixNano >= span.startTimeUnixNano
                ? "+" + DurationText.format(event.timeUnixNano - span.startTimeUnixNano)
                : "−" + DurationText.format(span.startTimeUnixNano - event.timeUnixNano)
            let rows = AttributeRow.rows(event.attributes)
            return Event(
                offset: offset, name: event.name, attributes: rows, hasAttributes: !rows.isEmpty,
                droppedAttributes: event.droppedAttributesCount
            )
        }
        links = span.links.map { link in
            let rows = AttributeRow.rows(link.attributes)
            return Link(
                traceID: link.traceID.hex, spanID: link.spanID.hex,
                href: TraceLink.span(link.spanID.hex, inTrace: link.traceID.hex, select: true),
                traceState: link.traceState, attributes: rows, hasAttributes: !rows.isEmpty,
                sameTrace: link.traceID == span.traceID, hasTraceState: !link.traceState.isEmpty
            )
        }
        droppedAttributes = span.droppedAttributesCount
        droppedEvents = span.droppedEventsCount
        droppedLinks = span.droppedLinksCount
        droppedResourceAttributes = span.resource.droppedAttributesCount
        hasDropped = [span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount,
                      span.resource.droppedAttributesCount].contains { $0 > 0 }
        closeHref = TraceLink.span(spanID, inTrace: traceID, select: false)
        hasStatusMessage = !statusMessage.isEmpty
        hasTraceState = !traceState.isEmpty
        hasAttributes = !attributes.isEmpty
        hasEvents = !events.isEmpty
        hasLinks = !links.isEmpty
        hasScopeVersion = !scopeVersion.isEmpty
        hasScopeAttributes = !scopeAttributes.isEmpty
        hasResourceSchemaURL = !resourceSchemaURL.isEmpty
    }
}
