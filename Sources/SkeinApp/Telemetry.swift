import CoreMetrics
import Hummingbird
import Intake
import Logging
import Prometheus
import Storage
import Web

/// Skein's watch on itself, assembled once per process: the `/metrics` exposition of the one
/// Prometheus registry, the request-metrics middleware of every listener, the process and pool
/// gauges, the reader pages and the API read through (it counts reads in flight), and the
/// readiness check behind `/readyz`.
struct Telemetry: Sendable {
    /// Histogram buckets for the request-duration metric: pages and API reads take from about a
    /// millisecond to seconds.
    static let durationHistogramBuckets: [String: [Duration]] = [
        RequestMetricsMiddleware<BasicRequestContext>.durationMetric: [
            .milliseconds(1), .milliseconds(2.5), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ],
    ]

    let factory: any MetricsFactory
    let reader: TelemetryTraceReader
    let metrics: MetricsController<SkeinRequestContext>
    let readiness: TelemetryReadiness

    /// The one factory every Skein metric is made with: Prometheus, with histogram buckets suited
    /// to each histogram (request durations, write and visibility latency, span counts).
    static func metricsFactory(registry: PrometheusCollectorRegistry) -> PrometheusMetricsFactory {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = Self.durationHistogramBuckets
            .merging(IngestQueueMetrics.durationHistogramBuckets) { own, _ in own }
        factory.valueHistogramBuckets = IngestQueueMetrics.valueHistogramBuckets
            .merging(IngestMetrics.valueHistogramBuckets) { own, _ in own }
        return factory
    }

    /// - Parameter registry: the one registry behind `/metrics`; every metric is registered in it
    ///   through `factory` (see `metricsFactory(registry:)`).
    init(registry: PrometheusCollectorRegistry, database: Database, migrationsDirectory: String, logger: Logger) {
        let factory = Self.metricsFactory(registry: registry)
        self.factory = factory
        let store = database.traceStore
        let reader = TelemetryTraceReader(store, probe: { await store.isReady() })
        self.reader = reader
        let process = TelemetryProcessMetrics(
            factory: factory, reader: reader, poolMaximumConnections: PostgresTraceStore.poolMaximumConnections)
        metrics = MetricsController(exposition: { registry.emitToBuffer() }, beforeScrape: [{ process.refresh() }])
        readiness = TelemetryReadiness(
            store: store, migrations: MigrationRunner(client: database.client, directory: migrationsDirectory, logger: logger),
            logger: logger)
    }

    /// The middleware that counts and times the requests of `listener` (`ui`, `otlp_http`, `zipkin`).
    func requestMetrics<Context: RequestContext>(listener: String) -> RequestMetricsMiddleware<Context> {
        RequestMetricsMiddleware(listener: listener, factory: factory)
    }

    /// Whether PostgreSQL answers now (pages and the API ask after a read failed).
    var isDatabaseReachable: @Sendable () async -> Bool {
        let store = readiness.store, reader = reader
        return { reader.foundUnreachableJustNow ? false : await store.isReady() }
    }
}
