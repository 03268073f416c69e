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
        await RepeatingWork(
            interval: interval, waitFirst: true, logger: logger, failureMessage: "could not create upcoming partitions; will retry"
        ).run {
            try await store.ensurePartitions(around: WallClock.unixNanos())
        }
    }
}
