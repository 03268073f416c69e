"""The admin ingest-health page in a real headless Chromium: after the OpenTelemetry SDK sends
spans, the page shows the same accepted count as /metrics, and /metrics counts the SDK's spans."""

from __future__ import annotations

import re

from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExportResult

from conftest import make_otlp_protobuf_exporter
from sdk_trace import RecordingExporter
from test_pages import browser  # noqa: F401  (the Chromium fixture)

SPANS_SENT = 7


def accepted_otlp_http(http, skein) -> int:
    """skein_spans_accepted_total{protocol="otlp_http"} from /metrics (0 before the first span)."""
    answer = http.get(f"{skein.ui}/metrics", timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"].startswith("text/plain; version=0.0.4")
    match = re.search(r'^skein_spans_accepted_total\{protocol="otlp_http"\} (\d+)$', answer.text, re.MULTILINE)
    return int(match.group(1)) if match else 0


def send_spans(skein, count: int) -> RecordingExporter:
    exporter = RecordingExporter(make_otlp_protobuf_exporter(skein))
    provider = TracerProvider(resource=Resource.create({"service.name": f"ingest-health-{skein.run_id}"}))
    provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=60_000))
    tracer = provider.get_tracer("interop.ingest-health")
    with tracer.start_as_current_span("GET /health-check"):
        for number in range(count - 1):
            with tracer.start_as_current_span(f"step {number}"):
                pass
    assert provider.force_flush(30_000), "force_flush() timed out"
    provider.shutdown()
    return exporter


def test_metrics_count_the_spans_the_sdk_sent(skein, http):
    before = accepted_otlp_http(http, skein)
    exporter = send_spans(skein, SPANS_SENT)
    assert exporter.results and all(r == SpanExportResult.SUCCESS for r in exporter.results)
    # Acknowledged means committed and counted: no waiting needed.
    assert accepted_otlp_http(http, skein) == before + SPANS_SENT


def test_the_admin_page_shows_the_accepted_count_of_metrics(skein, http, browser, artifacts):  # noqa: F811
    send_spans(skein, SPANS_SENT)
    expected = accepted_otlp_http(http, skein)
    assert expected >= SPANS_SENT

    browser.get(f"{skein.ui}/admin/ingest")
    browser.save_screenshot(str(artifacts / "admin-ingest.png"))
    assert browser.find_element("css selector", "h1").text == "Ingest health"
    row = browser.find_element("css selector", '#spans-by-protocol tr[data-protocol="otlp_http"]')
    assert row.find_element("css selector", "td.accepted").text == str(expected)
    received = int(row.find_element("css selector", "td.received").text)
    assert received >= expected
    assert browser.find_element("css selector", "#health-storage").text.count("yes") == 1, "storage available"
    nav = browser.find_element("css selector", 'nav a[href="/admin/ingest"]')
    assert nav.text == "Ingest" and nav.get_attribute("aria-current") == "page"
