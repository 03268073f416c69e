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
    private let shutdownHandle = ShutdownHandle()

    init(configuration: SkeinConfiguration, database: Database, ports: ListenerPorts, services: [any Service], logger: Logger) {
        self.configuration = configuration
        self.database = database
        self.ports = ports
        self.services = services
        self.logger = logger
    }

    /// Runs every listener and background service until SIGINT/SIGTERM (or task cancellation),
    /// then shuts down in reverse order of `services`: listeners stop accepting and finish their
    /// in-flight requests (which wait for their spans to commit), the ingest queue commits what it
    /// still holds, and last the database stops (the embedded one only if this process started it).
    public func run() async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: services.map { .init(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        await shutdownHandle.attach(group)
        do {
            try await group.run()
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }

    /// Starts the same graceful shutdown as SIGTERM: listeners stop accepting, in-flight requests
    /// finish, the ingest queue drains, then `run()` returns.
    public func shutDown() async {
        await shutdownHandle.trigger()
    }
}
