/// When a failed export is tried again: transport errors and the statuses OTLP calls retryable
/// (429, 502, 503, 504), with exponential back-off or the server's `Retry-After`.
struct DemoRetryPolicy: Sendable {
    var maxAttempts: Int
    var initialBackoff: Duration = .milliseconds(250)
    var maxBackoff: Duration = .seconds(5)

    static func isRetryable(status: Int) -> Bool {
        [429, 502, 503, 504].contains(status)
    }

    /// The wait before attempt `attempt + 1` after attempt `attempt` (1-based) failed in a
    /// retryable way, or `nil` when the batch should be given up.
    func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        if let retryAfter { return min(retryAfter, maxBackoff * 2) }
        let backoff = initialBackoff * (1 << min(attempt - 1, 16))
        return min(backoff, maxBackoff)
    }
}
