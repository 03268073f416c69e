import Foundation
import Logging
import SkeinApp
import XCTest

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A real Skein (embedded PostgreSQL, every listener on a free loopback port) for one test.
final class RunningSkein: Sendable {
    let server: SkeinServer
    let task: Task<Void, any Error>
    let ui: Int
    let otlp: Int
    let zipkin: Int
    let dataDirectory: String

    static func start() async throws -> RunningSkein {
        let dataDirectory = FileManager.default.currentDirectoryPath + "/.build/e2e-skein/" + UUID().uuidString.prefix(8)
        var logger = Logger(label: "skein-e2e")
        logger.logLevel = .warning
        let configuration = SkeinConfiguration(
            dataDirectory: dataDirectory, bindHost: "127.0.0.1", uiPort: 0, otlpHTTPPort: 0, otlpGRPCPort: 0, zipkinPort: 0)
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

    /// Stops the server (and its embedded PostgreSQL) and removes its data folder.
    func stop() async throws {
        await server.shutDown()
        try await task.value
        try? FileManager.default.removeItem(atPath: dataDirectory)
    }

    func get(_ path: String) async throws -> (status: Int, body: Data, contentType: String) {
        let url = try XCTUnwrap(URL(string: "http://127.0.0.1:\(ui)\(path)"))
        let (data, response) = try await URLSession.shared.data(from: url)
        let http = try XCTUnwrap(response as? HTTPURLResponse)
        return (http.statusCode, data, http.value(forHTTPHeaderField: "Content-Type") ?? "")
    }

    func post(port: Int, path: String, body: Data, contentType: String, headers: [String: String] = [:]) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: try XCTUnwrap(URL(string: "http://127.0.0.1:\(port)\(path)")))
        request.httpMethod = "POST"
        request.setValue(contentType, forHTTPHeaderField: "Content-Type")
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (data, response) = try await URLSession.shared.upload(for: request, from: body)
        return (try XCTUnwrap(response as? HTTPURLResponse).statusCode, data)
    }

    func getJSON(_ path: String) async throws -> [String: Any] {
        let (status, body, _) = try await get(path)
        XCTAssertEqual(status, 200, "GET \(path): \(String(decoding: body, as: UTF8.self))")
        return try XCTUnwrap(JSONSerialization.jsonObject(with: body) as? [String: Any])
    }
}

/// Runs `body` against a fresh server and always stops it afterwards.
func withRunningSkein(_ body: (RunningSkein) async throws -> Void) async throws {
    let skein = try await RunningSkein.start()
    do {
        try await body(skein)
    } catch {
        try await skein.stop()
        throw error
    }
    try await skein.stop()
}
