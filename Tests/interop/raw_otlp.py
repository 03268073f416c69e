"""Hand-built OTLP requests (with the `opentelemetry.proto` classes) for what the SDK can't express:
bytes, nested key-value lists, arrays of mixed values, empty values, dropped counts, flags,
unspecified kinds, spans whose parent never arrives."""

from __future__ import annotations

import gzip
import os
import time

import requests
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.common.v1.common_pb2 import (
    AnyValue,
    ArrayValue,
    InstrumentationScope,
    KeyValue,
    KeyValueList,
)
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span, Status

PROTOBUF = "application/x-protobuf"
JSON = "application/json"


class Empty:
    """Marker for an AnyValue with no value set."""


def any_value(value) -> AnyValue:
    if isinstance(value, Empty) or value is None:
        return AnyValue()
    if isinstance(value, bool):
        return AnyValue(bool_value=value)
    if isinstance(value, str):
        return AnyValue(string_value=value)
    if isinstance(value, int):
        return AnyValue(int_value=value)
    if isinstance(value, float):
        return AnyValue(double_value=value)
    if isinstance(value, bytes):
        return AnyValue(bytes_value=value)
    if isinstance(value, list):
        return AnyValue(array_value=ArrayValue(values=[any_value(v) for v in value]))
    if isinstance(value, dict):
        return AnyValue(kvlist_value=KeyValueList(values=key_values(value)))
    raise TypeError(f"no AnyValue for {value!r}")


def key_values(mapping: dict) -> list[KeyValue]:
    return [KeyValue(key=k, value=any_value(v)) for k, v in mapping.items()]


def new_trace_id() -> bytes:
    return os.urandom(16)


def new_span_id() -> bytes:
    return os.urandom(8)


def every_value_request(service: str) -> tuple[ExportTraceServiceRequest, bytes]:
    """Two resources, nested values of every kind, dropped counts, flags; returns (request, trace id)."""
    trace_id = new_trace_id()
    root_id, child_id, orphan_id, other_id = (new_span_id() for _ in range(4))
    missing_parent = new_span_id()
    base = time.time_ns() - 5_000_000_000
    nested = {"level1": {"level2": {"leaf": [1, "two", 3.0, True, b"\x04", {"deep": Empty()}]}}}
    mixed = ["s", False, -1, 0.125, b"\x00\xff", [1, [2, [3]]], {"k": "v", "n": 1}, Empty()]

    root = Span(
        trace_id=trace_id, span_id=root_id, trace_state="a=1,b=two", flags=0x301,
        name="raw root ✓", kind=Span.SPAN_KIND_SERVER,
        start_time_unix_nano=base + 1, end_time_unix_nano=base + 9_000_000_001,
        attributes=key_values({
            "bytes": b"\x00\xff\x10 raw",
            "bytes.empty": b"",
            "nested": nested,
            "mixed": mixed,
            "empty": Empty(),
            "str.empty": "",
            "kv.empty": {},
            "array.empty": [],
            "int.zero": 0,
            "double.zero": 0.0,
            "bool.false": False,
            "double.negative_exp": -1.5e-7,
            "unicode": "日本語 🚀 \u00e9\u0301 \U0010ffff",
        }),
        dropped_attributes_count=5,
        events=[
            Span.Event(time_unix_nano=base + 1_000_000_003, name="ev.one",
                       attributes=key_values({"e.bytes": b"\x01\x02", "e.nested": {"a": [1, 2]}}),
                       dropped_attributes_count=2),
            Span.Event(time_unix_nano=base + 2_000_000_005, name="ev.bare"),
        ],
        dropped_events_count=6,
        links=[
            Span.Link(trace_id=new_trace_id(), span_id=new_span_id(), trace_state="x=y",
                      attributes=key_values({"l.kv": {"z": Empty()}, "l.n": 9}),
                      dropped_attributes_count=4, flags=0x101),
            Span.Link(trace_id=trace_id, span_id=child_id),
        ],
        dropped_links_count=7,
        status=Status(code=Status.STATUS_CODE_ERROR, message="raw failure <b>bold</b>"),
    )
    child = Span(
        trace_id=trace_id, span_id=child_id, parent_span_id=root_id, name="unspecified kind",
        kind=Span.SPAN_KIND_UNSPECIFIED,
        start_time_unix_nano=base + 100_000_007, end_time_unix_nano=base + 200_000_009,
        status=Status(code=Status.STATUS_CODE_OK),
    )
    orphan = Span(
        trace_id=trace_id, span_id=orphan_id, parent_span_id=missing_parent, name="orphan",
        kind=Span.SPAN_KIND_CONSUMER, flags=1,
        start_time_unix_nano=base + 300_000_011, end_time_unix_nano=base + 300_000_013,
    )
    other = Span(
        trace_id=trace_id, span_id=other_id, parent_span_id=root_id, name="other resource",
        kind=Span.SPAN_KIND_PRODUCER,
        start_time_unix_nano=base + 400_000_017, end_time_unix_nano=base + 500_000_019,
        attributes=key_values({"only": "this"}),
    )
    request = ExportTraceServiceRequest(resource_spans=[
        ResourceSpans(
            resource=Resource(
                attributes=key_values({"service.name": service, "res.bytes": b"\xca\xfe",
                                       "res.kv": {"region": "eu", "zones": ["a", "b"]}}),
                dropped_attributes_count=3,
            ),
            schema_url="https://example.test/resource-schema",
            scope_spans=[ScopeSpans(
                scope=InstrumentationScope(name="raw.scope", version="v0",
                                           attributes=key_values({"scope.nested": {"x": [Empty()]}}),
                                           dropped_attributes_count=1),
                schema_url="https://example.test/scope-schema",
                spans=[root, child, orphan],
            )],
        ),
        ResourceSpans(
            resource=Resource(attributes=key_values({"service.name": f"{service}-b"})),
            scope_spans=[ScopeSpans(spans=[other])],
        ),
    ])
    return request, trace_id


def post(http: requests.Session, url: str, body: bytes, content_type: str,
         gzip_body: bool = False, headers: dict | None = None) -> requests.Response:
    all_headers = {"Content-Type": content_type, **(headers or {})}
    if gzip_body:
        body = gzip.compress(body)
        all_headers["Content-Encoding"] = "gzip"
    return http.post(url, data=body, headers=all_headers, timeout=60)


def parse_export_response(answer: requests.Response) -> ExportTraceServiceResponse:
    response = ExportTraceServiceResponse()
    response.ParseFromString(answer.content)
    return response
