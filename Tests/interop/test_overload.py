"""Backpressure, bounded memory, the per-trace limit and idempotent retries, against real servers.

The overload test floods `small_skein` (4 MiB ingest budget, conftest.SMALL_LIMITS) with far more
than it can hold and shows: 429s with Retry-After, every acknowledged span stored, no 5xx but 503,
the server still ready, and its resident memory bounded. It prints its figures (requests sent,
answers by status, baseline and peak RSS) for the issue notes; run with `-s` to see them. The
queue test freezes the embedded PostgreSQL (SIGSTOP) so the write queue fills, and shows the
requests past its capacity refused at once with 429 while the queued ones are acknowledged only
after PostgreSQL resumes and commits them."""

from __future__ import annotations

import collections
import os
import random
import re
import signal
import threading
import time
from pathlib import Path

import pytest
import requests

import raw_otlp
from conftest import SMALL_LIMITS
from otlp_responses import good_span, json_body, partial_success, request_of
from skein_api import read_jaeger_trace, read_v3_spans

SENDERS = 32
MAX_REQUESTS = 1_500  # in total, across senders
MAX_LOAD_SECONDS = 15
BODY_BYTES = 1024 * 1024  # each request, about
MIB = 1024 * 1024
# Acknowledged traces read back after the flood (all of them when there are fewer).
MAX_TRACES_CHECKED = 300


# ------------------------------------------------------------------------------ process memory

def memory_kib(pid: int) -> dict[str, int]:
    """VmRSS (resident now) and VmHWM (peak resident since start or since the last reset), KiB."""
    figures = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            figures[name] = int(value.split()[0])
    return figures


def reset_peak_rss(pid: int) -> bool:
    """Resets VmHWM to the current RSS (Linux ≥ 4.0, `echo 5 > clear_refs`); False if not allowed."""
    try:
        Path(f"/proc/{pid}/clear_refs").write_text("5")
        return True
    except OSError:
        return False


class RSSSampler(threading.Thread):
    """Samples the server's VmRSS every 50 ms until stopped; keeps the largest value."""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_kib = 0
        self.samples = 0
        self._stop_event = threading.Event()

    def run(self):
        while not self._stop_event.is_set():
            try:
                self.peak_kib = max(self.peak_kib, memory_kib(self.pid)["VmRSS"])
                self.samples += 1
            except (OSError, KeyError):
                return
            self._stop_event.wait(0.05)

    def stop(self):
        self._stop_event.set()
        self.join(timeout=5)


class ReadinessProbe(threading.Thread):
    """GETs /readyz every half second until stopped; counts the answers by status, and the
    requests that got no answer within 10 s."""

    def __init__(self, server):
        super().__init__(daemon=True)
        self.url = f"{server.ui}/readyz"
        self.statuses: collections.Counter = collections.Counter()
        self.unanswered = 0
        self._stop_event = threading.Event()

    def run(self):
        with requests.Session() as session:
            while not self._stop_event.is_set():
                try:
                    self.statuses[session.get(self.url, timeout=10).status_code] += 1
                except requests.RequestException:
                    self.unanswered += 1
                self._stop_event.wait(0.5)

    def stop(self):
        self._stop_event.set()
        self.join(timeout=15)


def ready_again(http, server, timeout_s: float = 30) -> list[str]:
    """Polls /readyz until it answers 200 (or `timeout_s` passes); returns every answer seen."""
    seen = []
    deadline = time.monotonic() + timeout_s
    while True:
        answer = http.get(f"{server.ui}/readyz", timeout=10)
        seen.append(f"{answer.status_code} {answer.text.strip()}")
        if answer.status_code == 200 or time.monotonic() > deadline:
            return seen
        time.sleep(0.5)


# ------------------------------------------------------------------------------------- metrics

def scrape(http, server) -> str:
    """The /metrics text."""
    answer = http.get(f"{server.ui}/metrics", timeout=10)
    assert answer.status_code == 200, f"/metrics → {answer.status_code}: {answer.text[:200]}"
    return answer.text


SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"')


def metric_sum(text: str, name: str, **labels: str) -> float:
    """Sum of the samples of `name` whose labels include `labels`."""
    total = 0.0
    for line in text.splitlines():
        match = SAMPLE.match(line)
        if not match or match.group(1) != name:
            continue
        have = dict(LABEL.findall(match.group(2) or ""))
        if all(have.get(key) == value for key, value in labels.items()):
            total += float(match.group(3))
    return total


# ------------------------------------------------------------------------------------ the flood

def big_request(service: str, filler: str):
    """One trace of max-spans-per-request spans adding up to about BODY_BYTES (long attribute
    values, which the server truncates to its limit: the spans are stored, with a warning)."""
    trace_id = raw_otlp.new_trace_id()
    spans_per_request = SMALL_LIMITS["max_spans_per_request"]
    attributes = {f"payload.{index}": filler for index in range(SMALL_LIMITS["max_attributes_per_span"])}
    spans = [good_span(trace_id, f"flood {index}", attributes) for index in range(spans_per_request)]
    return request_of(service, spans), trace_id, {span.span_id.hex() for span in spans}


class Flood:
    """SENDERS threads posting ~1 MiB protobuf requests until MAX_REQUESTS are sent or
    MAX_LOAD_SECONDS pass; records every answer."""

    def __init__(self, server):
        self.server = server
        self.lock = threading.Lock()
        self.sent = 0
        self.statuses: collections.Counter = collections.Counter()
        self.errors: collections.Counter = collections.Counter()
        self.acknowledged: dict[str, set[str]] = {}  # trace id hex → span ids, for each 200
        self.retry_after_missing = 0
        self.bad_answers: list[str] = []
        self.deadline = 0.0
        span_bytes = BODY_BYTES // SMALL_LIMITS["max_spans_per_request"]
        self.filler = "x" * (span_bytes // SMALL_LIMITS["max_attributes_per_span"] - 16)
        self.service = f"overload-{server.run_id}"

    def take_turn(self) -> bool:
        with self.lock:
            if self.sent >= MAX_REQUESTS or time.monotonic() > self.deadline:
                return False
            self.sent += 1
            return True

    def sender(self):
        session = requests.Session()
        try:
            while self.take_turn():
                request, trace_id, span_ids = big_request(self.service, self.filler)
                try:
                    answer = session.post(self.server.otlp_traces_url, data=request.SerializeToString(),
                                          headers={"Content-Type": raw_otlp.PROTOBUF}, timeout=60)
                except requests.RequestException as error:
                    with self.lock:
                        self.errors[error.__class__.__name__] += 1
                    session.close()
                    session = requests.Session()
                    continue
                with self.lock:
                    self.statuses[answer.status_code] += 1
                    if answer.status_code == 200:
                        result = partial_success(answer, raw_otlp.PROTOBUF)
                        if result.rejected_spans:
                            self.bad_answers.append(f"200 rejecting spans: {result}")
                        self.acknowledged[trace_id.hex()] = span_ids
                    elif answer.status_code in (429, 503) and "Retry-After" not in answer.headers:
                        self.retry_after_missing += 1
        finally:
            session.close()

    def run(self):
        self.deadline = time.monotonic() + MAX_LOAD_SECONDS
        threads = [threading.Thread(target=self.sender, daemon=True) for _ in range(SENDERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=MAX_LOAD_SECONDS + 120)
        assert not any(thread.is_alive() for thread in threads), "a sender hung"


def test_a_flood_gets_429s_while_memory_stays_bounded_and_every_acknowledged_span_is_stored(small_skein, http):
    pid = small_skein.process.pid
    before_metrics = scrape(http, small_skein)
    baseline_kib = memory_kib(pid)["VmRSS"]
    peak_was_reset = reset_peak_rss(pid)
    sampler = RSSSampler(pid)
    sampler.start()
    readiness = ReadinessProbe(small_skein)
    readiness.start()
    flood = Flood(small_skein)
    started = time.monotonic()
    try:
        flood.run()
    finally:
        sampler.stop()
        readiness.stop()
    elapsed = time.monotonic() - started
    after = memory_kib(pid)
    peak_kib = max(sampler.peak_kib, after["VmHWM"] if peak_was_reset else 0)

    budget_mib = SMALL_LIMITS["ingest_memory_mib"]
    # The bound: the budget caps what in-flight requests hold (the server's own estimate: 5 × the
    # body), so 4 × the budget leaves room for that estimate being off by a lot; 200 MiB more covers
    # what is not per request and not returned to the OS at once: malloc arenas per thread,
    # NIO's per-connection buffers for 32 connections, the PostgreSQL client's buffers and a debug
    # build's overhead. Without the budget 32 senders × 1 MiB bodies × 5 would be ~160 MiB in
    # flight at once, and unbounded senders more; the point is that RSS does not grow with them.
    bound_kib = baseline_kib + (4 * budget_mib + 200) * 1024
    print(f"\n[overload] {SENDERS} senders, {flood.sent} requests of ~{BODY_BYTES // MIB} MiB in {elapsed:.1f}s: "
          f"statuses {dict(sorted(flood.statuses.items()))}, client errors {dict(flood.errors)}; "
          f"server RSS baseline {baseline_kib / 1024:.1f} MiB, peak {peak_kib / 1024:.1f} MiB "
          f"(sampled peak {sampler.peak_kib / 1024:.1f} MiB over {sampler.samples} samples, "
          f"VmHWM {'reset before the flood' if peak_was_reset else 'not resettable'}: {after['VmHWM'] / 1024:.1f} MiB), "
          f"bound {bound_kib / 1024:.1f} MiB; ingest budget {budget_mib} MiB")

    assert flood.statuses[429] > 0, f"far more than the budget holds was sent, yet no 429: {flood.statuses}"
    assert flood.statuses[200] > 0, f"some requests must get through: {flood.statuses}"
    assert flood.retry_after_missing == 0, "every 429 and 503 carries Retry-After"
    assert not flood.bad_answers, flood.bad_answers[:3]
    server_errors = {status: count for status, count in flood.statuses.items() if status >= 500 and status != 503}
    assert not server_errors, f"no 5xx other than 503: {server_errors}"
    assert set(flood.statuses) <= {200, 429, 503}, f"only 200, 429 and 503 were expected: {flood.statuses}"
    assert not flood.errors, f"every request got an answer (no dropped connections): {dict(flood.errors)}"
    assert peak_kib < bound_kib, (
        f"peak RSS {peak_kib / 1024:.1f} MiB passed the bound {bound_kib / 1024:.1f} MiB "
        f"(baseline {baseline_kib / 1024:.1f} MiB)")

    assert readiness.unanswered == 0, f"/readyz went unanswered during the flood: {readiness.statuses}"
    recovered = ready_again(http, small_skein)
    print(f"[overload] /readyz during the flood: {dict(readiness.statuses)}; right after: {recovered}")
    assert recovered[-1] == "200 ready", f"ready again after the flood: {recovered}"

    checked = list(flood.acknowledged.items())
    random.shuffle(checked)
    for trace_id, span_ids in checked[:MAX_TRACES_CHECKED]:
        trace = read_jaeger_trace(http, small_skein.ui, trace_id, len(span_ids))
        stored = [span["spanID"].rjust(16, "0") for span in trace["spans"]]
        assert sorted(stored) == sorted(span_ids), f"acknowledged trace {trace_id} is stored whole, once"
    print(f"[overload] read back {min(len(checked), MAX_TRACES_CHECKED)} of {len(checked)} acknowledged traces")

    after_metrics = scrape(http, small_skein)
    refused = (metric_sum(after_metrics, "skein_ingest_requests_refused_total", reason="rate_limited")
               - metric_sum(before_metrics, "skein_ingest_requests_refused_total", reason="rate_limited"))
    dropped = (metric_sum(after_metrics, "skein_spans_dropped_total", reason="rate_limited")
               - metric_sum(before_metrics, "skein_spans_dropped_total", reason="rate_limited"))
    print(f"[overload] /metrics: requests refused rate_limited +{refused:.0f}, spans dropped rate_limited +{dropped:.0f}")
    # A request refused by the memory budget is refused before its body is read, so it is counted
    # as a refused request; one refused by a full queue has its spans counted as dropped.
    assert refused + dropped / SMALL_LIMITS["max_spans_per_request"] == flood.statuses[429], (
        "every 429 is counted once: as a refused request or as its spans dropped")


# ---------------------------------------------------------------------------------- queue full

def postgres_processes(server) -> list[int]:
    """The embedded PostgreSQL's postmaster and its children (the backends serving Skein)."""
    postmaster = int((server.data_dir / "postgres" / "postmaster.pid").read_text().splitlines()[0])
    children = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == postmaster:  # fields[1] is the parent pid
            children.append(int(stat.parent.name))
    return [postmaster, *children]


class PostgresStall:
    """Freezes the embedded PostgreSQL (SIGSTOP to every process of it) so a write in progress
    cannot commit; `resume()` (also on exit, always) lets it carry on where it was."""

    def __init__(self, server):
        self.pids = postgres_processes(server)

    def __enter__(self):
        for pid in self.pids:
            os.kill(pid, signal.SIGSTOP)
        return self

    def resume(self):
        for pid in self.pids:
            try:
                os.kill(pid, signal.SIGCONT)
            except ProcessLookupError:
                pass

    def __exit__(self, *exc):
        self.resume()


def test_a_full_write_queue_refuses_with_429_and_commits_what_it_queued(small_skein, http):
    per_request = SMALL_LIMITS["max_spans_per_request"]
    queue_requests = SMALL_LIMITS["max_queued_spans"] // per_request  # requests the queue holds
    senders = queue_requests + 20
    service = f"queue-full-{small_skein.run_id}"
    batches = [request_of(service, [good_span(trace_id, f"q {index}") for index in range(per_request)])
               for trace_id in (raw_otlp.new_trace_id() for _ in range(senders))]
    answers: list[requests.Response | Exception | None] = [None] * senders
    before_metrics = scrape(http, small_skein)

    def send(index):
        try:
            answers[index] = requests.post(small_skein.otlp_traces_url, data=batches[index].SerializeToString(),
                                           headers={"Content-Type": raw_otlp.PROTOBUF}, timeout=60)
        except requests.RequestException as error:
            answers[index] = error

    threads = [threading.Thread(target=send, args=(index,), daemon=True) for index in range(senders)]
    with PostgresStall(small_skein) as stall:
        # While PostgreSQL is frozen nothing commits: the queue fills with `queue_requests`
        # requests (the one being written counts) and the others are refused at once.
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 8  # stays below the 10 s write timeout
        while time.monotonic() < deadline:
            refused = sum(1 for answer in answers if isinstance(answer, requests.Response) and answer.status_code == 429)
            if refused >= senders - queue_requests:
                break
            time.sleep(0.05)
        early = [answer for answer in answers if answer is not None]
        stall.resume()
        for thread in threads:
            thread.join(timeout=60)

    statuses = collections.Counter(a.status_code if isinstance(a, requests.Response) else type(a).__name__
                                   for a in answers)
    print(f"\n[queue full] {senders} concurrent requests of {per_request} spans while PostgreSQL was frozen "
          f"(queue: {SMALL_LIMITS['max_queued_spans']} spans): answered before it resumed "
          f"{dict(collections.Counter(a.status_code for a in early if isinstance(a, requests.Response)))}, "
          f"in the end {dict(statuses)}")
    assert not any(isinstance(a, requests.Response) and a.status_code == 200 for a in early), (
        "nothing is acknowledged before it is committed")
    assert statuses[429] == senders - queue_requests, f"exactly the requests past the queue's capacity: {statuses}"
    assert statuses[200] == queue_requests, f"every queued request committed once PostgreSQL resumed: {statuses}"
    for answer in answers:
        if answer.status_code == 429:
            assert answer.headers.get("Retry-After") == "1"
    for index, answer in enumerate(answers):
        if answer.status_code == 200:
            trace_id = batches[index].resource_spans[0].scope_spans[0].spans[0].trace_id.hex()
            assert len(read_v3_spans(http, small_skein.ui, trace_id, per_request)) == per_request

    after_metrics = scrape(http, small_skein)
    dropped = (metric_sum(after_metrics, "skein_spans_dropped_total", reason="rate_limited")
               - metric_sum(before_metrics, "skein_spans_dropped_total", reason="rate_limited"))
    assert dropped == statuses[429] * per_request, "the spans of every request the full queue refused are counted"


# ---------------------------------------------------------------------------- per-trace limit

def test_spans_past_the_per_trace_limit_are_rejected_as_trace_too_large_and_the_trace_is_flagged(small_skein, http):
    per_request = SMALL_LIMITS["max_spans_per_request"]
    per_trace = SMALL_LIMITS["max_spans_per_trace"]
    trace_id = raw_otlp.new_trace_id()
    service = f"per-trace-{small_skein.run_id}"
    requests_sent = [request_of(service, [good_span(trace_id, f"span {batch}.{index}") for index in range(per_request)])
                     for batch in range(3)]  # 150 spans, limit 100
    answers = [partial_success(raw_otlp.post(http, small_skein.otlp_traces_url, request.SerializeToString(),
                                             raw_otlp.PROTOBUF), raw_otlp.PROTOBUF)
               for request in requests_sent]

    assert [answer.rejected_spans for answer in answers] == [0, 0, per_request], answers
    assert "trace_too_large" in answers[2].error_message, answers[2]
    first_two = {span.span_id.hex() for request in requests_sent[:2] for span in request.resource_spans[0].scope_spans[0].spans}
    stored = read_v3_spans(http, small_skein.ui, trace_id.hex(), per_trace)
    assert set(stored) == first_two, f"{len(stored)} spans stored: the first {per_trace} that arrived"

    # A retry of spans already stored is not a new drop: they are there, the answer rejects none.
    again = partial_success(raw_otlp.post(http, small_skein.otlp_traces_url, requests_sent[0].SerializeToString(),
                                          raw_otlp.PROTOBUF), raw_otlp.PROTOBUF)
    assert again.rejected_spans == 0, f"a retried, already stored batch of a full trace: {again}"
    assert set(read_v3_spans(http, small_skein.ui, trace_id.hex(), per_trace)) == first_two

    search = http.get(f"{small_skein.ui}/search", params={"service": service}, timeout=15)
    assert search.status_code == 200 and "truncated-mark" in search.text, "search results mark the trace truncated"
    page = http.get(f"{small_skein.ui}/trace/{trace_id.hex()}", timeout=15)
    assert page.status_code == 200
    assert "Truncated:" in page.text and f"{per_request} spans" in page.text, "the trace page shows the banner"
    trace = read_jaeger_trace(http, small_skein.ui, trace_id.hex(), per_trace)
    assert len(trace["spans"]) == per_trace
    warnings = trace.get("warnings") or []
    assert any(str(per_request) in warning and "truncat" in warning.lower() for warning in warnings), (
        f"the warning says the trace is truncated and how many spans were left out: {warnings}")


# -------------------------------------------------------------------------- idempotent retries

@pytest.mark.parametrize("content_type", [raw_otlp.PROTOBUF, raw_otlp.JSON], ids=["protobuf", "json"])
def test_a_batch_posted_three_times_is_stored_once(skein, http, content_type):
    request, trace_id = raw_otlp.every_value_request(f"retry-{skein.run_id}-{content_type.rsplit('/', 1)[1]}")
    body = request.SerializeToString() if content_type == raw_otlp.PROTOBUF else json_body(request)
    sent_ids = sorted(span.span_id.hex() for resource in request.resource_spans
                      for scope in resource.scope_spans for span in scope.spans)
    for attempt in range(3):
        answer = raw_otlp.post(http, skein.otlp_traces_url, body, content_type, gzip_body=attempt == 1)
        assert not partial_success(answer, content_type).present, f"attempt {attempt + 1}"

    trace = read_jaeger_trace(http, skein.ui, trace_id.hex(), len(sent_ids))
    assert sorted(span["spanID"].rjust(16, "0") for span in trace["spans"]) == sent_ids, "each span exactly once"
    assert sorted(read_v3_spans(http, skein.ui, trace_id.hex(), len(sent_ids))) == sent_ids

    found = http.get(f"{skein.ui}/api/traces", params={"service": request.resource_spans[0].resource.attributes[0]
                                                       .value.string_value, "limit": 20}, timeout=15).json()["data"]
    matching = [t for t in found if int(t["traceID"], 16) == int(trace_id.hex(), 16)]
    assert len(matching) == 1 and len(matching[0]["spans"]) == len(sent_ids), "search finds it once, whole"
