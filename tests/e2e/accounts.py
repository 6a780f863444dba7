"""Accounts for the e2e fault and contract tests, made through the gateway as a user would
(identity's public API; in test mode the captcha comes with its answer, docs/identity.md)."""

from __future__ import annotations

import random
from dataclasses import dataclass

import requests

PASSWORD = "fuzz1234abc"


@dataclass
class Login:
    document_type: str
    document_number: str
    password: str
    access_token: str
    account_id: str

    def as_login_body(self) -> dict:
        return {"document_type": self.document_type, "document_number": self.document_number,
                "password": self.password}


def random_hk_permit(rng: random.Random | None = None) -> str:
    """A 港澳居民来往内地通行证 number of today's form: H + 8 digits."""
    rng = rng or random.SystemRandom()
    return "H" + "".join(rng.choice("0123456789") for _ in range(8))


def registration_body(gateway_url: str, document_number: str, session: requests.Session | None = None,
                      timeout: float = 10) -> dict:
    http = session or requests
    captcha = http.post(f"{gateway_url}/api/identity/captchas", timeout=timeout)
    captcha.raise_for_status()
    return body_with_captcha(captcha.json(), document_number)


def body_with_captcha(captcha: dict, document_number: str) -> dict:
    return {"nationality": "HK", "document_type": "hk_macao_resident_permit",
            "document_number": document_number, "password": PASSWORD,
            "password_confirmation": PASSWORD, "captcha_id": captcha["captcha_id"],
            "captcha_answer": captcha["answer"], "consent": True}


def register_applicant(gateway_url: str) -> Login:
    number = random_hk_permit()
    answer = requests.post(f"{gateway_url}/api/identity/registrations", timeout=10,
                           json=registration_body(gateway_url, number))
    assert answer.status_code == 201, answer.text
    body = answer.json()
    return Login("hk_macao_resident_permit", number, PASSWORD, body["access_token"],
                 body["account"]["id"])


def create_staff(system, role: str) -> Login:
    username = f"fuzz{role}{random.SystemRandom().randrange(10**6)}"
    system.run("-m", "services.identity.entrypoints.cli", "create-staff", "--role", role,
               "--username", username, "--password", PASSWORD)
    answer = requests.post(f"{system.gateway_url}/api/identity/sessions", timeout=10, json={
        "document_type": "staff", "document_number": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    return Login("staff", username, PASSWORD, body["access_token"], body["account"]["id"])
