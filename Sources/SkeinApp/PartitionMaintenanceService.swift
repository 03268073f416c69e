import Logging
import ServiceLifecycle
import Storage
import TraceModel

/// Creates the coming days' span partitions ahead of time, hourly. `buildApplication` already
/// created them once before any listener started, so the first round waits an interval.
struct PartitionMaintenanceService: Service {
    let store: PostgresTraceStore
    let logger: Logger
    var interval: Duration = .seconds(3600)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    try await store.ensurePartitions(around: WallClock.unixNanos())
                } catch {
                    logger.warning("could not create upcoming partitions; will retry", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
