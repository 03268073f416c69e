import Foundation
import Logging
import SkeinApp
import TraceModel
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real Skein (embedded PostgreSQL, every listener on a free loopback port) for one test.
/// Works from XCTest and Swift Testing alike: helpers throw instead of asserting.
final class RunningSkein: Sendable {
    let server: SkeinServer
    let task: Task<Void, any Error>
    let ui: Int
    let otlp: Int
    let zipkin: Int
    let dataDirectory: String

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
        configure(&configuration)
        let server = try await buildApplication(configuration: configuration, logger: logger)
        let task = Task { try await server.run() }
        return RunningSkein(
            server: server, task: task,
            ui: try await server.ports.port(of: .ui),
            otlp: try await server.ports.port(of: .otlpHTTP),
            zipkin: try await server.ports.port(of: .zipkin),
            dataDirectory: dataDirectory)
    }

    private init(server: SkeinServer, task: Task<Void, any Error>, ui: Int, otlp: Int, zipkin: Int, dataDirectory: String) {
        self.server = server
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

    func get(_ path: String) async throws -> (status: Int, body: Data, contentType: String) {
        let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(ui)\(path)"))
        let (data, response) = try await URLSession.shared.data(from: url)
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
