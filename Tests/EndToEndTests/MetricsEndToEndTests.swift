import DemoTraffic
import Foundation
import Ingest
import Logging
import Storage
import TraceModel
import Web
import XCTest

@testable import SkeinApp

/// Skein watching itself on a real server: `/metrics` counts what was sent and how the API was
/// used, `/admin/ingest` shows the same figures, and `/readyz` names pending migrations.
final class MetricsEndToEndTests: XCTestCase {
    private func demoTraces(_ count: Int) -> [[Span]] {
        var configuration = DemoConfiguration()
        configuration.seed = 11
        return DemoTrafficGenerator(configuration: configuration, logger: Logger(label: "test")).makeTraces(count: count)
    }

    func testMetricsCountAcceptedSpansAndQueryLatencyByRouteAndTheAdminPageShowsThem() async throws {
        try await withRunningSkein { skein in
            let traces = demoTraces(12)
            let spans = traces.flatMap { $0 }
            let body = try OTLPTraceCodec.encodeProtobuf(spans)
            let sent = try await skein.post(port: skein.otlp, path: "/v1/traces", body: Data(body), contentType: "application/x-protobuf")
            XCTAssertEqual(sent.status, 200)
            let traceID = traces[0][0].traceID.hex
            let trace = try await skein.get("/api/traces/\(traceID)")
            XCTAssertEqual(trace.status, 200)

            let scrape = try await skein.get("/metrics")
            XCTAssertEqual(scrape.status, 200)
            XCTAssertEqual(scrape.contentType, "text/plain; version=0.0.4; charset=utf-8")
            let exposition = String(decoding: scrape.body, as: UTF8.self)
            XCTAssertTrue(exposition.contains(#"skein_spans_accepted_total{protocol="otlp_http"} \#(spans.count)"#), exposition)
            let metrics = PrometheusText(exposition)
            XCTAssertEqual(metrics.sum("skein_spans_received_total", matching: ["protocol": "otlp_http"]), Double(spans.count))
            XCTAssertEqual(metrics.sum("skein_traces_received_total", matching: ["protocol": "otlp_http"]), Double(traces.count))

            let traceRoute = ["listener": "ui", "endpoint": "/api/traces/{traceId}", "status_class": "2xx"]
            XCTAssertEqual(metrics.sum("skein_http_requests_total", matching: traceRoute), 1)
            XCTAssertEqual(metrics.histogram("skein_http_request_duration_seconds", matching: traceRoute)?.count, 1)
            XCTAssertEqual(
                metrics.sum("skein_http_requests_total", matching: ["listener": "otlp_http", "endpoint": "/v1/traces", "status_class": "2xx"]), 1)
            XCTAssertFalse(exposition.contains(traceID), "the raw path never becomes a label")

            XCTAssertGreaterThan(metrics.sum("skein_process_resident_memory_bytes") ?? 0, 1_000_000)
            XCTAssertGreaterThan(metrics.sum("skein_process_start_time_seconds") ?? 0, 1_700_000_000)
            XCTAssertLessThanOrEqual(metrics.sum("skein_process_start_time_seconds") ?? .infinity, Date().timeIntervalSince1970)
            XCTAssertEqual(metrics.samples(named: "skein_build_info").first?.labels["version"], TelemetryProcessMetrics.version)
            XCTAssertGreaterThan(metrics.sum("skein_db_pool_connections_max") ?? 0, 0)
            XCTAssertEqual(metrics.sum("skein_db_queries_in_flight"), 0, "no read is running while /metrics answers")

            let page = try await skein.get("/admin/ingest")
            XCTAssertEqual(page.status, 200)
            let html = String(decoding: page.body, as: UTF8.self)
            XCTAssertTrue(html.contains(#"<td class="num accepted">\#(spans.count)</td>"#), "the page shows the accepted count")
            XCTAssertTrue(html.contains("<code>/api/traces/{traceId}</code>"))
            XCTAssertTrue(html.contains("<dt>Storage available</dt><dd>yes</dd>"))

            let ready = try await skein.get("/readyz")
            XCTAssertEqual(ready.status, 200)
            XCTAssertEqual(String(decoding: ready.body, as: UTF8.self), "ready")
        }
    }

    func testReadinessNamesMigrationFilesTheDatabaseHasNotApplied() async throws {
        try await withRunningSkein { skein in
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("skein-migrations-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: folder) }
            let shipped = try ResourceLocator(explicit: nil).migrations
            for name in try FileManager.default.contentsOfDirectory(atPath: shipped) where name.hasSuffix(".sql") {
                try FileManager.default.copyItem(atPath: shipped + "/" + name, toPath: folder.path + "/" + name)
            }
            let database = skein.server.database
            let logger = Logger(label: "readiness-test")
            func readiness(_ directory: String) -> TelemetryReadiness {
                TelemetryReadiness(
                    store: database.traceStore,
                    migrations: MigrationRunner(client: database.client, directory: directory, logger: logger), logger: logger)
            }
            let upToDate = await readiness(folder.path).check()
            XCTAssertEqual(upToDate, .ready)

            try Data("SELECT 1;".utf8).write(to: folder.appendingPathComponent("9998_future_change.sql"))
            try Data("SELECT 1;".utf8).write(to: folder.appendingPathComponent("9999_later_change.sql"))
            let pending = await readiness(folder.path).check()
            XCTAssertEqual(pending.problems, ["migrations pending: 9998_future_change.sql, 9999_later_change.sql"])
        }
    }
}
