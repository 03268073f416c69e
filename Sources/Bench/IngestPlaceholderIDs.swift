import TraceModel

/// Renumbers generated spans with placeholder ids that `IngestIDPatchTemplate` can find again in
/// the encoded body: trace ids are `traceMarker` then a number, span ids `spanMarker` then a number.
/// Numbers start at 1 and stay below `limit`, so a chance match elsewhere in a body is refused.
public struct IngestPlaceholderIDs: Sendable {
    public let traceMarker: UInt64 = 0x5ce1_7be4_c0de_d00d
    public let spanMarker: UInt32 = 0xb0d1_e5ba
    /// Largest number (exclusive) given to a trace or a span of one body.
    public let limit = 1 << 20

    public init() {}

    func isTraceNumber(_ number: UInt64) -> Bool { number >= 1 && number < UInt64(limit) }
    func isSpanNumber(_ number: UInt32) -> Bool { number >= 1 && number < UInt32(limit) }

    /// `spans` with every trace, span, parent and link id replaced by a placeholder; ids that
    /// were equal stay equal. Links to traces outside `spans` get placeholders too.
    public func renumber(_ spans: [Span]) -> [Span] {
        var traces: [TraceID: TraceID] = [:]
        var spanIDs: [SpanID: SpanID] = [:]
        func trace(_ id: TraceID) -> TraceID {
            if let known = traces[id] { return known }
            let placeholder = TraceID(high: traceMarker, low: UInt64(traces.count + 1))
            traces[id] = placeholder
            return placeholder
        }
        func span(_ id: SpanID) -> SpanID {
            if let known = spanIDs[id] { return known }
            let placeholder = SpanID(UInt64(spanMarker) << 32 | UInt64(spanIDs.count + 1))
            spanIDs[id] = placeholder
            return placeholder
        }
        return spans.map { original in
            var copy = original
            copy.traceID = trace(original.traceID)
            copy.spanID = span(original.spanID)
            copy.parentSpanID = original.parentSpanID.map(span)
            copy.links = original.links.map { link in
                var patched = link
                patched.traceID = trace(link.traceID)
                patched.spanID = span(link.spanID)
                return patched
            }
            return copy
        }
    }
}
