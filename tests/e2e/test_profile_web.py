"""Issue 3 in headless Chromium through the gateway, on a 375 px wide phone screen.

A registered user (zh-Hant) fills in the personal-information form, is approved (R4.1-R4.3),
adds a spouse and two children under 14 (the guide's example, R6.2), one of them on a
往来港澳通行证 without an identity card (R6.5): that child waits for manual review and
profile.manual_review.requested is on the broker and its email in the support mailbox
(notification service, SMTP sink); a reviewer (English) approves the case in the
reviewer pages, and the personal centre (R5.1) shows the party ready to apply.
Registration itself is identity's e2e suite; here it goes through identity's API.
"""

from __future__ import annotations

import json
import random
import uuid
from datetime import date, timedelta
from functools import cache

import pika
import pytest
import requests

from shared.config import REPO_ROOT
from shared.i18n import readable_day

pytestmark = pytest.mark.e2e
PASSWORD = "abc12345"


def _json(path):
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def client_messages(lang: str) -> dict:
    web = REPO_ROOT / "gateway" / "web" / "src"
    merged = {}
    for path in [web / "locales" / f"{lang}.json", *sorted(web.glob(f"areas/*/locales/{lang}.json"))]:
        merged.update(_json(path))
    return merged


def client_text(lang: str, dotted: str) -> str:
    value = client_messages(lang)
    for part in dotted.split("."):
        value = value[part]
    return value


def server_text(lang: str, key: str) -> str:
    return _json(REPO_ROOT / "services" / "profile" / "messages" / f"{lang}.json")[key]


def digits(n: int) -> str:
    return "".join(random.choice("0123456789") for _ in range(n))


def register(gateway_url: str) -> dict:
    captcha = requests.post(f"{gateway_url}/api/identity/captchas", timeout=10).json()
    answer = requests.post(f"{gateway_url}/api/identity/registrations", timeout=10, json={
        "nationality": "HK", "document_type": "hk_macao_resident_permit",
        "document_number": "H" + digits(8), "password": PASSWORD,
        "password_confirmation": PASSWORD, "captcha_id": captcha["captcha_id"],
        "captcha_answer": captcha["answer"], "consent": True}, headers={"X-Lang": "zh-Hant"})
    assert answer.status_code == 201, answer.text
    return answer.json()


def staff_session(system, gateway_url: str) -> dict:
    username = f"rev{uuid.uuid4().hex[:8]}"
    system.run("-m", "services.identity.entrypoints.cli", "create-staff", "--role", "reviewer",
               "--username", username, "--password", PASSWORD)
    answer = requests.post(f"{gateway_url}/api/identity/sessions", timeout=10, json={
        "document_type": "staff", "document_number": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    return answer.json()


def sign_in(page, tokens: dict, lang: str) -> None:
    """What the shell's signIn() stores after a login."""
    page.goto("/guide")
    page.evaluate("([s, l]) => { localStorage.setItem('hs.session', s); localStorage.setItem('hs.lang', l) }",
                  [json.dumps({"account": tokens["account"], "accessToken": tokens["access_token"],
                               "refreshToken": tokens["refresh_token"], "updateRequired": False}),
                   lang])


class Tap:
    """A queue of the test's own on the system's exchange, bound before anything happens."""

    def __init__(self, env):
        params = pika.URLParameters(env.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"))
        params.heartbeat = 0  # the test only polls now and then: no heartbeat to miss
        self.connection = pika.BlockingConnection(params)
        self.channel = self.connection.channel()
        self.exchange = exchange = f"{env['BROKER_PREFIX']}hs.events"
        self.channel.exchange_declare(exchange, exchange_type="topic", durable=True)
        self.queue = self.channel.queue_declare("", exclusive=True).method.queue
        self.channel.queue_bind(self.queue, exchange, routing_key="profile.manual_review.requested")

    def publish(self, event_type: str, body: dict) -> None:
        """As booking and lottery publish (their services are not part of this test)."""
        event = {"id": str(uuid.uuid4()), "type": event_type, "occurred_at": "2026-01-01T00:00:00Z",
                 "version": 1, "producer": "e2e", "body": body}
        self.channel.basic_publish(self.exchange, event_type, json.dumps(event).encode(),
                                   properties=pika.BasicProperties(delivery_mode=2))

    def wait(self, page, account_id: str, tries: int = 100) -> dict:
        for _ in range(tries):
            method, _props, body = self.channel.basic_get(self.queue, auto_ack=True)
            if method is not None:
                event = json.loads(body)
                if event["body"]["account_id"] == account_id:
                    return event
                continue
            page.wait_for_timeout(100)
        raise AssertionError("profile.manual_review.requested did not reach the broker")


def support_mailbox(gateway_url: str) -> list[dict]:
    answer = requests.get(f"{gateway_url}/api/notification/dev/mailbox",
                          params={"to": "szhkhotel@163.com"}, timeout=10)
    answer.raise_for_status()
    return answer.json()["messages"]


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def add_cohabitant(page, *, name, sex, relation, category, nationality, number, born,
                   document_type=None, no_id_card=False):
    page.click('[data-test="c-add"]')
    page.fill('[data-test="c-name"]', name)
    page.check(f'[data-test="c-sex-{sex}"]')
    page.select_option('[data-test="c-relation"]', relation)
    page.select_option('[data-test="c-category"]', category)
    page.select_option('[data-test="c-nationality"]', nationality)
    if document_type:
        page.select_option('[data-test="c-document-type"]', document_type)
    page.fill('[data-test="c-document-number"]', number)
    page.fill('[data-test="c-document-expiry"]', "2030-01-01")
    page.fill('[data-test="c-date-of-birth"]', born.isoformat())
    if no_id_card:
        page.check('[data-test="c-no-id-card"]')
    page.click('[data-test="c-submit"]')
    page.locator('[data-test="cohabitant-form"]').wait_for(state="detached")


def test_guide_example_through_the_browser(page, gateway_url, system, browser):
    tap = Tap(system.env)
    applicant = register(gateway_url)
    sign_in(page, applicant, "zh-Hant")

    # R4.1: the form, its red asterisks, a refusal in the chosen language, then a good submission
    page.goto("/profile")
    page.locator('[data-test="profile-page"]').wait_for()
    starred = page.locator(".field__label:has(.required)")
    assert starred.count() == 7  # name, sex, birth, the mobiles, expiry, origin, destination
    # R4.2: one of the two mobiles: one asterisk on the pair and the rule said, none on each
    mobiles = page.locator('[data-test="mobiles"]')
    assert mobiles.locator("legend .required").count() == 1
    assert mobiles.locator("label .required").count() == 0
    assert page.inner_text('[data-test="mobiles-hint"]') == client_text("zh-Hant",
                                                                       "profile.hints.mobiles")
    assert page.get_attribute('[data-test="hk-mobile"]', "aria-required") is None
    page.fill('[data-test="name"]', "陳大文")
    page.check('[data-test="sex-male"]')
    page.fill('[data-test="date-of-birth"]', "1985-03-02")
    page.fill('[data-test="document-expiry"]', "2030-01-01")
    page.select_option('[data-test="origin"]', "HK-YTM")
    page.select_option('[data-test="destination"]', "SZ-FT")
    page.check('[data-test="consent"]')
    page.click('[data-test="profile-submit"]')  # neither mobile: said once, for the pair
    missing = page.locator('[data-test="error-mobiles"]')
    missing.wait_for()
    assert missing.inner_text() == server_text("zh-Hant", "person.mobile_one_required")
    assert page.locator('[data-test="error-hk_mobile"], [data-test="error-mainland_mobile"]'
                        ).count() == 0
    assert page.get_attribute('[data-test="mainland-mobile"]', "aria-invalid") == "true"
    page.fill('[data-test="hk-mobile"]', "9123456")
    page.click('[data-test="profile-submit"]')
    error = page.locator('[data-test="error-hk_mobile"]')
    error.wait_for()
    assert error.inner_text() == server_text("zh-Hant", "person.hk_mobile_format")
    page.fill('[data-test="hk-mobile"]', "91234567")
    page.click('[data-test="profile-submit"]')
    page.locator('[data-test="alert-success"]').wait_for()
    assert page.inner_text('[data-test="review-state"]') == client_text(
        "zh-Hant", "profile.state.approved")
    assert no_horizontal_scroll(page)

    # R6.2: a spouse and two children under 14, one on a 往来港澳通行证 without an identity card
    page.goto("/cohabitants")
    page.locator('[data-test="cohabitants-page"]').wait_for()
    today = date.today()
    add_cohabitant(page, name="李美玲", sex="female", relation="spouse", category="married_couple",
                   nationality="HK", number="H" + digits(8), born=date(1987, 5, 6))
    add_cohabitant(page, name="陳小明", sex="male", relation="child", category="child_14_under",
                   nationality="HK", number="H" + digits(8), born=today - timedelta(days=365 * 10))
    add_cohabitant(page, name="陳小紅", sex="female", relation="child", category="child_14_under",
                   nationality="CN", document_type="mainland_travel_permit",
                   number="CA" + digits(7), born=today - timedelta(days=365 * 8), no_id_card=True)
    items = page.locator('[data-test="cohabitant-list"] > li')
    assert items.count() == 3
    states = [items.nth(i).locator('[data-test="c-state"]').inner_text() for i in range(3)]
    approved, waiting = (client_text("zh-Hant", "profile.state.approved"),
                         client_text("zh-Hant", "profile.state.in_review"))
    assert states == [approved, approved, waiting]
    assert page.locator('[data-test="c-add"]').is_disabled()  # R6.2: three at most
    # the nationality by its name in the page's language, not its code
    catalogue = requests.get(f"{gateway_url}/api/identity/catalogue", timeout=10).json()
    mainland = next(n for n in catalogue["nationalities"] if n["code"] == "CN")["names"]
    assert mainland["zh-Hant"] in items.nth(2).inner_text()
    assert " CN " not in items.nth(2).inner_text()
    assert no_horizontal_scroll(page)

    # R6.5: support staff are told: the event is on the broker, and its email with the case link
    # reaches the support mailbox through the notification service
    event = tap.wait(page, applicant["account"]["id"])
    case_url = event["body"]["case_url"]
    assert case_url.endswith(f"/review/cases/{event['body']['case_id']}")
    emails = []
    for _ in range(150):
        emails = [m for m in support_mailbox(gateway_url) if case_url in m["text"]]
        if emails:
            break
        page.wait_for_timeout(200)
    assert len(emails) == 1, "no support email with the case link"
    # the reason in words for support staff: no rule numbers, which are for developers
    reason = _json(REPO_ROOT / "services/notification/messages/zh-Hans.json")[
        "mail.reason.r6_5_child_permit_without_id_card"]
    assert reason in emails[0]["text"] and "R6.5" not in emails[0]["text"]

    page.goto("/me")
    page.locator('[data-test="not-eligible"]').wait_for()
    for section in ("application", "records", "reservations", "slip", "personal", "cohabitants"):
        assert page.locator(f'[data-test="section-{section}"]').is_visible()

    # a reviewer, in English, approves the child in the reviewer pages
    reviewer_context = browser.new_context(viewport={"width": 375, "height": 812},
                                           base_url=gateway_url, is_mobile=True)
    reviewer = reviewer_context.new_page()
    sign_in(reviewer, staff_session(system, gateway_url), "en")
    reviewer.goto(event["body"]["case_url"].replace(gateway_url, ""))
    reviewer.locator('[data-test="decision"]').wait_for()
    assert reviewer.inner_text('[data-test="submitted-name"]') == "陳小紅"
    # what the user would read, each language by its name, not its code
    reviewer.select_option('[data-test="reason"]', index=1)
    texts = reviewer.locator('[data-test="reason-texts"]')
    texts.wait_for()
    names = {lang: texts.locator(f'[data-test="reason-text-{lang}"] strong').inner_text()
             for lang in ("zh-Hans", "zh-Hant", "en")}
    assert names == {"zh-Hans": "简体中文", "zh-Hant": "繁體中文", "en": "English"}
    reviewer.select_option('[data-test="reason"]', "")  # approving needs no reason
    reviewer.click('[data-test="approve"]')
    reviewer.locator('[data-test="alert-success"]').wait_for()
    assert reviewer.inner_text('[data-test="case-state"]') == client_text(
        "en", "review.caseState.approved")
    history = reviewer.locator('[data-test="history"] > li')
    assert history.count() == 3
    # who: the applicant by name, then the automatic checks, then a reviewer; no raw ids
    actors = [history.nth(i).locator('[data-test="history-actor"]').inner_text()
              for i in range(3)]
    assert actors[0] == client_text("en", "review.actor.applicant").format(name="陳大文")
    assert actors[1] == client_text("en", "review.actor.system.checks")
    assert actors[2].startswith("Reviewer")
    assert not any(applicant["account"]["id"] in a or ":" in a for a in actors)
    reviewer.goto("/review")
    reviewer.locator('[data-test="queue-total"]').wait_for()
    assert reviewer.locator(f'[data-test="case-{event["body"]["case_id"]}"]').count() == 0
    reviewer_context.close()

    # the applicant's party is ready: personal centre says so
    page.goto("/me")
    page.locator('[data-test="eligible"]').wait_for()
    assert page.inner_text('[data-test="eligible"]') == client_text("zh-Hant",
                                                                    "profile.centre.eligible")
    assert "9:00至18:00" in page.inner_text('[data-test="eligible"]')  # not 9:00-18:00

    # R6.3: a successful application locks the cohabitants until that draw's results are out
    # a period no other test's clock reaches: one that moved the clock past its 20:00 would
    # have had the lottery publish it already, and a published period locks nothing
    period = (date.today() + timedelta(days=5000)).isoformat()
    tap.publish("booking.application.submitted", {
        "application_number": uuid.uuid4().hex, "period": period, "date": period,
        "account_id": applicant["account"]["id"], "party": [], "party_size": 4,
        "submitted_at": "2026-01-01T10:00:00+08:00"})
    page.goto("/cohabitants")
    banner = page.locator('[data-test="lock-banner"]')
    for _ in range(50):
        if banner.count():
            break
        page.wait_for_timeout(200)
        page.reload()
    assert readable_day(period, "zh-Hant") in banner.inner_text()
    # nothing on the page offers a change the server would refuse
    for control in ("c-edit", "c-delete", "c-add"):
        assert page.locator(f'[data-test="{control}"]').count() == 0, control
    tap.publish("lottery.results.published", {"period": period, "seed": "s", "dates": {},
                                               "winners": []})
    for _ in range(50):
        page.reload()
        page.locator('[data-test="cohabitant-list"] > li').first.wait_for()
        if not banner.count():
            break
        page.wait_for_timeout(200)
    assert page.locator('[data-test="c-edit"]').first.is_enabled()
    assert page.locator('[data-test="c-delete"]').first.is_enabled()
    tap.connection.close()
