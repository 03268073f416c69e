/// How much ingest work Skein holds at once before it refuses more with a retryable answer
/// (429 / RESOURCE_EXHAUSTED), and how it batches writes.
public struct IngestCapacity: Sendable {
    /// Memory all in-flight ingest requests may hold together (raw body plus decoded spans,
    /// estimated), from admission until the answer is sent. Default 128 MiB.
    public var memoryBudgetBytes: Int
    /// Spans waiting in the write queue, across all requests. Default 100,000.
    public var maxQueuedSpans: Int
    /// Largest batch a writer commits in one transaction (several requests are coalesced). Default 5,000.
    public var maxBatchSpans: Int
    /// Writer loops, each committing its own batches in its own transaction at the same time as
    /// the others; spans are routed to them by trace id, so one trace is always written by one
    /// writer. Default 2.
    public var writeConcurrency: Int
    /// A write taking longer than this fails its requests with 503 / UNAVAILABLE. Default 10 s.
    public var writeTimeout: Duration
    /// Seconds sent in `Retry-After` (and gRPC retry hints) when refusing for overload. Default 1.
    public var overloadRetryAfterSeconds: Int
    /// Seconds sent in `Retry-After` when the database is unreachable. Default 5.
    public var unavailableRetryAfterSeconds: Int

    public init(
        memoryBudgetBytes: Int = 128 * 1024 * 1024,
        maxQueuedSpans: Int = 100_000,
        maxBatchSpans: Int = 5_000,
        writeConcurrency: Int = 2,
        writeTimeout: Duration = .seconds(10),
        overloadRetryAfterSeconds: Int = 1,
        unavailableRetryAfterSeconds: Int = 5
    ) {
        self.memoryBudgetBytes = memoryBudgetBytes
        self.maxQueuedSpans = maxQueuedSpans
        self.maxBatchSpans = maxBatchSpans
        self.writeConcurrency = writeConcurrency
        self.writeTimeout = writeTimeout
        self.overloadRetryAfterSeconds = overloadRetryAfterSeconds
        self.unavailableRetryAfterSeconds = unavailableRetryAfterSeconds
    }
}
