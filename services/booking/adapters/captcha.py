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

import logging
import os
import threading
from dataclasses import dataclass
from urllib.parse import quote

import requests

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
    def __init__(self, base_url: str | None = None, timeout: float = 3.0):
        self.base_url = (base_url or os.environ.get("IDENTITY_URL")
                         or DEFAULT_IDENTITY_URL).rstrip("/")
        self.timeout = timeout
        self._local = threading.local()  # one HTTP session (keep-alive pool) per thread

    def _session(self) -> requests.Session:
        if not hasattr(self._local, "session"):
            self._local.session = requests.Session()
        return self._local.session

    def __call__(self, captcha_id: str, answer: str) -> CaptchaVerdict:
        url = f"{self.base_url}/api/identity/captchas/{quote(captcha_id, safe='')}/verify"
        try:
            response = self._session().post(url, json={"answer": answer}, timeout=self.timeout)
        except requests.RequestException as exc:
            log.warning("captcha verification unreachable: %s", exc.__class__.__name__)
            raise CaptchaUnavailable() from exc
        if response.status_code in (404, 410):
            return CaptchaVerdict(False, "captcha.unknown")
        if response.status_code != 200:
            log.warning("captcha verification answered %s", response.status_code)
            raise CaptchaUnavailable()
        try:
            return CaptchaVerdict.from_answer(response.json())
        except (ValueError, AttributeError) as exc:
            raise CaptchaUnavailable() from exc
