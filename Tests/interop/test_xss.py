"""Markup in span data stays text in a real Chromium: service names, span names, attribute keys and
values and event names that hold a <script> or an <img onerror> are shown as typed on the landing
page, the search results, the trace page with the span detail open, and the audit log (which
records the search for them); so are a display name, a role name and a token name on the pages
that show them — and nothing runs."""

from __future__ import annotations

from urllib.parse import quote

import pytest

import raw_otlp
from accounts_helpers import (
    assert_no_script_ran, browser_sign_in, create_user, csrf_token_of, fresh_chromium, one_request, page_text, send,
    span, wait_for_trace,
)
from conftest import ADMIN_NAME, ADMIN_PASSWORD

SCRIPT = "<script>window.__xss=1</script>"
IMG = '"><img src=x onerror="window.__xss=1">'


@pytest.fixture(scope="module")
def hostile_trace(skein, http) -> dict:
    """One trace over two services whose every name holds markup; returns what was sent."""
    script_service = f"xss-{skein.run_id} {SCRIPT}"
    img_service = f"xss-{skein.run_id} {IMG}"
    trace_id = raw_otlp.new_trace_id()
    root = span(trace_id, f"GET {SCRIPT}", attributes={SCRIPT: IMG, f"key {IMG}": SCRIPT},
                events=[f"event {SCRIPT}", f"event {IMG}"])
    child = span(trace_id, f"call {IMG}", parent=root.span_id, offset_ms=3, attributes={"plain": IMG})
    send(skein, one_request({script_service: [root], img_service: [child]}))
    wait_for_trace(http, skein, trace_id.hex(), 2)
    return {"trace_id": trace_id.hex(), "root": root, "child": child,
            "script_service": script_service, "img_service": img_service}


@pytest.fixture(scope="module")
def admin_browser(skein):
    with fresh_chromium() as browser:
        browser_sign_in(browser, skein.ui, ADMIN_NAME, ADMIN_PASSWORD)
        yield browser


def test_the_landing_page_lists_hostile_service_names_as_text(skein, admin_browser, hostile_trace, artifacts):
    admin_browser.get(f"{skein.ui}/")
    admin_browser.save_screenshot(str(artifacts / "xss-landing.png"))
    text = page_text(admin_browser)
    assert hostile_trace["script_service"] in text
    assert hostile_trace["img_service"] in text
    assert_no_script_ran(admin_browser)


@pytest.mark.parametrize("service_key", ["script_service", "img_service"])
def test_a_search_for_a_hostile_service_lists_its_trace_as_text(skein, admin_browser, hostile_trace, artifacts, service_key):
    service = hostile_trace[service_key]
    admin_browser.get(f"{skein.ui}/search?service={quote(service)}")
    admin_browser.save_screenshot(str(artifacts / f"xss-search-{service_key}.png"))
    rows = [a for a in admin_browser.find_elements("css selector", "a.trace-link")
            if hostile_trace["trace_id"] in (a.get_attribute("href") or "")]
    assert rows, "the trace is listed"
    text = page_text(admin_browser)
    assert f"GET {SCRIPT}" in text, "the root operation, as typed"
    assert_no_script_ran(admin_browser)


def test_the_trace_page_with_the_span_detail_open_shows_markup_as_text(skein, admin_browser, hostile_trace, artifacts):
    root = hostile_trace["root"]
    admin_browser.get(f"{skein.ui}/trace/{hostile_trace['trace_id']}?span={root.span_id.hex()}")
    admin_browser.save_screenshot(str(artifacts / "xss-trace.png"))
    names = [r.text for r in admin_browser.find_elements("css selector", ".waterfall .row .op")]
    assert names == [f"GET {SCRIPT}", f"call {IMG}"], "span names as typed"
    text = page_text(admin_browser)
    for typed in (hostile_trace["script_service"], hostile_trace["img_service"], SCRIPT, IMG,
                  f"key {IMG}", f"event {SCRIPT}", f"event {IMG}"):
        assert typed in text, f"{typed!r} is shown as text"
    assert_no_script_ran(admin_browser)


def test_the_audit_log_shows_a_search_for_hostile_names_as_text(skein, admin_browser, hostile_trace, artifacts):
    admin_browser.get(f"{skein.ui}/search?service={quote(hostile_trace['img_service'])}&tags={quote('k=' + SCRIPT)}")
    admin_browser.get(f"{skein.ui}/admin/audit?action=search.run")
    admin_browser.save_screenshot(str(artifacts / "xss-audit.png"))
    rows = [row.text for row in admin_browser.find_elements("css selector", "#audit tbody tr")]
    # The audit target quotes each filter and escapes the quotes inside it (AuditText escapes
    # that backslash again), so the markup is compared without its quotes.
    service_start = hostile_trace["img_service"].split('"')[0]
    assert any(f'service="{service_start}' in row and "><img src=x onerror=" in row and f'tags=k="{SCRIPT}"' in row
               for row in rows), "the search is audited with its filters as text: " + repr(rows[:3])
    assert_no_script_ran(admin_browser)


def test_markup_in_a_display_name_a_role_name_and_a_token_name_stays_text(skein, http, admin_browser, artifacts):
    name, password = f"xss-eve-{skein.run_id}", "eve types markup everywhere"
    display_name = f"Eve {SCRIPT}"
    role_name = f"r {IMG}"
    token_name = f"t {SCRIPT} {IMG}"
    create_user(skein, name, password, roles=("viewer",), display_name=display_name)
    for path, fields in (("/admin/roles", {"name": role_name, "permission": "traces.read", "services": ""}),
                         ("/admin/tokens", {"name": token_name, "kind": "read", "services": "", "expires_in_days": "7"})):
        page = http.get(f"{skein.ui}{path}", timeout=10)
        answer = http.post(f"{skein.ui}{path}", headers={"Origin": skein.ui}, allow_redirects=False, timeout=15,
                           data={"csrf_token": csrf_token_of(page.text, path), **fields})
        assert answer.status_code in (200, 303), f"POST {path} answered {answer.status_code}: {answer.text[:300]}"

    with fresh_chromium() as eve:
        browser_sign_in(eve, skein.ui, name, password)
        eve.get(f"{skein.ui}/search")
        assert name in eve.find_element("css selector", "header").text, "the header names Eve"
        assert_no_script_ran(eve)
        eve.get(f"{skein.ui}/account")
        assert display_name in page_text(eve), "/account shows Eve's display name as typed"
        assert_no_script_ran(eve)

    for path, typed in (("/admin/users", display_name), ("/admin/roles", role_name), ("/admin/tokens", token_name),
                        ("/admin/audit", role_name)):
        admin_browser.get(f"{skein.ui}{path}")
        admin_browser.save_screenshot(str(artifacts / f"xss-{path.strip('/').replace('/', '-')}.png"))
        assert typed in page_text(admin_browser), f"{typed!r} is shown as typed on {path}"
        assert_no_script_ran(admin_browser)
