import TraceModel

/// The result of decoding one ingest request: the spans that passed validation and, per
/// rejected span, why it was left out (so the caller can count and report drops).
public struct DecodedSpans: Sendable {
    public var spans: [Span]
    public var rejected: [SpanRejection]

    public init(spans: [Span] = [], rejected: [SpanRejection] = []) {
        self.spans = spans
        self.rejected = rejected
    }
}
