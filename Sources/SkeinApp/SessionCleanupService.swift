import Accounts
import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Deletes sessions that `SessionPolicy` has ended, every ten minutes, so the sessions table holds
/// only live sign-ins (an ended session is refused when presented in any case).
struct SessionCleanupService: Service {
    let store: any AccountStore
    let policy: SessionPolicy
    let logger: Logger
    var interval: Duration = .seconds(600)

    func run() async throws {
        await RepeatingWork(interval: interval, waitFirst: true, logger: logger, failureMessage: "could not remove ended sessions; will retry").run {
            let removed = try await store.deleteExpiredSessions(policy: policy, now: Date())
            if removed > 0 { logger.debug("removed ended sessions", metadata: ["count": "\(removed)"]) }
        }
    }
}
