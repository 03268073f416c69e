import CoreMetrics

/// The ingest figures every receiver reports, through a swift-metrics factory (Skein's is the
/// Prometheus registry behind `/metrics`). Span counts are labelled by `protocol`; drops and
/// alterations also by `reason`.
public struct IngestMetrics: Sendable {
    let factory: any MetricsFactory

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    /// Metrics that go nowhere, for tests and tools that don't export them.
    public static let discarded = IngestMetrics(factory: NOOPMetricsHandler.instance)

    /// Histogram buckets for a Prometheus factory's `valueHistogramBuckets`: spans per request
    /// (the default buckets are for seconds).
    public static let valueHistogramBuckets: [String: [Double]] = [
        "skein_ingest_request_spans": [1, 5, 10, 25, 50, 100, 250, 512, 1_000, 2_500, 5_000, 10_000],
    ]

    func received(_ via: IngestProtocol, spans: Int, traces: Int) {
        counter("skein_spans_received_total", via).increment(by: spans)
        counter("skein_traces_received_total", via).increment(by: traces)
    }

    func accepted(_ via: IngestProtocol, spans: Int) {
        counter("skein_spans_accepted_total", via).increment(by: spans)
    }

    /// Spans not stored: rejected one by one (invalid_trace_id, end_before_start, ...) or with
    /// their whole request (rate_limited, storage_unavailable, too_many_spans, ...).
    func dropped(_ via: IngestProtocol, reason: String, spans: Int) {
        guard spans > 0 else { return }
        counter("skein_spans_dropped_total", via, reason: reason).increment(by: spans)
    }

    /// Spans stored, but not exactly as sent (truncated_attribute, events_dropped, ...).
    func altered(_ via: IngestProtocol, reason: String, spans: Int) {
        guard spans > 0 else { return }
        counter("skein_spans_altered_total", via, reason: reason).increment(by: spans)
    }

    /// A request refused before its spans could be counted (undecodable, too_large,
    /// unsupported_media_type, rate_limited before the body was read, ...).
    public func refusedRequest(_ via: IngestProtocol, reason: String) {
        counter("skein_ingest_requests_refused_total", via, reason: reason).increment()
    }

    /// Spans per request, as received.
    func requestSize(_ via: IngestProtocol, spans: Int) {
        Recorder(label: "skein_ingest_request_spans", dimensions: [("protocol", via.rawValue)], aggregate: true, factory: factory)
            .record(spans)
    }

    private func counter(_ name: String, _ via: IngestProtocol, reason: String? = nil) -> Counter {
        var dimensions = [("protocol", via.rawValue)]
        if let reason { dimensions.append(("reason", reason)) }
        return Counter(label: name, dimensions: dimensions, factory: factory)
    }
}
