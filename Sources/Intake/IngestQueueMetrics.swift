import CoreMetrics

/// The write queue's figures, through a swift-metrics factory (Skein's is the Prometheus registry
/// behind `/metrics`): queue depth and capacity, the ingest memory budget, batch sizes, write
/// latency and failures, whether storage is available, and the time from a span's end until it
/// can be read.
public struct IngestQueueMetrics: Sendable {
    /// Spans accepted into the queue and not yet committed or failed.
    let queuedSpans: Gauge
    let queueCapacity: Gauge
    let memoryReserved: Gauge
    let memoryBudget: Gauge
    /// Spans per committed batch.
    let batchSpans: Recorder
    let writeDuration: CoreMetrics.Timer
    let writeFailures: Counter
    /// 1 while writes flow, 0 while the database is considered unavailable.
    let storageAvailable: Gauge
    /// Commit time minus the latest span end in the batch.
    let visibilityDelay: CoreMetrics.Timer

    public init(factory: any MetricsFactory) {
        queuedSpans = Gauge(label: "skein_ingest_queue_spans", factory: factory)
        queueCapacity = Gauge(label: "skein_ingest_queue_capacity_spans", factory: factory)
        memoryReserved = Gauge(label: "skein_ingest_memory_reserved_bytes", factory: factory)
        memoryBudget = Gauge(label: "skein_ingest_memory_budget_bytes", factory: factory)
        batchSpans = Recorder(label: "skein_storage_batch_spans", aggregate: true, factory: factory)
        writeDuration = CoreMetrics.Timer(label: "skein_storage_write_seconds", factory: factory)
        writeFailures = Counter(label: "skein_storage_write_failures_total", factory: factory)
        storageAvailable = Gauge(label: "skein_storage_available", factory: factory)
        visibilityDelay = CoreMetrics.Timer(label: "skein_span_visibility_delay_seconds", factory: factory)
    }

    /// Metrics that go nowhere, for tests and tools that don't export them.
    public static let discarded = IngestQueueMetrics(factory: NOOPMetricsHandler.instance)

    /// Histogram buckets suited to these metrics, by metric name, for a Prometheus factory's
    /// `valueHistogramBuckets` (the default buckets are for seconds, not span counts).
    public static let valueHistogramBuckets: [String: [Double]] = [
        "skein_storage_batch_spans": [1, 5, 10, 25, 50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000],
    ]

    /// Histogram buckets for the duration metrics, by metric name, for a Prometheus factory's
    /// `durationHistogramBuckets`: visibility delay spans from milliseconds to minutes (a span may
    /// end long before its exporter sends it).
    public static let durationHistogramBuckets: [String: [Duration]] = [
        "skein_storage_write_seconds": [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ],
        "skein_span_visibility_delay_seconds": [
            .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
            .seconds(2), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300),
        ],
    ]

    func configured(capacitySpans: Int, budget: IngestMemoryBudget?) {
        queueCapacity.record(capacitySpans)
        queuedSpans.record(0)
        storageAvailable.record(1)
        if let budget {
            memoryBudget.record(budget.capacityBytes)
            memoryReserved.record(budget.reservedBytes)
        }
    }

    func depth(spans: Int) {
        queuedSpans.record(spans)
    }

    func memoryReserved(bytes: Int) {
        memoryReserved.record(bytes)
    }

    func available(_ isAvailable: Bool) {
        storageAvailable.record(isAvailable ? 1 : 0)
    }

    func batchWritten(spans: Int, duration: Duration, latestSpanEndUnixNano: UInt64, commitUnixNano: UInt64) {
        batchSpans.record(spans)
        writeDuration.recordNanoseconds(duration.nanoseconds)
        if latestSpanEndUnixNano > 0, commitUnixNano > latestSpanEndUnixNano {
            visibilityDelay.recordNanoseconds(Int64(clamping: commitUnixNano - latestSpanEndUnixNano))
        } else {
            visibilityDelay.recordNanoseconds(0)
        }
    }

    func batchFailed(duration: Duration) {
        writeDuration.recordNanoseconds(duration.nanoseconds)
        writeFailures.increment()
    }
}

extension Duration {
    /// The whole duration in nanoseconds, saturating at `Int64.max`.
    fileprivate var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        let (wholeNanos, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow else { return seconds < 0 ? .min : .max }
        return wholeNanos.addingReportingOverflow(attoseconds / 1_000_000_000).overflow ? .max : wholeNanos + attoseconds / 1_000_000_000
    }
}
