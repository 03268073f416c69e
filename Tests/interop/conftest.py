"""Session fixtures for the interop suite: real `skein serve` processes, each on its own embedded
PostgreSQL. `skein` is the main server (default limits); `small_skein` is a second one with small
limits and a small ingest capacity (SMALL_LIMITS), started only by the tests that ask for it.

By default the server listens on the standard ports (UI/API 16686, OTLP/HTTP 4318, OTLP/gRPC 4317,
Zipkin 9411) so that the SDK exporters are used with their default settings, exactly as a user would.
With SKEIN_TEST_RANDOM_PORTS=1 the server gets free ports and the exporters get explicit endpoints.
`small_skein` always uses free ports. Server logs go to artifacts/.

Every server gets an admin (ADMIN_NAME, made with `skein user create --admin` and the password
on stdin) and is signed in to once through /login: the `http` session sends that server's session
cookie with every request to its UI, and pages tests that use the `browser` fixture sign the
browser in once through the login form.

Environment:
  SKEIN_BIN                 the binary to run (default: .build/debug/skein in the repository); the
                            suite runs a private copy of it, so a rebuild during the run does not
                            disturb it
  SKEIN_TEST_RANDOM_PORTS=1 use free ports instead of the standard ones
"""

from __future__ import annotations

import atexit
import dataclasses
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from dataclasses import dataclass
from http.cookiejar import DefaultCookiePolicy
from pathlib import Path

import pytest
import requests

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
STANDARD_PORTS = {"ui": 16686, "otlp_http": 4318, "otlp_grpc": 4317, "zipkin": 9411}
READY_TIMEOUT_S = 120
# The ingest body limit the server is started with (after decompression); the 413 tests use it.
MAX_BODY_BYTES = 8 * 1024 * 1024
STOP_TIMEOUT_S = 30
# The admin every server under test gets, and its password (given to the CLI on stdin).
ADMIN_NAME = "interop-admin"
ADMIN_PASSWORD = "interop admin passphrase"

# Exporters read these; a developer's shell must not redirect the suite's spans elsewhere.
_logs_started_here: list[Path] = []  # server logs written by this run (shown on failure)

for _name in list(os.environ):
    if _name.startswith("OTEL_"):
        del os.environ[_name]


@dataclass(frozen=True)
class SkeinServer:
    """Where the server under test listens, and how to reach it."""

    ui: str
    otlp_http: str
    zipkin: str
    grpc_port: int
    standard_ports: bool
    log_path: Path
    process: subprocess.Popen
    run_id: str
    data_dir: Path  # holds the embedded PostgreSQL (postgres/postmaster.pid)
    session_cookie: str = ""  # `skein_session=...` of ADMIN_NAME, signed in through /login

    @property
    def otlp_traces_url(self) -> str:
        return f"{self.otlp_http}/v1/traces"

    @property
    def zipkin_spans_url(self) -> str:
        return f"{self.zipkin}/api/v2/spans"

    def log_tail(self, lines: int = 60) -> str:
        return log_tail(self.log_path, lines)


def log_tail(path: Path, lines: int = 60) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return "(no server log)"
    return "\n".join(text[-lines:])


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


_binary_copy: Path | None = None


def _skein_binary() -> Path:
    """The binary under test: a private copy of SKEIN_BIN (default .build/debug/skein), made on
    first use and removed when the run ends. A rebuild in the same checkout during the run
    rewrites the built file in place, and starting it then fails with 'Text file busy'; the copy
    keeps every server start and `skein user create` of the run on one binary. (Resources are
    still found from the working directory, REPO_ROOT.)"""
    global _binary_copy
    if _binary_copy is not None:
        return _binary_copy
    configured = os.environ.get("SKEIN_BIN")
    path = Path(configured) if configured else REPO_ROOT / ".build" / "debug" / "skein"
    if not path.is_absolute():
        path = REPO_ROOT / path
    if not path.exists():
        return path  # callers report the missing binary
    folder = Path(tempfile.mkdtemp(prefix="skein-bin-"))
    folder.chmod(0o755)
    copy = folder / "skein"
    shutil.copy2(path.resolve(), copy)
    atexit.register(shutil.rmtree, folder, True)
    _binary_copy = copy
    return copy


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


# The limits `small_skein` runs with; the limit and overload tests use them.
SMALL_LIMITS = {
    "max_spans_per_request": 50,
    "max_attributes_per_span": 8,
    "max_attribute_length": 64,
    "max_events_per_span": 4,
    "max_links_per_span": 2,
    "max_spans_per_trace": 100,
    "ingest_memory_mib": 4,
    "max_queued_spans": 2000,
}


def _start_skein(artifacts: Path, log_name: str, random_ports: bool, extra_args: list[str]):
    """Starts `skein serve` on its own embedded PostgreSQL (a fresh data folder), waits until
    /readyz answers 200, yields the SkeinServer, then stops it and checks it exited cleanly."""
    binary = _skein_binary()
    if not binary.exists():
        pytest.exit(
            f"skein binary not found at {binary}: build it with `swift build --product skein` "
            "or point SKEIN_BIN at it",
            returncode=1,
        )

    if random_ports:
        ports = {name: _free_port() for name in STANDARD_PORTS}
    else:
        ports = dict(STANDARD_PORTS)
        taken = [f"{name}={port}" for name, port in ports.items() if not _port_is_free(port)]
        if taken:
            pytest.exit(
                "standard port(s) already in use: "
                + ", ".join(taken)
                + ". Stop whatever listens there (another Skein, a collector, Jaeger) "
                "or run with SKEIN_TEST_RANDOM_PORTS=1",
                returncode=1,
            )

    # The embedded PostgreSQL runs as an unprivileged user when we are root: it must be able to
    # traverse the data folder, so the folder is world-searchable (mkdtemp makes it 0700).
    data_dir = Path(tempfile.mkdtemp(prefix="skein-interop-"))
    data_dir.chmod(0o755)
    log_path = artifacts / log_name

    command = [
        str(binary), "serve",
        "--data-dir", str(data_dir),
        "--bind", "127.0.0.1",
        "--ui-port", str(ports["ui"]),
        "--otlp-http-port", str(ports["otlp_http"]),
        "--otlp-grpc-port", str(ports["otlp_grpc"]),
        "--zipkin-port", str(ports["zipkin"]),
        *extra_args,
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith("SKEIN_")}
    print(f"\n[interop] starting: {' '.join(command)} (log: {log_path})")
    _logs_started_here.append(log_path)
    log_file = open(log_path, "wb")
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL,
        stdout=log_file, stderr=subprocess.STDOUT,
    )

    ui = f"http://127.0.0.1:{ports['ui']}"
    server = SkeinServer(
        ui=ui,
        otlp_http=f"http://127.0.0.1:{ports['otlp_http']}",
        zipkin=f"http://127.0.0.1:{ports['zipkin']}",
        grpc_port=ports["otlp_grpc"],
        standard_ports=not random_ports,
        log_path=log_path,
        process=process,
        run_id=uuid.uuid4().hex[:8],
        data_dir=data_dir,
    )

    started = time.monotonic()
    ready = False
    last_error = "no answer yet"
    while time.monotonic() - started < READY_TIMEOUT_S:
        if process.poll() is not None:
            last_error = f"the server exited with status {process.returncode} before it was ready"
            break
        try:
            answer = requests.get(f"{ui}/readyz", timeout=2)
            if answer.status_code == 200:
                ready = True
                break
            last_error = f"/readyz answered {answer.status_code}"
        except requests.RequestException as error:
            last_error = f"/readyz: {error.__class__.__name__}"
        time.sleep(0.5)

    if not ready:
        _stop(process)
        _stop_leftover_postgres(data_dir)
        log_file.close()
        shutil.rmtree(data_dir, ignore_errors=True)
        pytest.exit(
            f"skein serve was not ready within {READY_TIMEOUT_S}s ({last_error}).\n"
            f"--- last lines of {log_path} ---\n{log_tail(log_path)}",
            returncode=1,
        )
    print(f"[interop] ready after {time.monotonic() - started:.1f}s ({log_name})")

    try:
        _create_admin(binary, data_dir)
        server = dataclasses.replace(server, session_cookie=sign_in(server.ui, ADMIN_NAME, ADMIN_PASSWORD))
        _session_cookies[server.ui] = server.session_cookie
    except Exception:
        _stop(process)
        _stop_leftover_postgres(data_dir)
        log_file.close()
        shutil.rmtree(data_dir, ignore_errors=True)
        raise

    try:
        yield server
    finally:
        exit_code = _stop(process)
        leftover = _stop_leftover_postgres(data_dir)
        log_file.close()
        shutil.rmtree(data_dir, ignore_errors=True)
        _session_cookies.pop(server.ui, None)
    assert exit_code == 0, (
        f"skein serve exited with {exit_code} after SIGTERM (expected 0 within {STOP_TIMEOUT_S}s).\n"
        f"--- last lines of {log_path} ---\n{log_tail(log_path)}"
    )
    assert leftover is None, f"the embedded PostgreSQL (pid {leftover}) was still running after skein exited"


@pytest.fixture(scope="session")
def skein(artifacts: Path) -> SkeinServer:
    """The server with default limits (except the body limit), on the standard ports unless
    SKEIN_TEST_RANDOM_PORTS=1."""
    random_ports = os.environ.get("SKEIN_TEST_RANDOM_PORTS") == "1"
    yield from _start_skein(artifacts, "skein-server.log", random_ports,
                            ["--max-body-bytes", str(MAX_BODY_BYTES)])


@pytest.fixture(scope="session")
def small_skein(artifacts: Path) -> SkeinServer:
    """A second server with small limits and a small ingest capacity (SMALL_LIMITS), always on
    free ports, for the limit and overload tests: what it refuses or alters must not disturb the
    main server's tests."""
    args = []
    for name, value in SMALL_LIMITS.items():
        args += ["--" + name.replace("_", "-"), str(value)]
    yield from _start_skein(artifacts, "skein-small-server.log", True,
                            ["--max-body-bytes", str(MAX_BODY_BYTES), *args])


def _stop_leftover_postgres(data_dir: Path) -> int | None:
    """Stops an embedded PostgreSQL that outlived skein (by the pid in its own pid file);
    returns that pid, or None when there was none."""
    pid_file = data_dir / "postgres" / "postmaster.pid"
    try:
        pid = int(pid_file.read_text().splitlines()[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    os.kill(pid, signal.SIGINT)  # PostgreSQL's "fast" shutdown
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except OSError:
            break
        time.sleep(0.2)
    return pid


def _stop(process: subprocess.Popen) -> int | None:
    """SIGTERM, then wait; returns the exit code, or None if it had to be killed."""
    if process.poll() is not None:
        return process.returncode
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
        return None


def _create_admin(binary: Path, data_dir: Path) -> None:
    """`skein user create --admin ADMIN_NAME` on the server's data folder, password on stdin."""
    created = subprocess.run(
        [str(binary), "user", "create", "--admin", "--data-dir", str(data_dir), ADMIN_NAME],
        input=ADMIN_PASSWORD + "\n", text=True, capture_output=True, cwd=REPO_ROOT, timeout=120,
        env={k: v for k, v in os.environ.items() if not k.startswith("SKEIN_")},
    )
    assert created.returncode == 0, f"skein user create failed: {created.stderr}"


def sign_in(ui: str, name: str, password: str, verify=True) -> str:
    """Signs in through the login form as a browser would (pre-session cookie, form token,
    same-origin Origin header); returns the `Cookie` header value of the new session."""
    with requests.Session() as browser:
        form = browser.get(f"{ui}/login", timeout=10, verify=verify)
        assert form.status_code == 200, f"/login answered {form.status_code}"
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token, "the login form carries a csrf_token"
        answer = browser.post(
            f"{ui}/login", data={"username": name, "password": password, "csrf_token": token.group(1), "next": "/"},
            headers={"Origin": ui}, allow_redirects=False, timeout=30, verify=verify)
        assert answer.status_code == 303, f"sign-in answered {answer.status_code}: {answer.text[:300]}"
        for cookie_name in ("skein_session", "__Host-skein_session"):
            value = answer.cookies.get(cookie_name)
            if value:
                return f"{cookie_name}={value}"
    raise AssertionError("sign-in set no session cookie")


# UI base URL -> `Cookie` header of its admin session. Cookies do not tell ports apart, so the
# shared `http` session keeps none of its own and sends each server's cookie to that server only.
_session_cookies: dict[str, str] = {}


class _SignedInSession(requests.Session):
    """A requests session that sends the matching server's admin session cookie to its UI and
    stores no cookies itself."""

    def __init__(self):
        super().__init__()
        self.cookies.set_policy(_NoCookies())

    def request(self, method, url, *args, headers=None, **kwargs):
        for ui, cookie in _session_cookies.items():
            if isinstance(url, str) and (url == ui or url.startswith(ui + "/")):
                headers = {**(headers or {}), "Cookie": cookie}
                break
        return super().request(method, url, *args, headers=headers, **kwargs)


class _NoCookies(DefaultCookiePolicy):
    def set_ok(self, cookie, request):
        return False


@pytest.fixture(scope="session")
def http() -> requests.Session:
    session = _SignedInSession()
    yield session
    session.close()


_signed_in_browsers: set[tuple[int, str]] = set()


@pytest.fixture(autouse=True)
def _sign_in_browser(request):
    """Signs the `browser` fixture's driver in to the `skein` server once, through the form."""
    if "browser" not in request.fixturenames or "skein" not in request.fixturenames:
        yield
        return
    driver = request.getfixturevalue("browser")
    server = request.getfixturevalue("skein")
    key = (id(driver), server.ui)
    if key not in _signed_in_browsers:
        from selenium.webdriver.support.ui import WebDriverWait

        driver.get(f"{server.ui}/login")
        driver.find_element("css selector", "#login-username").send_keys(ADMIN_NAME)
        driver.find_element("css selector", "#login-password").send_keys(ADMIN_PASSWORD)
        driver.find_element("css selector", "form[action='/login'] button[type=submit]").click()
        WebDriverWait(driver, 15).until(lambda d: not d.current_url.split("?")[0].endswith("/login"))
        _signed_in_browsers.add(key)
    yield


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if exitstatus in (0, 5):
        return
    for path in _logs_started_here:
        if path.exists():
            terminalreporter.section(f"{path.name} (last 60 lines)")
            terminalreporter.write_line(log_tail(path))


# ---------------------------------------------------------------- SDK exporters and sent traces

def make_otlp_protobuf_exporter(server: SkeinServer):
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

    # Default settings on standard ports: http://localhost:4318/v1/traces.
    return OTLPSpanExporter() if server.standard_ports else OTLPSpanExporter(endpoint=server.otlp_traces_url)


def make_otlp_json_exporter(server: SkeinServer):
    from opentelemetry.exporter.otlp.json.http.trace_exporter import OTLPSpanExporter

    return OTLPSpanExporter() if server.standard_ports else OTLPSpanExporter(endpoint=server.otlp_traces_url)


def make_zipkin_exporter(server: SkeinServer):
    from opentelemetry.exporter.zipkin.json import ZipkinExporter

    # Default settings on standard ports: http://localhost:9411/api/v2/spans.
    return ZipkinExporter() if server.standard_ports else ZipkinExporter(endpoint=server.zipkin_spans_url)


@pytest.fixture(scope="session")
def protobuf_trace(skein: SkeinServer):
    """The rich SDK trace, sent with the OTLP/HTTP protobuf exporter."""
    from sdk_trace import build_rich_trace

    return build_rich_trace(lambda: make_otlp_protobuf_exporter(skein), f"interop-{skein.run_id}-pb")


@pytest.fixture(scope="session")
def json_trace(skein: SkeinServer):
    """The rich SDK trace, sent with the OTLP/HTTP JSON exporter."""
    from sdk_trace import build_rich_trace

    return build_rich_trace(lambda: make_otlp_json_exporter(skein), f"interop-{skein.run_id}-json")
