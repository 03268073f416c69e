import Storage
import Synchronization
import TraceModel

/// A writer in front of another that holds every write containing a span of `heldTrace` until
/// `release()` (and counts them), and lets the others through at once: one writer's transaction
/// stuck while the others commit.
final class HeldTraceWriter: TraceWriter {
    private struct Hold {
        var released = false
        var held: [CheckedContinuation<Void, Never>] = []
    }
    private let heldTrace: TraceID
    private let inner: any TraceWriter
    private let hold = Mutex(Hold())

    init(heldTrace: TraceID, inner: any TraceWriter) {
        self.heldTrace = heldTrace
        self.inner = inner
    }

    /// Writes currently held.
    var heldWrites: Int { hold.withLock { $0.held.count } }

    func write(_ spans: [Span], limits: WriteLimits) async throws -> WriteReceipt {
        if spans.contains(where: { $0.traceID == heldTrace }) {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let passNow = hold.withLock { hold -> Bool in
                    guard !hold.released else { return true }
                    hold.held.append(continuation)
                    return false
                }
                if passNow { continuation.resume() }
            }
        }
        return try await inner.write(spans, limits: limits)
    }

    /// Lets held and future writes of the held trace through.
    func release() {
        let held = hold.withLock { hold -> [CheckedContinuation<Void, Never>] in
            hold.released = true
            defer { hold.held = [] }
            return hold.held
        }
        for continuation in held { continuation.resume() }
    }
}
