"""A small but complete two-service trace, made with the stock OpenTelemetry Python SDK.

It uses every attribute type the SDK accepts, all span kinds, parent/child across services (through
W3C trace-context propagation, so the server-side span has a remote parent), events with attributes,
links with attributes, an error status with a description, a trace state, and span limits that make
the SDK drop attributes, events and links so that the dropped counts are not zero.

Every exporter is wrapped so the suite knows exactly which spans were exported and that the exports
succeeded; expectations are derived from those spans, never retyped by hand.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Sequence

from opentelemetry import trace as trace_api
from opentelemetry.propagators.textmap import DefaultSetter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, SpanLimits, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.sdk.trace.sampling import Decision, Sampler, SamplingResult
from opentelemetry.trace import Link, SpanKind, Status, StatusCode, TraceState
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

SCHEMA_URL = "https://opentelemetry.io/schemas/1.26.0"
TRACE_STATE = TraceState([("skein", "interop-1"), ("vendor", "abc123")])
XSS_SCRIPT = "<script>window.__xss=1</script>"
XSS_IMG = '"><img src=x onerror="window.__xss=2">'

# Every attribute type the SDK accepts, with the edges that break naive codecs.
ALL_TYPES = {
    "str": "hello, wörld ✓ \"quoted\" \\ tab\there",
    "str.empty": "",
    "bool.true": True,
    "bool.false": False,
    "int.small": 42,
    "int.negative": -7,
    "int.max": 2**63 - 1,
    "int.min": -(2**63),
    "int.beyond_double": 2**53 + 1,
    "float": 3.141592653589793,
    "float.negative": -0.5,
    "float.tiny": 1e-300,
    "float.whole": 2.0,
    "bytes": b"\x00\x01\xfe\xff skein",
    "list.str": ["a", "b", "ünïcode"],
    "list.bool": [True, False, True],
    "list.int": [1, -2, 2**63 - 1],
    "list.float": [1.5, -2.25, 1e10],
    "list.empty": [],
    "http.request.method": "GET",
    "http.route": "/checkout",
    "http.response.status_code": 200,
}


class TraceStateSampler(Sampler):
    """Samples everything; roots get TRACE_STATE, children inherit their parent's."""

    def should_sample(self, parent_context, trace_id, name, kind=None, attributes=None,
                      links=None, trace_state=None) -> SamplingResult:
        parent = trace_api.get_current_span(parent_context).get_span_context()
        state = parent.trace_state if parent.is_valid else TRACE_STATE
        # The SDK takes the span's initial attributes from the sampling result.
        return SamplingResult(Decision.RECORD_AND_SAMPLE, attributes, state)

    def get_description(self) -> str:
        return "TraceStateSampler"


class RecordingExporter(SpanExporter):
    """Delegates to a real exporter and remembers what it exported and whether that worked."""

    def __init__(self, inner: SpanExporter):
        self.inner = inner
        self.spans: list[ReadableSpan] = []
        self.results: list[SpanExportResult] = []

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        result = self.inner.export(spans)
        self.spans.extend(spans)
        self.results.append(result)
        return result

    def shutdown(self) -> None:
        self.inner.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.inner.force_flush(timeout_millis)


@dataclass
class SentTrace:
    """What the SDK exported for one trace."""

    trace_id: str
    frontend_service: str
    backend_service: str
    spans: list[ReadableSpan] = field(default_factory=list)
    exporters: list[RecordingExporter] = field(default_factory=list)

    def span_named(self, name: str) -> ReadableSpan:
        return next(s for s in self.spans if s.name == name)

    def span_id(self, name: str) -> str:
        return format(self.span_named(name).context.span_id, "016x")

    def tree_order(self) -> list[str]:
        """Span names depth first, children by start time: how a waterfall lists them."""
        by_parent: dict[int | None, list[ReadableSpan]] = {}
        ids = {s.context.span_id for s in self.spans}
        for span in self.spans:
            parent = span.parent.span_id if span.parent and span.parent.span_id in ids else None
            by_parent.setdefault(parent, []).append(span)
        order: list[str] = []

        def visit(parent):
            for child in sorted(by_parent.get(parent, []), key=lambda s: s.start_time):
                order.append(child.name)
                visit(child.context.span_id)

        visit(None)
        return order


SPAN_LIMITS = SpanLimits(
    max_span_attributes=48, max_events=4, max_links=2,
    max_event_attributes=8, max_link_attributes=8,
)


def _provider(service: str, extra: dict, exporter: RecordingExporter) -> TracerProvider:
    resource = Resource.create({"service.name": service, **extra}, schema_url=SCHEMA_URL)
    provider = TracerProvider(resource=resource, sampler=TraceStateSampler(), span_limits=SPAN_LIMITS)
    provider.add_span_processor(BatchSpanProcessor(exporter, schedule_delay_millis=60_000))
    return provider


def build_rich_trace(make_exporter: Callable[[], SpanExporter], prefix: str) -> SentTrace:
    """Record the trace with two providers (two services), export it and flush."""
    frontend_exporter = RecordingExporter(make_exporter())
    backend_exporter = RecordingExporter(make_exporter())
    frontend_name, backend_name = f"{prefix}-frontend", f"{prefix}-backend"
    frontend = _provider(frontend_name, {
        "service.version": "1.2.3",
        "deployment.environment.name": "interop",
        "host.cpu.count": 2,
        "feature.flags": ["checkout-v2", "dark-mode"],
        "process.sampling.ratio": 0.25,
        "process.canary": False,
    }, frontend_exporter)
    backend = _provider(backend_name, {"service.version": "9.0.0", "team": "payments"}, backend_exporter)
    front = frontend.get_tracer(
        "skein.interop.frontend", "2.3.4", schema_url=SCHEMA_URL,
        attributes={"scope.team": "interop", "scope.priority": 3},
    )
    back = backend.get_tracer("skein.interop.backend", "0.9.1")

    # Ten seconds ago, with odd nanoseconds everywhere: precision losses show.
    base = time.time_ns() - 10_000_000_000

    def at(ms: int, ns: int) -> int:
        return base + ms * 1_000_000 + ns

    root = front.start_span("GET /checkout", kind=SpanKind.SERVER, start_time=at(0, 7), attributes=ALL_TYPES)
    root_ctx = trace_api.set_span_in_context(root)

    auth = front.start_span("auth.check", root_ctx, SpanKind.INTERNAL, start_time=at(2, 11), attributes={
        "auth.user": "user-42@example.test",
        "user.comment": XSS_SCRIPT,
        "user.note": XSS_IMG,
    })
    auth.add_event("cache.miss", {
        "cache.key": "user:42", "cache.attempt": 1, "cache.hit_ratio": 0.25, "cache.cold": True,
        "cache.tiers": ["l1", "l2"],
    }, timestamp=at(3, 13))
    auth.set_status(Status(StatusCode.OK))
    auth.end(end_time=at(9, 17))

    client = front.start_span("POST /payments/charge", root_ctx, SpanKind.CLIENT, start_time=at(10, 19), attributes={
        "http.request.method": "POST", "server.address": "payments", "http.response.status_code": 402,
    })
    client.add_event("retry", {"retry.count": 2}, timestamp=at(12, 23))
    client.set_status(Status(StatusCode.ERROR, "card declined: insufficient funds"))

    # Cross the process boundary the way instrumented HTTP does: W3C traceparent/tracestate.
    carrier: dict[str, str] = {}
    TraceContextTextMapPropagator().inject(carrier, trace_api.set_span_in_context(client), DefaultSetter())
    remote_ctx = TraceContextTextMapPropagator().extract(carrier)

    charge = back.start_span("charge", remote_ctx, SpanKind.SERVER, start_time=at(11, 29), attributes={
        "payment.amount": 12.5, "payment.currency": "EUR",
    }, links=[Link(auth.get_span_context(), {
        "link.reason": "authorised-by", "link.weight": 7, "link.ok": True, "link.tags": ["a", "b"],
    })])
    charge.set_status(Status(StatusCode.ERROR, "insufficient funds"))
    charge_ctx = trace_api.set_span_in_context(charge)
    db = back.start_span("SELECT payments", charge_ctx, SpanKind.CLIENT, start_time=at(13, 31), attributes={
        "db.system.name": "postgresql", "db.query.text": "SELECT * FROM payments WHERE id = $1",
        "db.response.returned_rows": 0,
    })
    db.end(end_time=at(20, 37))
    publish = back.start_span("payments.declined publish", charge_ctx, SpanKind.PRODUCER, start_time=at(21, 41),
                              attributes={"messaging.system": "kafka",
                                          "messaging.destination.name": "payments.declined"})
    publish.end(end_time=at(22, 43))
    consume = back.start_span("payments.declined process", trace_api.set_span_in_context(publish),
                              SpanKind.CONSUMER, start_time=at(30, 47),
                              links=[Link(publish.get_span_context(), {"link.kind": "message"})])
    consume.end(end_time=at(35, 53))
    charge.end(end_time=at(36, 59))
    client.end(end_time=at(37, 61))

    # Over the span limits: 52 attributes (48 kept), 6 events (4 kept), 3 links (2 kept),
    # an event and a link with 10 attributes each (8 kept).
    overflow = front.start_span(
        "limits", root_ctx, SpanKind.INTERNAL, start_time=at(40, 67),
        attributes={f"extra.{i:02d}": i for i in range(52)},
        links=[
            Link(auth.get_span_context()),  # the oldest: the SDK drops it
            Link(client.get_span_context()),
            Link(root.get_span_context(), {f"la.{i}": i for i in range(10)}),
        ],
    )
    for i in range(5):
        overflow.add_event(f"tick-{i}", {"i": i}, timestamp=at(41, 71 + i))
    overflow.add_event("big", {f"ea.{i}": i for i in range(10)}, timestamp=at(42, 79))
    overflow.end(end_time=at(45, 83))
    root.end(end_time=at(50, 89))

    for provider in (backend, frontend):
        assert provider.force_flush(30_000), "force_flush() timed out"
    for provider in (backend, frontend):
        provider.shutdown()

    for exporter in (frontend_exporter, backend_exporter):
        assert exporter.results, "the exporter was never called"
        assert all(r == SpanExportResult.SUCCESS for r in exporter.results), (
            f"export failed: {exporter.results} (see the exporter's log above)"
        )

    sent = SentTrace(
        trace_id=format(root.get_span_context().trace_id, "032x"),
        frontend_service=frontend_name,
        backend_service=backend_name,
        spans=frontend_exporter.spans + backend_exporter.spans,
        exporters=[frontend_exporter, backend_exporter],
    )
    assert len(sent.spans) == 8
    return sent
