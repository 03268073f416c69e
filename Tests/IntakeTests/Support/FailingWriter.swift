import Storage
import Synchronization
import TraceModel

/// A writer in front of another whose first `failures` writes throw, as writes to an unreachable
/// database do; later writes go to `inner`.
final class FailingWriter: TraceWriter {
    struct WriteFailed: Error {}

    private let inner: any TraceWriter
    private let remainingFailures: Mutex<Int>
    private let attempts = Mutex(0)

    init(failures: Int, inner: any TraceWriter) {
        remainingFailures = Mutex(failures)
        self.inner = inner
    }

    /// `write` calls so far, failed or not.
    var writeAttempts: Int { attempts.withLock { $0 } }

    func write(_ spans: [Span], limits: WriteLimits) async throws -> WriteReceipt {
        attempts.withLock { $0 += 1 }
        let fails = remainingFailures.withLock { remaining -> Bool in
            guard remaining > 0 else { return false }
            remaining -= 1
            return true
        }
        if fails { throw WriteFailed() }
        return try await inner.write(spans, limits: limits)
    }
}
