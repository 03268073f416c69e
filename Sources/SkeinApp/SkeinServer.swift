import Hummingbird
import Logging
import ServiceLifecycle
import Storage

/// A fully wired Skein: its database and every long-lived service, ready to `run()`.
public struct SkeinServer: Sendable {
    public let configuration: SkeinConfiguration
    public let database: Database
    public let ports: ListenerPorts
    let services: [any Service]
    let logger: Logger

    /// Runs every listener and background service until SIGINT/SIGTERM (or task cancellation),
    /// then finishes in-flight requests and stops the database (the embedded one only if this
    /// process started it).
    public func run() async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        do {
            try await group.run()
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}
