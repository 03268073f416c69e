import Logging
import PostgresNIO
import Storage

/// Short-lived PostgreSQL clients for the benchmark process itself (not the server under test).
public enum BenchPostgres {
    /// Runs `body` with a client to `endpoint` whose pool runs for exactly that long.
    public static func withClient<T: Sendable>(
        _ endpoint: DatabaseEndpoint, logger: Logger, _ body: (PostgresClient) async throws -> T
    ) async throws -> T {
        let client = PostgresClient(configuration: endpoint.clientConfiguration(), backgroundLogger: logger)
        let pool = Task { await client.run() }
        do {
            try await Task.sleep(for: .milliseconds(20))
            let result = try await body(client)
            pool.cancel()
            await pool.value
            return result
        } catch {
            pool.cancel()
            await pool.value
            throw error
        }
    }

    /// `SHOW server_version`.
    public static func serverVersion(_ client: PostgresClient, logger: Logger) async throws -> String? {
        for try await version in try await client.query("SHOW server_version", logger: logger).decode(String.self) {
            return version
        }
        return nil
    }

    /// The endpoint of the embedded PostgreSQL of a running server's data folder (it is joined,
    /// not started, and left running).
    public static func embeddedEndpoint(dataDirectory: String, logger: Logger) async throws -> DatabaseEndpoint {
        try await EmbeddedPostgres(dataDirectory: dataDirectory, logger: logger).start()
    }
}
