import Synchronization

/// Runs a bounded ingest load: `connections` senders, each with one request in flight, sending
/// the corpus's bodies (fresh ids patched in per request) for `warmup` then `measured` seconds, or
/// until `maxRequests` in all. Only requests started after the warm-up count; the measured time
/// runs from the end of the warm-up to the last measured answer. 429/503 answers are counted and
/// their `Retry-After` honoured (capped at 5 s).
public struct IngestLoad: Sendable {
    public var corpus: IngestCorpus
    public var warmup: Duration
    public var measured: Duration
    public var maxRequests: Int

    public init(corpus: IngestCorpus, warmup: Duration, measured: Duration, maxRequests: Int = 10_000_000) {
        self.corpus = corpus
        self.warmup = warmup
        self.measured = measured
        self.maxRequests = maxRequests
    }

    /// Runs the load through `senders`; `atSteadyState` runs once when the warm-up ends (for CPU
    /// snapshots; not at all when the warm-up used up the request budget), `atEnd` when the last
    /// measured answer came back.
    public func run(
        senders: [any IngestSender], atSteadyState: @escaping @Sendable () -> Void, atEnd: @escaping @Sendable () -> Void
    ) async -> IngestLoadOutcome {
        let clock = ContinuousClock()
        let start = clock.now
        let warmupEnd = start + warmup
        let measureEnd = warmupEnd + measured
        let budget = RequestBudget(maxRequests)
        // Not called when the request budget runs out during the warm-up (nothing was measured).
        let steadyState = Task {
            guard (try? await Task.sleep(until: warmupEnd, clock: clock)) != nil else { return }
            atSteadyState()
        }
        var outcome = IngestLoadOutcome()
        var lastAnswer = warmupEnd
        await withTaskGroup(of: (IngestLoadOutcome, ContinuousClock.Instant).self) { group in
            for (index, sender) in senders.enumerated() {
                let corpus = self.corpus
                group.addTask {
                    await Self.connectionLoop(sender: sender, index: index, corpus: corpus, clock: clock,
                                              warmupEnd: warmupEnd, measureEnd: measureEnd, budget: budget)
                }
            }
            for await (connectionOutcome, last) in group {
                outcome.merge(connectionOutcome)
                lastAnswer = max(lastAnswer, last)
            }
        }
        steadyState.cancel()
        await steadyState.value
        atEnd()
        outcome.measuredSeconds = (lastAnswer - warmupEnd).inMilliseconds / 1_000
        return outcome
    }

    private static func connectionLoop(
        sender: any IngestSender, index: Int, corpus: IngestCorpus, clock: ContinuousClock,
        warmupEnd: ContinuousClock.Instant, measureEnd: ContinuousClock.Instant, budget: RequestBudget
    ) async -> (IngestLoadOutcome, ContinuousClock.Instant) {
        var outcome = IngestLoadOutcome()
        var lastAnswer = warmupEnd
        var next = index
        var random = SystemRandomNumberGenerator()
        while clock.now < measureEnd, budget.take() {
            let template = corpus.templates[next % corpus.templates.count]
            next += corpus.templates.count > 1 ? 7 : 1
            let body = template.patched(traceHigh: random.next(), spanHigh: UInt32.random(in: 1...UInt32.max, using: &random))
            let sent = clock.now
            let measuredRequest = sent >= warmupEnd
            let result: IngestSendResult
            do {
                result = try await sender.send(body)
            } catch {
                if measuredRequest {
                    outcome.failures += 1
                    if outcome.failureExamples.count < 3 { outcome.failureExamples.append("\(error)") }
                }
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            let answered = clock.now
            if measuredRequest {
                outcome.requests += 1
                outcome.latency.record(answered - sent)
                lastAnswer = max(lastAnswer, answered)
                switch result.status {
                case 200..<300: outcome.acknowledgedSpans += template.spanCount
                case 429: outcome.throttled429 += 1
                case 503: outcome.unavailable503 += 1
                default:
                    outcome.failures += 1
                    if outcome.failureExamples.count < 3 { outcome.failureExamples.append("HTTP \(result.status)") }
                }
            }
            if let wait = result.retryAfterSeconds, !result.isAcknowledged {
                let until = min(clock.now + .seconds(min(wait, 5)), measureEnd)
                try? await Task.sleep(until: until, clock: clock)
            }
        }
        return (outcome, lastAnswer)
    }
}

/// The request count shared by all connections of one load.
final class RequestBudget: Sendable {
    private let remaining: Mutex<Int>

    init(_ count: Int) { remaining = Mutex(count) }

    /// Takes one request from the budget; false when it is spent.
    func take() -> Bool {
        remaining.withLock { count in
            guard count > 0 else { return false }
            count -= 1
            return true
        }
    }
}
