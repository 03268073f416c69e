import Synchronization

/// Runs a credential lookup with a time limit, so a request does not hang while the database
/// pool waits for a vanished server: the answer is nil once `timeout` passed. The lookup runs in
/// its own task and is cancelled then; it is not waited for (a query stuck on a dead connection
/// may ignore cancellation).
enum LookupDeadline {
    static func run<Value: Sendable>(_ timeout: Duration, _ lookup: @escaping @Sendable () async -> Value) async -> Value? {
        let answer = SingleAnswer<Value>()
        return await withCheckedContinuation { continuation in
            answer.install(continuation)
            let timer = Task {
                try? await Task.sleep(for: timeout)
                answer.give(nil)
            }
            let work = Task {
                answer.give(await lookup())
                timer.cancel()
            }
            answer.whenTimedOut { work.cancel() }
        }
    }
}

/// Hands the first answer to the continuation; later ones are dropped.
private final class SingleAnswer<Value: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<Value?, Never>?>(nil)
    private let onTimeout = Mutex<(@Sendable () -> Void)?>(nil)

    /// Runs `action` when the answer given was the timeout's nil.
    func whenTimedOut(_ action: @escaping @Sendable () -> Void) {
        onTimeout.withLock { $0 = action }
    }

    func install(_ continuation: CheckedContinuation<Value?, Never>) {
        self.continuation.withLock { $0 = continuation }
    }

    func give(_ value: Value?) {
        let taken = continuation.withLock { slot -> CheckedContinuation<Value?, Never>? in
            let taken = slot
            slot = nil
            return taken
        }
        guard let taken else { return }
        taken.resume(returning: value)
        if value == nil, let action = onTimeout.withLock({ $0 }) { action() }
    }
}
