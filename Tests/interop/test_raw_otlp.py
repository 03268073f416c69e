"""Hand-built OTLP (protobuf and JSON) posted with `requests`: what the SDK can't express still
round-trips exactly through /api/v3."""

from __future__ import annotations

import json
import os
import time

import otlp_canonical as canon
import raw_otlp
from skein_api import assert_round_trip


def test_raw_protobuf_with_every_value_kind_round_trips_exactly(skein, http):
    request, trace_id = raw_otlp.every_value_request(f"interop-{skein.run_id}-raw")
    answer = raw_otlp.post(http, skein.otlp_traces_url, request.SerializeToString(), raw_otlp.PROTOBUF)

    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers.get("Content-Type", "").startswith(raw_otlp.PROTOBUF)
    response = raw_otlp.parse_export_response(answer)
    assert not response.HasField("partial_success"), f"nothing was rejected: {response}"
    assert_round_trip(skein, http, canon.spans_from_pb_request(request), trace_id.hex())


def test_gzip_compressed_protobuf_round_trips_exactly(skein, http):
    request, trace_id = raw_otlp.every_value_request(f"interop-{skein.run_id}-gzip")
    answer = raw_otlp.post(http, skein.otlp_traces_url, request.SerializeToString(), raw_otlp.PROTOBUF,
                           gzip_body=True)

    assert answer.status_code == 200, answer.text[:500]
    assert_round_trip(skein, http, canon.spans_from_pb_request(request), trace_id.hex())


def test_hand_written_otlp_json_with_integer_enums_and_unknown_fields_round_trips(skein, http):
    trace_id, root_id, child_id = os.urandom(16).hex(), os.urandom(8).hex(), os.urandom(8).hex()
    now = time.time_ns() - 3_000_000_000
    body = {
        "resourceSpans": [{
            "resource": {"attributes": [
                {"key": "service.name", "value": {"stringValue": f"interop-{skein.run_id}-rawjson"}},
            ], "futureResourceField": {"ignored": True}},
            "scopeSpans": [{
                "scope": {"name": "hand.written", "version": "1"},
                "spans": [
                    {
                        "traceId": trace_id, "spanId": root_id, "name": "json root",
                        "kind": 2,  # integer enum
                        "startTimeUnixNano": str(now + 1), "endTimeUnixNano": str(now + 5_000_003),
                        "attributes": [
                            {"key": "as.string.int", "value": {"intValue": "9223372036854775807"}},
                            {"key": "as.number.int", "value": {"intValue": 12}},
                            {"key": "b64", "value": {"bytesValue": "3q2+7w=="}},
                            {"key": "dbl", "value": {"doubleValue": 0.1}},
                            {"key": "kv", "value": {"kvlistValue": {"values": [
                                {"key": "a", "value": {"arrayValue": {"values": [{"boolValue": True}, {}]}}},
                            ]}}},
                        ],
                        "status": {"code": 2, "message": "json failure"},
                        "someFutureField": [1, 2, 3],
                    },
                    {
                        "traceId": trace_id.upper(), "spanId": child_id, "parentSpanId": root_id,
                        "name": "json child", "kind": "SPAN_KIND_CLIENT",
                        "startTimeUnixNano": now + 1_000_005, "endTimeUnixNano": now + 2_000_007,
                        "events": [{"timeUnixNano": str(now + 1_500_000), "name": "e",
                                    "attributes": [{"key": "k", "value": {"stringValue": "v"}}],
                                    "unknownEventField": "x"}],
                        "links": [{"traceId": trace_id, "spanId": root_id, "traceState": "p=q",
                                   "attributes": [{"key": "lk", "value": {"intValue": "3"}}]}],
                        "droppedAttributesCount": 2, "droppedEventsCount": 3, "droppedLinksCount": 4,
                        "flags": 257,
                    },
                ],
            }],
        }],
    }
    answer = raw_otlp.post(http, skein.otlp_traces_url, json.dumps(body).encode(), raw_otlp.JSON)

    assert answer.status_code == 200, answer.text[:500]
    assert answer.headers.get("Content-Type", "").startswith(raw_otlp.JSON)
    assert_round_trip(skein, http, canon.spans_from_json(body), trace_id)


def test_a_span_with_an_invalid_trace_id_is_rejected_as_partial_success(skein, http):
    request, trace_id = raw_otlp.every_value_request(f"interop-{skein.run_id}-partial")
    bad = request.resource_spans[1].scope_spans[0].spans[0]
    bad.trace_id = bytes(16)  # all zeros: invalid
    answer = raw_otlp.post(http, skein.otlp_traces_url, request.SerializeToString(), raw_otlp.PROTOBUF)

    assert answer.status_code == 200, answer.text[:500]
    response = raw_otlp.parse_export_response(answer)
    assert response.partial_success.rejected_spans == 1
    assert response.partial_success.error_message, "the client is told why"
    kept = canon.spans_from_pb_request(request)
    del kept[bad.span_id.hex()]
    assert_round_trip(skein, http, kept, trace_id.hex())


def test_a_nul_character_is_stored_as_the_replacement_character(skein, http):
    # PostgreSQL text cannot hold U+0000; docs/storage.md says it becomes U+FFFD, and nothing else changes.
    request, trace_id = raw_otlp.every_value_request(f"interop-{skein.run_id}-nul")
    span = request.resource_spans[0].scope_spans[0].spans[0]
    span.name = "nul \u0000 inside"
    span.attributes.add(key="nul", value=raw_otlp.any_value("a\u0000b"))
    answer = raw_otlp.post(http, skein.otlp_traces_url, request.SerializeToString(), raw_otlp.PROTOBUF)

    assert answer.status_code == 200, answer.text[:500]
    assert not raw_otlp.parse_export_response(answer).HasField("partial_success")
    expected = canon.spans_from_pb_request(request)
    stored = expected[span.span_id.hex()]
    stored["name"] = "nul \ufffd inside"
    stored["attributes"]["nul"] = ("string", "a\ufffdb")
    assert_round_trip(skein, http, expected, trace_id.hex())


def test_a_span_from_over_a_year_ago_is_stored_and_read_back(skein, http):
    request, trace_id = raw_otlp.every_value_request(f"interop-{skein.run_id}-history")
    shift = 400 * 86_400 * 1_000_000_000
    for resource_spans in request.resource_spans:
        for span in resource_spans.scope_spans[0].spans:
            span.start_time_unix_nano -= shift
            span.end_time_unix_nano -= shift
            for event in span.events:
                event.time_unix_nano -= shift
    answer = raw_otlp.post(http, skein.otlp_traces_url, request.SerializeToString(), raw_otlp.PROTOBUF)

    assert answer.status_code == 200, answer.text[:500]
    assert not raw_otlp.parse_export_response(answer).HasField("partial_success")
    assert_round_trip(skein, http, canon.spans_from_pb_request(request), trace_id.hex())


def test_a_span_dated_1970_is_rejected_with_a_reason_and_the_rest_is_kept(skein, http):
    request, trace_id = raw_otlp.every_value_request(f"interop-{skein.run_id}-epoch")
    bad = request.resource_spans[1].scope_spans[0].spans[0]
    bad.start_time_unix_nano, bad.end_time_unix_nano = 1, 2
    answer = raw_otlp.post(http, skein.otlp_traces_url, request.SerializeToString(), raw_otlp.PROTOBUF)

    assert answer.status_code == 200, answer.text[:500]
    response = raw_otlp.parse_export_response(answer)
    assert response.partial_success.rejected_spans == 1
    assert response.partial_success.error_message
    kept = canon.spans_from_pb_request(request)
    del kept[bad.span_id.hex()]
    assert_round_trip(skein, http, kept, trace_id.hex())


def test_spans_are_readable_as_soon_as_the_export_is_answered(skein, http):
    # The server answers 200 only after the spans are committed: no waiting, no polling.
    for i in range(20):
        request, trace_id = raw_otlp.every_value_request(f"interop-{skein.run_id}-committed")
        answer = raw_otlp.post(http, skein.otlp_traces_url, request.SerializeToString(), raw_otlp.PROTOBUF)
        assert answer.status_code == 200
        read = http.get(f"{skein.ui}/api/v3/traces/{trace_id.hex()}", timeout=15)
        assert read.status_code == 200, f"request {i}: the trace was not readable right after its 200"
        assert len(canon.spans_from_json(read.json()["result"])) == 4, f"request {i}: spans missing"
