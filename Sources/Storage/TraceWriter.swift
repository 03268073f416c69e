import TraceModel

/// Stores spans.
///
/// Contract: `write` MUST return only after every span in the batch is durably committed, so a
/// caller may acknowledge its client (or retry, or apply backpressure) on the outcome. Writing the
/// same span (trace id + span id) twice MUST NOT make it appear twice to readers. Spans of a trace
/// that already holds `limits.maxSpansPerTrace` spans are not stored: they are listed in the
/// receipt, and readers see the trace as truncated.
public protocol TraceWriter: Sendable {
    @discardableResult
    func write(_ spans: [Span], limits: WriteLimits) async throws -> WriteReceipt
}

extension TraceWriter {
    /// Stores `spans` with no per-trace limit.
    public func write(_ spans: [Span]) async throws {
        try await write(spans, limits: WriteLimits())
    }
}

/// Limits a writer applies while storing, where only it knows the stored state.
public struct WriteLimits: Sendable, Hashable {
    /// Spans stored per trace, counting those stored by earlier writes. Default: no limit.
    public var maxSpansPerTrace: Int

    public init(maxSpansPerTrace: Int = .max) {
        self.maxSpansPerTrace = maxSpansPerTrace
    }
}

/// What a write did not store, so the caller can count and report it.
public struct WriteReceipt: Sendable, Equatable {
    /// Spans left out because their trace was full (`WriteLimits.maxSpansPerTrace`).
    public var spansOverTraceLimit: [SpanKey]

    public init(spansOverTraceLimit: [SpanKey] = []) {
        self.spansOverTraceLimit = spansOverTraceLimit
    }
}

/// A span's identity in storage: its trace id and span id.
public struct SpanKey: Sendable, Hashable {
    public var traceID: TraceID
    public var spanID: SpanID

    public init(traceID: TraceID, spanID: SpanID) {
        self.traceID = traceID
        self.spanID = spanID
    }

    public init(_ span: Span) {
        self.init(traceID: span.traceID, spanID: span.spanID)
    }
}
