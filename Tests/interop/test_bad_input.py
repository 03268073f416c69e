"""Malformed, mistyped and oversized requests get the OTLP-specified answers, and the server keeps
serving afterwards: the 400 and 413 (body size) rows of the response table. The other rows are in
test_response_contract.py."""

from __future__ import annotations

import zlib

import pytest
import requests

import otlp_canonical as canon
import raw_otlp
from conftest import MAX_BODY_BYTES
from otlp_responses import INVALID_ARGUMENT, RESOURCE_EXHAUSTED, rpc_status
from skein_api import read_v3_spans

# Field 1 (resource_spans), length-delimited, claims 100 bytes but only 3 follow.
TRUNCATED_PROTOBUF = b"\x0a\x64\x0a\x01\x00"


def gzip_of_zeros(size: int) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)  # 31: gzip framing
    chunk = bytes(1024 * 1024)
    parts = [compressor.compress(chunk) for _ in range(size // len(chunk))]
    parts.append(compressor.flush())
    return b"".join(parts)


def post_expecting_rejection(http, url: str, body: bytes, headers: dict) -> requests.Response:
    """Post a body the server may stop reading early; its answer must still arrive."""
    try:
        return http.post(url, data=body, headers=headers, timeout=60)
    except requests.ConnectionError as error:
        pytest.fail(f"the server dropped the connection instead of answering: {error}")


def test_garbage_protobuf_gets_400_with_a_status_body(skein, http):
    answer = raw_otlp.post(http, skein.otlp_traces_url, TRUNCATED_PROTOBUF, raw_otlp.PROTOBUF)

    assert answer.status_code == 400
    code, message = rpc_status(answer, raw_otlp.PROTOBUF)
    assert message, "the Status says what was wrong"
    assert code == INVALID_ARGUMENT


def test_garbage_json_gets_400_with_a_json_status_body(skein, http):
    answer = raw_otlp.post(http, skein.otlp_traces_url, b'{"resourceSpans": [ {', raw_otlp.JSON)

    assert answer.status_code == 400
    code, message = rpc_status(answer, raw_otlp.JSON)
    assert message
    assert code == INVALID_ARGUMENT


@pytest.mark.parametrize("content_type", [raw_otlp.PROTOBUF, raw_otlp.JSON], ids=["protobuf", "json"])
def test_garbage_gzip_gets_400_with_a_status_in_the_request_type(skein, http, content_type):
    answer = raw_otlp.post(http, skein.otlp_traces_url, b"not gzip at all", content_type,
                           headers={"Content-Encoding": "gzip"})

    assert answer.status_code == 400
    code, message = rpc_status(answer, content_type)
    assert code == INVALID_ARGUMENT and "decompress" in message, message


def test_garbage_zipkin_json_gets_400_saying_why(skein, http):
    answer = raw_otlp.post(http, skein.zipkin_spans_url, b"[{\"traceId\": ", raw_otlp.JSON)

    assert answer.status_code == 400
    assert answer.headers.get("Content-Type", "").startswith("text/plain")
    assert "undecodable" in answer.text, answer.text


@pytest.mark.parametrize("content_type", [raw_otlp.PROTOBUF, raw_otlp.JSON], ids=["protobuf", "json"])
def test_a_body_over_the_limit_gets_413_with_a_status_in_the_request_type(skein, http, content_type):
    body = bytes(MAX_BODY_BYTES + 1)
    answer = post_expecting_rejection(http, skein.otlp_traces_url, body, {"Content-Type": content_type})

    assert answer.status_code == 413
    code, message = rpc_status(answer, content_type)
    assert code == RESOURCE_EXHAUSTED and str(MAX_BODY_BYTES) in message, message


def test_a_gzip_bomb_gets_413(skein, http):
    bomb = gzip_of_zeros(32 * MAX_BODY_BYTES)  # 256 MiB of zeros in about 250 KiB
    assert len(bomb) < MAX_BODY_BYTES // 8
    answer = post_expecting_rejection(http, skein.otlp_traces_url, bomb, {
        "Content-Type": raw_otlp.PROTOBUF, "Content-Encoding": "gzip",
    })

    assert answer.status_code == 413
    code, message = rpc_status(answer, raw_otlp.PROTOBUF)
    assert code == RESOURCE_EXHAUSTED and "after decompression" in message, message


def test_a_zipkin_gzip_bomb_gets_413(skein, http):
    answer = post_expecting_rejection(http, skein.zipkin_spans_url, gzip_of_zeros(4 * MAX_BODY_BYTES), {
        "Content-Type": raw_otlp.JSON, "Content-Encoding": "gzip",
    })

    assert answer.status_code == 413
    assert "after decompression" in answer.text


def test_the_server_still_serves_after_bad_input(skein, http):
    # Run the abuse again right here so the order of tests does not matter.
    raw_otlp.post(http, skein.otlp_traces_url, TRUNCATED_PROTOBUF, raw_otlp.PROTOBUF)
    post_expecting_rejection(http, skein.otlp_traces_url, gzip_of_zeros(2 * MAX_BODY_BYTES), {
        "Content-Type": raw_otlp.PROTOBUF, "Content-Encoding": "gzip",
    })

    assert http.get(f"{skein.ui}/readyz", timeout=5).status_code == 200
    request, trace_id = raw_otlp.every_value_request(f"interop-{skein.run_id}-after-abuse")
    answer = raw_otlp.post(http, skein.otlp_traces_url, request.SerializeToString(), raw_otlp.PROTOBUF)
    assert answer.status_code == 200
    sent = canon.spans_from_pb_request(request)
    assert read_v3_spans(http, skein.ui, trace_id.hex(), len(sent)) == sent


def test_a_body_just_under_the_limit_is_not_refused_for_its_size(skein, http):
    request, _ = raw_otlp.every_value_request(f"interop-{skein.run_id}-padded")
    span = request.resource_spans[0].scope_spans[0].spans[0]
    padding = MAX_BODY_BYTES - request.ByteSize() - 4096
    span.attributes.add(key="padding", value=raw_otlp.any_value("x" * padding))
    body = request.SerializeToString()
    assert len(body) < MAX_BODY_BYTES

    answer = raw_otlp.post(http, skein.otlp_traces_url, body, raw_otlp.PROTOBUF)
    assert answer.status_code == 200, answer.text[:300]
