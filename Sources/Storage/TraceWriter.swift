import TraceModel

/// Stores spans.
///
/// Contract: `write` MUST return only after every span in the batch is durably committed, so a
/// caller may acknowledge its client (or retry, or apply backpressure) on the outcome. Writing the
/// same span (trace id + span id) twice MUST NOT make it appear twice to readers.
public protocol TraceWriter: Sendable {
    func write(_ spans: [Span]) async throws
}
