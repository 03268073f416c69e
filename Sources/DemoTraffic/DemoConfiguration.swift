/// What `skein demo` (and `skein serve --demo`) sends, where, how fast and for how long.
public struct DemoConfiguration: Sendable {
    /// OTLP/HTTP base URL; `/v1/traces` is appended unless already there.
    public var endpoint: String
    /// Requests (root traces) per second over all senders; 0 sends as fast as the receiver acknowledges.
    public var tracesPerSecond: Double
    /// How long to send; `nil` runs until the task is cancelled.
    public var duration: Duration?
    /// At most this many traces per export request.
    public var batchSize: Int
    /// Senders running in parallel, each with its own share of the rate.
    public var concurrency: Int
    /// Seed of the random source; `nil` picks one (logged, so a run can be replayed).
    public var seed: UInt64?
    /// Attempts per batch before it is counted as failed (the server may still be starting).
    public var maxAttempts: Int

    public init(
        endpoint: String = "http://127.0.0.1:4318", tracesPerSecond: Double = 20, duration: Duration? = nil,
        batchSize: Int = 50, concurrency: Int = 4, seed: UInt64? = nil, maxAttempts: Int = 6
    ) {
        self.endpoint = endpoint
        self.tracesPerSecond = tracesPerSecond
        self.duration = duration
        self.batchSize = batchSize
        self.concurrency = concurrency
        self.seed = seed
        self.maxAttempts = maxAttempts
    }

    /// The full URL export requests go to.
    var tracesURLString: String {
        var base = endpoint
        while base.hasSuffix("/") { base.removeLast() }
        return base.hasSuffix("/v1/traces") ? base : base + "/v1/traces"
    }
}
