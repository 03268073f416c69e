import Ingest
import TraceModel

/// Rejects spans whose timestamps cannot be right: starting more than `maxSpanAgeNanos` ago or
/// more than `maxFutureSkewNanos` ahead (`timestamp_out_of_range`), or ending before they start by
/// more than the tolerance (`end_before_start`). Within the tolerance the end is set to the start
/// and the span counted as `end_before_start_clamped`.
struct SpanTimestampValidator: Sendable {
    var limits: IngestLimits

    func validate(_ checked: inout CheckedSpans, nowUnixNano: UInt64) {
        let oldest = nowUnixNano > limits.maxSpanAgeNanos ? nowUnixNano - limits.maxSpanAgeNanos : 0
        let (newest, overflow) = nowUnixNano.addingReportingOverflow(limits.maxFutureSkewNanos)
        let latest = overflow ? UInt64.max : newest
        var kept: [Span] = []
        kept.reserveCapacity(checked.spans.count)
        var clamped = 0
        for var span in checked.spans {
            if span.startTimeUnixNano < oldest || span.startTimeUnixNano > latest {
                checked.rejected.append(SpanRejection(
                    reason: "timestamp_out_of_range",
                    detail: "span \(span.spanID.hex) of trace \(span.traceID.hex) starts at \(span.startTimeUnixNano) ns, outside the accepted window; check the sender's clock"))
            } else if span.endTimeUnixNano < span.startTimeUnixNano {
                if span.startTimeUnixNano - span.endTimeUnixNano <= limits.endBeforeStartToleranceNanos {
                    span.endTimeUnixNano = span.startTimeUnixNano
                    clamped += 1
                    kept.append(span)
                } else {
                    checked.rejected.append(SpanRejection(
                        reason: "end_before_start",
                        detail: "span \(span.spanID.hex) of trace \(span.traceID.hex) ends \(span.startTimeUnixNano - span.endTimeUnixNano) ns before it starts"))
                }
            } else {
                kept.append(span)
            }
        }
        checked.spans = kept
        checked.countAlteration("end_before_start_clamped", spans: clamped)
    }
}
