"""Zipkin v2 JSON as classic Zipkin tracers (Brave, zipkin-js) send it, not only OpenTelemetry's
exporter: 64-bit trace ids, plain annotations, remote endpoints, shared server spans."""

from __future__ import annotations

import json
import os
import time

import raw_otlp
from skein_api import read_v3_spans


def test_a_classic_zipkin_trace_reads_back(skein, http):
    trace_id = os.urandom(8).hex()  # 64-bit: Zipkin's classic trace id
    root_id, child_id = os.urandom(8).hex(), os.urandom(8).hex()
    now_us = time.time_ns() // 1000 - 2_000_000
    service = f"interop-{skein.run_id}-brave"
    spans = [
        {
            "traceId": trace_id, "id": root_id, "name": "get /api/items", "kind": "SERVER",
            "timestamp": now_us, "duration": 15_000,
            "localEndpoint": {"serviceName": service, "ipv4": "10.0.0.5", "port": 8080},
            "remoteEndpoint": {"ipv4": "10.0.0.9"},
            "tags": {"http.method": "GET", "http.path": "/api/items", "http.status_code": "200"},
            "annotations": [{"timestamp": now_us + 10, "value": "wire-recv"}],
            "shared": True,
        },
        {
            "traceId": trace_id, "id": child_id, "parentId": root_id, "name": "select items",
            "kind": "CLIENT", "timestamp": now_us + 1_000, "duration": 7_500,
            "localEndpoint": {"serviceName": service},
            "remoteEndpoint": {"serviceName": "mysql", "ipv4": "10.0.0.20", "port": 3306},
            "tags": {"sql.query": "SELECT * FROM items WHERE id = ?", "error": "timeout"},
        },
    ]
    answer = raw_otlp.post(http, skein.zipkin_spans_url, json.dumps(spans).encode(), raw_otlp.JSON)
    assert answer.status_code in (200, 202), answer.text[:300]

    got = read_v3_spans(http, skein.ui, trace_id.rjust(32, "0"), 2)
    root, child = got[root_id], got[child_id]
    assert (root["name"], root["kind"], root["parent_span_id"]) == ("get /api/items", 2, "")
    assert (root["start"], root["end"]) == (now_us * 1000, (now_us + 15_000) * 1000)
    assert root["attributes"]["http.status_code"] == ("string", "200")
    assert [(e["time"], e["name"]) for e in root["events"]] == [((now_us + 10) * 1000, "wire-recv")]
    assert root["resource"]["attributes"]["service.name"] == ("string", service)
    assert (child["name"], child["kind"], child["parent_span_id"]) == ("select items", 3, root_id)
    assert child["status"] == {"code": 2, "message": "timeout"}, "Zipkin's error tag is an error status"
    assert child["attributes"]["peer.service"] == ("string", "mysql"), "the remote service is the peer"

    services = http.get(f"{skein.ui}/api/services", timeout=10).json()["data"]
    assert service in services
