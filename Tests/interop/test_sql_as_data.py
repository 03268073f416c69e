"""SQL in search filters is data: searches whose service, operation or attribute filters hold
quotes, comments and statements answer normally with no results, on the search page and the
Jaeger API, and the stored traces are still found afterwards."""

from __future__ import annotations

import json

import pytest

import raw_otlp
from accounts_helpers import one_request, send, span, wait_for_trace

PAYLOADS = ["x' OR '1'='1", "a'); DROP TABLE spans; --"]


@pytest.fixture(scope="module")
def stored_trace(skein, http) -> tuple[str, str]:
    service = f"sql-{skein.run_id}"
    trace_id = raw_otlp.new_trace_id()
    root = span(trace_id, "GET /orders", attributes={"http.route": "/orders"})
    child = span(trace_id, "SELECT orders", parent=root.span_id, offset_ms=2)
    send(skein, one_request({service: [root, child]}))
    wait_for_trace(http, skein, trace_id.hex(), 2)
    return trace_id.hex(), service


def _found_on_the_page(http, skein, params) -> list[str]:
    answer = http.get(f"{skein.ui}/search", params=params, timeout=15)
    assert answer.status_code == 200, f"/search {params} answered {answer.status_code}"
    assert "The search was not run" not in answer.text, f"/search {params} refused its fields"
    return answer.text


def _found_by_the_api(http, skein, params) -> list[str]:
    answer = http.get(f"{skein.ui}/api/traces", params=params, timeout=15)
    assert answer.status_code == 200, f"/api/traces {params} answered {answer.status_code}: {answer.text[:200]}"
    return [trace["traceID"] for trace in answer.json()["data"] or []]


def _cases(service: str) -> list[tuple[str, dict, dict]]:
    """(what, page parameters, API parameters) for each payload in each filter."""
    cases = []
    for payload in PAYLOADS:
        cases.append((f"service {payload!r}", {"service": payload}, {"service": payload}))
        cases.append((f"operation {payload!r}", {"service": service, "operation": payload},
                      {"service": service, "operation": payload}))
        quoted = payload.replace('"', '\\"')
        cases.append((f"attribute value {payload!r}", {"service": service, "tags": f'http.route="{quoted}"'},
                      {"service": service, "tags": json.dumps({"http.route": payload})}))
        cases.append((f"attribute key {payload!r}", {"service": service, "tags": f'"{quoted}"=/orders'},
                      {"service": service, "tags": json.dumps({payload: "/orders"})}))
    return cases


def _search_with_sql_everywhere(http, skein, trace_id: str, service: str):
    for what, page_params, api_params in _cases(service):
        page = _found_on_the_page(http, skein, page_params)
        assert f"/trace/{trace_id}" not in page, f"the page search by {what} matched the stored trace"
        assert _found_by_the_api(http, skein, api_params) == [], f"the API search by {what} found traces"


def test_searches_holding_sql_answer_normally_with_no_results(skein, http, stored_trace):
    trace_id, service = stored_trace
    _search_with_sql_everywhere(http, skein, trace_id, service)


def test_the_stored_traces_are_still_found_after_the_sql_searches(skein, http, stored_trace):
    trace_id, service = stored_trace
    _search_with_sql_everywhere(http, skein, trace_id, service)

    assert f"/trace/{trace_id}" in _found_on_the_page(http, skein, {"service": service})
    assert f"/trace/{trace_id}" in _found_on_the_page(http, skein, {"service": service, "tags": "http.route=/orders"})
    found = _found_by_the_api(http, skein, {"service": service, "operation": "GET /orders"})
    assert [int(t, 16) for t in found] == [int(trace_id, 16)]
    trace = wait_for_trace(http, skein, trace_id, 2)
    assert sorted(s["operationName"] for s in trace["spans"]) == ["GET /orders", "SELECT orders"]
    services = http.get(f"{skein.ui}/api/services", timeout=10).json()["data"]
    assert service in services
