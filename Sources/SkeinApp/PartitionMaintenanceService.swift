import Foundation
import Logging
import ServiceLifecycle
import Storage

/// Creates the coming days' span partitions ahead of time, once at start and then hourly.
struct PartitionMaintenanceService: Service {
    let store: PostgresTraceStore
    let logger: Logger
    var interval: Duration = .seconds(3600)

    func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await store.ensurePartitions(around: UInt64(Date().timeIntervalSince1970 * 1e9))
                } catch {
                    logger.warning("could not create upcoming partitions; will retry", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
    }
}
