"""Helpers for the access-control suites: more users made with `skein user create`, fresh
(signed-out) Chromium browsers signed in through the login form, admin forms read with their
CSRF tokens, and small traces sent over raw OTLP/HTTP and waited for."""

from __future__ import annotations

import contextlib
import os
import re
import subprocess
import time
from urllib.parse import urlparse

import requests
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span

import raw_otlp
from conftest import REPO_ROOT, SkeinServer, _skein_binary

WAIT_S = 15


def create_user(server: SkeinServer, name: str, password: str, roles: tuple[str, ...] = ("viewer",),
                display_name: str | None = None) -> None:
    """`skein user create --role R... NAME` on the server's data folder, password on stdin."""
    command = [str(_skein_binary()), "user", "create", "--data-dir", str(server.data_dir)]
    for role in roles:
        command += ["--role", role]
    if display_name:
        command += ["--display-name", display_name]
    created = subprocess.run(
        [*command, name], input=password + "\n", text=True, capture_output=True, cwd=REPO_ROOT, timeout=120,
        env={k: v for k, v in os.environ.items() if not k.startswith("SKEIN_")},
    )
    assert created.returncode == 0, f"skein user create {name} failed: {created.stderr}"


# ------------------------------------------------------------------ browsers

CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")
DRIVER_CANDIDATES = ("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver")


@contextlib.contextmanager
def fresh_chromium():
    """A new headless Chromium with an empty cookie jar (nobody signed in); quits afterwards."""
    import pytest
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    chromium = next((p for p in CHROMIUM_CANDIDATES if os.path.exists(p)), None)
    driver_path = next((p for p in DRIVER_CANDIDATES if os.path.exists(p)), None)
    if not chromium or not driver_path:
        pytest.skip("browser tests need Debian's chromium and chromium-driver packages")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                     "--no-first-run", "--disable-extensions"):
        options.add_argument(argument)
    if os.geteuid() == 0:
        options.add_argument("--no-sandbox")
    driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def path_of(driver) -> str:
    return urlparse(driver.current_url).path


def wait_until(driver, condition, timeout: float = WAIT_S, message: str = ""):
    """Polls `condition` until it holds; an element missing or gone stale while the next page
    loads counts as not yet."""
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    waiting = WebDriverWait(driver, timeout, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))
    return waiting.until(condition, message)


def submit_login_form(driver, name: str, password: str) -> None:
    """Types into the login page the browser is on and submits it (no waiting)."""
    driver.find_element("css selector", "#login-username").clear()
    driver.find_element("css selector", "#login-username").send_keys(name)
    driver.find_element("css selector", "#login-password").send_keys(password)
    driver.find_element("css selector", "form[action='/login'] button[type=submit]").click()


def browser_sign_in(driver, ui: str, name: str, password: str) -> None:
    """Signs the browser in through /login and waits until it has left the login page."""
    driver.get(f"{ui}/login")
    submit_login_form(driver, name, password)
    wait_until(driver, lambda d: path_of(d) != "/login", message=f"{name} could not sign in: {driver.page_source[:500]}")


def page_text(driver) -> str:
    return driver.execute_script("return document.body.textContent") or ""


def assert_no_script_ran(driver):
    assert driver.execute_script("return typeof window.__xss") == "undefined", "untrusted text ran as script"
    assert not driver.find_elements("css selector", 'img[src="x"]'), "untrusted text became an <img>"


# ------------------------------------------------------------------ forms over requests

def session_for(ui: str, name: str, password: str) -> requests.Session:
    """A requests session signed in as `name` through the login form (its own cookie jar)."""
    from conftest import sign_in

    cookie = sign_in(ui, name, password)
    session = requests.Session()
    session.headers["Cookie"] = cookie
    return session


def csrf_token_of(html: str, action: str) -> str:
    """The csrf_token of the form posting to `action` in a page."""
    forms = re.findall(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', html, re.S)
    for form_action, body in forms:
        if form_action == action:
            token = re.search(r'name="csrf_token" value="([^"]+)"', body)
            if token:
                return token.group(1)
    raise AssertionError(f"no form posting to {action} with a csrf_token")


# ------------------------------------------------------------------ traces

def one_request(spans_by_service: dict[str, list[Span]]) -> ExportTraceServiceRequest:
    return ExportTraceServiceRequest(resource_spans=[
        ResourceSpans(resource=Resource(attributes=raw_otlp.key_values({"service.name": service})),
                      scope_spans=[ScopeSpans(spans=spans)])
        for service, spans in spans_by_service.items()
    ])


def span(trace_id: bytes, name: str, parent: bytes = b"", attributes: dict | None = None,
         events: list[str] | None = None, offset_ms: int = 0) -> Span:
    now = time.time_ns() - 2_000_000_000
    return Span(
        trace_id=trace_id, span_id=raw_otlp.new_span_id(), parent_span_id=parent, name=name,
        kind=Span.SPAN_KIND_SERVER if not parent else Span.SPAN_KIND_CLIENT,
        start_time_unix_nano=now + offset_ms * 1_000_000, end_time_unix_nano=now + (offset_ms + 50) * 1_000_000,
        attributes=raw_otlp.key_values(attributes or {}),
        events=[Span.Event(time_unix_nano=now + offset_ms * 1_000_000 + 1, name=e) for e in events or []],
    )


def send(server: SkeinServer, request: ExportTraceServiceRequest) -> None:
    answer = requests.post(server.otlp_traces_url, data=request.SerializeToString(),
                           headers={"Content-Type": raw_otlp.PROTOBUF}, timeout=30)
    assert answer.status_code == 200, f"OTLP/HTTP answered {answer.status_code}: {answer.text[:300]}"


def wait_for_trace(http: requests.Session, server: SkeinServer, trace_id_hex: str, span_count: int) -> dict:
    """The Jaeger trace once all `span_count` spans are readable (the admin's session)."""
    deadline = time.monotonic() + WAIT_S
    while True:
        answer = http.get(f"{server.ui}/api/traces/{trace_id_hex}", timeout=10)
        if answer.status_code == 200:
            data = answer.json().get("data") or []
            if data and len(data[0].get("spans", [])) >= span_count:
                return data[0]
        assert time.monotonic() < deadline, f"trace {trace_id_hex} not readable: {answer.status_code} {answer.text[:200]}"
        time.sleep(0.3)
