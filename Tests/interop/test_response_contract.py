"""The ingest response contract (the README's response table), one test per row, against real
`skein serve` processes: OTLP/HTTP in protobuf and in JSON (each answer in the request's content
type), Zipkin v2, raw HTTP with `requests` and, where a real client shows the row better, the
OpenTelemetry Python SDK exporters.

Rows proven elsewhere: 400 for undecodable bodies and 413 for a body or gzip bomb over the size
limit (test_bad_input.py), 503 when PostgreSQL is down (IngestOutageEndToEndTests, Swift), the gRPC
rows (test_raw_grpc.py). Rows that need small limits or a full ingest budget use `small_skein`
(conftest.SMALL_LIMITS)."""

from __future__ import annotations

import json
import logging
import os
import time

import pytest
import requests
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.sdk.resources import Resource as SDKResource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

import raw_otlp
from conftest import MAX_BODY_BYTES, SMALL_LIMITS, make_otlp_json_exporter, make_otlp_protobuf_exporter
from otlp_responses import (
    INVALID_ARGUMENT,
    RESOURCE_EXHAUSTED,
    UNIMPLEMENTED,
    export_while_budget_held,
    good_span,
    ingest_budget_held,
    json_body,
    otlp_json,
    partial_success,
    request_of,
    retry_after_seconds,
    rpc_status,
)
from skein_api import read_v3_spans

CONTENT_TYPES = [raw_otlp.PROTOBUF, raw_otlp.JSON]
content_types = pytest.mark.parametrize("content_type", CONTENT_TYPES, ids=["protobuf", "json"])


# ------------------------------------------------------------------------------------ builders

def encode(request: ExportTraceServiceRequest, content_type: str) -> bytes:
    return request.SerializeToString() if content_type == raw_otlp.PROTOBUF else json_body(request)


def post_otlp(http, server, request, content_type: str) -> requests.Response:
    return raw_otlp.post(http, server.otlp_traces_url, encode(request, content_type), content_type)


def service_name(server, row: str, content_type: str) -> str:
    return f"contract-{server.run_id}-{row}-{'pb' if content_type == raw_otlp.PROTOBUF else 'json'}"


def zipkin_span(trace_id: str | None = None, **fields) -> dict:
    now_us = time.time_ns() // 1000 - 2_000_000
    span = {"traceId": trace_id or os.urandom(16).hex(), "id": os.urandom(8).hex(), "name": "zipkin row",
            "timestamp": now_us, "duration": 1_500, "localEndpoint": {"serviceName": "contract-zipkin"}}
    span.update(fields)
    return span


def post_zipkin(http, server, spans, **headers) -> requests.Response:
    return http.post(server.zipkin_spans_url, data=json.dumps(spans).encode(),
                     headers={"Content-Type": raw_otlp.JSON, **headers}, timeout=60)


def stored_span_ids(http, server, trace_id: bytes, at_least: int) -> set[str]:
    return set(read_v3_spans(http, server.ui, trace_id.hex(), at_least))


# ------------------------------------------------------------------------ 200: all accepted

@content_types
def test_a_valid_request_gets_200_without_partial_success(skein, http, content_type):
    trace_id = raw_otlp.new_trace_id()
    spans = [good_span(trace_id, "one"), good_span(trace_id, "two")]
    answer = post_otlp(http, skein, request_of(service_name(skein, "ok", content_type), spans), content_type)

    result = partial_success(answer, content_type)
    assert not result.present, f"nothing was rejected or altered, yet: {result}"
    assert stored_span_ids(http, skein, trace_id, 2) == {s.span_id.hex() for s in spans}


@pytest.mark.parametrize("make_exporter", [make_otlp_protobuf_exporter, make_otlp_json_exporter],
                         ids=["sdk-protobuf", "sdk-json"])
def test_the_sdk_exporter_reports_success_for_a_valid_batch(skein, http, make_exporter):
    spans = sdk_spans(f"contract-{skein.run_id}-sdk-{make_exporter.__name__}", count=3)
    exporter = make_exporter(skein)
    try:
        assert exporter.export(spans) == SpanExportResult.SUCCESS
    finally:
        exporter.shutdown()
    trace_id = spans[0].context.trace_id.to_bytes(16, "big")
    assert stored_span_ids(http, skein, trace_id, 3) == {f"{s.context.span_id:016x}" for s in spans}


def sdk_spans(service: str, count: int, attributes: dict | None = None):
    """`count` finished spans of one trace (a root and its children), made by the real SDK."""
    recorder = InMemorySpanExporter()
    provider = TracerProvider(resource=SDKResource.create({"service.name": service}))
    provider.add_span_processor(SimpleSpanProcessor(recorder))
    tracer = provider.get_tracer("contract")
    with tracer.start_as_current_span("root", attributes=attributes):
        for index in range(count - 1):
            with tracer.start_as_current_span(f"child {index}", attributes=attributes):
                pass
    provider.shutdown()
    return list(recorder.get_finished_spans())


# ---------------------------------------------------------- 200 with rejected spans (partial)

def assert_rejected(answer, content_type: str, rejected: int, reason: str):
    result = partial_success(answer, content_type)
    assert result.present, "some spans were rejected: the answer must say so in partial_success"
    assert result.rejected_spans == rejected, result
    assert reason in result.error_message, f"the message names the reason {reason!r}: {result.error_message!r}"


@content_types
def test_an_all_zero_trace_id_is_rejected_in_partial_success(skein, http, content_type):
    trace_id = raw_otlp.new_trace_id()
    kept = good_span(trace_id, "kept")
    spans = [kept, good_span(bytes(16), "zero trace id")]
    answer = post_otlp(http, skein, request_of(service_name(skein, "zero", content_type), spans), content_type)

    assert_rejected(answer, content_type, 1, "invalid_trace_id")
    assert stored_span_ids(http, skein, trace_id, 1) == {kept.span_id.hex()}, "the valid span is still stored"


@content_types
def test_a_wrong_length_span_id_is_rejected_in_partial_success(skein, http, content_type):
    trace_id = raw_otlp.new_trace_id()
    kept = good_span(trace_id, "kept")
    short = good_span(trace_id, "short span id", span_id=os.urandom(7))
    request = request_of(service_name(skein, "short-id", content_type), [kept, short])
    if content_type == raw_otlp.PROTOBUF:
        body = request.SerializeToString()  # 7 bytes
    else:
        document = otlp_json(request)
        document["resourceSpans"][0]["scopeSpans"][0]["spans"][1]["spanId"] = os.urandom(8).hex()[:15]
        body = json.dumps(document).encode()  # 15 hex digits
    answer = raw_otlp.post(http, skein.otlp_traces_url, body, content_type)

    assert_rejected(answer, content_type, 1, "invalid_span_id")
    assert stored_span_ids(http, skein, trace_id, 1) == {kept.span_id.hex()}, "only the valid span is stored"


@content_types
def test_an_end_before_start_beyond_the_tolerance_is_rejected_in_partial_success(skein, http, content_type):
    trace_id = raw_otlp.new_trace_id()
    kept = good_span(trace_id, "kept")
    backwards = good_span(trace_id, "ends 2 ms before it starts")
    backwards.end_time_unix_nano = backwards.start_time_unix_nano - 2_000_000
    request = request_of(service_name(skein, "backwards", content_type), [kept, backwards])
    answer = post_otlp(http, skein, request, content_type)

    assert_rejected(answer, content_type, 1, "end_before_start")
    assert stored_span_ids(http, skein, trace_id, 1) == {kept.span_id.hex()}


@content_types
def test_an_end_before_start_within_the_tolerance_is_clamped_and_stored(skein, http, content_type):
    trace_id = raw_otlp.new_trace_id()
    nearly = good_span(trace_id, "ends 0.5 ms before it starts")
    nearly.end_time_unix_nano = nearly.start_time_unix_nano - 500_000
    answer = post_otlp(http, skein, request_of(service_name(skein, "clamped", content_type), [nearly]), content_type)

    result = partial_success(answer, content_type)
    assert result.rejected_spans == 0, result
    stored = read_v3_spans(http, skein.ui, trace_id.hex(), 1)[nearly.span_id.hex()]
    assert stored["end"] == stored["start"] == nearly.start_time_unix_nano, "the end is set to the start"


# ------------------------------------------------ 200 with a warning: altered to fit the limits

def assert_altered_warning(answer, content_type: str, reason: str):
    result = partial_success(answer, content_type)
    assert result.rejected_spans == 0, f"altered spans are stored, not rejected: {result}"
    assert reason in result.error_message, f"the warning names {reason!r}: {result.error_message!r}"


@content_types
def test_an_attribute_value_over_the_length_limit_is_truncated_with_a_warning(small_skein, http, content_type):
    limit = SMALL_LIMITS["max_attribute_length"]
    trace_id = raw_otlp.new_trace_id()
    long_value = "ä" * limit  # 2 bytes each in UTF-8: twice the limit, cut on a character boundary
    span = good_span(trace_id, "long attribute", {"long": long_value, "short": "ok"})
    answer = post_otlp(http, small_skein, request_of(service_name(small_skein, "long", content_type), [span]),
                       content_type)

    assert_altered_warning(answer, content_type, "truncated_attribute")
    stored = read_v3_spans(http, small_skein.ui, trace_id.hex(), 1)[span.span_id.hex()]
    kind, value = stored["attributes"]["long"]
    assert kind == "string" and long_value.startswith(value), "a prefix of the value is kept"
    assert 0 < len(value.encode()) <= limit, f"{len(value.encode())} bytes kept, the limit is {limit}"
    assert stored["attributes"]["short"] == ("string", "ok")


@content_types
def test_more_attributes_than_the_limit_are_dropped_and_counted_with_a_warning(small_skein, http, content_type):
    limit = SMALL_LIMITS["max_attributes_per_span"]
    trace_id = raw_otlp.new_trace_id()
    attributes = {f"attr.{index:02}": index for index in range(limit + 5)}
    span = good_span(trace_id, "many attributes", attributes, dropped_attributes_count=2)
    answer = post_otlp(http, small_skein, request_of(service_name(small_skein, "many", content_type), [span]),
                       content_type)

    assert_altered_warning(answer, content_type, "attributes_dropped")
    stored = read_v3_spans(http, small_skein.ui, trace_id.hex(), 1)[span.span_id.hex()]
    assert sorted(stored["attributes"]) == sorted(attributes)[:limit], "the first ones in arrival order are kept"
    assert stored["dropped_attributes"] == 2 + 5, "the dropped ones are added to the span's dropped count"


@content_types
def test_more_events_and_links_than_the_limits_are_dropped_and_counted_with_a_warning(small_skein, http, content_type):
    max_events, max_links = SMALL_LIMITS["max_events_per_span"], SMALL_LIMITS["max_links_per_span"]
    trace_id = raw_otlp.new_trace_id()
    span = good_span(trace_id, "many events and links")
    for index in range(max_events + 3):
        span.events.add(time_unix_nano=span.start_time_unix_nano + index, name=f"event {index}")
    for _ in range(max_links + 1):
        span.links.add(trace_id=raw_otlp.new_trace_id(), span_id=raw_otlp.new_span_id())
    answer = post_otlp(http, small_skein, request_of(service_name(small_skein, "events", content_type), [span]),
                       content_type)

    assert_altered_warning(answer, content_type, "events_dropped")
    result = partial_success(answer, content_type)
    assert "links_dropped" in result.error_message, result
    stored = read_v3_spans(http, small_skein.ui, trace_id.hex(), 1)[span.span_id.hex()]
    assert [event["name"] for event in stored["events"]] == [f"event {index}" for index in range(max_events)]
    assert (stored["dropped_events"], len(stored["links"]), stored["dropped_links"]) == (3, max_links, 1)


def test_the_sdk_exporter_succeeds_when_its_long_attributes_are_truncated(small_skein, http):
    limit = SMALL_LIMITS["max_attribute_length"]
    spans = sdk_spans(f"contract-{small_skein.run_id}-sdk-long", count=2, attributes={"note": "n" * (3 * limit)})
    exporter = make_otlp_protobuf_exporter(small_skein)
    try:
        assert exporter.export(spans) == SpanExportResult.SUCCESS, "a warning is not a failure"
    finally:
        exporter.shutdown()
    trace_id = f"{spans[0].context.trace_id:032x}"
    for stored in read_v3_spans(http, small_skein.ui, trace_id, 2).values():
        assert stored["attributes"]["note"] == ("string", "n" * limit)


# ---------------------------------------------------------------- 413: too many spans per request

@content_types
def test_more_spans_than_the_request_limit_get_413_with_a_status(small_skein, http, content_type):
    limit = SMALL_LIMITS["max_spans_per_request"]
    trace_id = raw_otlp.new_trace_id()
    spans = [good_span(trace_id, f"span {index}") for index in range(limit + 1)]
    answer = post_otlp(http, small_skein, request_of(service_name(small_skein, "413", content_type), spans),
                       content_type)

    assert answer.status_code == 413, answer.text[:300]
    code, message = rpc_status(answer, content_type)
    assert code == INVALID_ARGUMENT
    assert str(limit) in message, f"the message gives the limit: {message!r}"
    assert "Retry-After" not in answer.headers, "retrying the same request cannot help"
    answer = http.get(f"{small_skein.ui}/api/v3/traces/{trace_id.hex()}", timeout=10)
    assert answer.status_code == 404, "a refused request stores nothing"


def test_the_sdk_exporter_does_not_retry_a_413(small_skein, http, caplog):
    spans = sdk_spans(f"contract-{small_skein.run_id}-sdk-413", count=SMALL_LIMITS["max_spans_per_request"] + 1)
    exporter = make_otlp_protobuf_exporter(small_skein)
    with caplog.at_level(logging.WARNING):
        try:
            assert exporter.export(spans) == SpanExportResult.FAILURE
        finally:
            exporter.shutdown()
    messages = [record.getMessage() for record in caplog.records]
    assert any("413" in message for message in messages), messages
    assert not any("retrying" in message for message in messages), messages


# ----------------------------------------------------------- 415: unknown type or encoding

def test_an_unknown_content_type_gets_415_with_a_json_status(skein, http):
    answer = raw_otlp.post(http, skein.otlp_traces_url, b"<spans/>", "application/xml")

    assert answer.status_code == 415
    code, message = rpc_status(answer, raw_otlp.JSON)  # no usable request type: JSON, which people can read
    assert code == INVALID_ARGUMENT and "application/xml" in message, message


@content_types
def test_an_unknown_content_encoding_gets_415_in_the_request_type(skein, http, content_type):
    request = request_of(service_name(skein, "br", content_type), [good_span(raw_otlp.new_trace_id())])
    answer = raw_otlp.post(http, skein.otlp_traces_url, encode(request, content_type), content_type,
                           headers={"Content-Encoding": "br"})

    assert answer.status_code == 415
    code, message = rpc_status(answer, content_type)
    assert code == INVALID_ARGUMENT and "br" in message, message


# ---------------------------------------------------------------------------- 405: wrong method

@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_a_wrong_method_on_v1_traces_gets_405_with_allow_post(skein, http, method):
    answer = http.request(method, skein.otlp_traces_url, timeout=10)

    assert answer.status_code == 405
    assert answer.headers.get("Allow") == "POST"
    code, _ = rpc_status(answer, raw_otlp.JSON)
    assert code == UNIMPLEMENTED


# ------------------------------------------------------------------------ 429: over capacity

@content_types
def test_a_request_over_capacity_gets_429_with_retry_after_and_a_status(small_skein, http, content_type):
    trace_id = raw_otlp.new_trace_id()
    request = request_of(service_name(small_skein, "429", content_type), [good_span(trace_id)])
    with ingest_budget_held(small_skein):
        refused = post_otlp(http, small_skein, request, content_type)
    retried = post_otlp(http, small_skein, request, content_type)

    assert refused.status_code == 429, refused.text[:300]
    assert retry_after_seconds(refused) >= 1
    code, message = rpc_status(refused, content_type)
    assert code == RESOURCE_EXHAUSTED and "retry" in message, message
    assert not partial_success(retried, content_type).present, "the same request is accepted once there is room"
    assert stored_span_ids(http, small_skein, trace_id, 1) == {request.resource_spans[0].scope_spans[0].spans[0].span_id.hex()}


def test_the_sdk_exporter_waits_retry_after_on_429_and_then_succeeds(small_skein, http, caplog):
    spans = sdk_spans(f"contract-{small_skein.run_id}-sdk-429", count=2)
    results, retries = export_while_budget_held(small_skein, make_otlp_protobuf_exporter(small_skein), spans, caplog)
    assert retries, "the exporter met a 429 and said it would retry"
    assert "Too Many Requests" in retries[0] and "retrying in 1.00s" in retries[0], (
        f"the exporter's delay is the server's Retry-After (1 s): {retries[0]}")
    assert results == [SpanExportResult.SUCCESS], "the retry after the budget came back succeeded"
    trace_id = f"{spans[0].context.trace_id:032x}"
    assert set(read_v3_spans(http, small_skein.ui, trace_id, 2)) == {f"{s.context.span_id:016x}" for s in spans}


# ------------------------------------------------------------------------------------- Zipkin

def test_zipkin_valid_spans_get_202_with_no_body(skein, http):
    span = zipkin_span()
    answer = post_zipkin(http, skein, [span])

    assert answer.status_code == 202
    assert answer.content == b""
    assert set(read_v3_spans(http, skein.ui, span["traceId"], 1)) == {span["id"]}


def test_zipkin_some_invalid_spans_still_get_202_and_the_valid_ones_are_stored(skein, http):
    kept = zipkin_span()
    answer = post_zipkin(http, skein, [kept, zipkin_span(trace_id="0" * 32, name="zero trace id")])

    assert answer.status_code == 202, "Zipkin has no partial-success answer"
    assert set(read_v3_spans(http, skein.ui, kept["traceId"], 1)) == {kept["id"]}


def test_zipkin_spans_that_are_all_invalid_get_400_saying_why(skein, http):
    answer = post_zipkin(http, skein, [zipkin_span(trace_id="0" * 32), zipkin_span(trace_id="0" * 32)])

    assert answer.status_code == 400
    assert answer.headers.get("Content-Type", "").startswith("text/plain")
    assert "invalid_trace_id" in answer.text, answer.text


def test_zipkin_more_spans_than_the_request_limit_get_413(small_skein, http):
    trace_id = os.urandom(16).hex()
    limit = SMALL_LIMITS["max_spans_per_request"]
    answer = post_zipkin(http, small_skein, [zipkin_span(trace_id) for _ in range(limit + 1)])

    assert answer.status_code == 413
    assert str(limit) in answer.text
    assert http.get(f"{small_skein.ui}/api/v3/traces/{trace_id}", timeout=10).status_code == 404


def test_zipkin_a_body_over_the_size_limit_gets_413(skein, http):
    answer = http.post(skein.zipkin_spans_url, data=b" " * (MAX_BODY_BYTES + 1),
                       headers={"Content-Type": raw_otlp.JSON}, timeout=60)

    assert answer.status_code == 413
    assert "limit" in answer.text


@pytest.mark.parametrize("headers", [{"Content-Type": "application/x-thrift"},
                                     {"Content-Type": "application/x-protobuf"},
                                     {"Content-Type": raw_otlp.JSON, "Content-Encoding": "br"}],
                         ids=["thrift", "protobuf", "brotli"])
def test_zipkin_an_unknown_content_type_or_encoding_gets_415(skein, http, headers):
    answer = http.post(skein.zipkin_spans_url, data=json.dumps([zipkin_span()]).encode(), headers=headers, timeout=10)

    assert answer.status_code == 415
    assert "unsupported" in answer.text


@pytest.mark.parametrize("method", ["GET", "PUT", "DELETE"])
def test_zipkin_a_wrong_method_gets_405_with_allow_post(skein, http, method):
    answer = http.request(method, skein.zipkin_spans_url, timeout=10)

    assert answer.status_code == 405
    assert answer.headers.get("Allow") == "POST"


def test_zipkin_over_capacity_gets_429_with_retry_after(small_skein, http):
    span = zipkin_span()
    with ingest_budget_held(small_skein):
        refused = post_zipkin(http, small_skein, [span])
    accepted = post_zipkin(http, small_skein, [span])

    assert refused.status_code == 429
    assert retry_after_seconds(refused) >= 1
    assert "retry" in refused.text
    assert accepted.status_code == 202
    assert set(read_v3_spans(http, small_skein.ui, span["traceId"], 1)) == {span["id"]}
