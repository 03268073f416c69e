/// What a demo run delivered: counts of acknowledged traces, spans and requests, and the rate.
public struct DemoReport: Sendable, Equatable, CustomStringConvertible {
    /// Traces in batches the receiver acknowledged.
    public var traces: Int
    /// Spans in batches the receiver acknowledged.
    public var spans: Int
    /// Export requests the receiver acknowledged.
    public var batches: Int
    /// Export requests given up on after their retries (or refused outright).
    public var failures: Int
    /// Attempts that failed and were tried again.
    public var retries: Int
    public var elapsed: Duration

    public init(traces: Int = 0, spans: Int = 0, batches: Int = 0, failures: Int = 0, retries: Int = 0, elapsed: Duration = .zero) {
        self.traces = traces
        self.spans = spans
        self.batches = batches
        self.failures = failures
        self.retries = retries
        self.elapsed = elapsed
    }

    public var elapsedSeconds: Double {
        Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// Acknowledged spans per second of the run.
    public var spansPerSecond: Double {
        elapsedSeconds > 0 ? Double(spans) / elapsedSeconds : 0
    }

    public var tracesPerSecond: Double {
        elapsedSeconds > 0 ? Double(traces) / elapsedSeconds : 0
    }

    public var description: String {
        "sent \(traces) traces (\(spans) spans) in \(batches) requests over \(Self.format(elapsedSeconds)) s: "
            + "\(Self.format(spansPerSecond)) spans/s, \(Self.format(tracesPerSecond)) traces/s; "
            + "\(failures) failed requests, \(retries) retries"
    }

    private static func format(_ value: Double) -> String {
        let tenths = (value * 10).rounded() / 10
        return String(tenths)
    }
}
