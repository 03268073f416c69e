"""One canonical, comparable form for spans, whether they come from OTLP protobuf or OTLP/JSON.

Both what a client sent and what `/api/v3/traces/{id}` answered are reduced to plain dicts keyed by
span id, so a round trip is checked with a single `==` and pytest shows the difference.
Typed values stay typed: ("int", 5) is not ("string", "5") and not ("double", 5.0).
"""

from __future__ import annotations

import base64
import math

KIND_NAMES = {
    "SPAN_KIND_UNSPECIFIED": 0, "SPAN_KIND_INTERNAL": 1, "SPAN_KIND_SERVER": 2,
    "SPAN_KIND_CLIENT": 3, "SPAN_KIND_PRODUCER": 4, "SPAN_KIND_CONSUMER": 5,
}
STATUS_NAMES = {"STATUS_CODE_UNSET": 0, "STATUS_CODE_OK": 1, "STATUS_CODE_ERROR": 2}


# ---------------------------------------------------------------- from protobuf messages

def value_from_pb(any_value) -> tuple:
    which = any_value.WhichOneof("value")
    if which is None:
        return ("empty", None)
    if which == "string_value":
        return ("string", any_value.string_value)
    if which == "bool_value":
        return ("bool", any_value.bool_value)
    if which == "int_value":
        return ("int", any_value.int_value)
    if which == "double_value":
        return ("double", any_value.double_value)
    if which == "bytes_value":
        return ("bytes", bytes(any_value.bytes_value))
    if which == "array_value":
        return ("array", [value_from_pb(v) for v in any_value.array_value.values])
    if which == "kvlist_value":
        return ("kvlist", [(kv.key, value_from_pb(kv.value)) for kv in any_value.kvlist_value.values])
    raise AssertionError(f"unknown AnyValue case {which}")


def attributes_from_pb(key_values) -> dict:
    return {kv.key: value_from_pb(kv.value) for kv in key_values}


def spans_from_pb_request(request) -> dict:
    """ExportTraceServiceRequest (or TracesData) → {span_id_hex: canonical span}."""
    spans = {}
    for resource_spans in request.resource_spans:
        resource = {
            "attributes": attributes_from_pb(resource_spans.resource.attributes),
            "dropped_attributes": resource_spans.resource.dropped_attributes_count,
            "schema_url": resource_spans.schema_url,
        }
        for scope_spans in resource_spans.scope_spans:
            scope = {
                "name": scope_spans.scope.name,
                "version": scope_spans.scope.version,
                "attributes": attributes_from_pb(scope_spans.scope.attributes),
                "dropped_attributes": scope_spans.scope.dropped_attributes_count,
                "schema_url": scope_spans.schema_url,
            }
            for span in scope_spans.spans:
                canonical = {
                    "trace_id": span.trace_id.hex(),
                    "span_id": span.span_id.hex(),
                    "parent_span_id": span.parent_span_id.hex(),
                    "trace_state": span.trace_state,
                    "flags": span.flags,
                    "name": span.name,
                    "kind": int(span.kind),
                    "start": span.start_time_unix_nano,
                    "end": span.end_time_unix_nano,
                    "attributes": attributes_from_pb(span.attributes),
                    "dropped_attributes": span.dropped_attributes_count,
                    "events": [
                        {
                            "time": event.time_unix_nano,
                            "name": event.name,
                            "attributes": attributes_from_pb(event.attributes),
                            "dropped_attributes": event.dropped_attributes_count,
                        }
                        for event in span.events
                    ],
                    "dropped_events": span.dropped_events_count,
                    "links": [
                        {
                            "trace_id": link.trace_id.hex(),
                            "span_id": link.span_id.hex(),
                            "trace_state": link.trace_state,
                            "attributes": attributes_from_pb(link.attributes),
                            "dropped_attributes": link.dropped_attributes_count,
                            "flags": link.flags,
                        }
                        for link in span.links
                    ],
                    "dropped_links": span.dropped_links_count,
                    "status": {"code": int(span.status.code), "message": span.status.message},
                    "resource": resource,
                    "scope": scope,
                }
                spans[canonical["span_id"]] = canonical
    return spans


# ---------------------------------------------------------------- from OTLP/JSON

def _int(value, default: int = 0) -> int:
    if value is None:
        return default
    if isinstance(value, bool):
        raise AssertionError(f"expected an integer, got the boolean {value!r}")
    if isinstance(value, (int, str)):
        return int(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise AssertionError(f"expected an integer, got {value!r}")


def _double(value) -> float:
    if isinstance(value, str):
        special = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}
        if value in special:
            return special[value]
        return float(value)
    if isinstance(value, bool):
        raise AssertionError(f"expected a double, got the boolean {value!r}")
    return float(value)


def _hex_id(value, length: int) -> str:
    """OTLP/JSON ids are hex; an absent or empty id is the empty string."""
    if not value:
        return ""
    text = str(value).lower()
    assert len(text) == length and all(c in "0123456789abcdef" for c in text), (
        f"OTLP/JSON id must be {length} hex digits, got {value!r}"
    )
    return text


def _enum(value, names: dict) -> int:
    if isinstance(value, str) and value in names:
        return names[value]
    return _int(value)


def value_from_json(value: dict | None) -> tuple:
    if not value:
        return ("empty", None)
    assert isinstance(value, dict), f"AnyValue must be an object, got {value!r}"
    if "stringValue" in value:
        return ("string", value["stringValue"])
    if "boolValue" in value:
        assert isinstance(value["boolValue"], bool), f"boolValue must be a JSON boolean: {value!r}"
        return ("bool", value["boolValue"])
    if "intValue" in value:
        return ("int", _int(value["intValue"]))
    if "doubleValue" in value:
        return ("double", _double(value["doubleValue"]))
    if "bytesValue" in value:
        return ("bytes", base64.b64decode(value["bytesValue"]))
    if "arrayValue" in value:
        return ("array", [value_from_json(v) for v in (value["arrayValue"] or {}).get("values", [])])
    if "kvlistValue" in value:
        return ("kvlist", [
            (kv["key"], value_from_json(kv.get("value")))
            for kv in (value["kvlistValue"] or {}).get("values", [])
        ])
    raise AssertionError(f"unknown AnyValue shape {value!r}")


def attributes_from_json(key_values: list | None) -> dict:
    return {kv["key"]: value_from_json(kv.get("value")) for kv in (key_values or [])}


def spans_from_json(traces_data: dict) -> dict:
    """OTLP/JSON TracesData / ExportTraceServiceRequest → {span_id_hex: canonical span}."""
    spans = {}
    for resource_spans in traces_data.get("resourceSpans") or []:
        raw_resource = resource_spans.get("resource") or {}
        resource = {
            "attributes": attributes_from_json(raw_resource.get("attributes")),
            "dropped_attributes": _int(raw_resource.get("droppedAttributesCount")),
            "schema_url": resource_spans.get("schemaUrl") or "",
        }
        for scope_spans in resource_spans.get("scopeSpans") or []:
            raw_scope = scope_spans.get("scope") or {}
            scope = {
                "name": raw_scope.get("name") or "",
                "version": raw_scope.get("version") or "",
                "attributes": attributes_from_json(raw_scope.get("attributes")),
                "dropped_attributes": _int(raw_scope.get("droppedAttributesCount")),
                "schema_url": scope_spans.get("schemaUrl") or "",
            }
            for span in scope_spans.get("spans") or []:
                status = span.get("status") or {}
                canonical = {
                    "trace_id": _hex_id(span.get("traceId"), 32),
                    "span_id": _hex_id(span.get("spanId"), 16),
                    "parent_span_id": _hex_id(span.get("parentSpanId"), 16),
                    "trace_state": span.get("traceState") or "",
                    "flags": _int(span.get("flags")),
                    "name": span.get("name") or "",
                    "kind": _enum(span.get("kind"), KIND_NAMES),
                    "start": _int(span.get("startTimeUnixNano")),
                    "end": _int(span.get("endTimeUnixNano")),
                    "attributes": attributes_from_json(span.get("attributes")),
                    "dropped_attributes": _int(span.get("droppedAttributesCount")),
                    "events": [
                        {
                            "time": _int(event.get("timeUnixNano")),
                            "name": event.get("name") or "",
                            "attributes": attributes_from_json(event.get("attributes")),
                            "dropped_attributes": _int(event.get("droppedAttributesCount")),
                        }
                        for event in span.get("events") or []
                    ],
                    "dropped_events": _int(span.get("droppedEventsCount")),
                    "links": [
                        {
                            "trace_id": _hex_id(link.get("traceId"), 32),
                            "span_id": _hex_id(link.get("spanId"), 16),
                            "trace_state": link.get("traceState") or "",
                            "attributes": attributes_from_json(link.get("attributes")),
                            "dropped_attributes": _int(link.get("droppedAttributesCount")),
                            "flags": _int(link.get("flags")),
                        }
                        for link in span.get("links") or []
                    ],
                    "dropped_links": _int(span.get("droppedLinksCount")),
                    "status": {
                        "code": _enum(status.get("code"), STATUS_NAMES),
                        "message": status.get("message") or "",
                    },
                    "resource": resource,
                    "scope": scope,
                }
                spans[canonical["span_id"]] = canonical
    return spans


# ---------------------------------------------------------------- plain values

def plain(value: tuple):
    """A typed canonical value as the plain JSON-ish value a Jaeger client would see."""
    kind, inner = value
    if kind == "array":
        return [plain(v) for v in inner]
    if kind == "kvlist":
        return {k: plain(v) for k, v in inner}
    if kind == "bytes":
        return base64.b64encode(inner).decode()
    return inner
