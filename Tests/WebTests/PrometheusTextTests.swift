import CoreMetrics
import Prometheus
import Testing
@testable import Web

/// Reading the Prometheus text exposition back: what swift-prometheus writes, escapes, and
/// quantiles estimated from histogram buckets.
@Suite struct PrometheusTextTests {
    @Test func samplesWithLabelsTypesAndSpecialValuesAreRead() {
        let text = PrometheusText("""
            # HELP skein_spans_accepted_total Spans stored.
            # TYPE skein_spans_accepted_total counter
            skein_spans_accepted_total{protocol="otlp_http"} 42
            skein_spans_accepted_total{protocol="zipkin"} 3
            # TYPE skein_storage_available gauge
            skein_storage_available 1
            skein_up_since 1.7637e9 1763700000000
            weird{le="+Inf"} +Inf
            nan_gauge NaN
            """)
        #expect(text.types["skein_spans_accepted_total"] == "counter")
        #expect(text.types["skein_storage_available"] == "gauge")
        #expect(text.sum("skein_spans_accepted_total", matching: ["protocol": "otlp_http"]) == 42)
        #expect(text.sum("skein_spans_accepted_total") == 45)
        #expect(text.sums("skein_spans_accepted_total", by: "protocol") == ["otlp_http": 42, "zipkin": 3])
        #expect(text.sum("skein_storage_available") == 1)
        #expect(text.sum("skein_up_since") == 1.7637e9)
        #expect(text.sum("weird") == .infinity)
        #expect(text.sum("nan_gauge")?.isNaN == true)
        #expect(text.sum("absent_metric") == nil)
    }

    @Test func escapedLabelValuesKeepTheirQuotesBackslashesAndNewlines() {
        let text = PrometheusText(#"m{path="/a\"b\\c\nd",other="x,y}z"} 7"#)
        let sample = text.samples.first
        #expect(sample?.labels["path"] == "/a\"b\\c\nd")
        #expect(sample?.labels["other"] == "x,y}z")
        #expect(sample?.value == 7)
    }

    @Test func malformedLinesAreSkippedAndTheRestIsRead() {
        let text = PrometheusText("""
            good 1
            {no_name="x"} 2
            unterminated{a="b 3
            missing_value{a="b"}
            not_a_number abc
            too many fields 1 2
            also_good{a="b"} 4
            """)
        #expect(text.samples.map(\.name) == ["good", "also_good"])
    }

    @Test func whatSwiftPrometheusEmitsReadsBackAsTheSameFigures() throws {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets["latency_seconds"] = [.milliseconds(10), .milliseconds(100), .seconds(1)]
        Counter(label: "requests_total", dimensions: [("endpoint", "/trace/{traceID}")], factory: factory).increment(by: 5)
        Gauge(label: "queue_spans", factory: factory).record(12)
        let timer = Timer(label: "latency_seconds", dimensions: [("endpoint", "/x")], factory: factory)
        for milliseconds in [5, 50, 50, 500] { timer.recordMilliseconds(milliseconds) }

        let text = PrometheusText(bytes: registry.emitToBuffer())
        #expect(text.sum("requests_total", matching: ["endpoint": "/trace/{traceID}"]) == 5)
        #expect(text.sum("queue_spans") == 12)
        #expect(text.types["latency_seconds"] == "histogram")
        let histogram = try #require(text.histogram("latency_seconds", matching: ["endpoint": "/x"]))
        #expect(histogram.count == 4)
        #expect(histogram.buckets.map(\.upperBound) == [0.01, 0.1, 1, .infinity])
        #expect(histogram.buckets.map(\.cumulativeCount) == [1, 3, 4, 4])
        #expect(abs(histogram.sum - 0.605) < 1e-9)
        #expect(text.histogram("latency_seconds", matching: ["endpoint": "/elsewhere"]) == nil)
    }

    @Test func quantilesInterpolateWithinTheirBucketAsHistogramQuantileDoes() {
        // 10 observations: 2 ≤ 0.1, 8 more ≤ 1 (cumulative 10).
        let histogram = HistogramFigures(
            buckets: [(0.1, 2), (1, 10), (.infinity, 10)], sum: 5, count: 10)
        // Rank 5 is the 3rd of 8 in (0.1, 1]: 0.1 + 0.9 × 3/8.
        #expect(abs((histogram.quantile(0.5) ?? 0) - 0.4375) < 1e-9)
        // Rank 1 is half-way into the first bucket, which starts at 0.
        #expect(abs((histogram.quantile(0.1) ?? 0) - 0.05) < 1e-9)
        #expect(histogram.mean == 0.5)
    }

    @Test func aQuantileInTheInfiniteBucketIsTheHighestFiniteBound() {
        let histogram = HistogramFigures(buckets: [(0.5, 1), (2, 2), (.infinity, 10)], sum: 100, count: 10)
        #expect(histogram.quantile(0.99) == 2)
    }

    @Test func anEmptyHistogramHasNoQuantileAndNoMean() {
        let histogram = HistogramFigures(buckets: [(1, 0), (.infinity, 0)], sum: 0, count: 0)
        #expect(histogram.quantile(0.5) == nil)
        #expect(histogram.mean == nil)
    }
}
