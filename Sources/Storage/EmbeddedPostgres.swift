import Foundation
import Logging
import PostgresNIO
import Synchronization

/// Runs Skein's own PostgreSQL server from the installed binaries, in a data folder of its own.
///
/// `start()` initialises the cluster on first use (`initdb`), starts it on a private unix socket
/// (no TCP port) and creates the `skein` database. When a server is already running on the same
/// data folder (say `skein serve` while `skein migrate` runs) it is reused, and `stop()` leaves it
/// running. As root, the server programs run as the `postgres` system user (else `nobody`),
/// because PostgreSQL refuses to run as root.
public struct EmbeddedPostgres: Sendable {
    /// The data folder as given; the cluster lives in `<dataDirectory>/postgres`.
    public let dataDirectory: String
    private let logger: Logger
    private let environment: [String: String]
    private let maxConnections: Int
    private let state = LaunchState()

    public static let username = "skein"
    public static let databaseName = "skein"

    public init(dataDirectory: String, logger: Logger) {
        self.init(dataDirectory: dataDirectory, logger: logger, environment: ProcessInfo.processInfo.environment)
    }

    /// `environment` is consulted for `SKEIN_POSTGRES_BIN` and `PATH` (for `pg_config`).
    /// `maxConnections` is PostgreSQL's `max_connections` when this call starts the server (a
    /// shared test server holds many small pools at once); a server already running keeps its own.
    public init(dataDirectory: String, logger: Logger, environment: [String: String], maxConnections: Int = 200) {
        self.dataDirectory = dataDirectory
        self.logger = logger
        self.environment = environment
        self.maxConnections = maxConnections
    }

    /// Starts (or reuses) the server and returns how to reach the `skein` database.
    public func start() async throws -> DatabaseEndpoint {
        if let running = state.current {
            return running.endpoint
        }
        let launch = try await Self.offloaded { [self] in try self.launch() }
        do {
            try await createSkeinDatabaseIfMissing(launch.endpoint)
        } catch {
            if launch.startedHere { try? await Self.offloaded { try launch.stop() } }
            throw error
        }
        state.current = launch
        logger.info("PostgreSQL is ready", metadata: ["socket": "\(launch.socketPath)", "reused": "\(!launch.startedHere)"])
        return launch.endpoint
    }

    /// Stops the server if this instance started it (`pg_ctl stop -m fast`); a reused server keeps running.
    public func stop() async throws {
        guard let launch = state.take() else { return }
        guard launch.startedHere else {
            logger.debug("leaving the shared PostgreSQL server running", metadata: ["cluster": "\(launch.layout.clusterDirectory)"])
            return
        }
        logger.info("stopping PostgreSQL", metadata: ["cluster": "\(launch.layout.clusterDirectory)"])
        try await Self.offloaded { try launch.stop() }
    }

    /// True when this instance started the server it is connected to (and so will stop it).
    public var ownsServer: Bool {
        state.current?.startedHere ?? false
    }

    // MARK: - Launching (blocking; runs on its own thread)

    private func launch() throws -> Launch {
        let binaries = try PostgresBinaries.locate(environment: environment)
        let serverUser = try Self.serverUserIfRoot()
        let runner = ProcessRunner(runAsUser: serverUser)

        let absoluteData = EmbeddedPostgresLayout.absolutePath(dataDirectory)
        try createDirectory(absoluteData)
        let (layout, relocated) = EmbeddedPostgresLayout.make(
            dataDirectory: absoluteData,
            serverUser: serverUser,
            serverUserCanReach: { folder in (try? runner.run("test", ["-x", folder]))?.succeeded ?? false }
        )
        if relocated, let serverUser {
            logger.notice(
                "the PostgreSQL server user cannot reach the data folder, so the cluster lives elsewhere",
                metadata: ["user": "\(serverUser)", "dataDirectory": "\(absoluteData)", "cluster": "\(layout.clusterDirectory)"]
            )
        }
        try createDirectory(layout.clusterRoot)

        let lock = try StartLock(path: layout.lockFile)
        defer { lock.release() }

        let cluster = layout.clusterDirectory
        let startedHere: Bool
        if isRunning(layout: layout, binaries: binaries, runner: runner) {
            logger.info("reusing the PostgreSQL server already running", metadata: ["cluster": "\(cluster)"])
            startedHere = false
        } else {
            if !FileManager.default.fileExists(atPath: "\(cluster)/PG_VERSION") {
                try initialise(layout: layout, binaries: binaries, runner: runner)
            }
            try startServer(layout: layout, binaries: binaries, runner: runner)
            startedHere = true
        }
        let socketPath = try Self.socketPath(ofRunningCluster: cluster)
        return Launch(layout: layout, binaries: binaries, runner: runner, socketPath: socketPath, startedHere: startedHere)
    }

    private func isRunning(layout: EmbeddedPostgresLayout, binaries: PostgresBinaries, runner: ProcessRunner) -> Bool {
        guard FileManager.default.fileExists(atPath: "\(layout.clusterDirectory)/postmaster.pid") else { return false }
        // A stale postmaster.pid (its process gone) makes pg_ctl say "no server running".
        let status = try? runner.run(binaries.pgCtl, ["status", "-D", layout.clusterDirectory])
        return status?.exitCode == 0
    }

    private func initialise(layout: EmbeddedPostgresLayout, binaries: PostgresBinaries, runner: ProcessRunner) throws {
        let cluster = layout.clusterDirectory
        logger.info("initialising database in \(cluster) (first run; this takes a few seconds)")
        try createDirectory(cluster, permissions: 0o700, owner: layout.serverUser)
        do {
            try runner.runChecked(binaries.initdb, [
                "-D", cluster, "-U", Self.username, "--auth=trust", "-E", "UTF8", "--locale=C",
            ])
        } catch let failure as ProcessRunner.Failure {
            throw EmbeddedPostgresError(message: "could not initialise a PostgreSQL cluster in \(cluster): \(failure)")
        }
    }

    private func startServer(layout: EmbeddedPostgresLayout, binaries: PostgresBinaries, runner: ProcessRunner) throws {
        try createDirectory(layout.socketDirectory, permissions: 0o700, owner: layout.serverUser)
        if !FileManager.default.fileExists(atPath: layout.logFile) {
            _ = FileManager.default.createFile(atPath: layout.logFile, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        if let user = layout.serverUser { try Self.changeOwner(of: layout.logFile, to: user) }

        let settings = [
            "-c listen_addresses=''",
            "-k \(Self.shellQuoted(layout.socketDirectory))",
            "-c unix_socket_permissions=0700",
            "-c shared_buffers=128MB",
            "-c max_connections=\(maxConnections)",
            "-c fsync=on",
            // Ingest acknowledges spans only once they are durable.
            "-c synchronous_commit=on",
            // Skein's statements are short: compiling them with LLVM costs more than it saves
            // (about half a second for an aggregate over a day of spans).
            "-c jit=off",
            // Sustained ingest writes tens of MB of WAL a second: room for 4 GB between
            // checkpoints means fewer full-page images, and keeping 1 GB of old segments to recycle
            // spares creating and zero-filling new ones (11 % of a writing backend's CPU in the
            // ingest profile). Durability is unchanged.
            "-c max_wal_size=4GB",
            "-c min_wal_size=1GB",
        ].joined(separator: " ")
        logger.info("starting PostgreSQL", metadata: ["cluster": "\(layout.clusterDirectory)", "log": "\(layout.logFile)"])
        do {
            try runner.runChecked(binaries.pgCtl, [
                "start", "-w", "-t", "120", "-D", layout.clusterDirectory, "-l", layout.logFile, "-o", settings,
            ])
        } catch let failure as ProcessRunner.Failure {
            let logTail = Self.tail(ofFile: layout.logFile, lines: 15)
            throw EmbeddedPostgresError(message: """
                PostgreSQL did not start (cluster \(layout.clusterDirectory)): \(failure)
                Last lines of \(layout.logFile):
                \(logTail)
                """)
        }
    }

    /// Reads the socket folder and port from `postmaster.pid`, so a server started with other
    /// settings (an older Skein, another data-folder layout) is still found.
    static func socketPath(ofRunningCluster cluster: String) throws -> String {
        let pidFile = "\(cluster)/postmaster.pid"
        guard let text = try? String(contentsOfFile: pidFile, encoding: .utf8) else {
            throw EmbeddedPostgresError(message: "PostgreSQL is running but \(pidFile) cannot be read")
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Line 4 is the port, line 5 the socket folders (comma-separated).
        guard lines.count >= 5, let port = Int(lines[3].trimmingCharacters(in: .whitespaces)),
              let directory = lines[4].split(separator: ",").first.map({ $0.trimmingCharacters(in: .whitespaces) }),
              !directory.isEmpty
        else {
            throw EmbeddedPostgresError(message: "the PostgreSQL server of \(cluster) listens on no unix socket; stop it and start Skein again")
        }
        return "\(directory)/.s.PGSQL.\(port)"
    }

    // MARK: - The skein database

    private func createSkeinDatabaseIfMissing(_ endpoint: DatabaseEndpoint) async throws {
        guard case .unixSocket(let path) = endpoint.address else { return }
        let configuration = PostgresConnection.Configuration(
            unixSocketPath: path, username: Self.username, password: nil, database: "postgres"
        )
        let connection = try await connectWhenReady(configuration, socketPath: path)
        do {
            let rows = try await connection.query(
                "SELECT 1 FROM pg_database WHERE datname = \(Self.databaseName)", logger: logger
            ).collect()
            if rows.isEmpty {
                logger.info("creating database \(Self.databaseName)")
                do {
                    try await connection.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(Self.databaseName)"), logger: logger)
                } catch let error as PSQLError where error.serverInfo?[.sqlState] == "42P04" {
                    // Created meanwhile by another process starting on the same folder.
                }
            }
        } catch {
            try? await connection.close()
            let detail = (error as? PSQLError)?.serverInfo?[.message] ?? String(reflecting: error)
            throw EmbeddedPostgresError(message: "cannot create the \(Self.databaseName) database on \(path): \(detail)")
        }
        try? await connection.close()
    }

    /// Connects to the maintenance database, waiting up to ten seconds: a reused server may still
    /// be starting up.
    private func connectWhenReady(_ configuration: PostgresConnection.Configuration, socketPath: String) async throws -> PostgresConnection {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
            } catch {
                guard attempt < 40 else {
                    let detail = (error as? PSQLError)?.serverInfo?[.message] ?? String(reflecting: error)
                    throw EmbeddedPostgresError(message: "cannot connect to PostgreSQL on \(socketPath): \(detail)")
                }
                try await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    // MARK: - Helpers

    /// Moves blocking work (child processes, file locks) off the cooperative thread pool.
    private static func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                continuation.resume(with: Result { try work() })
            }
        }
    }

    private static func serverUserIfRoot() throws -> String? {
        guard geteuid() == 0 else { return nil }
        for candidate in ["postgres", "nobody"] where getpwnam(candidate) != nil {
            return candidate
        }
        throw EmbeddedPostgresError(message: """
            PostgreSQL refuses to run as root and neither a 'postgres' nor a 'nobody' user exists. \
            Create one (`useradd --system postgres`), run Skein as an ordinary user, or pass --database-url.
            """)
    }

    private func createDirectory(_ path: String, permissions: Int? = nil, owner: String? = nil) throws {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            if let permissions {
                try FileManager.default.setAttributes([.posixPermissions: permissions], ofItemAtPath: path)
            }
        } catch {
            throw EmbeddedPostgresError(message: "cannot create the folder \(path): \(error.localizedDescription)")
        }
        if let owner { try Self.changeOwner(of: path, to: owner) }
    }

    private static func changeOwner(of path: String, to user: String) throws {
        guard let entry = getpwnam(user) else {
            throw EmbeddedPostgresError(message: "the system user \(user) does not exist")
        }
        guard chown(path, entry.pointee.pw_uid, entry.pointee.pw_gid) == 0 else {
            throw EmbeddedPostgresError(message: "cannot give \(path) to the user \(user) (errno \(errno))")
        }
    }

    static func shellQuoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }

    private static func tail(ofFile path: String, lines count: Int) -> String {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return "(no log)" }
        return text.split(separator: "\n").suffix(count).joined(separator: "\n")
    }
}

extension EmbeddedPostgres {
    /// A server this instance is connected to.
    struct Launch: Sendable {
        var layout: EmbeddedPostgresLayout
        var binaries: PostgresBinaries
        var runner: ProcessRunner
        var socketPath: String
        var startedHere: Bool

        var endpoint: DatabaseEndpoint {
            DatabaseEndpoint(unixSocketPath: socketPath, username: EmbeddedPostgres.username, database: EmbeddedPostgres.databaseName)
        }

        func stop() throws {
            let cluster = layout.clusterDirectory
            let result: ProcessRunner.Result
            do {
                result = try runner.run(binaries.pgCtl, ["stop", "-D", cluster, "-m", "fast", "-w", "-t", "60"])
            } catch {
                throw EmbeddedPostgresError(message: "could not stop PostgreSQL (cluster \(cluster)): \(error)")
            }
            guard !result.succeeded else { return }
            // Already gone (stopped by hand, or crashed) is as good as stopped.
            let status = try? runner.run(binaries.pgCtl, ["status", "-D", cluster])
            guard status?.exitCode == 3 else {
                throw EmbeddedPostgresError(message: "could not stop PostgreSQL (cluster \(cluster)): \(result.output)")
            }
        }
    }

    /// The launch an `EmbeddedPostgres` value (and its copies) share.
    final class LaunchState: Sendable {
        private let launch = Mutex<Launch?>(nil)

        var current: Launch? {
            get { launch.withLock { $0 } }
            set { launch.withLock { $0 = newValue } }
        }

        func take() -> Launch? {
            launch.withLock { value in
                defer { value = nil }
                return value
            }
        }
    }

    /// An exclusive `flock` on the cluster's lock file, so two processes starting on the same data
    /// folder at once do not both run `initdb` or `pg_ctl start`.
    struct StartLock {
        private let descriptor: Int32

        init(path: String) throws {
            descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw EmbeddedPostgresError(message: "cannot open the lock file \(path) (errno \(errno))")
            }
            guard flock(descriptor, LOCK_EX) == 0 else {
                close(descriptor)
                throw EmbeddedPostgresError(message: "cannot lock \(path) (errno \(errno))")
            }
        }

        func release() {
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }
}
