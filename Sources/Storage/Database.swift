import Logging
import PostgresNIO

/// Skein's database for one process: an external PostgreSQL named by URL, or the embedded one
/// in the data folder, with its connection pool running in the background.
public final class Database: Sendable {
    public let client: PostgresClient
    public let traceStore: PostgresTraceStore
    private let embedded: EmbeddedPostgres?
    private let poolTask: Task<Void, Never>
    private let logger: Logger

    private init(client: PostgresClient, embedded: EmbeddedPostgres?, logger: Logger) {
        self.client = client
        self.embedded = embedded
        self.logger = logger
        self.traceStore = PostgresTraceStore(client: client, logger: logger)
        self.poolTask = Task { await client.run() }
    }

    /// Connects to `url`, or starts (or joins) the embedded PostgreSQL under `dataDirectory`.
    public static func open(url: String?, dataDirectory: String, logger: Logger) async throws -> Database {
        if let url {
            let endpoint = try DatabaseEndpoint(url: url)
            let database = Database(client: PostgresClient(configuration: endpoint.clientConfiguration(), backgroundLogger: logger),
                                    embedded: nil, logger: logger)
            await database.letPoolStart()
            return database
        }
        let embedded = EmbeddedPostgres(dataDirectory: dataDirectory, logger: logger)
        let endpoint = try await embedded.start()
        let database = Database(client: PostgresClient(configuration: endpoint.clientConfiguration(), backgroundLogger: logger),
                                embedded: embedded, logger: logger)
        await database.letPoolStart()
        return database
    }

    /// postgres-nio warns when a query is leased before `run()` began; give the pool task a moment to start.
    private func letPoolStart() async {
        try? await Task.sleep(for: .milliseconds(20))
    }

    /// Applies pending migrations from `directory`; returns the names applied.
    public func migrate(directory: String) async throws -> [String] {
        try await MigrationRunner(client: client, directory: directory, logger: logger).migrate()
    }

    /// Stops the embedded PostgreSQL server while the pool keeps running: for outage drills and
    /// tests. Queries then wait for a connection (up to a minute, postgres-nio's circuit breaker)
    /// or fail until `startEmbeddedServer()`, so callers bound their waits (ingest's write timeout,
    /// `isReady`'s two seconds). The pool reconnects by itself afterwards, on its own backoff
    /// (growing to one minute): a 100 s outage was over 25 s after the server returned.
    /// Does nothing for an external database or a server this process did not start.
    public func stopEmbeddedServer() async throws {
        guard let embedded, embedded.ownsServer else { return }
        logger.notice("stopping the embedded PostgreSQL (outage drill)")
        try await embedded.stop()
    }

    /// Starts the embedded PostgreSQL server again after `stopEmbeddedServer()`, on the same data
    /// folder and socket, so the running pool finds it without a restart of Skein.
    public func startEmbeddedServer() async throws {
        guard let embedded else { return }
        let endpoint = try await embedded.start()
        logger.notice("started the embedded PostgreSQL again", metadata: ["endpoint": "\(endpoint.address)"])
    }

    /// Stops the pool, then the embedded server if this process started it.
    public func close() async {
        poolTask.cancel()
        await poolTask.value
        do {
            try await embedded?.stop()
        } catch {
            logger.error("could not stop the embedded PostgreSQL", metadata: ["error": "\(error)"])
        }
    }
}
