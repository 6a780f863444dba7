"""Helpers shared by the end-to-end tests: the gateway as a client (register with the test-mode
captcha answer, log in, apply), staff accounts made with identity's CLI, the SMTP sink's
mailbox, the services' message catalogues and bounded waits."""

from __future__ import annotations

import json
import random
import time
import uuid
from datetime import date, datetime
from functools import cache

import requests

from shared.clock import BEIJING
from shared.config import REPO_ROOT
from shared.i18n import readable_params

PASSWORD = "abc12345"
SUPPORT_MAILBOX = "szhkhotel@163.com"  # notification's default, the guide's address


def digits(n: int) -> str:
    return "".join(random.choice("0123456789") for _ in range(n))


def hk_permit_number() -> str:
    """A 回乡证 number in today's form: H + 8 digits (rules.md Appendix A)."""
    return "H" + digits(8)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """`day` at hour:minute, Beijing time."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def wait_for(check, timeout: float = 30.0, what: str = "condition", interval: float = 0.25):
    """Poll `check` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}")
        time.sleep(interval)


@cache
def server_messages(service: str, lang: str) -> dict[str, str]:
    """What `service` answers in `lang`: the shared catalogue plus the service's own."""
    def load(path):
        return json.loads(path.read_text(encoding="utf-8"))
    messages = dict(load(REPO_ROOT / "shared" / "messages" / f"{lang}.json"))
    messages.update(load(REPO_ROOT / "services" / service / "messages" / f"{lang}.json"))
    return messages


def message_of(service: str, lang: str, code: str, **params) -> str:
    """A service's message as the service words it (dates as the reader writes them)."""
    return server_messages(service, lang)[code].format(**readable_params(params, lang))


class Gateway:
    """The system's API through nginx, as the browser client calls it."""

    def __init__(self, url: str, lang: str = "en"):
        self.url = url
        self.lang = lang

    def call(self, method, path, token=None, lang=None, **kwargs):
        headers = {"X-Lang": lang or self.lang, **kwargs.pop("headers", {})}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        return requests.request(method, self.url + path, headers=headers, timeout=20, **kwargs)

    def captcha(self) -> dict:
        """A captcha challenge; in test mode it carries its answer."""
        answer = self.call("POST", "/api/identity/captchas")
        assert answer.status_code == 201, answer.text
        return answer.json()

    def try_register(self, number: str, lang=None, nationality="HK",
                     document_type="hk_macao_resident_permit", password=PASSWORD,
                     confirmation=None, consent=True):
        captcha = self.captcha()
        return self.call("POST", "/api/identity/registrations", lang=lang, json={
            "nationality": nationality, "document_type": document_type,
            "document_number": number, "password": password,
            "password_confirmation": password if confirmation is None else confirmation,
            "captcha_id": captcha["captcha_id"], "captcha_answer": captcha["answer"],
            "consent": consent})

    def register(self, number: str, **kwargs) -> dict:
        answer = self.try_register(number, **kwargs)
        assert answer.status_code == 201, answer.text
        return answer.json()

    def login(self, document_type: str, number: str, password: str = PASSWORD, lang=None):
        return self.call("POST", "/api/identity/sessions", lang=lang, json={
            "document_type": document_type, "document_number": number, "password": password})

    def apply(self, token: str, dates: list[date], lang=None):
        captcha = self.captcha()
        return self.call("POST", "/api/booking/applications", token, lang=lang, json={
            "dates": [d.isoformat() for d in dates], "captcha_id": captcha["captcha_id"],
            "captcha_answer": captcha["answer"]})


def create_staff(system, role: str) -> str:
    """A staff account made as operators make one (identity's CLI); returns its username."""
    username = f"{role[:3]}{uuid.uuid4().hex[:8]}"
    system.run("-m", "services.identity.entrypoints.cli", "create-staff", "--role", role,
               "--username", username, "--password", PASSWORD)
    return username


def staff_session(system, gateway: Gateway, role: str) -> dict:
    answer = gateway.login("staff", create_staff(system, role))
    assert answer.status_code == 200, answer.text
    return answer.json()


def staff_token(system, gateway: Gateway, role: str) -> str:
    return staff_session(system, gateway, role)["access_token"]


def mailbox(gateway_url: str, to: str) -> list[dict]:
    """The messages the development SMTP sink received for `to` (notification's dev API)."""
    answer = requests.get(f"{gateway_url}/api/notification/dev/mailbox", params={"to": to},
                          timeout=10)
    answer.raise_for_status()
    return answer.json()["messages"]


# ------------------------------------------------------------------ in the browser

CAPTCHA_IMAGE = '[data-test="captcha-image"]'
CAPTCHA_ANSWER = '[data-test="captcha-answer"]'


def store_session(page, registered: dict, lang: str) -> None:
    """Sign the page's origin in as the client does after a login: the session of a
    registration's answer and the language, in localStorage (the page must be on the origin)."""
    page.evaluate("([s, l]) => { localStorage.setItem('hs.session', s); "
                  "localStorage.setItem('hs.lang', l) }",
                  [json.dumps({"account": registered["account"],
                               "accessToken": registered["access_token"],
                               "refreshToken": registered["refresh_token"],
                               "updateRequired": False}), lang])


class CaptchaAnswers:
    """Test mode: the captcha challenge carries its answer; remember it by captcha id."""

    def __init__(self, page):
        self.by_id: dict[str, str] = {}
        page.on("response", self._record)

    def _record(self, response):
        if response.request.method == "POST" and response.url.endswith("/api/identity/captchas"):
            try:
                body = response.json()
            except Exception:  # noqa: BLE001 - not a challenge (e.g. rate limited)
                return
            if "captcha_id" in body and "answer" in body:
                self.by_id[body["captcha_id"]] = body["answer"]

    def fill(self, page, previous_id: str | None = None, wrong: bool = False) -> str:
        """Wait for a challenge newer than `previous_id`, type its answer (or a wrong one)."""
        image = page.locator(CAPTCHA_IMAGE)
        image.wait_for(state="visible")
        page.wait_for_function(
            """([selector, previous]) => {
                const img = document.querySelector(selector)
                return img && img.dataset.captchaId && img.dataset.captchaId !== previous
            }""",
            arg=[CAPTCHA_IMAGE, previous_id or ""],
        )
        captcha_id = image.get_attribute("data-captcha-id")
        for _ in range(100):  # the response handler may run just after the page used it
            if captcha_id in self.by_id:
                break
            page.wait_for_timeout(50)
        answer = self.by_id.get(captcha_id)
        assert answer, "the captcha answer is only given in test mode: is HS_MODE=test?"
        page.fill(CAPTCHA_ANSWER, ("ZZ" + answer[::-1]) if wrong else answer)
        return captcha_id
