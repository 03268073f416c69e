import ServiceLifecycle
import Synchronization

/// Lets code outside the running service group (tests, an admin action) ask for the same graceful
/// shutdown that SIGTERM starts.
final class ShutdownHandle: Sendable {
    private let state = Mutex<(group: ServiceGroup?, requested: Bool)>((nil, false))

    func attach(_ group: ServiceGroup) async {
        let requestedEarly = state.withLock { state -> Bool in
            state.group = group
            return state.requested
        }
        if requestedEarly { await group.triggerGracefulShutdown() }
    }

    func trigger() async {
        let group = state.withLock { state -> ServiceGroup? in
            state.requested = true
            return state.group
        }
        await group?.triggerGracefulShutdown()
    }
}
