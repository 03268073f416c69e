/// What the measured phase of one ingest load saw, over all connections.
public struct IngestLoadOutcome: Sendable {
    public var measuredSeconds: Double = 0
    public var requests = 0
    public var acknowledgedSpans = 0
    public var throttled429 = 0
    public var unavailable503 = 0
    /// Other non-2xx answers and transport errors.
    public var failures = 0
    public var latency = LatencyHistogram()
    /// The first few failure descriptions, for the report's notes.
    public var failureExamples: [String] = []

    public init() {}

    public var spansPerSecond: Double { measuredSeconds > 0 ? Double(acknowledgedSpans) / measuredSeconds : 0 }
    public var requestsPerSecond: Double { measuredSeconds > 0 ? Double(requests) / measuredSeconds : 0 }

    mutating func merge(_ other: IngestLoadOutcome) {
        requests += other.requests
        acknowledgedSpans += other.acknowledgedSpans
        throttled429 += other.throttled429
        unavailable503 += other.unavailable503
        failures += other.failures
        latency.merge(other.latency)
        failureExamples.append(contentsOf: other.failureExamples.prefix(max(0, 3 - failureExamples.count)))
    }
}
