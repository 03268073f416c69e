"""The stock OpenTelemetry Python SDK, exporting over OTLP/HTTP (protobuf and JSON) with default
settings: everything it sent comes back exactly, through /api/v3 (OTLP JSON) and /api/traces (Jaeger).
"""

from __future__ import annotations

import json

import pytest

import otlp_canonical as canon
from sdk_trace import ALL_TYPES, TRACE_STATE, SentTrace
from skein_api import assert_jaeger_span, assert_round_trip, read_jaeger_trace, read_v3_spans, same_id


def sent_canonical(sent: SentTrace, encoding: str) -> dict:
    """What the exporter put on the wire, encoded by the exporter's own encoder."""
    if encoding == "protobuf":
        from opentelemetry.exporter.otlp.proto.common.trace_encoder import encode_spans

        return canon.spans_from_pb_request(encode_spans(sent.spans))
    from opentelemetry.exporter.otlp.json.common.trace_encoder import encode_spans

    return canon.spans_from_json(json.loads(encode_spans(sent.spans).to_json()))


@pytest.fixture(params=["protobuf", "json"])
def sent(request, protobuf_trace, json_trace):
    trace = protobuf_trace if request.param == "protobuf" else json_trace
    return request.param, trace


def test_every_span_comes_back_exactly_through_the_otlp_json_api(skein, http, sent):
    encoding, trace = sent
    assert_round_trip(skein, http, sent_canonical(trace, encoding), trace.trace_id)


def test_the_round_trip_keeps_the_sdk_values_and_their_types(skein, http, sent):
    encoding, trace = sent
    got = read_v3_spans(http, skein.ui, trace.trace_id, 8)
    root = got[trace.span_id("GET /checkout")]

    assert root["attributes"]["int.max"] == ("int", 2**63 - 1)
    assert root["attributes"]["int.min"] == ("int", -(2**63))
    assert root["attributes"]["int.beyond_double"] == ("int", 2**53 + 1)
    assert root["attributes"]["float.whole"] == ("double", 2.0)
    assert root["attributes"]["bool.false"] == ("bool", False)
    assert root["attributes"]["str"] == ("string", ALL_TYPES["str"])
    assert root["attributes"]["list.int"] == ("array", [("int", 1), ("int", -2), ("int", 2**63 - 1)])
    assert root["attributes"]["bytes"] == ("bytes", ALL_TYPES["bytes"])
    assert root["trace_state"] == TRACE_STATE.to_header()
    assert root["kind"] == 2 and root["parent_span_id"] == ""
    assert root["start"] == trace.span_named("GET /checkout").start_time, "nanosecond start time"
    assert root["end"] == trace.span_named("GET /checkout").end_time, "nanosecond end time"
    assert root["resource"]["attributes"]["service.name"] == ("string", trace.frontend_service)
    assert root["resource"]["attributes"]["feature.flags"] == ("array", [("string", "checkout-v2"), ("string", "dark-mode")])
    assert root["scope"]["name"] == "skein.interop.frontend" and root["scope"]["version"] == "2.3.4"
    assert root["scope"]["attributes"] == {"scope.team": ("string", "interop"), "scope.priority": ("int", 3)}

    charge = got[trace.span_id("charge")]
    assert charge["status"] == {"code": 2, "message": "insufficient funds"}
    assert charge["parent_span_id"] == trace.span_id("POST /payments/charge")
    assert charge["flags"] & 0x300 == 0x300, "the parent came over the wire: its context is remote"
    assert charge["links"][0]["span_id"] == trace.span_id("auth.check")
    assert charge["links"][0]["attributes"]["link.tags"] == ("array", [("string", "a"), ("string", "b")])

    limits = got[trace.span_id("limits")]
    assert (limits["dropped_attributes"], limits["dropped_events"], limits["dropped_links"]) == (4, 2, 1)
    assert [e["name"] for e in limits["events"]] == ["tick-2", "tick-3", "tick-4", "big"]
    assert limits["events"][-1]["dropped_attributes"] == 2
    assert limits["links"][-1]["dropped_attributes"] == 2

    auth = got[trace.span_id("auth.check")]
    assert auth["status"] == {"code": 1, "message": ""}
    assert auth["events"][0]["name"] == "cache.miss"
    assert auth["events"][0]["attributes"]["cache.hit_ratio"] == ("double", 0.25)


def test_every_span_reads_back_through_the_jaeger_api(skein, http, sent):
    encoding, trace = sent
    want = sent_canonical(trace, encoding)
    jaeger_trace = read_jaeger_trace(http, skein.ui, trace.trace_id, len(want))

    assert same_id(jaeger_trace["traceID"], trace.trace_id)
    assert len(jaeger_trace["spans"]) == len(want)
    services = {p["serviceName"] for p in jaeger_trace["processes"].values()}
    assert services == {trace.frontend_service, trace.backend_service}
    by_id = {int(s["spanID"], 16): s for s in jaeger_trace["spans"]}
    for span_id, expected in want.items():
        assert int(span_id, 16) in by_id, f"span {expected['name']!r} is missing"
        assert_jaeger_span(jaeger_trace, by_id[int(span_id, 16)], expected)


@pytest.mark.parametrize("encoding,compression", [
    ("protobuf", "gzip"), ("protobuf", "deflate"), ("json", "gzip"),
])
def test_compressed_sdk_exports_come_back_exactly(skein, encoding, compression, http):
    """What OTEL_EXPORTER_OTLP_COMPRESSION=gzip (or deflate) does to the SDK's requests."""
    if encoding == "protobuf":
        from opentelemetry.exporter.otlp.proto.http import Compression
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        chosen = Compression(compression)
    else:
        from opentelemetry.exporter.otlp.common.http import Compression
        from opentelemetry.exporter.otlp.json.http.trace_exporter import OTLPSpanExporter

        chosen = Compression(compression)
    endpoint = None if skein.standard_ports else skein.otlp_traces_url

    from sdk_trace import build_rich_trace

    trace = build_rich_trace(lambda: OTLPSpanExporter(endpoint=endpoint, compression=chosen),
                             f"interop-{skein.run_id}-{encoding}-{compression}")
    assert_round_trip(skein, http, sent_canonical(trace, encoding), trace.trace_id)
