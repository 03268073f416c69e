"""The audit log on a real server: an admin of its own signs in (after a failed try), makes a role,
a user and a token through the forms, views a trace, runs a search, exports the log and signs
out; /admin/audit in Chromium and its CSV export show each of those, filtering by action works,
and the table itself refuses UPDATE and DELETE when Skein's own database user asks, with psql on
the embedded PostgreSQL's socket."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess
from pathlib import Path

import pytest
import requests
from selenium.webdriver.support.ui import Select

import raw_otlp
from accounts_helpers import (
    assert_no_script_ran, browser_sign_in, create_user, csrf_token_of, fresh_chromium, one_request, send,
    session_for, span, wait_for_trace, wait_until,
)
from conftest import ADMIN_NAME, ADMIN_PASSWORD, sign_in

AUDITOR_PASSWORD = "auditor passphrase here"
EXPECTED_ACTIONS = ("login.succeeded", "login.failed", "logout", "role.created", "user.created", "token.created",
                    "trace.viewed", "search.run", "export")


@pytest.fixture(scope="module")
def audited(skein, http) -> dict:
    """Everything the log should show, done by a fresh admin `auditor-<run>`; returns the names."""
    auditor = f"auditor-{skein.run_id}"
    create_user(skein, auditor, AUDITOR_PASSWORD, roles=("admin",))
    names = {"auditor": auditor, "role": f"audited-role-{skein.run_id}", "user": f"audited-user-{skein.run_id}",
             "token": f"audited-token-{skein.run_id}", "service": f"audited-{skein.run_id}"}

    with pytest.raises(AssertionError):
        sign_in(skein.ui, auditor, "certainly not the password")
    session = session_for(skein.ui, auditor, AUDITOR_PASSWORD)
    origin = {"Origin": skein.ui}

    def post_form(path: str, fields: dict, expect=(200, 303)) -> requests.Response:
        page = session.get(f"{skein.ui}{path}", timeout=10)
        assert page.status_code == 200, f"GET {path} answered {page.status_code}"
        answer = session.post(f"{skein.ui}{path}", headers=origin, allow_redirects=False, timeout=15,
                              data={"csrf_token": csrf_token_of(page.text, path), **fields})
        assert answer.status_code in expect, f"POST {path} answered {answer.status_code}: {answer.text[:300]}"
        return answer

    post_form("/admin/roles", {"name": names["role"], "permission": "traces.read", "services": names["service"]})
    role_id = _role_id(session.get(f"{skein.ui}/admin/roles", timeout=10).text, names["role"])
    post_form("/admin/users", {"name": names["user"], "display_name": "Audited User",
                               "password": "audited user passphrase", "role": role_id})
    created = post_form("/admin/tokens", {"name": names["token"], "kind": "read", "services": "", "expires_in_days": "7"})
    import re

    secret = re.search(r'<code id="token-secret">([^<]+)</code>', created.text)
    assert secret, "the token's secret is shown once"
    names["secret"] = secret.group(1)

    trace_id = raw_otlp.new_trace_id()
    send(skein, one_request({names["service"]: [span(trace_id, "GET /audited")]}))
    wait_for_trace(http, skein, trace_id.hex(), 1)
    names["trace_id"] = trace_id.hex()
    assert session.get(f"{skein.ui}/trace/{trace_id.hex()}", timeout=10).status_code == 200
    assert session.get(f"{skein.ui}/search", params={"service": names["service"]}, timeout=10).status_code == 200
    exported = session.get(f"{skein.ui}/admin/audit", params={"format": "csv", "action": "role.created"}, timeout=10)
    assert exported.status_code == 200 and exported.headers["Content-Type"].startswith("text/csv")

    home = session.get(f"{skein.ui}/search", timeout=10)
    logout = session.post(f"{skein.ui}/logout", headers=origin, allow_redirects=False, timeout=10,
                          data={"csrf_token": csrf_token_of(home.text, "/logout")})
    assert logout.status_code in (302, 303), f"sign-out answered {logout.status_code}"
    return names


def _role_id(html: str, role_name: str) -> str:
    import re

    match = re.search(r'<tr id="role-([0-9a-f-]+)">\s*<td><a href="/admin/roles/[0-9a-f-]+">' + re.escape(role_name) + "<", html)
    assert match, f"the role {role_name} is listed on /admin/roles"
    return match.group(1)


def _csv_rows(http, skein, **params) -> list[dict]:
    answer = http.get(f"{skein.ui}/admin/audit", params={"format": "csv", **params}, timeout=15)
    assert answer.status_code == 200, f"CSV export answered {answer.status_code}"
    assert "attachment" in answer.headers.get("Content-Disposition", "")
    return list(csv.DictReader(io.StringIO(answer.text)))


def _mine(row: dict, names: dict) -> bool:
    return names["auditor"] in row["actor"] or names["auditor"] in row["target"]


def test_the_csv_export_holds_every_audited_action(skein, http, audited):
    rows = [row for row in _csv_rows(http, skein, user=audited["auditor"])]
    failed = [row for row in _csv_rows(http, skein, action="login.failed") if audited["auditor"] in row["target"] + row["actor"]]
    actions = {row["action"] for row in rows} | {row["action"] for row in failed}
    missing = [action for action in EXPECTED_ACTIONS if action not in actions]
    assert not missing, f"not in the log: {missing} (have {sorted(actions)})"

    def target_of(action: str) -> str:
        return " ".join(row["target"] + " " + row["after"] for row in rows if row["action"] == action)

    assert audited["role"] in target_of("role.created")
    assert audited["user"] in target_of("user.created")
    assert audited["token"] in target_of("token.created")
    assert audited["trace_id"] in target_of("trace.viewed")
    assert audited["service"] in target_of("search.run")
    role_created = next(row for row in rows if row["action"] == "role.created" and audited["role"] in row["target"])
    assert "traces.read" in role_created["after"] and audited["service"] in role_created["after"], (
        f"the role's permissions and scope are recorded after the change: {role_created}")


def test_a_read_tokens_use_of_the_api_is_audited(skein, http, audited):
    answer = requests.get(f"{skein.ui}/api/services", headers={"Authorization": f"Bearer {audited['secret']}"}, timeout=10)
    assert answer.status_code == 200
    rows = _csv_rows(http, skein, action="token.used")
    assert any(audited["token"] in " ".join(row.values()) for row in rows), (
        f"token.used names the token: {rows[-3:]}")


def test_a_search_cannot_forge_an_audit_entry_with_a_line_break(skein, http, audited):
    marker = f"forged-{skein.run_id}"
    forged = f"{marker}\n2026-01-01T00:00:00Z,{ADMIN_NAME},user.disabled,everyone"
    assert http.get(f"{skein.ui}/search", params={"service": forged}, timeout=10).status_code == 200
    rows = _csv_rows(http, skein)
    assert not [row for row in rows if row["target"] == "everyone" or row["time"].startswith("2026-01-01")], (
        "no forged entry")
    searched = [row for row in rows if marker in " ".join(row.values())]
    assert len(searched) == 1 and searched[0]["action"] == "search.run", f"one entry for the one search: {searched}"
    assert "\\n2026-01-01" in searched[0]["target"], f"the line break is a visible escape: {searched[0]['target']!r}"


def test_the_csv_export_filters_by_action(skein, http, audited):
    rows = _csv_rows(http, skein, action="token.created")
    assert rows and {row["action"] for row in rows} == {"token.created"}
    assert any(audited["token"] in row["target"] for row in rows)


def test_the_audit_page_in_chromium_shows_the_actions_and_filters_by_action(skein, audited, artifacts):
    with fresh_chromium() as browser:
        browser_sign_in(browser, skein.ui, ADMIN_NAME, ADMIN_PASSWORD)
        browser.get(f"{skein.ui}/admin/audit?user={audited['auditor']}")
        browser.save_screenshot(str(artifacts / "audit-log.png"))
        shown = {row.find_elements("css selector", "td")[2].text
                 for row in browser.find_elements("css selector", "#audit tbody tr")
                 if len(row.find_elements("css selector", "td")) > 2}
        missing = [a for a in EXPECTED_ACTIONS if a not in shown and a != "login.failed"]
        assert not missing, f"not on the page: {missing} (shown {sorted(shown)})"

        browser.get(f"{skein.ui}/admin/audit")
        Select(browser.find_element("css selector", "#audit-action")).select_by_value("role.created")
        browser.find_element("css selector", "form.audit-filter button[type=submit]").click()
        wait_until(browser, lambda d: "action=role.created" in d.current_url, message="the filter is applied")
        cells = [row.find_elements("css selector", "td") for row in browser.find_elements("css selector", "#audit tbody tr")]
        actions = {c[2].text for c in cells if len(c) > 2}
        assert actions == {"role.created"}, f"only role.created rows: {actions}"
        assert any(audited["role"] in c[3].text for c in cells if len(c) > 3)
        csv_link = browser.find_element("css selector", "#audit-csv").get_attribute("href")
        assert "format=csv" in csv_link and "action=role.created" in csv_link
        assert_no_script_ran(browser)


def _psql() -> str | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin/psql"), reverse=True):
        return str(candidate)
    return shutil.which("psql")


def _sql(skein, statement: str) -> subprocess.CompletedProcess:
    """Runs one statement as Skein's database user over the embedded cluster's unix socket."""
    psql = _psql()
    if not psql:
        pytest.skip("psql is not installed")
    socket_dir = skein.data_dir / "run"
    assert (socket_dir / ".s.PGSQL.5432").exists(), f"no PostgreSQL socket in {socket_dir}"
    return subprocess.run(
        [psql, "-h", str(socket_dir), "-U", "skein", "-d", "skein", "-X", "-q", "-t", "-A",
         "-v", "ON_ERROR_STOP=1", "-c", statement],
        capture_output=True, text=True, timeout=30)


def test_the_audit_table_refuses_update_delete_and_truncate_from_skeins_own_database_user(skein, audited):
    fingerprint = "SELECT count(*) || ':' || md5(string_agg(id || action || coalesce(target, ''), ',' ORDER BY id)) FROM audit_log"
    before = _sql(skein, fingerprint)
    assert before.returncode == 0, before.stderr
    assert before.stdout.strip().split(":")[0] != "0"

    update = _sql(skein, "UPDATE audit_log SET action = 'login.succeeded', target = 'rewritten' WHERE action = 'login.failed'")
    assert update.returncode != 0 and "append-only" in update.stderr, f"UPDATE was not refused: {update.stderr}"
    delete = _sql(skein, "DELETE FROM audit_log")
    assert delete.returncode != 0 and "append-only" in delete.stderr, f"DELETE was not refused: {delete.stderr}"
    truncate = _sql(skein, "TRUNCATE audit_log")
    assert truncate.returncode != 0 and "append-only" in truncate.stderr, f"TRUNCATE was not refused: {truncate.stderr}"

    after = _sql(skein, fingerprint)
    assert after.stdout == before.stdout, "the rows are unchanged"


def test_a_role_named_like_a_formula_is_exported_as_text(skein, http, audited):
    formula = f'=HYPERLINK("http://evil.example/{skein.run_id}","x")'
    page = http.get(f"{skein.ui}/admin/roles", timeout=10)
    answer = http.post(f"{skein.ui}/admin/roles", headers={"Origin": skein.ui}, allow_redirects=False, timeout=15,
                       data={"csrf_token": csrf_token_of(page.text, "/admin/roles"), "name": formula,
                             "permission": "traces.read", "services": ""})
    assert answer.status_code in (200, 303), f"answered {answer.status_code}: {answer.text[:300]}"
    rows = [row for row in _csv_rows(http, skein, action="role.created") if skein.run_id in row["target"]
            and "HYPERLINK" in row["target"]]
    assert len(rows) == 1, rows
    assert rows[0]["target"] == "'" + formula, f"the cell starts with a quote, not a formula: {rows[0]['target']!r}"
