"""The stock OpenTelemetry Python Zipkin JSON exporter with its default endpoint.

Zipkin v2 carries less than OTLP by design: tags are strings, times are microseconds, events are
annotations, there are no links or trace state. What it carries must come back exactly.
"""

from __future__ import annotations

import json

import pytest

from conftest import make_zipkin_exporter
from sdk_trace import build_rich_trace
from skein_api import read_jaeger_trace, read_v3_spans

ZIPKIN_KINDS = {"SERVER": 2, "CLIENT": 3, "PRODUCER": 4, "CONSUMER": 5}
# Tags a Zipkin receiver may translate into OTLP fields instead of keeping them as attributes.
TRANSLATABLE_TAGS = {
    "error", "otel.status_code", "otel.status_description",
    "otel.library.name", "otel.library.version", "otel.scope.name", "otel.scope.version",
    "otel.dropped_attributes_count", "otel.dropped_events_count", "otel.dropped_links_count",
}


def typed(value) -> tuple:
    """A JSON value as the typed canonical value it decodes to."""
    if value is None:
        return ("empty", None)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, int):
        return ("int", value)
    if isinstance(value, float):
        return ("double", value)
    if isinstance(value, list):
        return ("array", [typed(v) for v in value])
    return ("string", value)


@pytest.fixture(scope="module")
def zipkin_sent(skein):
    """(the trace sent, the Zipkin JSON spans exactly as the exporter posted them)."""
    payloads: list[str] = []

    def exporter():
        inner = make_zipkin_exporter(skein)
        serialize = inner.encoder.serialize

        def recording_serialize(spans, local_endpoint):
            body = serialize(spans, local_endpoint)
            payloads.append(body)
            return body

        inner.encoder.serialize = recording_serialize
        return inner

    trace = build_rich_trace(exporter, f"interop-{skein.run_id}-zipkin")
    posted = [span for body in payloads for span in json.loads(body)]
    assert len(posted) == 8
    return trace, posted


def test_zipkin_spans_come_back_with_everything_zipkin_carries(skein, http, zipkin_sent):
    trace, posted = zipkin_sent
    got = read_v3_spans(http, skein.ui, trace.trace_id, len(posted))
    assert sorted(got) == sorted(s["id"] for s in posted)

    for sent in posted:
        span = got[sent["id"]]
        where = f"Zipkin span {sent['name']!r}"
        assert span["trace_id"] == sent["traceId"].rjust(32, "0"), where
        assert span["parent_span_id"] == sent.get("parentId", ""), where
        assert span["name"] == sent["name"], where
        if sent.get("kind"):
            assert span["kind"] == ZIPKIN_KINDS[sent["kind"]], where
        else:
            assert span["kind"] in (0, 1), f"{where}: no Zipkin kind is internal or unspecified"
        assert span["start"] == sent["timestamp"] * 1000, f"{where}: µs timestamp as ns"
        assert span["end"] == (sent["timestamp"] + sent["duration"]) * 1000, f"{where}: µs duration as ns"
        assert span["resource"]["attributes"].get("service.name") == ("string", sent["localEndpoint"]["serviceName"])

        for key, value in sent.get("tags", {}).items():
            if key in TRANSLATABLE_TAGS and key not in span["attributes"]:
                continue
            if key not in span["attributes"] and span["resource"]["attributes"].get(key) == ("string", value):
                continue  # the exporter copies resource attributes into tags; a receiver may keep them there
            assert span["attributes"].get(key) == ("string", value), f"{where}: tag {key!r} as a string attribute"
        tags = sent.get("tags", {})
        if "error" in tags and "error" not in span["attributes"]:
            assert span["status"]["code"] == 2, f"{where}: the error tag became an error status"
            assert span["status"]["message"] == tags["error"], where
        if tags.get("otel.status_code") == "OK" and "otel.status_code" not in span["attributes"]:
            assert span["status"]["code"] == 1, where

        annotations = sent.get("annotations", [])
        assert len(span["events"]) == len(annotations), f"{where}: one event per annotation"
        for event, annotation in zip(span["events"], annotations):
            assert event["time"] == annotation["timestamp"] * 1000, where
            # OpenTelemetry writes an event as {"<name>": {<attributes>}}; it reads back as that event.
            ((name, attributes),) = json.loads(annotation["value"]).items()
            assert event["name"] == name, f"{where}: the event is named by its annotation"
            assert event["attributes"] == {k: typed(v) for k, v in attributes.items()}, where


def test_zipkin_trace_reads_back_through_the_jaeger_api(skein, http, zipkin_sent):
    trace, posted = zipkin_sent
    jaeger_trace = read_jaeger_trace(http, skein.ui, trace.trace_id, len(posted))
    names = sorted(s["operationName"] for s in jaeger_trace["spans"])
    assert names == sorted(s["name"] for s in posted)
    services = {p["serviceName"] for p in jaeger_trace["processes"].values()}
    assert services == {trace.frontend_service, trace.backend_service}
    by_id = {int(s["spanID"], 16): s for s in jaeger_trace["spans"]}
    for sent in posted:
        span = by_id[int(sent["id"], 16)]
        assert span["startTime"] == sent["timestamp"]
        assert span["duration"] == sent["duration"]
        refs = [(r["refType"], int(r["spanID"], 16)) for r in span.get("references") or []]
        if "parentId" in sent:
            assert ("CHILD_OF", int(sent["parentId"], 16)) in refs
