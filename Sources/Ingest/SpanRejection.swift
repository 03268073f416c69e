/// One span that was left out of a request, with a machine-readable reason
/// (`invalid_trace_id`, `invalid_span_id`, `invalid_parent_span_id`, `missing_timestamp`)
/// for metrics and a detail a person can act on.
public struct SpanRejection: Sendable, Hashable {
    public var reason: String
    public var detail: String

    public init(reason: String, detail: String) {
        self.reason = reason
        self.detail = detail
    }
}

extension SpanRejection {
    static func invalidTraceID(_ detail: String) -> SpanRejection {
        SpanRejection(reason: "invalid_trace_id", detail: detail)
    }

    static func invalidSpanID(_ detail: String) -> SpanRejection {
        SpanRejection(reason: "invalid_span_id", detail: detail)
    }

    static func invalidParentSpanID(_ detail: String) -> SpanRejection {
        SpanRejection(reason: "invalid_parent_span_id", detail: detail)
    }
}
