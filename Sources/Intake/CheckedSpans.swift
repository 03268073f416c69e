import Ingest
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

    mutating func countAlteration(_ reason: String, spans count: Int = 1) {
        guard count > 0 else { return }
        alterations[reason, default: 0] += count
    }
}
