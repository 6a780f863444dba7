"""The captcha check, asked of the identity service over HTTP (the only call booking makes to
another service: a captcha is identity's state and has no event).

Contract (docs/identity.md):
    POST {IDENTITY_URL}/api/identity/captchas/<captcha_id>/verify  {"answer": "..."}
    -> 200 {"valid": true} | {"valid": false, "code": "captcha.wrong|expired|used|unknown"}
It consumes the captcha, right or wrong.
A verifier is any callable `(captcha_id, answer) -> CaptchaVerdict` raising CaptchaUnavailable
when it cannot tell; the app factory takes one, so the integration tests of booking alone can
replace this adapter (and nothing else).
"""

from __future__ import annotations

import http.client
import json
import logging
import os
import threading
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

log = logging.getLogger("booking.captcha")
DEFAULT_IDENTITY_URL = "http://127.0.0.1:8101"


CAPTCHA_CODES = ("captcha.wrong", "captcha.expired", "captcha.used", "captcha.unknown")


class CaptchaUnavailable(Exception):
    pass


@dataclass(frozen=True)
class CaptchaVerdict:
    valid: bool
    code: str | None = None  # why not: one of CAPTCHA_CODES

    @classmethod
    def from_answer(cls, data: dict) -> CaptchaVerdict:
        if data.get("valid") is True:
            return cls(True)
        code = data.get("code")
        return cls(False, code if code in CAPTCHA_CODES else "captcha.wrong")


class IdentityCaptchaVerifier:
    """One keep-alive HTTP connection per thread (http.client: a fraction of requests' CPU per
    call, which counts at the 09:00 rush); a broken connection is reopened once."""

    def __init__(self, base_url: str | None = None, timeout: float = 3.0):
        url = urlsplit((base_url or os.environ.get("IDENTITY_URL")
                        or DEFAULT_IDENTITY_URL).rstrip("/"))
        self.https = url.scheme == "https"
        self.host, self.port = url.hostname, url.port or (443 if self.https else 80)
        self.prefix = url.path
        self.timeout = timeout
        self._local = threading.local()

    def _connection(self, fresh: bool = False) -> http.client.HTTPConnection:
        if fresh or getattr(self._local, "connection", None) is None:
            old = getattr(self._local, "connection", None)
            if old is not None:
                old.close()
            cls = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
            self._local.connection = cls(self.host, self.port, timeout=self.timeout)
        return self._local.connection

    def _post(self, path: str, body: bytes) -> tuple[int, bytes]:
        for attempt in (0, 1):
            connection = self._connection(fresh=attempt == 1)
            try:
                connection.request("POST", path, body=body, headers={
                    "Content-Type": "application/json", "Accept": "application/json"})
                response = connection.getresponse()
                return response.status, response.read()
            except (OSError, http.client.HTTPException) as exc:
                connection.close()
                self._local.connection = None
                if attempt == 1:
                    raise CaptchaUnavailable() from exc
        raise CaptchaUnavailable()

    def __call__(self, captcha_id: str, answer: str) -> CaptchaVerdict:
        path = f"{self.prefix}/api/identity/captchas/{quote(captcha_id, safe='')}/verify"
        try:
            status, raw = self._post(path, json.dumps({"answer": answer}).encode())
        except CaptchaUnavailable:
            log.warning("captcha verification unreachable")
            raise
        if status in (404, 410):
            return CaptchaVerdict(False, "captcha.unknown")
        if status != 200:
            log.warning("captcha verification answered %s", status)
            raise CaptchaUnavailable()
        try:
            return CaptchaVerdict.from_answer(json.loads(raw))
        except (ValueError, AttributeError) as exc:
            raise CaptchaUnavailable() from exc
