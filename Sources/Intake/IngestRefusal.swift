/// Why a whole ingest request was refused after it was admitted. Each receiver maps these to its
/// own answer (the README's response table): HTTP status plus `Retry-After`, or a gRPC status.
public enum IngestRefusal: Error, Sendable, Equatable {
    /// The memory budget or the write queue is full; retry after the given seconds (429 / RESOURCE_EXHAUSTED).
    case overloaded(retryAfterSeconds: Int)
    /// PostgreSQL is unreachable or a write failed or timed out; retry later (503 / UNAVAILABLE).
    case storageUnavailable(retryAfterSeconds: Int)
    /// Skein is shutting down and takes no new work (503 / UNAVAILABLE).
    case shuttingDown
    /// The request holds more spans than `IngestLimits.maxSpansPerRequest` (413 / INVALID_ARGUMENT).
    case tooManySpans(count: Int, limit: Int)

    /// The `reason` label the refused spans are counted under.
    public var dropReason: String {
        switch self {
        case .overloaded: "rate_limited"
        case .storageUnavailable: "storage_unavailable"
        case .shuttingDown: "shutting_down"
        case .tooManySpans: "too_many_spans"
        }
    }

    /// A message a client can act on.
    public var message: String {
        switch self {
        case .overloaded(let seconds):
            "Skein is at its ingest capacity; retry in \(seconds) s"
        case .storageUnavailable(let seconds):
            "spans could not be stored right now (database unavailable); retry in \(seconds) s"
        case .shuttingDown:
            "Skein is shutting down; retry against another instance or later"
        case .tooManySpans(let count, let limit):
            "the request holds \(count) spans; the limit is \(limit) per request: lower the exporter's batch size"
        }
    }

    /// Seconds for `Retry-After`, when the client should retry at all.
    public var retryAfterSeconds: Int? {
        switch self {
        case .overloaded(let seconds), .storageUnavailable(let seconds): seconds
        case .shuttingDown: 5
        case .tooManySpans: nil
        }
    }
}
