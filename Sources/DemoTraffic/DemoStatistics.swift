import Synchronization

/// Counters the parallel senders add to and the progress logger reads.
final class DemoStatistics: Sendable {
    private let counts = Mutex(DemoReport())

    func recordDelivered(traces: Int, spans: Int, retries: Int) {
        counts.withLock {
            $0.traces += traces
            $0.spans += spans
            $0.batches += 1
            $0.retries += retries
        }
    }

    func recordFailed(retries: Int) {
        counts.withLock {
            $0.failures += 1
            $0.retries += retries
        }
    }

    func report(elapsed: Duration) -> DemoReport {
        var report = counts.withLock { $0 }
        report.elapsed = elapsed
        return report
    }
}
