import Intake
import Logging
import ServiceLifecycle

/// Runs the ingest write queue for the service group. On graceful shutdown (SIGTERM, SIGINT,
/// `SkeinServer.shutDown()`) it stops taking writes and returns only after everything already
/// queued was committed (or refused, if the database is gone), so what was acknowledged is stored.
///
/// Put it before the listeners in the group's services: the group stops services in reverse
/// order, so the listeners finish their in-flight requests (which wait on their commits) first.
struct IngestQueueService: Service {
    let queue: IngestQueue
    let logger: Logger

    func run() async throws {
        let queue = queue
        await withGracefulShutdownHandler {
            await queue.run()
        } onGracefulShutdown: {
            queue.finish()
        }
        logger.info("ingest queue drained and stopped")
    }
}
