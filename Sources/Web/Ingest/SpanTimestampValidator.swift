import Ingest
import TraceModel

/// Rejects spans whose timestamps cannot be right: starting more than `maxSpanAgeNanos` ago or
/// more than `maxFutureSkewNanos` ahead (`timestamp_out_of_range`), or ending before they start
/// (`end_before_start`).
struct SpanTimestampValidator: Sendable {
    var limits: IngestLimits

    func validate(_ decoded: DecodedSpans, nowUnixNano: UInt64) -> DecodedSpans {
        let oldest = nowUnixNano > limits.maxSpanAgeNanos ? nowUnixNano - limits.maxSpanAgeNanos : 0
        let (newest, overflow) = nowUnixNano.addingReportingOverflow(limits.maxFutureSkewNanos)
        let latest = overflow ? UInt64.max : newest
        var result = DecodedSpans(spans: [], rejected: decoded.rejected)
        result.spans.reserveCapacity(decoded.spans.count)
        for span in decoded.spans {
            if span.startTimeUnixNano < oldest || span.startTimeUnixNano > latest {
                result.rejected.append(SpanRejection(
                    reason: "timestamp_out_of_range",
                    detail: "span \(span.spanID.hex) of trace \(span.traceID.hex) starts at \(span.startTimeUnixNano) ns, outside the accepted window; check the sender's clock"))
            } else if span.endTimeUnixNano < span.startTimeUnixNano {
                result.rejected.append(SpanRejection(
                    reason: "end_before_start",
                    detail: "span \(span.spanID.hex) of trace \(span.traceID.hex) ends before it starts"))
            } else {
                result.spans.append(span)
            }
        }
        return result
    }
}
