import Accounts
import CoreMetrics
import Foundation
import Hummingbird
import HummingbirdTesting
import Intake
import Logging
import Prometheus
import Testing
@testable import Web

/// The admin ingest-health page: the figures of the `/metrics` exposition, as tables.
@Suite struct IngestHealthPageTests {
    static let exposition = """
        # TYPE skein_spans_received_total counter
        skein_spans_received_total{protocol="otlp_http"} 120
        skein_spans_received_total{protocol="zipkin"} 8
        # TYPE skein_spans_accepted_total counter
        skein_spans_accepted_total{protocol="otlp_http"} 110
        skein_spans_accepted_total{protocol="zipkin"} 8
        # TYPE skein_spans_dropped_total counter
        skein_spans_dropped_total{protocol="otlp_http",reason="invalid_trace_id"} 4
        skein_spans_dropped_total{protocol="otlp_http",reason="rate_limited"} 6
        # TYPE skein_spans_altered_total counter
        skein_spans_altered_total{protocol="otlp_http",reason="truncated_attribute"} 3
        # TYPE skein_ingest_requests_refused_total counter
        skein_ingest_requests_refused_total{protocol="otlp_http",reason="rate_limited"} 2
        skein_ingest_requests_refused_total{protocol="zipkin",reason="undecodable"} 1
        # TYPE skein_ingest_queue_spans gauge
        skein_ingest_queue_spans 250
        # TYPE skein_ingest_queue_capacity_spans gauge
        skein_ingest_queue_capacity_spans 10000
        # TYPE skein_ingest_memory_reserved_bytes gauge
        skein_ingest_memory_reserved_bytes 3145728
        # TYPE skein_ingest_memory_budget_bytes gauge
        skein_ingest_memory_budget_bytes 268435456
        # TYPE skein_storage_available gauge
        skein_storage_available 0
        # TYPE skein_storage_write_failures_total counter
        skein_storage_write_failures_total 5
        # TYPE skein_storage_write_seconds histogram
        skein_storage_write_seconds_bucket{le="0.01"} 50
        skein_storage_write_seconds_bucket{le="0.1"} 100
        skein_storage_write_seconds_bucket{le="+Inf"} 100
        skein_storage_write_seconds_sum 3
        skein_storage_write_seconds_count 100
        # TYPE skein_storage_batch_spans histogram
        skein_storage_batch_spans_bucket{le="10"} 2
        skein_storage_batch_spans_bucket{le="100"} 4
        skein_storage_batch_spans_bucket{le="+Inf"} 4
        skein_storage_batch_spans_sum 118
        skein_storage_batch_spans_count 4
        # TYPE skein_http_request_duration_seconds histogram
        skein_http_request_duration_seconds_bucket{listener="ui",endpoint="/api/traces/{traceId}",status_class="2xx",le="0.001"} 0
        skein_http_request_duration_seconds_bucket{listener="ui",endpoint="/api/traces/{traceId}",status_class="2xx",le="0.01"} 3
        skein_http_request_duration_seconds_bucket{listener="ui",endpoint="/api/traces/{traceId}",status_class="2xx",le="+Inf"} 3
        skein_http_request_duration_seconds_sum{listener="ui",endpoint="/api/traces/{traceId}",status_class="2xx"} 0.012
        skein_http_request_duration_seconds_count{listener="ui",endpoint="/api/traces/{traceId}",status_class="2xx"} 3
        skein_http_request_duration_seconds_bucket{listener="ui",endpoint="/api/traces/{traceId}",status_class="5xx",le="0.001"} 0
        skein_http_request_duration_seconds_bucket{listener="ui",endpoint="/api/traces/{traceId}",status_class="5xx",le="0.01"} 1
        skein_http_request_duration_seconds_bucket{listener="ui",endpoint="/api/traces/{traceId}",status_class="5xx",le="+Inf"} 1
        skein_http_request_duration_seconds_sum{listener="ui",endpoint="/api/traces/{traceId}",status_class="5xx"} 0.005
        skein_http_request_duration_seconds_count{listener="ui",endpoint="/api/traces/{traceId}",status_class="5xx"} 1
        # TYPE skein_http_requests_total counter
        skein_http_requests_total{listener="ui",endpoint="/api/traces/{traceId}",status_class="2xx"} 3
        skein_http_requests_total{listener="ui",endpoint="/api/traces/{traceId}",status_class="5xx"} 1
        # TYPE skein_db_pool_connections_max gauge
        skein_db_pool_connections_max 20
        # TYPE skein_db_queries_in_flight gauge
        skein_db_queries_in_flight 2
        # TYPE skein_process_resident_memory_bytes gauge
        skein_process_resident_memory_bytes 52428800
        # TYPE skein_process_start_time_seconds gauge
        skein_process_start_time_seconds 1763700000
        # TYPE skein_build_info gauge
        skein_build_info{version="0.3.0-dev"} 1
        """

    /// The header of an admin (who sees the Ingest link).
    static let adminChrome = PageChrome(
        principal: Principal(identity: .user(id: UUID(), name: "ada"), permissions: Set(Permission.allCases), serviceScope: .unrestricted),
        signedIn: nil)

    static func render(_ exposition: String) async throws -> (status: HTTPResponse.Status, html: String, headers: HTTPFields) {
        let templates = try await PagesController<BasicRequestContext>.loadTemplates(directory: PagesTestTraces.templatesDirectory)
        let router = Router()
        IngestHealthController<BasicRequestContext>(
            templates: templates, scrape: { Array(exposition.utf8) }, logger: Logger(label: "ingest-health-test"),
            nowUnixSeconds: { 1_763_700_000 + 3_725 }, chrome: { _ in Self.adminChrome }
        ).addRoutes(to: router)
        return try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/admin/ingest", method: .get) { response in
                (response.status, String(buffer: response.body), response.headers)
            }
        }
    }

    @Test func everyFigureOfTheExpositionIsShown() async throws {
        let (status, html, headers) = try await Self.render(Self.exposition)
        #expect(status == .ok)
        #expect(headers[.cacheControl] == "no-store")
        #expect(headers[HTTPFields.Element.Name("Refresh")!] == "10")
        #expect(html.contains(#"<tr data-protocol="otlp_http"><td>otlp_http</td><td class="num received">120</td><td class="num accepted">110</td><td class="num dropped">10</td><td class="num refused">2</td></tr>"#))
        #expect(html.contains(#"<tr data-protocol="zipkin"><td>zipkin</td><td class="num received">8</td><td class="num accepted">8</td><td class="num dropped">0</td><td class="num refused">1</td></tr>"#))
        #expect(html.contains(#"<tr data-protocol="otlp_grpc"><td>otlp_grpc</td><td class="num received">0</td>"#))
        #expect(html.contains("<td>otlp_http</td><td><code>invalid_trace_id</code></td><td class=\"num\">4</td>"))
        #expect(html.contains("<td>otlp_http</td><td><code>truncated_attribute</code></td><td class=\"num\">3</td>"))
        #expect(html.contains("<td>zipkin</td><td><code>undecodable</code></td><td class=\"num\">1</td>"))
        #expect(html.contains(#"<span id="queue-spans">250</span> / 10000 spans"#))
        #expect(html.contains("3 MiB / 256 MiB"))
        #expect(html.contains("<dt>Storage available</dt><dd>no</dd>"))
        #expect(html.contains("Storage is unavailable."))
        // Half the writes took ≤ 10 ms: p50 is the top of the first bucket; p99 (rank 99) is 49/50 into (10 ms, 100 ms].
        #expect(html.contains("<dd>10ms / 98.2ms</dd>"))
        #expect(html.contains("<dt>Write failures</dt><dd>5</dd>"))
        #expect(html.contains("<dd>29.5 / 10 spans</dd>"))
        #expect(html.contains("<dd>— / —</dd>"), "no visibility delay exported in this exposition")
        #expect(html.contains("<td>ui</td><td><code>/api/traces/{traceId}</code></td><td class=\"num\">4</td><td class=\"num\">1</td>"))
        #expect(html.contains("2 queries in flight, at most 20 connections"))
        #expect(html.contains("<dd>50 MiB</dd>"))
        #expect(html.contains("up 1h 2m"))
        #expect(html.contains("version 0.3.0-dev"))
        #expect(html.contains("Shown to roles with the <code>ingest.health.read</code> permission."))
        #expect(html.contains(#"<a href="/admin/ingest" aria-current="page">Ingest</a>"#))
    }

    @Test func figuresNotExportedShowADashAndCountsStartAtZero() async throws {
        let (status, html, _) = try await Self.render("")
        #expect(status == .ok)
        #expect(html.contains(#"<span id="queue-spans">—</span> / — spans"#))
        #expect(html.contains("<dt>Storage available</dt><dd>—</dd>"))
        #expect(!html.contains("Storage is unavailable."))
        #expect(html.contains(#"<td class="num accepted">0</td>"#))
        #expect(html.contains("No span has been dropped."))
        #expect(html.contains("No request has been refused."))
        #expect(html.contains("No request has been answered yet."))
    }

    @Test func labelValuesAreEscaped() async throws {
        let (_, html, _) = try await Self.render(#"skein_spans_dropped_total{protocol="otlp_http",reason="<script>alert(1)</script>"} 1"#)
        #expect(!html.contains("<script>alert(1)"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
    }

    @Test func thePageReadsTheSameRegistryAsMetrics() async throws {
        let registry = PrometheusCollectorRegistry()
        IngestMetrics(factory: PrometheusMetricsFactory(registry: registry)).refusedRequest(.otlpGRPC, reason: "unsupported_media_type")
        let metrics = MetricsController<BasicRequestContext>(exposition: { registry.emitToBuffer() })
        let (_, html, _) = try await Self.render(String(decoding: await metrics.scrape(), as: UTF8.self))
        #expect(html.contains("<td>otlp_grpc</td><td><code>unsupported_media_type</code></td><td class=\"num\">1</td>"))
    }
}
