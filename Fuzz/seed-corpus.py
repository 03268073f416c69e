#!/usr/bin/env python3
"""Seed the fuzz corpus with what the stock OpenTelemetry Python SDK really sends.

Records spans of varied shapes with the SDK (every attribute type, events, links, statuses, all
span kinds, remote parents, trace state, several scopes, dropped counts, unicode, long values),
then exports each batch with the SDK's own OTLP/HTTP protobuf, OTLP/HTTP JSON and Zipkin v2 JSON
exporters to a tiny HTTP server in this script, which saves every request body (decompressed)
as one corpus file:

    Fuzz/Corpus/otlp-protobuf/<batch>.bin
    Fuzz/Corpus/otlp-json/<batch>.json
    Fuzz/Corpus/zipkin-json/<batch>.json

Run from the repository root with the interop virtualenv (scripts/test creates it):

    .venv/bin/python Fuzz/seed-corpus.py

Ids and timestamps differ on every run, so re-running rewrites the files with new bytes.
"""

from __future__ import annotations

import gzip
import http.server
import logging
import os
import sys
import threading
import time
import zlib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "Fuzz" / "Corpus"
sys.path.insert(0, str(REPO / "Tests" / "interop"))

for _name in list(os.environ):  # a developer's OTEL_* settings must not change what is sent
    if _name.startswith("OTEL_"):
        del os.environ[_name]

from opentelemetry import trace as trace_api  # noqa: E402
from opentelemetry.exporter.otlp.json.http.trace_exporter import OTLPSpanExporter as JSONExporter  # noqa: E402
from opentelemetry.exporter.otlp.proto.http import Compression  # noqa: E402
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter as ProtobufExporter  # noqa: E402
from opentelemetry.exporter.zipkin.json import ZipkinExporter  # noqa: E402
from opentelemetry.sdk.resources import Resource  # noqa: E402
from opentelemetry.sdk.trace import SpanLimits, TracerProvider  # noqa: E402
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult  # noqa: E402
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter  # noqa: E402
from opentelemetry.trace import Link, NonRecordingSpan, SpanContext, SpanKind, Status, StatusCode, TraceFlags, TraceState  # noqa: E402

from sdk_trace import ALL_TYPES, build_rich_trace  # noqa: E402  (the interop suite's rich two-service trace)


class Capture(http.server.BaseHTTPRequestHandler):
    """Answers like a collector and keeps each body under the name the exporter was given."""

    bodies: dict[str, bytes] = {}

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        encoding = self.headers.get("Content-Encoding", "")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "deflate":
            body = zlib.decompress(body)
        Capture.bodies[self.path] = body
        answer, content_type = (b"{}", "application/json") if "json" in self.path else (b"", "application/x-protobuf")
        self.send_response(202 if "zipkin" in self.path else 200)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args) -> None:
        pass


def recorder(service: str, extra: dict | None = None, limits: SpanLimits | None = None):
    memory = InMemorySpanExporter()
    resource = Resource.create({"service.name": service, **(extra or {})},
                               schema_url="https://opentelemetry.io/schemas/1.26.0")
    provider = TracerProvider(resource=resource, span_limits=limits or SpanLimits())
    provider.add_span_processor(SimpleSpanProcessor(memory))
    return provider, memory


def remote_parent(trace_id: int, span_id: int, state: TraceState | None = None):
    context = SpanContext(trace_id, span_id, is_remote=True, trace_flags=TraceFlags(TraceFlags.SAMPLED),
                          trace_state=state or TraceState())
    return trace_api.set_span_in_context(NonRecordingSpan(context))


def batch_minimal():
    provider, memory = recorder("seed-minimal")
    provider.get_tracer("seed").start_span("only").end()
    return memory.get_finished_spans()


def batch_all_attribute_types():
    provider, memory = recorder("seed-types", {"host.cpu.count": 2, "process.canary": False,
                                               "feature.flags": ["a", "b"], "sampling.ratio": 0.25})
    tracer = provider.get_tracer("seed.types", "1.0.0", attributes={"scope.priority": 3, "scope.team": "x"})
    with tracer.start_as_current_span("all types", kind=SpanKind.SERVER, attributes=ALL_TYPES) as span:
        span.set_attribute("float.inf", float("inf"))
        span.set_attribute("float.nan", float("nan"))
        span.set_attribute("float.neg_zero", -0.0)
        span.set_attribute("list.float.special", [float("-inf"), 5e-324, 1.7976931348623157e308])
    return memory.get_finished_spans()


def batch_events_and_exception():
    provider, memory = recorder("seed-events")
    tracer = provider.get_tracer("seed.events")
    with tracer.start_as_current_span("events", kind=SpanKind.INTERNAL) as span:
        span.add_event("plain")
        span.add_event("typed", {"n": 1, "f": 0.5, "b": True, "s": "x", "l": [1, 2, 3]})
        span.add_event("explicit time", timestamp=1)
        try:
            raise ValueError("boom: ünïcode \"quoted\" \n newline")
        except ValueError as error:
            span.record_exception(error)
        span.set_status(Status(StatusCode.ERROR, "failed on purpose"))
    return memory.get_finished_spans()


def batch_links_and_trace_state():
    provider, memory = recorder("seed-links")
    tracer = provider.get_tracer("seed.links", "0.1")
    state = TraceState([("vendor", "v1"), ("other", "o2")])
    parent = remote_parent(0x0AF7651916CD43DD8448EB211C80319C, 0xB7AD6B7169203331, state)
    other = SpanContext(0x1234, 0x5678, is_remote=True, trace_state=state)
    with tracer.start_as_current_span("linked", parent, SpanKind.CONSUMER, links=[
        Link(other, {"link.reason": "batch", "link.weight": 7, "link.tags": ["a", "b"]}),
        Link(SpanContext(0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF, 0xFFFFFFFFFFFFFFFF, is_remote=False)),
    ]):
        pass
    return memory.get_finished_spans()


def batch_kinds_and_statuses():
    provider, memory = recorder("seed-kinds")
    tracer = provider.get_tracer("seed.kinds")
    statuses = [Status(StatusCode.UNSET), Status(StatusCode.OK), Status(StatusCode.ERROR),
                Status(StatusCode.ERROR, "with a description"), Status(StatusCode.OK)]
    with tracer.start_as_current_span("root", kind=SpanKind.SERVER):
        for kind, status in zip(SpanKind, statuses):
            with tracer.start_as_current_span(f"kind {kind.name}", kind=kind) as span:
                span.set_status(status)
    return memory.get_finished_spans()


def batch_zipkin_endpoints():
    provider, memory = recorder("seed-endpoints")
    tracer = provider.get_tracer("seed.endpoints")
    with tracer.start_as_current_span("GET /remote", kind=SpanKind.CLIENT, attributes={
        "peer.service": "inventory", "net.peer.ip": "10.0.0.7", "net.peer.port": 8080,
        "server.address": "inventory.internal", "error": "timeout",
    }):
        pass
    with tracer.start_as_current_span("ipv6", kind=SpanKind.CLIENT, attributes={
        "net.peer.ip": "2001:db8::1", "net.peer.name": "v6.example",
    }):
        pass
    return memory.get_finished_spans()


def batch_limits_and_unicode():
    limits = SpanLimits(max_span_attributes=8, max_events=2, max_links=1, max_attribute_length=64)
    provider, memory = recorder("séed-ünïcode ✓", {"deployment.environment.name": "fuzz"}, limits)
    tracer = provider.get_tracer("seed.unicode", "9.9.9")
    other = SpanContext(0xABC, 0xDEF, is_remote=True)
    with tracer.start_as_current_span("名前 🚀 <b>&amp;</b>", links=[Link(other), Link(other)],
                                      attributes={f"attr.{i}": "ü" * 100 for i in range(12)}) as span:
        for i in range(4):
            span.add_event(f"event {i} \u0000 \u2028", {"i": i})
        span.set_attribute("empty", "")
        span.set_attribute("", "empty key")
    return memory.get_finished_spans()


def batch_many_spans():
    provider, memory = recorder("seed-many")
    tracers = [provider.get_tracer(f"seed.scope.{n}", f"{n}.0") for n in range(3)]
    with tracers[0].start_as_current_span("root"):
        for i in range(40):
            with tracers[i % 3].start_as_current_span(f"child {i}", attributes={"i": i}):
                pass
    return memory.get_finished_spans()


def batch_long_values():
    provider, memory = recorder("seed-long")
    with provider.get_tracer("seed.long").start_as_current_span("long", attributes={
        "db.query.text": "SELECT " + ", ".join(f"column_{i}" for i in range(400)) + " FROM t",
        "list.long": [f"item-{i}" for i in range(200)],
    }):
        pass
    return memory.get_finished_spans()


BATCHES = {
    "minimal": batch_minimal,
    "all-attribute-types": batch_all_attribute_types,
    "events-and-exception": batch_events_and_exception,
    "links-and-trace-state": batch_links_and_trace_state,
    "kinds-and-statuses": batch_kinds_and_statuses,
    "remote-endpoints": batch_zipkin_endpoints,
    "limits-and-unicode": batch_limits_and_unicode,
    "many-spans": batch_many_spans,
    "long-values": batch_long_values,
}


def exporters(base: str, name: str):
    return {
        "otlp-protobuf": (ProtobufExporter(endpoint=f"{base}/protobuf/{name}", compression=Compression.Gzip), "bin"),
        "otlp-json": (JSONExporter(endpoint=f"{base}/json/{name}"), "json"),
        "zipkin-json": (ZipkinExporter(endpoint=f"{base}/zipkin/{name}"), "json"),
    }


def export(spans, base: str, name: str) -> None:
    for decoder, (exporter, extension) in exporters(base, name).items():
        result = exporter.export(spans)
        assert result == SpanExportResult.SUCCESS, f"{decoder} export of {name} failed: {result}"
        exporter.shutdown()
        path = {"otlp-protobuf": "protobuf", "otlp-json": "json", "zipkin-json": "zipkin"}[decoder]
        body = Capture.bodies.pop(f"/{path}/{name}")
        (CORPUS / decoder).mkdir(parents=True, exist_ok=True)
        (CORPUS / decoder / f"sdk-{name}.{extension}").write_bytes(body)


class Forwarding:
    """A SpanExporter for build_rich_trace: records, then sends the same spans through all three."""

    def __init__(self, base: str, name: str):
        self.base, self.name = base, name

    def export(self, spans):
        export(list(spans), self.base, self.name)
        return SpanExportResult.SUCCESS

    def shutdown(self):
        pass

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return True


def main() -> None:
    logging.disable(logging.WARNING)  # the SDK warns about every limit the batches hit on purpose
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Capture)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        for name, record in BATCHES.items():
            export(record(), base, name)
        # The interop suite's two-service trace: one export per service.
        services = iter(["rich-frontend", "rich-backend"])
        build_rich_trace(lambda: Forwarding(base, next(services)), f"seed-{int(time.time())}")
    finally:
        server.shutdown()
    total = sum(f.stat().st_size for f in CORPUS.rglob("sdk-*"))
    print(f"wrote {len(list(CORPUS.rglob('sdk-*')))} corpus files, {total} bytes, under {CORPUS}")


if __name__ == "__main__":
    main()
