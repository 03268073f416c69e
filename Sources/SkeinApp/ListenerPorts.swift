import Synchronization

/// The ports the listeners actually bound (they differ from the configuration when it asked for port 0).
public final class ListenerPorts: Sendable {
    /// The listeners Skein runs.
    public enum Listener: String, Sendable, CaseIterable {
        case ui, otlpHTTP, otlpGRPC, zipkin
    }

    private struct Waiter {
        let id: UInt64
        let listener: Listener
        let continuation: CheckedContinuation<Int, any Error>
    }

    private struct State {
        var ports: [Listener: Int] = [:]
        var waiters: [Waiter] = []
        var nextWaiterID: UInt64 = 0
    }

    private let state = Mutex(State())

    public init() {}

    func record(_ listener: Listener, port: Int) {
        let ready = state.withLock { state -> [Waiter] in
            state.ports[listener] = port
            let matching = state.waiters.filter { $0.listener == listener }
            state.waiters.removeAll { $0.listener == listener }
            return matching
        }
        for waiter in ready { waiter.continuation.resume(returning: port) }
    }

    /// Waits until the listener is accepting connections and returns its port. Throws
    /// `CancellationError` when the task is cancelled first: a listener that failed to bind never
    /// reports, and the wait must not hold up the shutdown that follows.
    public func port(of listener: Listener) async throws -> Int {
        let id = state.withLock { state -> UInt64 in
            state.nextWaiterID += 1
            return state.nextWaiterID
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let known = state.withLock { state -> Result<Int, any Error>? in
                    if let port = state.ports[listener] { return .success(port) }
                    if Task.isCancelled { return .failure(CancellationError()) }
                    state.waiters.append(Waiter(id: id, listener: listener, continuation: continuation))
                    return nil
                }
                if let known { continuation.resume(with: known) }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Waiter? in
                guard let index = state.waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }
}
