/// When a failed export is tried again: transport errors and the statuses OTLP calls retryable
/// (429, 502, 503, 504), with exponential back-off or the server's `Retry-After`.
public struct DemoRetryPolicy: Sendable {
    public var maxAttempts: Int
    public var initialBackoff: Duration
    public var maxBackoff: Duration

    public init(maxAttempts: Int, initialBackoff: Duration = .milliseconds(250), maxBackoff: Duration = .seconds(5)) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    public static func isRetryable(status: Int) -> Bool {
        [429, 502, 503, 504].contains(status)
    }

    /// The wait before attempt `attempt + 1` after attempt `attempt` (1-based) failed in a
    /// retryable way, or `nil` when the batch should be given up.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        if let retryAfter { return min(retryAfter, maxBackoff * 2) }
        let backoff = initialBackoff * (1 << min(attempt - 1, 16))
        return min(backoff, maxBackoff)
    }
}
