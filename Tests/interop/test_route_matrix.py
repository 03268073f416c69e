"""Every page and API route of a real server against every built-in role and an anonymous
visitor: allowed, 403, or (anonymous) sent to the login page / 401 for the API. The Swift
RoutePermissionMatrixTests check the same table on the router; this one checks the built binary."""

from __future__ import annotations

import pytest
import requests

import raw_otlp
from accounts_helpers import create_user, one_request, send, session_for, span, wait_for_trace

ROLE_PASSWORD = "matrix role passphrase"
ROLES = ("viewer", "responder", "admin")

# path template -> the permission it needs (None: any signed-in user)
ROUTES = {
    "/": "traces.read",
    "/search?service={service}": "traces.read",
    "/trace/{trace_id}": "traces.read",
    "/api/services": "traces.read",
    "/api/services/{service}/operations": "traces.read",
    "/api/operations?service={service}": "traces.read",
    "/api/traces?service={service}": "traces.read",
    "/api/traces/{trace_id}": "traces.read",
    "/api/dependencies?lookback=3600000": "traces.read",
    "/api/v3/traces/{trace_id}": "traces.read",
    "/admin/ingest": "ingest.health.read",
    "/admin/tokens": "tokens.manage",
    "/admin/audit": "audit.read",
    "/admin/users": "users.manage",
    "/admin/roles": "roles.manage",
    "/account": None,
}
HOLDS = {
    "viewer": {"traces.read"},
    "responder": {"traces.read"},
    "admin": {"traces.read", "ingest.health.read", "tokens.manage", "audit.read", "users.manage", "roles.manage"},
}


@pytest.fixture(scope="module")
def matrix(skein, http) -> dict:
    service = f"matrix-{skein.run_id}"
    trace_id = raw_otlp.new_trace_id()
    send(skein, one_request({service: [span(trace_id, "GET /matrix")]}))
    wait_for_trace(http, skein, trace_id.hex(), 1)
    sessions = {}
    for role in ROLES:
        name = f"matrix-{role}-{skein.run_id}"
        create_user(skein, name, ROLE_PASSWORD, roles=(role,))
        sessions[role] = session_for(skein.ui, name, ROLE_PASSWORD)
    sessions["anonymous"] = requests.Session()
    return {"service": service, "trace_id": trace_id.hex(), "sessions": sessions}


@pytest.mark.parametrize("who", ["anonymous", *ROLES])
def test_every_route_answers_each_role_as_the_policy_says(skein, matrix, who):
    session = matrix["sessions"][who]
    wrong = []
    for template, permission in ROUTES.items():
        path = template.format(service=matrix["service"], trace_id=matrix["trace_id"])
        answer = session.get(f"{skein.ui}{path}", allow_redirects=False, timeout=15)
        is_api = path.startswith("/api/")
        if who == "anonymous":
            expected = "401" if is_api else "302 to /login"
            got = str(answer.status_code) if is_api else f"{answer.status_code} to {answer.headers.get('Location', '')[:6]}"
        elif permission is None or permission in HOLDS[who]:
            expected, got = "200", str(answer.status_code)
        else:
            expected, got = "403", str(answer.status_code)
        if got != expected:
            wrong.append(f"{path}: expected {expected}, got {got}")
    assert not wrong, f"{who}:\n" + "\n".join(wrong)
