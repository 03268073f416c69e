import TraceModel

extension ScopedTraceReader {
    /// The name and service of a restricted-span placeholder.
    public static let restrictedName = "restricted"

    /// What is left of a span outside the caller's scope: its trace, span and parent ids and its
    /// timing, so the trace keeps its shape, and nothing else. Name and service are `restricted`;
    /// kind is unspecified; attributes, events, links, status (also the error flag, which would tell
    /// how a hidden service fares), trace state, flags, resource and scope attributes are dropped.
    public static func restrictedPlaceholder(of span: Span) -> Span {
        Span(
            traceID: span.traceID, spanID: span.spanID, parentSpanID: span.parentSpanID,
            name: restrictedName, kind: .unspecified,
            startTimeUnixNano: span.startTimeUnixNano, endTimeUnixNano: span.endTimeUnixNano,
            resource: Resource(attributes: [Attribute("service.name", .string(restrictedName))]))
    }
}
