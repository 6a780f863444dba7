"""Issue 6 through the gateway: a support request (R14.1) reaches the support mailbox on the real
SMTP sink exactly once, the user gets an acknowledgement, and an operator reads the emails'
delivery state on the notification page at 375 px."""

from __future__ import annotations

import json
import time
import uuid

import pytest
import requests

from tests.e2e.helpers import SUPPORT_MAILBOX, mailbox, wait_for
from tests.e2e.test_profile_web import client_text

pytestmark = pytest.mark.e2e

def _send_support_request(gateway_url, contact, message):
    captcha = requests.post(f"{gateway_url}/api/identity/captchas", json={}, timeout=10).json()
    answer = requests.post(f"{gateway_url}/api/identity/support-requests", timeout=10, json={
        "kind": "forgot_password", "contact_email": contact, "message": message,
        "captcha_id": captcha["captcha_id"], "captcha_answer": captcha["answer"]},
        headers={"X-Lang": "zh-Hant"})
    assert answer.status_code in (200, 201, 202), answer.text


def _operator_session(system, gateway_url) -> dict:
    username = f"op{uuid.uuid4().hex[:8]}"
    system.run("-m", "services.identity.entrypoints.cli", "create-staff", "--role", "operator",
               "--username", username, "--password", "Operator1234")
    answer = requests.post(f"{gateway_url}/api/identity/sessions", timeout=10, json={
        "document_type": "staff", "document_number": username, "password": "Operator1234"})
    assert answer.status_code in (200, 201), answer.text
    return answer.json()


def test_R14_1_support_request_gives_one_support_email_and_operators_see_it_at_375px(
        system, gateway_url, page):
    contact = f"user-{uuid.uuid4().hex[:8]}@example.com"
    message = f"忘記密碼 {uuid.uuid4().hex[:6]}"
    _send_support_request(gateway_url, contact, message)

    staff = wait_for(lambda: [m for m in mailbox(gateway_url, SUPPORT_MAILBOX)
                           if message in m["text"]], what="the support email")
    ack = wait_for(lambda: mailbox(gateway_url, contact), what="the user's acknowledgement")
    time.sleep(2)  # several sender polls: a duplicate would have arrived by now
    assert len([m for m in mailbox(gateway_url, SUPPORT_MAILBOX) if message in m["text"]]) == 1
    assert len(mailbox(gateway_url, contact)) == 1
    assert staff[0]["reply_to"] == contact
    assert ack[0]["lang"] == "zh-Hant"
    assert "Shenzhen Health Station Room Reservation System" in ack[0]["text"]

    session = _operator_session(system, gateway_url)
    page.goto("/login")
    page.evaluate("s => localStorage.setItem('hs.session', s)", json.dumps({
        "account": session["account"], "accessToken": session["access_token"],
        "refreshToken": session["refresh_token"], "updateRequired": False}))
    page.goto("/operator/emails")
    page.wait_for_selector('[data-test="emails-page"]')
    page.click('[data-test="filter-sent"]')
    card = page.locator("article", has_text=staff[0]["subject"]).first
    card.wait_for()
    assert "客服" in card.inner_text() or "Support" in card.inner_text()
    # the event that caused it in words; its type only beside it, for tracing
    event = card.locator('[data-test="email-event"]').inner_text()
    assert event.startswith(client_text("zh-Hans", "notification.events.identity_support_requested"))
    assert event.endswith("identity.support.requested")
    # The user's address is masked for operators.
    assert contact not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
