"""An admin in Chromium makes a custom role scoped to one service, a user holding it and a read
token, all through the admin forms; the user then signs in in a fresh browser and sees only that
service, with the other service's spans of a shared trace shown as "Restricted span" and nothing
of their names or attributes; the token reads /api/services within its own scope."""

from __future__ import annotations

import requests
import pytest
from selenium.webdriver.support.ui import Select

import raw_otlp
from accounts_helpers import (
    assert_no_script_ran, browser_sign_in, create_user, fresh_chromium, one_request, page_text, path_of, send, span,
    submit_login_form, wait_for_trace, wait_until,
)
from conftest import ADMIN_NAME, ADMIN_PASSWORD

SCOPED_PASSWORD = "scoped reader passphrase"
SECRET_VALUE = "vault-secret-value-7f3a"


@pytest.fixture(scope="module")
def services(skein) -> dict:
    return {"allowed": f"shop-{skein.run_id}", "hidden": f"vault-{skein.run_id}"}


@pytest.fixture(scope="module")
def crossing_traces(skein, http, services) -> dict:
    """Two traces over both services: one rooted in the allowed service (a hidden span in the
    middle), one rooted in the hidden service."""
    allowed, hidden = services["allowed"], services["hidden"]
    first = raw_otlp.new_trace_id()
    root = span(first, "GET /checkout", attributes={"http.route": "/checkout"})
    secret = span(first, "vault.read card", parent=root.span_id, offset_ms=2,
                  attributes={"vault.key": SECRET_VALUE}, events=["vault.unsealed"])
    after = span(first, "render receipt", parent=secret.span_id, offset_ms=4)
    second = raw_otlp.new_trace_id()
    hidden_root = span(second, "vault.rotate keys", attributes={"vault.key": SECRET_VALUE})
    shop_child = span(second, "notify shop", parent=hidden_root.span_id, offset_ms=1)
    send(skein, one_request({allowed: [root, after, shop_child], hidden: [secret, hidden_root]}))
    wait_for_trace(http, skein, first.hex(), 3)
    wait_for_trace(http, skein, second.hex(), 2)
    return {"allowed_root": first.hex(), "hidden_root": second.hex()}


@pytest.fixture(scope="module")
def admin_browser(skein):
    with fresh_chromium() as browser:
        browser_sign_in(browser, skein.ui, ADMIN_NAME, ADMIN_PASSWORD)
        yield browser


@pytest.fixture(scope="module")
def scoped_role(skein, admin_browser, services, artifacts) -> str:
    """A role with traces.read on the allowed service only, made through #role-create."""
    name = f"shop-reader-{skein.run_id}"
    admin_browser.get(f"{skein.ui}/admin/roles")
    assert admin_browser.find_elements("css selector", "#role-create"), (
        f"/admin/roles has no #role-create form: {page_text(admin_browser)[:300]}")
    form = admin_browser.find_element("css selector", "#role-create")
    form.find_element("css selector", "#role-name").send_keys(name)
    form.find_element("css selector", "#permission-traces-read").click()
    form.find_element("css selector", "#role-services").send_keys(services["allowed"])
    form.find_element("css selector", "button[type=submit]").click()
    wait_until(admin_browser, lambda d: d.find_elements("css selector", ".problem, .notice"),
               message="the roles page answers the form")
    admin_browser.save_screenshot(str(artifacts / "admin-role-created.png"))
    assert not admin_browser.find_elements("css selector", ".problem"), admin_browser.find_element("css selector", ".problem").text
    admin_browser.get(f"{skein.ui}/admin/roles")
    row = next(r for r in admin_browser.find_elements("css selector", "#roles tbody tr") if name in r.text)
    assert "traces.read" in row.text and services["allowed"] in row.text
    return name


@pytest.fixture(scope="module")
def scoped_user(skein, admin_browser, scoped_role, artifacts) -> str:
    """A user holding only the scoped role, made through #user-create."""
    name = f"shop-analyst-{skein.run_id}"
    admin_browser.get(f"{skein.ui}/admin/users")
    form = admin_browser.find_element("css selector", "#user-create")
    form.find_element("css selector", "#new-user-name").send_keys(name)
    form.find_element("css selector", "#new-user-display-name").send_keys("Shop Analyst")
    form.find_element("css selector", "#new-user-password").send_keys(SCOPED_PASSWORD)
    for box in form.find_elements("css selector", "input[name=role]:checked"):
        box.click()  # only the scoped role, whatever the form preselects
    form.find_element("css selector", f'input[name=role][data-role-name="{scoped_role}"]').click()
    form.find_element("css selector", "button[type=submit]").click()
    wait_until(admin_browser, lambda d: d.find_elements("css selector", ".problem, .notice"),
               message="the users page answers the form")
    admin_browser.save_screenshot(str(artifacts / "admin-user-created.png"))
    assert not admin_browser.find_elements("css selector", ".problem"), admin_browser.find_element("css selector", ".problem").text
    admin_browser.get(f"{skein.ui}/admin/users")
    row = next(r for r in admin_browser.find_elements("css selector", "#users tbody tr") if name in r.text)
    assert scoped_role in row.text and "Shop Analyst" in row.text
    return name


@pytest.fixture(scope="module")
def read_token(skein, admin_browser, services, artifacts) -> str:
    """A read token for the allowed service, made through the token form; its secret."""
    admin_browser.get(f"{skein.ui}/admin/tokens")
    admin_browser.find_element("css selector", "#token-name").send_keys(f"shop-dashboard-{skein.run_id}")
    admin_browser.find_element("css selector", "input[name=kind][value=read]").click()
    admin_browser.find_element("css selector", "#token-services").send_keys(services["allowed"])
    Select(admin_browser.find_element("css selector", "#token-expiry")).select_by_value("7")
    admin_browser.find_element("css selector", "form.token-form button[type=submit]").click()
    wait_until(admin_browser, lambda d: d.find_elements("css selector", "#token-secret"), message="the secret is shown")
    admin_browser.save_screenshot(str(artifacts / "admin-token-created.png"))
    secret = admin_browser.find_element("css selector", "#token-secret").text.strip()
    assert secret
    return secret


def test_the_token_secret_is_shown_once_and_not_on_reload(skein, admin_browser, read_token):
    admin_browser.get(f"{skein.ui}/admin/tokens")
    assert not admin_browser.find_elements("css selector", "#token-secret")
    assert read_token not in admin_browser.page_source
    assert f"shop-dashboard-{skein.run_id}" in admin_browser.find_element("css selector", "#tokens").text


def test_the_scoped_user_searches_only_the_allowed_service(skein, scoped_user, services, crossing_traces, artifacts):
    with fresh_chromium() as browser:
        browser_sign_in(browser, skein.ui, scoped_user, SCOPED_PASSWORD)
        browser.get(f"{skein.ui}/search")
        options = [o.get_attribute("value") for o in browser.find_elements("css selector", "#f-service option")]
        assert services["allowed"] in options, f"the allowed service is offered: {options}"
        assert services["hidden"] not in options, "the hidden service is not offered"
        assert not [o for o in options if o.startswith("vault-") or o.startswith("interop-")], options

        browser.get(f"{skein.ui}/")
        assert services["hidden"] not in page_text(browser)

        browser.get(f"{skein.ui}/search?service={services['allowed']}")
        browser.save_screenshot(str(artifacts / "scoped-search.png"))
        text = page_text(browser)
        assert crossing_traces["allowed_root"] in browser.page_source
        assert "Restricted span" in text, "the trace rooted in the hidden service names its root 'Restricted span'"
        assert services["hidden"] not in text and "vault.rotate keys" not in text and "vault.read card" not in text

        browser.get(f"{skein.ui}/search?service={services['hidden']}")
        assert crossing_traces["hidden_root"] not in browser.page_source
        assert_no_script_ran(browser)


def test_the_scoped_user_sees_the_other_services_spans_as_restricted(skein, scoped_user, services, crossing_traces, artifacts):
    with fresh_chromium() as browser:
        browser_sign_in(browser, skein.ui, scoped_user, SCOPED_PASSWORD)
        browser.get(f"{skein.ui}/trace/{crossing_traces['allowed_root']}")
        browser.save_screenshot(str(artifacts / "scoped-trace.png"))
        assert path_of(browser) == f"/trace/{crossing_traces['allowed_root']}"
        rows = browser.find_elements("css selector", ".waterfall .row")
        assert len(rows) == 3, f"every span has a row: {[r.text for r in rows]}"
        restricted = browser.find_elements("css selector", ".waterfall .row.restricted")
        assert len(restricted) == 1 and "Restricted span" in restricted[0].text
        assert [r.text for r in browser.find_elements("css selector", ".waterfall .row .op")] == ["GET /checkout", "render receipt"]
        source = browser.page_source
        for hidden in (services["hidden"], "vault.read card", "vault.key", SECRET_VALUE, "vault.unsealed"):
            assert hidden not in source, f"{hidden!r} of the hidden service reached the page"

        browser.get(f"{skein.ui}/trace/{crossing_traces['hidden_root']}")
        source = browser.page_source
        assert "Restricted span" in page_text(browser)
        for hidden in (services["hidden"], "vault.rotate keys", SECRET_VALUE):
            assert hidden not in source, f"{hidden!r} of the hidden service reached the page"


def test_the_read_token_reads_services_within_its_scope(skein, read_token, services, crossing_traces):
    answer = requests.get(f"{skein.ui}/api/services", headers={"Authorization": f"Bearer {read_token}"}, timeout=10)
    assert answer.status_code == 200, answer.text[:200]
    names = answer.json()["data"]
    assert services["allowed"] in names and services["hidden"] not in names, names
    refused = requests.get(f"{skein.ui}/api/services", headers={"Authorization": f"Bearer {read_token}x"}, timeout=10)
    assert refused.status_code == 401


def test_disabling_a_user_in_chromium_ends_their_session_and_their_sign_in(skein, admin_browser, artifacts):
    name = f"leaver-{skein.run_id}"
    password = "leaver passphrase here"
    create_user(skein, name, password, roles=("viewer",))
    with fresh_chromium() as leaver:
        browser_sign_in(leaver, skein.ui, name, password)
        leaver.get(f"{skein.ui}/search")
        assert path_of(leaver) == "/search"

        admin_browser.get(f"{skein.ui}/admin/users")
        admin_browser.find_element("xpath", f"//table[@id='users']//a[normalize-space()='{name}']").click()
        wait_until(admin_browser, lambda d: d.find_elements("css selector", "#user-disable"), message="the user's page")
        admin_browser.find_element("css selector", "#user-disable button[type=submit]").click()
        wait_until(admin_browser, lambda d: d.find_elements("css selector", "#user-enable, .problem"),
                   message="the user is disabled")
        admin_browser.save_screenshot(str(artifacts / "admin-user-disabled.png"))
        assert not admin_browser.find_elements("css selector", ".problem")

        leaver.get(f"{skein.ui}/search")
        assert path_of(leaver) == "/login", "the disabled user's session has ended"
        submit_login_form(leaver, name, password)
        wait_until(leaver, lambda d: d.find_elements("css selector", ".problem"), message="sign-in refused")
        assert path_of(leaver) == "/login"


def test_the_scoped_users_jaeger_api_applies_the_same_scope(skein, scoped_user, services, crossing_traces):
    from accounts_helpers import session_for

    api = session_for(skein.ui, scoped_user, SCOPED_PASSWORD)
    names = api.get(f"{skein.ui}/api/services", timeout=10).json()["data"]
    assert services["allowed"] in names and services["hidden"] not in names, names
    for trace_id in (crossing_traces["allowed_root"], crossing_traces["hidden_root"]):
        answer = api.get(f"{skein.ui}/api/traces/{trace_id}", timeout=10)
        assert answer.status_code == 200, answer.text[:200]
        for hidden in (services["hidden"], "vault.read card", "vault.rotate keys", "vault.key", SECRET_VALUE):
            assert hidden not in answer.text, f"{hidden!r} of the hidden service reached the API answer"
    found = api.get(f"{skein.ui}/api/traces", params={"service": services["hidden"]}, timeout=10)
    assert found.status_code in (200, 403) and not (found.json().get("data") or []), found.text[:200]
