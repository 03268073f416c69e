import DemoTraffic
import Foundation
import Ingest
import Logging
import SkeinApp
import TraceModel
import XCTest

/// The whole path on a real server: OTLP and Zipkin in, embedded PostgreSQL underneath, the Jaeger
/// API and pages out.
final class ServeEndToEndTests: XCTestCase {
    private func demoTraces(_ count: Int, seed: UInt64 = 7) -> [[Span]] {
        var configuration = DemoConfiguration()
        configuration.seed = seed
        return DemoTrafficGenerator(configuration: configuration, logger: Logger(label: "test")).makeTraces(count: count)
    }

    func testDemoTracesPostedOverOTLPAreSearchableAndRenderAsWaterfalls() async throws {
        try await withRunningSkein { skein in
            let traces = demoTraces(30)
            let body = try OTLPTraceCodec.encodeProtobuf(traces.flatMap { $0 })
            let response = try await skein.post(port: skein.otlp, path: "/v1/traces", body: Data(body), contentType: "application/x-protobuf")
            XCTAssertEqual(response.status, 200)

            // Acknowledged means committed: everything is readable at once.
            let services = try await skein.getJSON("/api/services")["data"] as? [String] ?? []
            let sentServices = Set(traces.flatMap { $0.map(\.serviceName) })
            XCTAssertEqual(Set(services), sentServices)

            let trace = try XCTUnwrap(traces.max { $0.count < $1.count })
            let traceID = trace[0].traceID.hex
            let byID = try await skein.getJSON("/api/traces/\(traceID)")
            let data = try XCTUnwrap(byID["data"] as? [[String: Any]])
            XCTAssertEqual((data.first?["spans"] as? [Any])?.count, trace.count)

            let root = try XCTUnwrap(trace.first { $0.parentSpanID == nil })
            let search = try await skein.get("/search?service=\(root.serviceName)&lookback=7d&limit=100")
            XCTAssertEqual(search.status, 200)
            XCTAssertTrue(String(decoding: search.body, as: UTF8.self).contains(traceID))

            let page = try await skein.get("/trace/\(traceID)")
            XCTAssertEqual(page.status, 200)
            let html = String(decoding: page.body, as: UTF8.self)
            for span in trace { XCTAssertTrue(html.contains(span.spanID.hex), "waterfall lacks span \(span.name)") }
        }
    }

    func testZipkinSpansAreAcceptedAndReadBack() async throws {
        try await withRunningSkein { skein in
            let now = UInt64(Date().timeIntervalSince1970 * 1_000_000)
            let zipkin = """
            [{"traceId":"5af7183fb1d4cf5f","id":"6b221d5bc9e6496c","name":"get /api","kind":"SERVER",
              "timestamp":\(now),"duration":1500,"localEndpoint":{"serviceName":"zipkin-svc"},
              "tags":{"http.method":"GET"}}]
            """
            let response = try await skein.post(port: skein.zipkin, path: "/api/v2/spans", body: Data(zipkin.utf8), contentType: "application/json")
            XCTAssertEqual(response.status, 202)
            let trace = try await skein.getJSON("/api/traces/00000000000000005af7183fb1d4cf5f")
            let spans = try XCTUnwrap((trace["data"] as? [[String: Any]])?.first?["spans"] as? [[String: Any]])
            XCTAssertEqual(spans.first?["operationName"] as? String, "get /api")
        }
    }

    func testMalformedBodiesAreRefusedAndTheServerKeepsServing() async throws {
        try await withRunningSkein { skein in
            let garbage = try await skein.post(port: skein.otlp, path: "/v1/traces", body: Data([0xff, 0xff, 0xff, 0x01]), contentType: "application/x-protobuf")
            XCTAssertEqual(garbage.status, 400)
            let badJSON = try await skein.post(port: skein.otlp, path: "/v1/traces", body: Data("{not json".utf8), contentType: "application/json")
            XCTAssertEqual(badJSON.status, 400)
            let unknownType = try await skein.post(port: skein.otlp, path: "/v1/traces", body: Data("x".utf8), contentType: "text/plain")
            XCTAssertEqual(unknownType.status, 415)
            let huge = try await skein.post(port: skein.otlp, path: "/v1/traces", body: Data(count: 17 * 1024 * 1024), contentType: "application/x-protobuf")
            XCTAssertEqual(huge.status, 413)

            let ready = try await skein.get("/readyz")
            XCTAssertEqual(ready.status, 200)
            let good = try OTLPTraceCodec.encodeProtobuf(demoTraces(1)[0])
            let accepted = try await skein.post(port: skein.otlp, path: "/v1/traces", body: Data(good), contentType: "application/x-protobuf")
            XCTAssertEqual(accepted.status, 200)
        }
    }

    /// `serve --demo` with an OTLP port already taken: the demo's wait for a listener that never
    /// binds must end with the shutdown rather than hold the process up forever.
    func testWaitingForAListenerThatNeverBindsEndsWhenCancelled() async throws {
        let ports = ListenerPorts()
        let wait = Task { try await ports.port(of: .otlpHTTP) }
        try await Task.sleep(for: .milliseconds(50))
        wait.cancel()
        do {
            let port = try await wait.value
            XCTFail("got port \(port) from a listener that never bound")
        } catch {
            XCTAssertTrue(error is CancellationError, "\(error)")
        }
    }

    func testMigrateWorksWhileServeRunsOnTheSameDataFolder() async throws {
        try await withRunningSkein { skein in
            var logger = Logger(label: "migrate")
            logger.logLevel = .warning
            let applied = try await migrateDatabase(url: nil, dataDirectory: skein.dataDirectory, resourcesDirectory: nil, logger: logger)
            XCTAssertEqual(applied, [], "serve already applied every migration")
            let ready = try await skein.get("/readyz")
            XCTAssertEqual(ready.status, 200, "migrate must not stop the server's database")
        }
    }
}
