/// Spaces a sender's batches so it keeps to its share of the rate. It never bursts to catch up
/// after falling behind (a slow receiver), and with a rate of 0 it never waits.
public struct DemoPacer: Sendable {
    public let tracesPerSecond: Double
    private var nextSend: Duration

    public init(tracesPerSecond: Double, firstSendAt: Duration = .zero) {
        self.tracesPerSecond = tracesPerSecond
        nextSend = firstSendAt
    }

    /// How long to wait, `elapsed` after the start, before sending a batch of `traces`.
    public mutating func delay(beforeSending traces: Int, elapsed: Duration) -> Duration {
        guard tracesPerSecond > 0 else { return .zero }
        if elapsed > nextSend + .seconds(1) { nextSend = elapsed }
        let wait = nextSend > elapsed ? nextSend - elapsed : .zero
        nextSend += .seconds(Double(traces) / tracesPerSecond)
        return wait
    }
}
