import Logging
import ServiceLifecycle

/// The loop of Skein's background services: `work` every `interval` until graceful shutdown,
/// either first or after the first wait. A failed round is logged and retried at the next one.
struct RepeatingWork {
    let interval: Duration
    /// Wait one interval before the first round (its work was already done at start-up).
    var waitFirst = false
    let logger: Logger
    /// What a failed round logs, before the error ("could not …; will retry").
    let failureMessage: Logger.Message

    func run(_ work: @escaping @Sendable () async throws -> Void) async {
        try? await cancelWhenGracefulShutdown {
            if waitFirst { try await Task.sleep(for: interval) }
            while !Task.isCancelled {
                do {
                    try await work()
                } catch {
                    logger.warning(failureMessage, metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
