"""The gateway: its rendered config passes `nginx -t`, and a real nginx started from it routes,
caches, limits and answers errors as the browser client expects.

The live tests put small HTTP responders where the services would be: what is under test is
nginx's routing and limits, not the services (the e2e suite runs the real ones).
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import requests

from gateway.render import RATE_LIMITS, render, values_from_env, write_config
from gateway.run import nginx_binary

NGINX = nginx_binary()
REPO = Path(__file__).resolve().parents[2]
SERVICES = ("identity", "profile", "booking", "lottery", "notification")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def base_env(tmp_path: Path, **extra) -> dict:
    web = tmp_path / "dist"
    (web / "assets").mkdir(parents=True, exist_ok=True)
    (web / "index.html").write_text("<!doctype html><title>shell</title>", encoding="utf-8")
    (web / "assets" / "index-abc123.js").write_text("console.log(1)" * 200, encoding="utf-8")
    env = {
        "GATEWAY_PORT": str(free_port()),
        "GATEWAY_WEB_ROOT": str(web),
        "GATEWAY_VAR_DIR": str(tmp_path / "nginx"),
        "GATEWAY_PUBLIC_DIR": str(tmp_path / "public"),
    }
    env.update(extra)
    return env


def nginx_test(config: Path) -> subprocess.CompletedProcess:
    return subprocess.run([NGINX, "-e", "stderr", "-t", "-c", str(config)],
                          capture_output=True, text=True, timeout=30)


def test_rendered_default_config_passes_nginx_t(tmp_path):
    config = write_config(tmp_path / "nginx.conf", base_env(tmp_path))
    result = nginx_test(config)
    assert result.returncode == 0, result.stderr
    assert "{{" not in config.read_text(encoding="utf-8")


def test_nginx_closes_idle_service_connections_before_any_gunicorn_does(tmp_path):
    """A POST that nginx sends on a kept-alive connection at the instant gunicorn closes it for
    idleness gets a 502 (nginx retries no POST): the upstream keepalive_timeout of every service
    must be shorter than that service's gunicorn `keepalive`."""
    config = write_config(tmp_path / "nginx.conf", base_env(tmp_path)).read_text(encoding="utf-8")
    upstreams = dict(re.findall(r"upstream (\w+)\s*\{[^}]*keepalive_timeout (\d+)s;", config))
    services = sorted(p.parent.name for p in (REPO / "services").glob("*/gunicorn.conf.py"))
    assert sorted(upstreams) == services
    for service in services:
        settings: dict = {}
        exec((REPO / "services" / service / "gunicorn.conf.py").read_text(), settings)
        assert settings.get("keepalive", 2) > int(upstreams[service]), service  # 2: gunicorn's


def test_ports_and_paths_come_from_the_environment(tmp_path):
    env = base_env(tmp_path, GATEWAY_PORT="18123", IDENTITY_PORT="19101", BOOKING_PORT="19103",
                   BOOKING_HOST="booking.internal")
    text = render(values_from_env(env))
    assert "listen 127.0.0.1:18123" in text
    assert "server 127.0.0.1:19101;" in text
    assert "server booking.internal:19103;" in text
    assert "server 127.0.0.1:8102;" in text  # profile keeps its default
    assert f"root {Path(env['GATEWAY_WEB_ROOT']).resolve()};" in text
    assert f"pid {Path(env['GATEWAY_VAR_DIR']).resolve()}/nginx.pid;" in text


def test_bad_settings_are_refused(tmp_path):
    with pytest.raises(SystemExit):
        values_from_env(base_env(tmp_path, GATEWAY_RATE_LIMIT_EXEMPT="not-an-address"))
    with pytest.raises(SystemExit):
        values_from_env(base_env(tmp_path, GATEWAY_RATE_LOGIN_DEVICE="lots"))
    with pytest.raises(KeyError):
        render({}, "x {{MISSING}}")


def test_trusted_proxies_enable_real_ip(tmp_path):
    text = render(values_from_env(base_env(tmp_path, GATEWAY_TRUSTED_PROXIES="10.0.0.0/8")))
    assert "set_real_ip_from 10.0.0.0/8;" in text
    assert "real_ip_header X-Forwarded-For;" in text
    plain = render(values_from_env(base_env(tmp_path)))
    assert "set_real_ip_from" not in plain


# ---------------------------------------------------------------- a running gateway


class Responder(BaseHTTPRequestHandler):
    """Answers as the named service: which service, which path, which headers it got."""

    service = "?"

    def _answer(self):
        length = int(self.headers.get("Content-Length") or 0)
        if length:
            self.rfile.read(length)
        body = json.dumps({"service": self.service, "path": self.path,
                           "headers": {k.lower(): v for k, v in self.headers.items()}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_DELETE = _answer

    def log_message(self, *args):
        pass


def start_responder(service: str) -> tuple[ThreadingHTTPServer, int]:
    handler = type(f"{service}Responder", (Responder,), {"service": service})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                     daemon=True).start()
    return server, server.server_address[1]


def start_gateway(tmp_path: Path, env: dict):
    config = write_config(tmp_path / "nginx.conf", env)
    process = subprocess.Popen([NGINX, "-e", "stderr", "-c", str(config), "-g", "daemon off;"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{env['GATEWAY_PORT']}"
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except requests.ConnectionError:
            time.sleep(0.05)
        if process.poll() is not None:
            raise RuntimeError(process.stderr.read().decode())
    process.terminate()
    raise RuntimeError("nginx did not come up")


def stop(process):
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture
def services():
    """Responders for four services; notification is left down (to see the 502 answer)."""
    started = {name: start_responder(name) for name in SERVICES if name != "notification"}
    ports = {f"{name.upper()}_PORT": str(port) for name, (_, port) in started.items()}
    ports["NOTIFICATION_PORT"] = str(free_port())
    yield ports
    for server, _ in started.values():
        server.shutdown()
        server.server_close()


@pytest.fixture
def gateway(tmp_path, services):
    process, url = start_gateway(tmp_path, base_env(tmp_path, **services))
    yield url
    stop(process)


def test_spa_routes_fall_back_to_index_which_is_never_cached(gateway):
    for path in ("/", "/login", "/register", "/profile/cohabitants"):
        response = requests.get(gateway + path, timeout=5)
        assert response.status_code == 200, path
        assert "<title>shell</title>" in response.text
        assert response.headers["Cache-Control"] == "no-cache", path


def test_hashed_assets_are_cached_for_long_and_compressed(gateway):
    response = requests.get(gateway + "/assets/index-abc123.js", timeout=5,
                            headers={"Accept-Encoding": "gzip"})
    assert response.status_code == 200
    assert "max-age=315360000" in response.headers["Cache-Control"]
    assert response.headers.get("Content-Encoding") == "gzip"
    assert requests.get(gateway + "/assets/missing.js", timeout=5).status_code == 404


def test_security_headers_are_on_pages_and_api(gateway):
    for path in ("/login", "/api/identity/catalogue"):
        headers = requests.get(gateway + path, timeout=5).headers
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
        assert "script-src 'self'" in headers["Content-Security-Policy"]


def test_each_service_gets_its_own_path_unchanged_with_a_request_id(gateway):
    for service in ("identity", "profile", "booking", "lottery"):
        response = requests.get(f"{gateway}/api/{service}/things/42?x=1", timeout=5)
        answer = response.json()
        assert answer["service"] == service
        assert answer["path"] == f"/api/{service}/things/42?x=1"
        assert answer["headers"]["x-request-id"] == response.headers["X-Request-Id"]
        assert answer["headers"]["x-forwarded-for"] == "127.0.0.1"
    # a caller's own request id is passed through
    response = requests.get(f"{gateway}/api/profile/me", headers={"X-Request-Id": "trace-12345678"},
                            timeout=5)
    assert response.json()["headers"]["x-request-id"] == "trace-12345678"
    assert response.headers["X-Request-Id"] == "trace-12345678"


def test_a_service_that_is_down_answers_json_in_the_error_shape_and_language(gateway):
    response = requests.get(f"{gateway}/api/notification/anything", headers={"X-Lang": "zh-Hant"},
                            timeout=10)
    assert response.status_code == 502
    assert response.headers["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == "error.unavailable"
    assert error["message"] == "服務暫時不可用，請稍後再試"
    english = requests.get(f"{gateway}/api/notification/x", headers={"X-Lang": "en"}, timeout=10)
    assert english.json()["error"]["message"].startswith("The service is temporarily unavailable")


def test_an_unknown_api_path_is_a_json_404(gateway):
    response = requests.get(f"{gateway}/api/nothing/here", timeout=5)
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "error.not_found"


def test_bodies_over_the_limit_get_a_json_413(gateway):
    response = requests.post(f"{gateway}/api/identity/sessions", data=b"x" * 40_000,
                             headers={"Content-Type": "application/json"}, timeout=5)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "error.too_large"


def login(url: str, device: str | None, lang: str = "zh-Hans") -> requests.Response:
    headers = {"X-Lang": lang, "Content-Type": "application/json"}
    if device:
        headers["X-Device-Id"] = device
    return requests.post(f"{url}/api/identity/sessions", data="{}", headers=headers, timeout=5)


@pytest.fixture
def limited_gateway(tmp_path, services):
    """A gateway that limits loopback too (as it limits every other address)."""
    process, url = start_gateway(tmp_path, base_env(tmp_path, GATEWAY_RATE_LIMIT_EXEMPT="",
                                                    **services))
    yield url
    stop(process)


def test_login_is_limited_per_device_without_locking_out_others_at_the_same_address(
        limited_gateway):
    url = limited_gateway
    _, burst = RATE_LIMITS["LOGIN_DEVICE"]
    noisy = uuid.uuid4().hex
    statuses = [login(url, noisy).status_code for _ in range(burst + 3)]
    assert statuses[:burst + 1] == [200] * (burst + 1)  # the rate's first token + the burst
    assert statuses[-1] == 429
    limited = login(url, noisy, lang="en")
    assert limited.status_code == 429
    assert limited.json()["error"] == {"code": "error.rate_limited",
                                       "message": "Too many attempts, please wait a moment"}
    # another person behind the same address is not affected
    assert login(url, uuid.uuid4().hex).status_code == 200
    # other identity endpoints are not limited by the login zone
    assert requests.get(f"{url}/api/identity/catalogue", timeout=5).status_code == 200


def test_clients_without_a_device_id_share_the_address_allowance(limited_gateway):
    _, burst = RATE_LIMITS["LOGIN_DEVICE"]
    statuses = [login(limited_gateway, None).status_code for _ in range(burst + 3)]
    assert statuses[-1] == 429
    assert login(limited_gateway, uuid.uuid4().hex).status_code == 200


def test_registration_and_captcha_are_limited_too(limited_gateway):
    for path, zone in (("/api/identity/registrations", "REGISTER_DEVICE"),
                       ("/api/identity/captchas", "CAPTCHA_DEVICE")):
        _, burst = RATE_LIMITS[zone]
        device = uuid.uuid4().hex
        statuses = [requests.post(f"{limited_gateway}{path}", json={}, timeout=5,
                                  headers={"X-Device-Id": device}).status_code
                    for _ in range(burst + 3)]
        assert statuses[0] == 200 and statuses[-1] == 429, path


def test_loopback_is_not_held_back_so_a_load_test_measures_the_system(gateway):
    """Tools, tests and load tests on this machine: with or without device ids."""
    _, ceiling = RATE_LIMITS["LOGIN_ADDRESS"]
    statuses = {login(gateway, uuid.uuid4().hex).status_code for _ in range(ceiling + 20)}
    _, burst = RATE_LIMITS["LOGIN_DEVICE"]
    statuses |= {login(gateway, None).status_code for _ in range(burst + 5)}
    assert statuses == {200}


def test_an_address_is_capped_even_when_it_rotates_device_ids(tmp_path, services):
    """Device ids are chosen by the caller: they do not lift the per-address ceiling."""
    env = base_env(tmp_path, GATEWAY_RATE_LIMIT_EXEMPT="", GATEWAY_RATE_LOGIN_ADDRESS="1r/m",
                   GATEWAY_RATE_LOGIN_ADDRESS_BURST="5", **services)
    process, url = start_gateway(tmp_path, env)
    try:
        statuses = [login(url, uuid.uuid4().hex).status_code for _ in range(10)]
    finally:
        stop(process)
    assert statuses[:6] == [200] * 6
    assert statuses[-1] == 429


def test_published_files_are_served_under_public(tmp_path, services):
    env = base_env(tmp_path, **services)
    process, url = start_gateway(tmp_path, env)
    try:
        (tmp_path / "public" / "results").mkdir(parents=True)
        (tmp_path / "public" / "results" / "2026-12-03.json").write_text('{"ok": true}')
        response = requests.get(f"{url}/public/results/2026-12-03.json", timeout=5)
        missing = requests.get(f"{url}/public/results/none.json", timeout=5)
    finally:
        stop(process)
    assert response.json() == {"ok": True}
    assert missing.status_code == 404
