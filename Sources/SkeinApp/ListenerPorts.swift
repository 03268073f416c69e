import Synchronization

/// The ports the listeners actually bound (they differ from the configuration when it asked for port 0).
public final class ListenerPorts: Sendable {
    /// The listeners Skein runs.
    public enum Listener: String, Sendable, CaseIterable {
        case ui, otlpHTTP, zipkin
    }

    private let state = Mutex<(ports: [Listener: Int], waiters: [(Listener, CheckedContinuation<Int, Never>)])>(([:], []))

    public init() {}

    func record(_ listener: Listener, port: Int) {
        let ready = state.withLock { state -> [CheckedContinuation<Int, Never>] in
            state.ports[listener] = port
            let matching = state.waiters.filter { $0.0 == listener }.map(\.1)
            state.waiters.removeAll { $0.0 == listener }
            return matching
        }
        for continuation in ready { continuation.resume(returning: port) }
    }

    /// Waits until the listener is accepting connections and returns its port.
    public func port(of listener: Listener) async -> Int {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> Int? in
                if let port = state.ports[listener] { return port }
                state.waiters.append((listener, continuation))
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }
}
