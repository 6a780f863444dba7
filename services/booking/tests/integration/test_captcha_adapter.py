"""The identity captcha adapter against a real HTTP server speaking docs/identity.md's verify
contract (the adapter's own test; the e2e suite covers the call to the real identity service)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from services.booking.adapters.captcha import CaptchaUnavailable, IdentityCaptchaVerifier


class _Identity(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True
    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if self.path == "/api/identity/captchas/broken/verify":
            self.send_response(500)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        ok = self.path == "/api/identity/captchas/c-1/verify" and body["answer"] == "K7RT"
        answer = {"valid": True} if ok else {"valid": False, "code": "captcha.expired"}
        data = json.dumps(answer).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def identity_url():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Identity)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def test_R7_4_captcha_verdicts_follow_identitys_contract(identity_url):
    verify = IdentityCaptchaVerifier(identity_url)
    assert verify("c-1", "K7RT").valid
    wrong = verify("c-1", "NOPE")
    assert (wrong.valid, wrong.code) == (False, "captcha.expired")
    with pytest.raises(CaptchaUnavailable):
        verify("broken", "K7RT")
    assert verify("c-1", "K7RT").valid  # the kept-alive connection still serves
    with pytest.raises(CaptchaUnavailable):
        IdentityCaptchaVerifier("http://127.0.0.1:9", timeout=1)("c-1", "K7RT")
