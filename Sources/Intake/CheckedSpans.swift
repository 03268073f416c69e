import Ingest
import Storage
import TraceModel

/// Spans part-way through the pipeline: those still to be stored, those rejected (with reasons),
/// and how many were altered for which reason. Each check reads and narrows it.
struct CheckedSpans: Sendable {
    var spans: [Span]
    var rejected: [SpanRejection]
    var alterations: [String: Int] = [:]

    init(_ decoded: DecodedSpans) {
        self.spans = decoded.spans
        self.rejected = decoded.rejected
    }

    /// Moves the spans the writer left out because their trace was full to the rejected list
    /// (`trace_too_large`), so they are counted and reported, never dropped silently.
    mutating func excludeOverTraceLimit(_ keys: [SpanKey], limit: Int) {
        guard !keys.isEmpty else { return }
        let left = Set(keys)
        spans.removeAll { span in
            guard left.contains(SpanKey(span)) else { return false }
            rejected.append(SpanRejection(
                reason: "trace_too_large",
                detail: "trace \(span.traceID.hex) already holds \(limit) spans, the per-trace limit; span \(span.spanID.hex) was not stored and the trace is marked truncated"))
            return true
        }
    }

    mutating func countAlteration(_ reason: String, spans count: Int = 1) {
        guard count > 0 else { return }
        alterations[reason, default: 0] += count
    }
}
