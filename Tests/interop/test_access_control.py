"""Who may see what, on a real server: a share link survives the login page, a viewer sees traces
but no admin page, a wrong password gets the generic answer, signing out ends the session, read
tokens and viewers cannot call admin endpoints, and admin forms refuse posts without their CSRF
token or from another origin."""

from __future__ import annotations

import re
import uuid

import pytest
import requests

from accounts_helpers import (
    assert_no_script_ran, browser_sign_in, create_user, csrf_token_of, fresh_chromium, one_request, page_text,
    path_of, send, session_for, span, submit_login_form, wait_for_trace, wait_until,
)
import raw_otlp

VIEWER_PASSWORD = "viewer reads traces daily"
GENERIC_REFUSAL = "Wrong user name, password or authentication code."
ADMIN_PAGES = ("/admin/users", "/admin/tokens", "/admin/audit", "/admin/roles")


@pytest.fixture(scope="module")
def viewer(skein) -> str:
    name = f"viewer-{skein.run_id}"
    create_user(skein, name, VIEWER_PASSWORD, roles=("viewer",))
    return name


@pytest.fixture(scope="module")
def shared_trace(skein, http) -> tuple[str, str]:
    """A two-span trace of one service; returns (trace id hex, service)."""
    service = f"access-{skein.run_id}"
    trace_id = raw_otlp.new_trace_id()
    root = span(trace_id, "GET /shared")
    child = span(trace_id, "load cart", parent=root.span_id, offset_ms=5)
    send(skein, one_request({service: [root, child]}))
    wait_for_trace(http, skein, trace_id.hex(), 2)
    _child_span_ids[trace_id.hex()] = child.span_id.hex()
    return trace_id.hex(), service


_child_span_ids: dict[str, str] = {}  # trace id -> the child span's id (for a share link with ?span=)


@pytest.fixture(scope="module")
def read_token(skein, http) -> str:
    """A read token the admin made through /admin/tokens; its secret."""
    page = http.get(f"{skein.ui}/admin/tokens", timeout=10)
    assert page.status_code == 200
    answer = http.post(f"{skein.ui}/admin/tokens", headers={"Origin": skein.ui}, timeout=10, data={
        "csrf_token": csrf_token_of(page.text, "/admin/tokens"), "name": f"reader-{skein.run_id}",
        "kind": "read", "services": "", "expires_in_days": "7"})
    assert answer.status_code == 200, answer.text[:300]
    secret = re.search(r'<code id="token-secret">([^<]+)</code>', answer.text)
    assert secret, "the new secret is shown"
    return secret.group(1)


def test_a_share_link_opened_signed_out_leads_through_the_login_page_back_to_the_trace(skein, viewer, shared_trace, artifacts):
    trace_id, service = shared_trace
    link = f"/trace/{trace_id}?span={_child_span_ids[trace_id]}"
    with fresh_chromium() as browser:
        browser.get(f"{skein.ui}{link}")
        assert path_of(browser) == "/login", "a signed-out browser is asked to sign in"
        assert browser.find_element("css selector", "input[name=next]").get_attribute("value") == link

        submit_login_form(browser, viewer, VIEWER_PASSWORD)
        wait_until(browser, lambda d: path_of(d) == f"/trace/{trace_id}", message="back on the shared trace")
        assert browser.current_url == f"{skein.ui}{link}", "with its query"
        browser.save_screenshot(str(artifacts / "share-link-after-login.png"))
        names = [r.text for r in browser.find_elements("css selector", ".waterfall .row .op")]
        assert names == ["GET /shared", "load cart"], "the trace is shown"
        assert service in page_text(browser)


def test_a_viewer_sees_search_and_traces_but_no_admin_links_or_pages(skein, viewer, shared_trace, artifacts):
    trace_id, service = shared_trace
    with fresh_chromium() as browser:
        browser_sign_in(browser, skein.ui, viewer, VIEWER_PASSWORD)
        browser.get(f"{skein.ui}/search?service={service}")
        browser.save_screenshot(str(artifacts / "viewer-search.png"))
        assert browser.find_elements("css selector", 'header nav a[href="/search"]'), "a Search link"
        assert not browser.find_elements("css selector", 'header a[href^="/admin/"]'), "no admin links"
        assert browser.find_elements("css selector", f'a.trace-link[href*="/trace/{trace_id}"]'), "the trace is found"

        browser.get(f"{skein.ui}/trace/{trace_id}")
        assert [r.text for r in browser.find_elements("css selector", ".waterfall .row .op")] == ["GET /shared", "load cart"]

        for path in ADMIN_PAGES:
            browser.get(f"{skein.ui}{path}")
            assert browser.find_element("css selector", "h1").text == "Not allowed", f"{path} is not for viewers"
            assert_no_script_ran(browser)

    viewer_http = session_for(skein.ui, viewer, VIEWER_PASSWORD)
    for path in ADMIN_PAGES:
        answer = viewer_http.get(f"{skein.ui}{path}", allow_redirects=False, timeout=10)
        assert answer.status_code == 403, f"GET {path} as a viewer answered {answer.status_code}"


@pytest.mark.parametrize("who", ["viewer", "nobody"])
def test_a_wrong_password_and_an_unknown_user_get_the_same_generic_answer(skein, viewer, who):
    name = viewer if who == "viewer" else f"nobody-{uuid.uuid4().hex[:6]}"
    with fresh_chromium() as browser:
        browser.get(f"{skein.ui}/login")
        submit_login_form(browser, name, "not the password at all")
        wait_until(browser, lambda d: d.find_elements("css selector", ".problem"), message="an error line")
        assert browser.find_element("css selector", ".problem").text == GENERIC_REFUSAL
        assert path_of(browser) == "/login"
        browser.get(f"{skein.ui}/search")
        assert path_of(browser) == "/login", "still signed out"


def test_signing_out_ends_the_session_for_the_back_button_and_the_old_cookie(skein, viewer, shared_trace):
    trace_id, _ = shared_trace
    with fresh_chromium() as browser:
        browser_sign_in(browser, skein.ui, viewer, VIEWER_PASSWORD)
        browser.get(f"{skein.ui}/trace/{trace_id}")
        assert browser.find_elements("css selector", ".waterfall .row .op")
        old_cookie = next(c for c in browser.get_cookies() if c["name"].endswith("skein_session"))

        browser.find_element("css selector", "form[action='/logout'] button[type=submit]").click()
        wait_until(browser, lambda d: path_of(d) != f"/trace/{trace_id}", message="sign-out leaves the page")
        browser.back()
        browser.refresh()
        assert path_of(browser) == "/login", f"after sign-out the trace asks for sign-in again: {browser.current_url}"
        assert not browser.find_elements("css selector", ".waterfall .row .op")

    replay = requests.get(f"{skein.ui}/trace/{trace_id}", headers={"Cookie": f"{old_cookie['name']}={old_cookie['value']}"},
                          allow_redirects=False, timeout=10)
    assert replay.status_code == 302 and replay.headers["Location"].startswith("/login"), (
        f"the old session cookie answered {replay.status_code}")


@pytest.mark.parametrize("path", ["/admin/users", "/admin/tokens", "/admin/roles"])
def test_a_read_token_cannot_use_admin_endpoints(skein, http, read_token, path):
    bearer = {"Authorization": f"Bearer {read_token}"}
    assert requests.get(f"{skein.ui}/api/services", headers=bearer, timeout=10).status_code == 200, "the token works"

    got = requests.get(f"{skein.ui}{path}", headers=bearer, allow_redirects=False, timeout=10)
    assert got.status_code == 403, f"GET {path} with a read token answered {got.status_code}"
    name = f"by-token-{uuid.uuid4().hex[:6]}"
    posted = requests.post(f"{skein.ui}{path}", headers=bearer, allow_redirects=False, timeout=10, data={
        "name": name, "display_name": name, "password": "a long enough password 1", "kind": "read",
        "permission": "traces.read", "role": "admin"})
    assert posted.status_code == 403, f"POST {path} with a read token answered {posted.status_code}"
    _assert_nothing_named(skein, http, name)


@pytest.mark.parametrize("path", ["/admin/users", "/admin/tokens", "/admin/roles"])
def test_a_viewer_session_cannot_post_to_admin_endpoints(skein, http, viewer, path):
    viewer_http = session_for(skein.ui, viewer, VIEWER_PASSWORD)
    name = f"by-viewer-{uuid.uuid4().hex[:6]}"
    posted = viewer_http.post(f"{skein.ui}{path}", headers={"Origin": skein.ui}, allow_redirects=False, timeout=10, data={
        "name": name, "display_name": name, "password": "a long enough password 1", "kind": "read",
        "permission": "traces.read", "role": "admin"})
    assert posted.status_code == 403, f"POST {path} as a viewer answered {posted.status_code}"
    _assert_nothing_named(skein, http, name)


def _assert_nothing_named(skein, http, name: str):
    """No token, user or role called `name` appears on the admin's pages, and no such user can sign in."""
    for page in ("/admin/tokens", "/admin/users", "/admin/roles"):
        answer = http.get(f"{skein.ui}{page}", timeout=10)
        if answer.status_code == 200:
            assert name not in answer.text, f"{name} appeared on {page}"
    with requests.Session() as attempt:
        form = attempt.get(f"{skein.ui}/login", timeout=10)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        answer = attempt.post(f"{skein.ui}/login", headers={"Origin": skein.ui}, allow_redirects=False, timeout=30,
                              data={"username": name, "password": "a long enough password 1", "csrf_token": token, "next": "/"})
    assert answer.status_code != 303, f"a user {name} was created and can sign in"


def _token_names(skein, http) -> str:
    answer = http.get(f"{skein.ui}/admin/tokens", timeout=10)
    assert answer.status_code == 200
    return answer.text


def test_a_token_form_posted_without_its_csrf_token_is_refused_and_creates_nothing(skein, http):
    name = f"no-csrf-{uuid.uuid4().hex[:6]}"
    answer = http.post(f"{skein.ui}/admin/tokens", headers={"Origin": skein.ui}, allow_redirects=False, timeout=10,
                       data={"name": name, "kind": "ingest", "expires_in_days": "7"})
    assert answer.status_code in (400, 403), f"answered {answer.status_code}"
    assert 'id="token-secret"' not in answer.text
    assert name not in _token_names(skein, http)


def test_a_token_form_posted_from_another_origin_is_refused_even_with_its_csrf_token(skein, http):
    page = http.get(f"{skein.ui}/admin/tokens", timeout=10)
    token = csrf_token_of(page.text, "/admin/tokens")
    name = f"evil-origin-{uuid.uuid4().hex[:6]}"
    answer = http.post(f"{skein.ui}/admin/tokens", headers={"Origin": "http://evil.example"}, allow_redirects=False,
                       timeout=10, data={"csrf_token": token, "name": name, "kind": "ingest", "expires_in_days": "7"})
    assert answer.status_code == 403, f"answered {answer.status_code}"
    assert name not in _token_names(skein, http)

    # The same form from the server's own origin is taken: the refusals above were about the origin.
    own = http.post(f"{skein.ui}/admin/tokens", headers={"Origin": skein.ui}, allow_redirects=False, timeout=10,
                    data={"csrf_token": token, "name": name, "kind": "ingest", "expires_in_days": "7"})
    assert own.status_code == 200 and 'id="token-secret"' in own.text, f"answered {own.status_code}"
    assert name in _token_names(skein, http)


def test_each_sign_in_sets_a_new_http_only_same_site_lax_session_cookie(skein, viewer):
    cookies = []
    for _ in range(2):
        with requests.Session() as browser:
            form = browser.get(f"{skein.ui}/login", timeout=10)
            pre_session = dict(browser.cookies)
            token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
            answer = browser.post(f"{skein.ui}/login", headers={"Origin": skein.ui}, allow_redirects=False, timeout=30,
                                  data={"username": viewer, "password": VIEWER_PASSWORD, "csrf_token": token, "next": "/"})
        assert answer.status_code == 303
        set_cookie = next(c for c in answer.raw.headers.getlist("Set-Cookie") if c.startswith("skein_session="))
        attributes = [part.strip().lower() for part in set_cookie.split(";")]
        assert "httponly" in attributes and "samesite=lax" in attributes and "path=/" in attributes, set_cookie
        assert "secure" not in attributes, "plain HTTP: no Secure attribute (the TLS suite checks it there)"
        value = set_cookie.split(";")[0].split("=", 1)[1]
        assert value not in pre_session.values(), "the session id is new, not the pre-sign-in cookie"
        cookies.append(value)
    assert cookies[0] != cookies[1], "every sign-in gets its own session id"


@pytest.mark.parametrize("path,fields", [
    ("/admin/users", {"display_name": "No Token", "password": "a long enough password 1"}),
    ("/admin/roles", {"permission": "traces.read", "services": ""}),
])
def test_user_and_role_forms_posted_without_their_csrf_token_are_refused_and_create_nothing(skein, http, path, fields):
    name = f"no-csrf-{uuid.uuid4().hex[:6]}"
    answer = http.post(f"{skein.ui}{path}", headers={"Origin": skein.ui}, allow_redirects=False, timeout=10,
                       data={"name": name, **fields})
    assert answer.status_code in (400, 403), f"POST {path} without csrf_token answered {answer.status_code}"
    listed = http.get(f"{skein.ui}{path}", timeout=10)
    assert listed.status_code == 200 and name not in listed.text, f"{name} was created on {path}"


def test_neither_a_get_nor_a_tokenless_post_to_logout_signs_out(skein, viewer):
    session = session_for(skein.ui, viewer, VIEWER_PASSWORD)
    session.get(f"{skein.ui}/logout", allow_redirects=False, timeout=10)
    assert session.get(f"{skein.ui}/search", allow_redirects=False, timeout=10).status_code == 200, "GET /logout"
    session.post(f"{skein.ui}/logout", headers={"Origin": "http://evil.example"}, allow_redirects=False, timeout=10)
    assert session.get(f"{skein.ui}/search", allow_redirects=False, timeout=10).status_code == 200, "a cross-site POST"
    session.post(f"{skein.ui}/logout", headers={"Origin": skein.ui}, allow_redirects=False, timeout=10)
    assert session.get(f"{skein.ui}/search", allow_redirects=False, timeout=10).status_code == 200, "a POST without token"
    page = session.get(f"{skein.ui}/search", timeout=10)
    session.post(f"{skein.ui}/logout", headers={"Origin": skein.ui}, allow_redirects=False, timeout=10,
                 data={"csrf_token": csrf_token_of(page.text, "/logout")})
    assert session.get(f"{skein.ui}/search", allow_redirects=False, timeout=10).status_code == 302, "the real sign-out"
