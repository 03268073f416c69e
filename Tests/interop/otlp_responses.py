"""Decoding Skein's answers to ingest requests, in the content type of the request as OTLP/HTTP
requires: an ExportTraceServiceResponse (maybe with `partial_success`) on 200, a `google.rpc.Status`
on failures. Each decoder first checks the answer's Content-Type, so a JSON request answered in
protobuf (or the other way round) fails the test. Also the small requests the contract and
overload tests send, OTLP/JSON encoding, and a way to fill a small server's ingest budget."""

from __future__ import annotations

import base64
import json
import logging
import socket
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import urlsplit

import requests
from google.protobuf import json_format
from google.rpc.status_pb2 import Status as RPCStatus
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span

import raw_otlp

# gRPC status codes carried in google.rpc.Status bodies.
INVALID_ARGUMENT = 3
RESOURCE_EXHAUSTED = 8
UNIMPLEMENTED = 12
UNAVAILABLE = 14


@dataclass(frozen=True)
class PartialSuccess:
    """What a 200 answer said: `present` is False when there was no `partial_success` at all
    (or an empty one, which OTLP treats the same: everything accepted)."""

    present: bool
    rejected_spans: int
    error_message: str


def content_type_of(answer: requests.Response) -> str:
    return answer.headers.get("Content-Type", "").split(";")[0].strip().lower()


def assert_content_type(answer: requests.Response, expected: str):
    got = content_type_of(answer)
    assert got == expected, f"answered with Content-Type {got!r}, the request was {expected!r}"


def partial_success(answer: requests.Response, request_content_type: str) -> PartialSuccess:
    """Decodes a 200 answer's ExportTraceServiceResponse (protobuf, or JSON by key)."""
    assert answer.status_code == 200, f"expected 200, got {answer.status_code}: {answer.text[:300]}"
    assert_content_type(answer, request_content_type)
    if request_content_type == raw_otlp.JSON:
        body = answer.json()
        assert isinstance(body, dict), f"the JSON answer is an object: {answer.text[:300]}"
        # The same text must also be a valid ExportTraceServiceResponse (no unknown keys).
        json_format.Parse(answer.text, ExportTraceServiceResponse())
        partial = body.get("partialSuccess")
        if not partial:
            return PartialSuccess(False, 0, "")
        # proto3 JSON spells int64 as a string; a number is accepted too.
        return PartialSuccess(True, int(partial.get("rejectedSpans", 0)), partial.get("errorMessage", ""))
    response = ExportTraceServiceResponse()
    response.ParseFromString(answer.content)
    if not response.HasField("partial_success"):
        return PartialSuccess(False, 0, "")
    partial = response.partial_success
    present = partial.rejected_spans != 0 or partial.error_message != ""
    return PartialSuccess(present, partial.rejected_spans, partial.error_message)


def rpc_status(answer: requests.Response, request_content_type: str) -> tuple[int, str]:
    """Decodes a failure answer's google.rpc.Status → (code, message)."""
    assert_content_type(answer, request_content_type)
    if request_content_type == raw_otlp.JSON:
        body = answer.json()
        assert isinstance(body, dict), f"the JSON Status is an object: {answer.text[:300]}"
        json_format.Parse(answer.text, RPCStatus())
        return int(body.get("code", 0)), body.get("message", "")
    status = RPCStatus()
    status.ParseFromString(answer.content)
    return status.code, status.message


def retry_after_seconds(answer: requests.Response) -> int:
    """The Retry-After header as whole seconds; fails when it is missing or not a number."""
    value = answer.headers.get("Retry-After")
    assert value is not None, f"{answer.status_code} without Retry-After (headers: {dict(answer.headers)})"
    assert value.strip().isdigit(), f"Retry-After should be delay-seconds, got {value!r}"
    return int(value)


def good_span(trace_id: bytes, name: str = "fine", attributes: dict | None = None, **fields) -> Span:
    start = time.time_ns() - 2_000_000_000
    span = Span(trace_id=trace_id, span_id=raw_otlp.new_span_id(), name=name, kind=Span.SPAN_KIND_INTERNAL,
                start_time_unix_nano=start, end_time_unix_nano=start + 5_000_000,
                attributes=raw_otlp.key_values(attributes or {}))
    for key, value in fields.items():
        setattr(span, key, value)
    return span


def request_of(service: str, spans: list[Span]) -> ExportTraceServiceRequest:
    return ExportTraceServiceRequest(resource_spans=[ResourceSpans(
        resource=Resource(attributes=raw_otlp.key_values({"service.name": service})),
        scope_spans=[ScopeSpans(spans=spans)],
    )])


def json_body(request) -> bytes:
    """An ExportTraceServiceRequest as OTLP/JSON (hex ids, as the OTLP/HTTP spec requires)."""
    return json.dumps(otlp_json(request)).encode()


def otlp_json(request) -> dict:
    """protobuf → OTLP/JSON dict: camelCase keys (json_format's), but trace and span ids as hex
    instead of protobuf JSON's base64, which is what OTLP/HTTP JSON specifies."""
    body = json_format.MessageToDict(request)
    for resource_spans in body.get("resourceSpans", []):
        for scope_spans in resource_spans.get("scopeSpans", []):
            for span in scope_spans.get("spans", []):
                _ids_to_hex(span)
                for link in span.get("links", []):
                    _ids_to_hex(link)
    return body


def _ids_to_hex(message: dict):
    for key in ("traceId", "spanId", "parentSpanId"):
        if key in message:
            message[key] = base64.b64decode(message[key]).hex()


@contextmanager
def ingest_budget_held(server, settle_timeout_s: float = 15):
    """Holds `server`'s whole ingest memory budget for the duration of the block, so every other
    ingest request (OTLP or Zipkin: the budget is shared) is refused with 429.

    How: a raw POST declares a 1 MiB body and sends one byte of it. Skein reserves budget for the
    declared length (5 × 1 MiB, more than a 4 MiB budget; the first request is always admitted)
    and holds it while it waits for the rest of the body. Closing the socket ends that request and
    gives the budget back. Only for servers whose budget is below 5 MiB (`small_skein`)."""
    url = urlsplit(server.otlp_traces_url)
    holder = socket.create_connection((url.hostname, url.port), timeout=10)
    try:
        holder.sendall(
            f"POST {url.path} HTTP/1.1\r\nHost: {url.netloc}\r\n"
            f"Content-Type: {raw_otlp.PROTOBUF}\r\nContent-Length: {1024 * 1024}\r\n\r\n".encode() + b"\x0a")
        _wait_for_probe(server, lambda status: status == 429, settle_timeout_s, "refused while the budget is held")
        yield
    finally:
        holder.close()
    _wait_for_probe(server, lambda status: status != 429, settle_timeout_s, "admitted again after the budget came back")


def export_while_budget_held(server, exporter, spans, caplog) -> tuple[list, list[str]]:
    """Starts `exporter.export(spans)` while `server`'s ingest budget is held, lets the budget go
    once the exporter has logged that it will retry, and waits for the export to end. Returns the
    export results and the exporter's "retrying" log messages (their delay is what the server asked
    for: Retry-After or gRPC RetryInfo)."""
    results = []
    with caplog.at_level(logging.WARNING):
        with ingest_budget_held(server):
            sender = threading.Thread(target=lambda: results.append(exporter.export(spans)), daemon=True)
            sender.start()
            deadline = time.monotonic() + 10
            while not any("retrying" in r.getMessage() for r in caplog.records) and time.monotonic() < deadline:
                time.sleep(0.05)
        sender.join(timeout=30)
    exporter.shutdown()
    return results, [r.getMessage() for r in caplog.records if "retrying" in r.getMessage()]


def _wait_for_probe(server, done, timeout_s: float, what: str):
    """Posts an empty OTLP request until `done(status)`; fails after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    status = None
    while time.monotonic() < deadline:
        status = requests.post(server.otlp_traces_url, data=b"", headers={"Content-Type": raw_otlp.PROTOBUF},
                               timeout=10).status_code
        if done(status):
            return
        time.sleep(0.1)
    raise AssertionError(f"an empty OTLP request was never {what} within {timeout_s}s (last status {status})")
