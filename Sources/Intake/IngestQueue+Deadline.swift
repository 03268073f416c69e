import Synchronization

/// A storage write that did not finish within `IngestCapacity.writeTimeout`.
public struct StorageWriteTimedOut: Error, CustomStringConvertible {
    public let timeout: Duration

    public var description: String { "the storage write did not finish within \(timeout)" }
}

extension IngestQueue {
    /// Runs `operation` in its own task and returns its result, or throws `StorageWriteTimedOut`
    /// once `timeout` passed (cancelling the operation). Unlike a task group this does not wait for
    /// an operation that ignores cancellation (a connection stuck on a vanished server): the queue
    /// moves on and the abandoned write may still finish later, which idempotent writes allow.
    static func withDeadline<Value: Sendable>(
        _ timeout: Duration, _ operation: @escaping @Sendable () async throws -> Value
    ) async throws -> Value {
        let outcome = FirstOutcome<Value>()
        return try await withCheckedThrowingContinuation { continuation in
            outcome.install(continuation)
            let work = Task {
                do {
                    outcome.resolve(.success(try await operation()))
                } catch {
                    outcome.resolve(.failure(error))
                }
            }
            let timer = Task {
                try? await Task.sleep(for: timeout)
                guard !Task.isCancelled else { return }
                if outcome.resolve(.failure(StorageWriteTimedOut(timeout: timeout))) { work.cancel() }
            }
            outcome.whenResolved { timer.cancel() }
        }
    }
}

/// The first of several racing results, handed to one continuation exactly once.
private final class FirstOutcome<Value: Sendable>: Sendable {
    private struct Slot {
        var continuation: CheckedContinuation<Value, any Error>?
        var early: Result<Value, any Error>?
        var resolved = false
        var onResolved: (@Sendable () -> Void)?
    }

    private let slot = Mutex(Slot())

    func install(_ continuation: CheckedContinuation<Value, any Error>) {
        let early = slot.withLock { slot -> Result<Value, any Error>? in
            guard let early = slot.early else {
                slot.continuation = continuation
                return nil
            }
            slot.early = nil
            return early
        }
        if let early { continuation.resume(with: early) }
    }

    /// Delivers `result` if nothing was delivered yet; returns whether it was the first.
    @discardableResult
    func resolve(_ result: Result<Value, any Error>) -> Bool {
        let (first, continuation, onResolved) = slot.withLock { slot in
            guard !slot.resolved else { return (false, nil as CheckedContinuation<Value, any Error>?, nil as (@Sendable () -> Void)?) }
            slot.resolved = true
            let continuation = slot.continuation
            slot.continuation = nil
            if continuation == nil { slot.early = result }
            let onResolved = slot.onResolved
            slot.onResolved = nil
            return (true, continuation, onResolved)
        }
        continuation?.resume(with: result)
        onResolved?()
        return first
    }

    /// Runs `action` once a result was delivered (at once if it already was).
    func whenResolved(_ action: @escaping @Sendable () -> Void) {
        let runNow = slot.withLock { slot -> Bool in
            guard !slot.resolved else { return true }
            slot.onResolved = action
            return false
        }
        if runNow { action() }
    }
}
