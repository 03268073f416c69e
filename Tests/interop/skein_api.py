"""Reading traces back from Skein's query API, and what a Jaeger client must see for a span."""

from __future__ import annotations

import base64
import json
import time

import requests

import otlp_canonical as canon

READ_TIMEOUT_S = 10


def get_json(http: requests.Session, url: str, params=None, expect: int = 200):
    answer = http.get(url, params=params, timeout=15)
    assert answer.status_code == expect, f"GET {answer.url} → {answer.status_code}: {answer.text[:500]}"
    return answer.json()


def _read_until_complete(http: requests.Session, url: str, parse, complete):
    """GETs `url` until `complete(parse(body))` holds or READ_TIMEOUT_S passes (a 404 counts as
    not there yet) and returns that parsed body; any other status fails at once."""
    deadline = time.monotonic() + READ_TIMEOUT_S
    while True:
        answer = http.get(url, timeout=15)
        if answer.status_code == 200:
            parsed = parse(answer.json())
            if complete(parsed) or time.monotonic() > deadline:
                return parsed
        elif answer.status_code != 404 or time.monotonic() > deadline:
            raise AssertionError(f"GET {url} → {answer.status_code}: {answer.text[:500]}")
        time.sleep(0.3)


def read_v3_spans(http: requests.Session, ui: str, trace_id: str, expected_count: int) -> dict:
    """GET /api/v3/traces/{id} → canonical spans; waits (bounded) until all spans are there."""

    def spans_of(body):
        assert "result" in body, f"/api/v3 answer has no 'result': {str(body)[:300]}"
        return canon.spans_from_json(body["result"])

    return _read_until_complete(http, f"{ui}/api/v3/traces/{trace_id}", spans_of,
                                lambda spans: len(spans) >= expected_count)


def read_jaeger_trace(http: requests.Session, ui: str, trace_id: str, expected_count: int) -> dict:
    """GET /api/traces/{id} → the single Jaeger trace object (spans, processes)."""
    body = _read_until_complete(
        http, f"{ui}/api/traces/{trace_id}", lambda body: body,
        lambda body: bool(body.get("data")) and len(body["data"][0].get("spans", [])) >= expected_count)
    data = body.get("data") or []
    assert len(data) == 1, f"expected one trace in 'data', got {len(data)}: {str(body)[:300]}"
    return data[0]


def assert_round_trip(skein, http: requests.Session, sent: dict, trace_id_hex: str):
    """Reads the trace back through /api/v3 and checks every canonical span came back exactly."""
    got = read_v3_spans(http, skein.ui, trace_id_hex, len(sent))
    assert sorted(got) == sorted(sent), "the same span ids"
    for span_id, expected in sent.items():
        assert got[span_id] == expected, f"span {expected['name']!r} differs after the round trip"


def same_id(a: str, b: str) -> bool:
    """Jaeger may drop leading zeros from hex ids."""
    return int(a, 16) == int(b, 16)


JAEGER_TYPES = {"string": "string", "bool": "bool", "int": "int64", "double": "float64", "bytes": "binary"}


def jaeger_tag_matches(tag: dict, value: tuple) -> bool:
    """Whether one Jaeger typed tag carries this canonical value exactly."""
    kind, inner = value
    tag_type, tag_value = tag.get("type"), tag.get("value")
    if kind in ("array", "kvlist"):
        # Jaeger has no composite type: the value is carried as its JSON text.
        if tag_type != "string" or not isinstance(tag_value, str):
            return False
        try:
            return json.loads(tag_value) == canon.plain(value)
        except ValueError:
            return False
    if kind == "empty":
        return tag_type == "string" and tag_value in ("", None)
    if tag_type != JAEGER_TYPES[kind]:
        return False
    if kind == "bytes":
        if not isinstance(tag_value, str):
            return False
        candidates = {base64.b64encode(inner).decode(), inner.hex()}
        return tag_value in candidates
    if kind == "bool":
        return tag_value is inner
    if kind == "int":
        return isinstance(tag_value, int) and not isinstance(tag_value, bool) and tag_value == inner
    if kind == "double":
        return isinstance(tag_value, (int, float)) and not isinstance(tag_value, bool) and float(tag_value) == inner
    return tag_value == inner


def tags_by_key(tags: list | None) -> dict:
    result = {}
    for tag in tags or []:
        assert {"key", "type", "value"} <= set(tag), f"a Jaeger tag needs key, type and value: {tag}"
        result[tag["key"]] = tag
    return result


def assert_jaeger_attributes(where: str, tags: list | None, attributes: dict, skip: set = frozenset()):
    by_key = tags_by_key(tags)
    for key, value in attributes.items():
        if key in skip:
            continue
        assert key in by_key, f"{where}: tag {key!r} is missing (have {sorted(by_key)})"
        assert jaeger_tag_matches(by_key[key], value), (
            f"{where}: tag {key!r} is {by_key[key]} but the span carried {value}"
        )


KIND_NAMES = {2: "server", 3: "client", 4: "producer", 5: "consumer"}


def assert_jaeger_span(jaeger_trace: dict, span: dict, want: dict):
    """Everything a Jaeger client can see of a span, checked against the canonical span sent."""
    where = f"Jaeger span {want['name']!r}"
    assert span["operationName"] == want["name"], where
    assert same_id(span["traceID"], want["trace_id"]), where
    assert same_id(span["spanID"], want["span_id"]), where
    assert span["startTime"] == want["start"] // 1000, f"{where}: startTime is µs since the epoch"
    assert span["duration"] in {(want["end"] - want["start"]) // 1000, want["end"] // 1000 - want["start"] // 1000}, (
        f"{where}: duration {span['duration']} µs for {want['end'] - want['start']} ns"
    )

    references = {(r["refType"], int(r["traceID"], 16), int(r["spanID"], 16)) for r in span.get("references") or []}
    expected_refs = {("FOLLOWS_FROM", int(link["trace_id"], 16), int(link["span_id"], 16)) for link in want["links"]}
    if want["parent_span_id"]:
        expected_refs.add(("CHILD_OF", int(want["trace_id"], 16), int(want["parent_span_id"], 16)))
    assert references == expected_refs, f"{where}: references"

    assert_jaeger_attributes(where, span.get("tags"), want["attributes"])
    # OpenTelemetry-only data goes where Jaeger's OTLP translator puts it.
    tags = tags_by_key(span.get("tags"))

    def tag(key):
        return tags.get(key, {}).get("value")

    if want["kind"] in KIND_NAMES or want["kind"] == 1:
        assert tag("span.kind") == KIND_NAMES.get(want["kind"], "internal"), f"{where}: span.kind tag"
    assert tag("otel.scope.name") == (want["scope"]["name"] or None), f"{where}: otel.scope.name"
    assert tag("otel.scope.version") == (want["scope"]["version"] or None), f"{where}: otel.scope.version"
    status_names = {0: None, 1: "OK", 2: "ERROR"}
    assert tag("otel.status_code") == status_names[want["status"]["code"]], f"{where}: otel.status_code"
    assert tag("otel.status_description") == (want["status"]["message"] or None), f"{where}: status description"
    if want["status"]["code"] == 2 and "error" not in want["attributes"]:
        assert tags["error"] == {"key": "error", "type": "bool", "value": True}, f"{where}: error=true"
    elif "error" not in want["attributes"]:
        assert "error" not in tags, f"{where}: only error spans carry the error tag"
    assert tag("w3c.tracestate") == (want["trace_state"] or None), f"{where}: w3c.tracestate"
    for field, key in (("dropped_attributes", "otel.dropped_attributes_count"),
                       ("dropped_events", "otel.dropped_events_count"),
                       ("dropped_links", "otel.dropped_links_count")):
        assert tag(key) == (want[field] or None), f"{where}: {key}"

    logs = span.get("logs") or []
    assert len(logs) == len(want["events"]), f"{where}: one log per event"
    for log, event in zip(sorted(logs, key=lambda l: l["timestamp"]), want["events"]):
        assert log["timestamp"] == event["time"] // 1000, f"{where}: log timestamp in µs"
        fields = tags_by_key(log.get("fields"))
        assert fields.get("event", {}).get("value") == event["name"], f"{where}: the log names its event"
        assert_jaeger_attributes(f"{where} log {event['name']!r}", log.get("fields"), event["attributes"])
        dropped = fields.get("otel.dropped_attributes_count", {}).get("value")
        assert dropped == (event["dropped_attributes"] or None), f"{where}: event dropped attributes"

    process = jaeger_trace["processes"][span["processID"]]
    resource = want["resource"]["attributes"]
    assert process["serviceName"] == resource["service.name"][1], f"{where}: process serviceName"
    assert_jaeger_attributes(f"{where} process", process.get("tags"), resource, skip={"service.name"})
