import TraceModel

/// The spans of a trace as a scoped reader shows them, and which of them are restricted-span
/// placeholders.
///
/// Whether a span is a placeholder is known only from here, never from the span's content: ingest
/// can send a span named `restricted` of service `restricted`, and it is shown as the ordinary span
/// it is.
public struct ScopedTrace: Sendable, Hashable {
    /// Spans ordered by start time, placeholders in place of spans outside the scope.
    public var spans: [Span]
    /// Ids of the spans that were replaced by placeholders.
    public var restrictedSpanIDs: Set<SpanID>

    public init(spans: [Span], restrictedSpanIDs: Set<SpanID>) {
        self.spans = spans
        self.restrictedSpanIDs = restrictedSpanIDs
    }

    /// The trace of an unrestricted reader: no placeholders.
    public init(unrestricted spans: [Span]) {
        self.init(spans: spans, restrictedSpanIDs: [])
    }

    public var isEmpty: Bool { spans.isEmpty }

    /// Whether `span` (one of `spans`) is a placeholder. A span that shares its id with a
    /// placeholder but kept its content (a duplicate span id across services) is not.
    public func isRestrictedPlaceholder(_ span: Span) -> Bool {
        restrictedSpanIDs.contains(span.spanID) && span == ScopedTraceReader.restrictedPlaceholder(of: span)
    }
}
