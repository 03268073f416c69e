import Accounts
import Foundation
import Logging
import SkeinApp
import Storage
import TraceModel
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real Skein (embedded PostgreSQL, every listener on a free loopback port) for one test.
/// Works from XCTest and Swift Testing alike: helpers throw instead of asserting.
/// Every server gets an admin (`adminName`) with a signed-in session, and `get` sends its session
/// cookie, so pages and the Jaeger API answer as they do for a signed-in admin.
final class RunningSkein: Sendable {
    static let adminName = "e2e-admin"
    static let adminPassword = "end to end admin passphrase"
    let server: SkeinServer
    let task: Task<Void, any Error>
    let ui: Int
    let otlp: Int
    let zipkin: Int
    let dataDirectory: String
    /// `Cookie` header value of the admin's session.
    let sessionCookie: String

    /// A request answered with a status the helper did not expect.
    struct UnexpectedStatus: Error, CustomStringConvertible {
        let path: String
        let status: Int
        let body: String
        var description: String { "\(path) answered \(status): \(body)" }
    }

    /// Starts a server on a new data folder, or on `dataDirectory` (say, one a stopped server
    /// left with `stop(removingData: false)`); `configure` adjusts its configuration.
    static func start(
        dataDirectory: String? = nil, configure: (inout SkeinConfiguration) -> Void = { _ in }
    ) async throws -> RunningSkein {
        let dataDirectory = dataDirectory
            ?? FileManager.default.currentDirectoryPath + "/.build/e2e-skein/" + UUID().uuidString.prefix(8)
        var logger = Logger(label: "skein-e2e")
        logger.logLevel = .warning
        var configuration = SkeinConfiguration(
            dataDirectory: dataDirectory, bindHost: "127.0.0.1", uiPort: 0, otlpHTTPPort: 0, otlpGRPCPort: 0, zipkinPort: 0)
        configuration.passwordHashCost = 4
        configure(&configuration)
        let server = try await buildApplication(configuration: configuration, logger: logger)
        let task = Task { try await server.run() }
        let sessionCookie = try await signInAdmin(database: server.database, logger: logger)
        return RunningSkein(
            server: server, task: task, sessionCookie: sessionCookie,
            ui: try await server.ports.port(of: .ui),
            otlp: try await server.ports.port(of: .otlpHTTP),
            zipkin: try await server.ports.port(of: .zipkin),
            dataDirectory: dataDirectory)
    }

    /// Creates the admin (unless a previous server on this data folder did) and a session for it
    /// in the account store, as `/login` would; returns the `Cookie` header value.
    private static func signInAdmin(database: Database, logger: Logger) async throws -> String {
        let store = PostgresAccountStore(client: database.client, logger: logger)
        let admin: User
        if let existing = try await store.user(named: adminName) {
            admin = existing
        } else {
            admin = User(
                name: adminName, displayName: "End-to-end admin",
                passwordHash: await PasswordHasher(cost: 4).hash(adminPassword), roleIDs: [Role.admin.id])
            try await store.createUser(admin)
        }
        let secret = SecretToken.generate(.session)
        try await store.createSession(Session(idHash: secret.hash, userID: admin.id, createdAt: Date()))
        return "skein_session=\(secret.value)"
    }

    /// A URL session that neither stores nor sends cookies by itself: every server of the test
    /// process listens on 127.0.0.1, and cookies do not tell ports apart.
    static let http: URLSession = {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieAcceptPolicy = .never
        configuration.httpShouldSetCookies = false
        configuration.httpCookieStorage = nil
        return URLSession(configuration: configuration)
    }()

    private init(
        server: SkeinServer, task: Task<Void, any Error>, sessionCookie: String, ui: Int, otlp: Int, zipkin: Int, dataDirectory: String
    ) {
        self.server = server
        self.sessionCookie = sessionCookie
        self.task = task
        self.ui = ui
        self.otlp = otlp
        self.zipkin = zipkin
        self.dataDirectory = dataDirectory
    }

    /// Stops the server gracefully (as SIGTERM does) and its embedded PostgreSQL, and removes its
    /// data folder unless told to keep it.
    func stop(removingData: Bool = true) async throws {
        await server.shutDown()
        try await task.value
        if removingData { try? FileManager.default.removeItem(atPath: dataDirectory) }
    }

    /// Stops the embedded PostgreSQL under the running server (an outage drill).
    func stopDatabase() async throws {
        try await server.database.stopEmbeddedServer()
    }

    /// Starts the embedded PostgreSQL again; the running server is expected to find it by itself.
    func startDatabase() async throws {
        try await server.database.startEmbeddedServer()
    }

    /// The traces of `ids` that `/api/traces/{id}` does not return whole (`spansEach` spans), each
    /// described as `id: status, n spans`; empty when every one is stored.
    func tracesNotStoredWhole(_ ids: [TraceID], spansEach: Int) async throws -> [String] {
        var missing: [String] = []
        for traceID in ids {
            let (status, body, _) = try await get("/api/traces/\(traceID.hex)")
            let json = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
            let spans = ((json?["data"] as? [[String: Any]])?.first?["spans"] as? [Any])?.count ?? 0
            if status != 200 || spans != spansEach { missing.append("\(traceID.hex): \(status), \(spans) spans") }
        }
        return missing
    }

    /// GETs `path` on the UI port with the admin's session cookie, or with `cookie` when given
    /// (`""` for an anonymous request).
    func get(_ path: String, cookie: String? = nil) async throws -> (status: Int, body: Data, contentType: String) {
        var request = URLRequest(url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(ui)\(path)")))
        let cookie = cookie ?? sessionCookie
        if !cookie.isEmpty { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        let (data, response) = try await Self.http.data(for: request)
        let http = try XCTUnwrap(response as? HTTPURLResponse)
        return (http.statusCode, data, http.value(forHTTPHeaderField: "Content-Type") ?? "")
    }

    /// POSTs `body`; `timeout` bounds the wait for the answer (URLSession's default is 60 s).
    func post(
        port: Int, path: String, body: Data, contentType: String, headers: [String: String] = [:],
        timeout: TimeInterval = 60
    ) async throws -> (status: Int, body: Data, retryAfter: String?) {
        var request = URLRequest(url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)\(path)")))
        request.httpMethod = "POST"
        request.timeoutInterval = timeout
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.upload(for: request, from: body)
        let http = try XCTUnwrap(response as? HTTPURLResponse)
        return (http.statusCode, data, http.value(forHTTPHeaderField: "Retry-After"))
    }

    /// GETs `path` on the UI port, throws `UnexpectedStatus` unless it answers 200, and parses the JSON object.
    func getJSON(_ path: String) async throws -> [String: Any] {
        let (status, body, _) = try await get(path)
        guard status == 200 else { throw UnexpectedStatus(path: path, status: status, body: String(decoding: body, as: UTF8.self)) }
        return try XCTUnwrap(JSONSerialization.jsonObject(with: body) as? [String: Any])
    }
}

/// Runs `body` against a fresh server and always stops it afterwards.
func withRunningSkein(
    configure: (inout SkeinConfiguration) -> Void = { _ in }, _ body: (RunningSkein) async throws -> Void
) async throws {
    let skein = try await RunningSkein.start(configure: configure)
    do {
        try await body(skein)
    } catch {
        try await skein.stop()
        throw error
    }
    try await skein.stop()
}

/// Polls `condition` until it holds or `limit` passed; returns whether it held. The limit only
/// keeps a broken test from hanging: tests assert on the condition, never on time.
func eventually(within limit: Duration = .seconds(60), every pause: Duration = .milliseconds(50), _ condition: () async -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + limit
    while ContinuousClock.now < deadline {
        if await condition() { return true }
        try? await Task.sleep(for: pause)
    }
    return await condition()
}
