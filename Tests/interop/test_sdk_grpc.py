"""The stock OpenTelemetry Python SDK exporting over OTLP/gRPC (grpcio) with default settings, and
with gzip: everything it sent comes back exactly, through /api/v3 (OTLP JSON) and /api/traces."""

from __future__ import annotations


import grpc
import pytest
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans
from opentelemetry.exporter.otlp.proto.grpc.trace_exporter import OTLPSpanExporter

import otlp_canonical as canon
from otlp_responses import export_while_budget_held
from sdk_trace import ALL_TYPES, SentTrace, build_rich_trace
from skein_api import assert_jaeger_span, assert_round_trip, read_jaeger_trace, read_v3_spans, same_id


def make_grpc_exporter(server, compression: grpc.Compression | None = None) -> OTLPSpanExporter:
    # Default settings on standard ports: http://localhost:4317, plaintext.
    if server.standard_ports:
        return OTLPSpanExporter(compression=compression)
    return OTLPSpanExporter(endpoint=f"http://127.0.0.1:{server.grpc_port}", compression=compression)


def sent_canonical(sent: SentTrace) -> dict:
    """What the exporter put on the wire, encoded by the exporter's own encoder."""
    return canon.spans_from_pb_request(encode_spans(sent.spans))


@pytest.fixture(scope="module")
def grpc_trace(skein) -> SentTrace:
    """The rich SDK trace, sent with the OTLP/gRPC exporter on default settings."""
    return build_rich_trace(lambda: make_grpc_exporter(skein), f"interop-{skein.run_id}-grpc")


def test_every_span_sent_over_grpc_comes_back_exactly_through_the_otlp_json_api(skein, http, grpc_trace):
    assert_round_trip(skein, http, sent_canonical(grpc_trace), grpc_trace.trace_id)


def test_the_grpc_round_trip_keeps_the_sdk_values_and_their_types(skein, http, grpc_trace):
    got = read_v3_spans(http, skein.ui, grpc_trace.trace_id, 8)
    root = got[grpc_trace.span_id("GET /checkout")]

    assert root["attributes"]["int.max"] == ("int", 2**63 - 1)
    assert root["attributes"]["int.min"] == ("int", -(2**63))
    assert root["attributes"]["bytes"] == ("bytes", ALL_TYPES["bytes"])
    assert root["attributes"]["str"] == ("string", ALL_TYPES["str"])
    assert root["start"] == grpc_trace.span_named("GET /checkout").start_time, "nanosecond start time"
    assert root["end"] == grpc_trace.span_named("GET /checkout").end_time, "nanosecond end time"
    assert root["resource"]["attributes"]["service.name"] == ("string", grpc_trace.frontend_service)

    charge = got[grpc_trace.span_id("charge")]
    assert charge["status"] == {"code": 2, "message": "insufficient funds"}
    assert charge["parent_span_id"] == grpc_trace.span_id("POST /payments/charge")
    assert charge["links"][0]["span_id"] == grpc_trace.span_id("auth.check")

    limits = got[grpc_trace.span_id("limits")]
    assert (limits["dropped_attributes"], limits["dropped_events"], limits["dropped_links"]) == (4, 2, 1)


def test_every_span_sent_over_grpc_reads_back_through_the_jaeger_api(skein, http, grpc_trace):
    want = sent_canonical(grpc_trace)
    jaeger_trace = read_jaeger_trace(http, skein.ui, grpc_trace.trace_id, len(want))

    assert same_id(jaeger_trace["traceID"], grpc_trace.trace_id)
    services = {p["serviceName"] for p in jaeger_trace["processes"].values()}
    assert services == {grpc_trace.frontend_service, grpc_trace.backend_service}
    by_id = {int(s["spanID"], 16): s for s in jaeger_trace["spans"]}
    for span_id, expected in want.items():
        assert int(span_id, 16) in by_id, f"span {expected['name']!r} is missing"
        assert_jaeger_span(jaeger_trace, by_id[int(span_id, 16)], expected)


@pytest.mark.parametrize("compression", [grpc.Compression.Gzip, grpc.Compression.Deflate])
def test_compressed_grpc_exports_come_back_exactly(skein, http, compression):
    """What OTEL_EXPORTER_OTLP_COMPRESSION=gzip does to the gRPC exporter's calls."""
    trace = build_rich_trace(lambda: make_grpc_exporter(skein, compression),
                             f"interop-{skein.run_id}-grpc-{compression.name.lower()}")
    assert_round_trip(skein, http, sent_canonical(trace), trace.trace_id)


def finished_spans(service: str, count: int) -> list:
    """`count` finished spans of one trace, made by the real SDK."""
    recorder = InMemorySpanExporter()
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(SimpleSpanProcessor(recorder))
    tracer = provider.get_tracer("grpc-retry")
    with tracer.start_as_current_span("root"):
        for index in range(count - 1):
            with tracer.start_as_current_span(f"child {index}"):
                pass
    provider.shutdown()
    return list(recorder.get_finished_spans())


def test_the_grpc_exporter_waits_the_retry_delay_on_resource_exhausted_and_then_succeeds(small_skein, http, caplog):
    spans = finished_spans(f"interop-{small_skein.run_id}-grpc-retry", 2)
    results, retries = export_while_budget_held(small_skein, make_grpc_exporter(small_skein), spans, caplog)
    assert retries, "the exporter met RESOURCE_EXHAUSTED and said it would retry"
    assert "RESOURCE_EXHAUSTED" in retries[0] and "retrying in 1.00s" in retries[0], (
        f"the exporter's delay is the server's RetryInfo (1 s), not its own backoff: {retries[0]}")
    assert results == [SpanExportResult.SUCCESS], "the retry after the budget came back succeeded"
    trace_id = f"{spans[0].context.trace_id:032x}"
    assert set(read_v3_spans(http, small_skein.ui, trace_id, 2)) == {f"{s.context.span_id:016x}" for s in spans}
