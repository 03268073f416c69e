"""TLS on every listener: a second `skein serve` started with --tls-cert/--tls-key and a
self-signed certificate made here. UI, OTLP/HTTP and Zipkin answer HTTPS (and not plain HTTP),
OTLP/gRPC answers a TLS channel, the UI sends Strict-Transport-Security, the admin signs in over
HTTPS (the session cookie is `__Host-` prefixed and Secure), and the CSRF check treats
https://127.0.0.1:port as the server's own origin. Also: the flags go in pairs, and an
unreadable certificate stops the server before it listens."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import grpc
import pytest
import requests
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.proto.resource.v1.resource_pb2 import Resource
from opentelemetry.proto.trace.v1.trace_pb2 import ResourceSpans, ScopeSpans, Span

import raw_otlp
from conftest import (
    ADMIN_NAME, ADMIN_PASSWORD, READY_TIMEOUT_S, REPO_ROOT, _create_admin, _free_port, _skein_binary, _stop,
    _stop_leftover_postgres, log_tail, sign_in,
)

EXPORT = "/opentelemetry.proto.collector.trace.v1.TraceService/Export"


def _make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost and 127.0.0.1, valid for a day."""
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True,
    )
    return cert, key


def _serve_command(data_dir: Path, ports: dict, extra: list[str]) -> list[str]:
    return [
        str(_skein_binary()), "serve", "--data-dir", str(data_dir), "--bind", "127.0.0.1",
        "--ui-port", str(ports["ui"]), "--otlp-http-port", str(ports["otlp_http"]),
        "--otlp-grpc-port", str(ports["otlp_grpc"]), "--zipkin-port", str(ports["zipkin"]), *extra,
    ]


def _clean_env() -> dict:
    return {k: v for k, v in os.environ.items() if not k.startswith("SKEIN_")}


@pytest.fixture(scope="module")
def tls_skein(artifacts: Path):
    """`skein serve` with TLS on free ports and an admin signed in over HTTPS; yields (ports, cert
    path, the admin's `Cookie` header); stops it afterwards."""
    if not _skein_binary().exists():
        pytest.exit(f"skein binary not found at {_skein_binary()}: build it first", returncode=1)
    folder = Path(tempfile.mkdtemp(prefix="skein-tls-"))
    folder.chmod(0o755)
    cert, key = _make_certificate(folder)
    data_dir = folder / "data"
    data_dir.mkdir()
    data_dir.chmod(0o755)
    ports = {name: _free_port() for name in ("ui", "otlp_http", "otlp_grpc", "zipkin")}
    log_path = artifacts / "skein-tls-server.log"
    log_file = open(log_path, "wb")
    process = subprocess.Popen(
        _serve_command(data_dir, ports, ["--tls-cert", str(cert), "--tls-key", str(key)]),
        cwd=REPO_ROOT, env=_clean_env(), stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
    )
    started, ready, last_error = time.monotonic(), False, "no answer yet"
    while time.monotonic() - started < READY_TIMEOUT_S and process.poll() is None:
        try:
            answer = requests.get(f"https://127.0.0.1:{ports['ui']}/readyz", verify=str(cert), timeout=2)
            if answer.status_code == 200:
                ready = True
                break
            last_error = f"/readyz answered {answer.status_code}"
        except requests.RequestException as error:
            last_error = f"/readyz: {error.__class__.__name__}"
        time.sleep(0.5)
    try:
        assert ready, f"TLS server not ready ({last_error}).\n{log_tail(log_path)}"
        _create_admin(_skein_binary(), data_dir)
        cookie = sign_in(f"https://127.0.0.1:{ports['ui']}", ADMIN_NAME, ADMIN_PASSWORD, verify=str(cert))
        yield ports, cert, cookie
    finally:
        exit_code = _stop(process)
        leftover = _stop_leftover_postgres(data_dir)
        log_file.close()
        shutil.rmtree(folder, ignore_errors=True)
    assert exit_code == 0, f"skein serve exited with {exit_code}.\n{log_tail(log_path)}"
    assert leftover is None


def _one_span_request(service: str) -> tuple[ExportTraceServiceRequest, str]:
    now = time.time_ns()
    trace_id = raw_otlp.new_trace_id()
    span = Span(trace_id=trace_id, span_id=raw_otlp.new_span_id(), name="over-tls", kind=Span.SPAN_KIND_SERVER,
                start_time_unix_nano=now - 1_000_000, end_time_unix_nano=now)
    request = ExportTraceServiceRequest(resource_spans=[ResourceSpans(
        resource=Resource(attributes=raw_otlp.key_values({"service.name": service})),
        scope_spans=[ScopeSpans(spans=[span])],
    )])
    return request, trace_id.hex()


def _wait_for_trace(ui: str, cert: Path, cookie: str, trace_id: str) -> dict:
    deadline = time.monotonic() + 30
    while True:
        answer = requests.get(f"{ui}/api/traces/{trace_id}", headers={"Cookie": cookie}, verify=str(cert),
                              timeout=10)
        if answer.status_code == 200 or time.monotonic() > deadline:
            assert answer.status_code == 200, answer.text
            return answer.json()
        time.sleep(0.3)


def test_the_ui_answers_https_with_hsts_and_the_strict_policy(tls_skein):
    ports, cert, cookie = tls_skein
    answer = requests.get(f"https://127.0.0.1:{ports['ui']}/", headers={"Cookie": cookie}, verify=str(cert),
                          allow_redirects=False, timeout=10)
    assert answer.status_code == 200, "the signed-in admin gets the landing page itself"
    assert answer.headers["Strict-Transport-Security"] == "max-age=31536000"
    assert "script-src 'self'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("listener", ["ui", "otlp_http", "zipkin"])
def test_plain_http_is_not_served_on_a_tls_listener(tls_skein, listener):
    ports, _, _ = tls_skein
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(f"http://127.0.0.1:{ports[listener]}/", timeout=10)


@pytest.mark.parametrize("listener", ["ui", "otlp_http", "zipkin"])
def test_an_untrusted_certificate_is_refused_by_the_client(tls_skein, listener):
    ports, _, _ = tls_skein
    with pytest.raises(requests.exceptions.SSLError):
        requests.get(f"https://127.0.0.1:{ports[listener]}/", timeout=10)


def test_otlp_http_accepts_spans_over_https(tls_skein):
    ports, cert, cookie = tls_skein
    request, trace_id = _one_span_request("tls-otlp-http")
    answer = requests.post(f"https://127.0.0.1:{ports['otlp_http']}/v1/traces", data=request.SerializeToString(),
                           headers={"Content-Type": "application/x-protobuf"}, verify=str(cert), timeout=30)
    assert answer.status_code == 200, answer.text
    trace = _wait_for_trace(f"https://127.0.0.1:{ports['ui']}", cert, cookie, trace_id)
    assert trace["data"][0]["spans"][0]["operationName"] == "over-tls"


def test_zipkin_accepts_spans_over_https(tls_skein):
    ports, cert, cookie = tls_skein
    trace_id = os.urandom(16).hex()
    now_us = time.time_ns() // 1000
    spans = [{"traceId": trace_id, "id": os.urandom(8).hex(), "name": "zipkin-over-tls", "timestamp": now_us - 1000,
              "duration": 1000, "localEndpoint": {"serviceName": "tls-zipkin"}}]
    answer = requests.post(f"https://127.0.0.1:{ports['zipkin']}/api/v2/spans", json=spans, verify=str(cert), timeout=30)
    assert answer.status_code == 202, answer.text
    trace = _wait_for_trace(f"https://127.0.0.1:{ports['ui']}", cert, cookie, trace_id)
    assert trace["data"][0]["spans"][0]["operationName"] == "zipkin-over-tls"


def test_otlp_grpc_accepts_spans_over_tls(tls_skein):
    ports, cert, cookie = tls_skein
    credentials = grpc.ssl_channel_credentials(root_certificates=cert.read_bytes())
    request, trace_id = _one_span_request("tls-otlp-grpc")
    with grpc.secure_channel(f"localhost:{ports['otlp_grpc']}", credentials) as channel:
        export = channel.unary_unary(EXPORT, request_serializer=ExportTraceServiceRequest.SerializeToString,
                                     response_deserializer=ExportTraceServiceResponse.FromString)
        export(request, timeout=30)
    trace = _wait_for_trace(f"https://127.0.0.1:{ports['ui']}", cert, cookie, trace_id)
    assert trace["data"][0]["spans"][0]["operationName"] == "over-tls"


def test_otlp_grpc_refuses_a_plaintext_channel(tls_skein):
    ports, _, _ = tls_skein
    request, _ = _one_span_request("tls-plaintext")
    with grpc.insecure_channel(f"127.0.0.1:{ports['otlp_grpc']}") as channel:
        export = channel.unary_unary(EXPORT, request_serializer=ExportTraceServiceRequest.SerializeToString,
                                     response_deserializer=ExportTraceServiceResponse.FromString)
        with pytest.raises(grpc.RpcError) as raised:
            export(request, timeout=10)
    assert raised.value.code() == grpc.StatusCode.UNAVAILABLE


def test_a_cross_site_post_to_the_ui_is_refused_and_a_same_origin_one_is_not(tls_skein):
    ports, cert, cookie = tls_skein
    ui = f"https://127.0.0.1:{ports['ui']}"
    refused = requests.post(f"{ui}/search", headers={"Origin": "https://evil.example"}, verify=str(cert), timeout=10)
    assert refused.status_code == 403
    assert "Content-Security-Policy" in refused.headers
    # No POST route exists yet: passing the check means the router's own answer, not 403.
    own = requests.post(f"{ui}/search", headers={"Origin": ui}, verify=str(cert), timeout=10)
    assert own.status_code != 403
    plain_origin = requests.post(f"{ui}/search", headers={"Origin": f"http://127.0.0.1:{ports['ui']}"},
                                 verify=str(cert), timeout=10)
    assert plain_origin.status_code == 403


@pytest.mark.parametrize("flags", [["--tls-cert", "/nonexistent/cert.pem"], ["--tls-key", "/nonexistent/key.pem"]])
def test_the_certificate_and_key_flags_go_together(flags, tmp_path):
    ports = {name: _free_port() for name in ("ui", "otlp_http", "otlp_grpc", "zipkin")}
    result = subprocess.run(_serve_command(tmp_path, ports, flags), cwd=REPO_ROOT, env=_clean_env(),
                            stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "--tls-cert" in result.stderr and "--tls-key" in result.stderr


def test_an_unreadable_certificate_stops_the_server_with_a_message_naming_it(tmp_path):
    key = tmp_path / "key.pem"
    key.write_text("not a key")
    ports = {name: _free_port() for name in ("ui", "otlp_http", "otlp_grpc", "zipkin")}
    command = _serve_command(tmp_path / "data", ports, ["--tls-cert", "/nonexistent/cert.pem", "--tls-key", str(key)])
    result = subprocess.run(command, cwd=REPO_ROOT, env=_clean_env(), stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "/nonexistent/cert.pem" in result.stdout + result.stderr


def test_a_key_of_another_certificate_stops_the_server_with_a_message_naming_both(tmp_path):
    cert, _ = _make_certificate(tmp_path)
    other_key = tmp_path / "other-key.pem"
    subprocess.run(["openssl", "genpkey", "-algorithm", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                    "-out", str(other_key)], check=True, capture_output=True)
    ports = {name: _free_port() for name in ("ui", "otlp_http", "otlp_grpc", "zipkin")}
    command = _serve_command(tmp_path / "data", ports, ["--tls-cert", str(cert), "--tls-key", str(other_key)])
    result = subprocess.run(command, cwd=REPO_ROOT, env=_clean_env(), stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert str(other_key) in output and str(cert) in output
    assert "PostgreSQL" not in output, "refused before the database started"


def test_the_demo_generator_is_refused_with_tls_because_it_sends_plain_http(tmp_path):
    cert, key = _make_certificate(tmp_path)
    ports = {name: _free_port() for name in ("ui", "otlp_http", "otlp_grpc", "zipkin")}
    command = _serve_command(tmp_path / "data", ports, ["--tls-cert", str(cert), "--tls-key", str(key), "--demo"])
    result = subprocess.run(command, cwd=REPO_ROOT, env=_clean_env(), stdin=subprocess.DEVNULL,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "--demo" in result.stderr and "--tls-cert" in result.stderr


def test_the_admin_signs_in_over_https_with_a_secure_host_prefixed_cookie(tls_skein):
    ports, cert, cookie = tls_skein
    ui = f"https://127.0.0.1:{ports['ui']}"
    assert cookie.startswith("__Host-skein_session="), f"under TLS the session cookie is __Host- prefixed: {cookie[:30]}"
    with requests.Session() as browser:
        form = browser.get(f"{ui}/login", verify=str(cert), timeout=10)
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        answer = browser.post(f"{ui}/login", data={"username": ADMIN_NAME, "password": ADMIN_PASSWORD,
                                                     "csrf_token": token, "next": "/"},
                              headers={"Origin": ui}, verify=str(cert), allow_redirects=False, timeout=30)
    assert answer.status_code == 303
    set_cookie = answer.headers["Set-Cookie"]
    assert "__Host-skein_session=" in set_cookie
    assert "Secure" in set_cookie and "HttpOnly" in set_cookie and "Path=/" in set_cookie
    signed_out = requests.get(f"{ui}/search", verify=str(cert), allow_redirects=False, timeout=10)
    assert signed_out.status_code in (302, 303) and "/login" in signed_out.headers["Location"]
