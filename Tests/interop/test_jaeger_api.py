"""The Jaeger query API, as Grafana's Jaeger data source calls it, over the SDK's trace."""

from __future__ import annotations

import json
import time

import raw_otlp
from skein_api import get_json, same_id


def search(http, skein, **params):
    now_us = time.time_ns() // 1000
    query = {"start": now_us - 3_600_000_000, "end": now_us + 60_000_000, "limit": 20, **params}
    return get_json(http, f"{skein.ui}/api/traces", params=query)["data"]


def test_services_lists_the_sdk_services(skein, http, protobuf_trace):
    services = get_json(http, f"{skein.ui}/api/services")["data"]

    assert protobuf_trace.frontend_service in services
    assert protobuf_trace.backend_service in services
    assert len(services) == len(set(services)), "each service once"


def test_service_operations_lists_every_operation_of_the_service(skein, http, protobuf_trace):
    service = protobuf_trace.frontend_service
    operations = get_json(http, f"{skein.ui}/api/services/{service}/operations")["data"]

    assert sorted(operations) == sorted({"GET /checkout", "auth.check", "POST /payments/charge", "limits"})


def test_operations_filtered_by_span_kind(skein, http, protobuf_trace):
    backend = protobuf_trace.backend_service
    servers = get_json(http, f"{skein.ui}/api/operations", params={"service": backend, "spanKind": "server"})["data"]
    everything = get_json(http, f"{skein.ui}/api/operations", params={"service": backend})["data"]

    assert servers == [{"name": "charge", "spanKind": "server"}]
    assert sorted((o["name"], o["spanKind"]) for o in everything) == sorted([
        ("charge", "server"), ("SELECT payments", "client"),
        ("payments.declined publish", "producer"), ("payments.declined process", "consumer"),
    ])


def test_trace_search_by_service_and_tag(skein, http, protobuf_trace):
    service = protobuf_trace.frontend_service
    found = search(http, skein, service=service, tags=json.dumps({"http.route": "/checkout"}))
    not_found = search(http, skein, service=service, tags=json.dumps({"http.route": "/nowhere"}))
    by_logfmt = search(http, skein, service=service, tags='auth.user="user-42@example.test"')

    assert [t["traceID"] for t in found if same_id(t["traceID"], protobuf_trace.trace_id)], "found by its tag"
    assert not [t for t in not_found if same_id(t["traceID"], protobuf_trace.trace_id)]
    assert [t for t in by_logfmt if same_id(t["traceID"], protobuf_trace.trace_id)], "logfmt tags work too"
    trace = next(t for t in found if same_id(t["traceID"], protobuf_trace.trace_id))
    assert len(trace["spans"]) == 8, "a search result carries the whole trace"


def test_trace_search_by_operation_and_duration(skein, http, protobuf_trace):
    service = protobuf_trace.backend_service
    hit = search(http, skein, service=service, operation="SELECT payments", minDuration="5ms", maxDuration="1s")
    miss = search(http, skein, service=service, operation="SELECT payments", minDuration="1s")

    assert any(same_id(t["traceID"], protobuf_trace.trace_id) for t in hit)
    assert not any(same_id(t["traceID"], protobuf_trace.trace_id) for t in miss)


def test_trace_search_honours_the_limit(skein, http):
    service = f"interop-{skein.run_id}-limit"
    for _ in range(3):
        request, _ = raw_otlp.every_value_request(service)
        answer = raw_otlp.post(http, skein.otlp_traces_url, request.SerializeToString(), raw_otlp.PROTOBUF)
        assert answer.status_code == 200

    assert len(search(http, skein, service=service, limit=10)) == 3
    assert len(search(http, skein, service=service, limit=2)) == 2


def test_dependencies_has_the_parent_to_child_service_edge(skein, http, protobuf_trace):
    now_ms = time.time_ns() // 1_000_000
    edges = get_json(http, f"{skein.ui}/api/dependencies", params={"endTs": now_ms, "lookback": 3_600_000})["data"]

    edge = [e for e in edges
            if e["parent"] == protobuf_trace.frontend_service and e["child"] == protobuf_trace.backend_service]
    assert len(edge) == 1, f"one frontend→backend edge in {edges}"
    assert edge[0]["callCount"] >= 1


def test_an_unknown_trace_is_404_in_jaeger_shape(skein, http):
    answer = http.get(f"{skein.ui}/api/traces/0123456789abcdef0123456789abcdef", timeout=10)

    assert answer.status_code == 404
    body = answer.json()
    assert body["errors"][0]["code"] == 404


def test_a_malformed_trace_id_is_400(skein, http):
    answer = http.get(f"{skein.ui}/api/traces/not-a-trace-id", timeout=10)

    assert answer.status_code == 400
