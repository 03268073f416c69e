"""A brand-new install has no account: `serve` prints a one-time setup link, and in Chromium that
link's form refuses a weak password, then creates the first admin and signs them in; the same
link refuses a second use, and the audit log records the setup."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import requests

from accounts_helpers import fresh_chromium, path_of, wait_until
from conftest import (
    READY_TIMEOUT_S, REPO_ROOT, _free_port, _skein_binary, _stop, _stop_leftover_postgres, log_tail,
)

FIRST_ADMIN = "first.admin"
FIRST_PASSWORD = "first admin passphrase"


@pytest.fixture(scope="module")
def new_install(artifacts: Path):
    """`skein serve` on an empty data folder (nobody created through the CLI); yields (UI base URL,
    the setup link from its log)."""
    if not _skein_binary().exists():
        pytest.exit(f"skein binary not found at {_skein_binary()}: build it first", returncode=1)
    data_dir = Path(tempfile.mkdtemp(prefix="skein-setup-"))
    data_dir.chmod(0o755)
    ports = {name: _free_port() for name in ("ui", "otlp_http", "otlp_grpc", "zipkin")}
    log_path = artifacts / "skein-setup-server.log"
    log_file = open(log_path, "wb")
    command = [str(_skein_binary()), "serve", "--data-dir", str(data_dir), "--bind", "127.0.0.1",
               "--ui-port", str(ports["ui"]), "--otlp-http-port", str(ports["otlp_http"]),
               "--otlp-grpc-port", str(ports["otlp_grpc"]), "--zipkin-port", str(ports["zipkin"])]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKEIN_")}
    try:
        process = subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log_file,
                                   stderr=subprocess.STDOUT)
    except OSError:
        log_file.close()
        shutil.rmtree(data_dir, ignore_errors=True)
        raise
    ui = f"http://127.0.0.1:{ports['ui']}"
    try:
        deadline = time.monotonic() + READY_TIMEOUT_S
        link = None
        while time.monotonic() < deadline and process.poll() is None and link is None:
            found = re.search(r"open (http://\S+/setup/\S+) to create the first admin", log_path.read_text(errors="replace"))
            link = found.group(1) if found else None
            time.sleep(0.3)
        assert link, f"no setup link in the log.\n{log_tail(log_path)}"
        assert requests.get(f"{ui}/readyz", timeout=5).status_code == 200
        yield ui, link
    finally:
        exit_code = _stop(process)
        leftover = _stop_leftover_postgres(data_dir)
        log_file.close()
        shutil.rmtree(data_dir, ignore_errors=True)
    assert exit_code == 0, f"skein serve exited with {exit_code}.\n{log_tail(log_path)}"
    assert leftover is None


def _fill_setup_form(browser, password: str, confirmation: str):
    browser.find_element("css selector", "#setup-username").clear()
    browser.find_element("css selector", "#setup-username").send_keys(FIRST_ADMIN)
    browser.find_element("css selector", "#setup-display-name").clear()
    browser.find_element("css selector", "#setup-display-name").send_keys("First Admin")
    browser.find_element("css selector", "#setup-password").send_keys(password)
    browser.find_element("css selector", "#setup-confirmation").send_keys(confirmation)
    browser.find_element("css selector", "form[action^='/setup/'] button[type=submit]").click()


def test_the_setup_link_creates_the_first_admin_once_and_signs_them_in(new_install, artifacts):
    ui, link = new_install
    with fresh_chromium() as browser:
        browser.get(f"{ui}/")
        assert path_of(browser) == "/login", "nothing is open before the first admin exists"

        browser.get(link)
        _fill_setup_form(browser, "password", "password")
        wait_until(browser, lambda d: d.find_elements("css selector", ".problem"), message="a weak password is refused")
        assert path_of(browser).startswith("/setup/")

        _fill_setup_form(browser, FIRST_PASSWORD, FIRST_PASSWORD + " typo")
        wait_until(browser, lambda d: "differ" in d.find_element("css selector", ".problem").text,
                   message="a mistyped confirmation is refused")

        _fill_setup_form(browser, FIRST_PASSWORD, FIRST_PASSWORD)
        wait_until(browser, lambda d: not path_of(d).startswith("/setup/"), message="signed in after setup")
        browser.save_screenshot(str(artifacts / "setup-done.png"))
        assert "First Admin" in browser.find_element("css selector", "header").text or \
            FIRST_ADMIN in browser.find_element("css selector", "header").text, "the header names the new admin"

        browser.get(f"{ui}/admin/users")
        assert FIRST_ADMIN in browser.find_element("css selector", "#users").text
        browser.get(f"{ui}/admin/audit")
        actions = browser.find_element("css selector", "#audit").text
        assert "setup.completed" in actions and "user.created" in actions

    with fresh_chromium() as browser:
        browser.get(link)
        if browser.find_elements("css selector", "#setup-username"):
            _fill_setup_form(browser, "another admin passphrase", "another admin passphrase")
        wait_until(browser, lambda d: "used or has expired" in d.find_element("css selector", "body").text,
                   message="the link works once")
        browser.get(f"{ui}/search")
        assert path_of(browser) == "/login", "a second use signs nobody in"
