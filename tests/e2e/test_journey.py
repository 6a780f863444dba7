"""The whole journey through the gateway (API only), on the real system (honcho, nginx,
PostgreSQL, RabbitMQ, the SMTP sink), with the system clock moved through several days.

People registered here in each language go through the review (a rejection and a
resubmission), add the guide's two cohabitant examples, apply for several dates, are drawn at
18:30 by three lottery replicas, see their results from 20:00 and not before, open their slip
on the day, cancel, miss their entries and are banned, cancel too often and are disabled, then
reinstated. Every draw is checked with the project's `verify`. Each test names its rules.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, timedelta

import pytest

from shared.clock import BEIJING
from tests.e2e.helpers import (
    PASSWORD,
    SUPPORT_MAILBOX,
    Gateway,
    at,
    digits,
    hk_permit_number,
    mailbox,
    message_of,
    staff_token,
    wait_for,
)

pytestmark = pytest.mark.e2e
LANGS = ("zh-Hans", "zh-Hant", "en")
HK = {"nationality": "HK", "document_type": "hk_macao_resident_permit"}


def beijing_today() -> date:
    return datetime.now(BEIJING).date()


def years_ago(years: int, today: date | None = None) -> date:
    today = today or beijing_today()
    return today.replace(year=today.year - years) - timedelta(days=30)


def personal_info(name: str, sex: str = "male", born: date = date(1982, 6, 1),
                  expiry: date | None = None) -> dict:
    return {"name": name, "sex": sex, "date_of_birth": born.isoformat(),
            "hk_mobile": "9" + digits(7), "mainland_mobile": None,
            "document_expiry": (expiry or beijing_today() + timedelta(days=5 * 365)).isoformat(),
            "origin": "HK-CW", "destination": "SZ-FT", "consent": True}


def hk_cohabitant(name: str, sex: str, relation: str, category: str, born: date) -> dict:
    return {"name": name, "sex": sex, **HK, "document_number": hk_permit_number(),
            "document_expiry": (beijing_today() + timedelta(days=4 * 365)).isoformat(),
            "date_of_birth": born.isoformat(), "relation": relation, "category": category}


def error_field(answer, field: str) -> dict:
    return answer.json()["error"]["fields"][field]


def wait_may_apply(gateway: Gateway, token: str, expected: bool = True) -> dict:
    """Booking learns the review's outcome from profile.party.changed: poll its status."""
    return wait_for(lambda: (s := gateway.call("GET", "/api/booking/me/status", token).json())
                    .get("may_apply") is expected and s, what="booking to see the review")


def person_approved(gateway: Gateway, token: str, info: dict) -> dict:
    put = gateway.call("PUT", "/api/profile/me/personal-info", token, json=info)
    assert put.status_code == 200, put.text
    return wait_for(lambda: (me := gateway.call("GET", "/api/profile/me", token).json())
                    ["person"]["review_state"] == "approved" and me,
                    what="the personal information's approval")


# ------------------------------------------------------------------ registration (R1, R2)

@pytest.mark.parametrize("lang", LANGS)
def test_R1_2_R2_1_to_R2_4_registration_and_login_in_each_language_with_errors_in_it(
        gateway_url, lang):
    """R2.2: every mistake of the form comes back at once, each under its field and in the
    chosen language (R1.2); R2.3 a registration logs in; R2.4 the same document (normalized)
    cannot register twice; R2.1 login by document type + number + password."""
    gateway = Gateway(gateway_url, lang)
    wrong = gateway.try_register("H1234", password="abcdefgh", confirmation="abcdefgi",
                                 consent=False)
    assert wrong.status_code == 400, wrong.text
    expected = {"document_number": "document.format.hk_macao_resident_permit",
                "password": "password.needs_letters_and_digits",
                "password_confirmation": "password_confirmation.mismatch",
                "consent": "consent.required"}
    for field, code in expected.items():
        error = error_field(wrong, field)
        assert error["code"] == code
        assert error["message"] == message_of("identity", lang, code), (field, lang)

    number = hk_permit_number()
    registered = gateway.register(number)
    assert registered["account"]["masked_document"] != number  # masked (personal data)
    me = gateway.call("GET", "/api/identity/accounts/me", registered["access_token"])
    assert me.status_code == 200 and me.json()["document_number"] == number  # R2.3 logged in

    spaced = f" {number[0].lower()} {number[1:5]} {number[5:]} "
    twice = gateway.try_register(spaced)
    assert twice.status_code == 409, twice.text
    assert error_field(twice, "document_number")["message"] == message_of(
        "identity", lang, "account.document_exists")

    bad_login = gateway.login(HK["document_type"], number, "wrong1234")
    assert bad_login.status_code == 401
    assert bad_login.json()["error"]["message"] == message_of("identity", lang, "login.invalid")
    login = gateway.login(HK["document_type"], number.lower())
    assert login.status_code == 200 and login.json()["update_required"] is False
    assert login.json()["account"]["id"] == registered["account"]["id"]


# ------------------------------------------------------------------ legacy accounts (R3)

def test_R3_1_to_R3_4_legacy_account_must_update_once_then_logs_in_with_the_new_document(
        system, gateway_url, tmp_path):
    """R3.1 the exact notice and nothing else allowed; R3.3 a taken document is refused naming
    the masked account; R3.4 relogin with the new document and the old password; R3.2 once."""
    gateway = Gateway(gateway_url, "zh-Hans")
    old_number = hk_permit_number() + "01"  # the old form with the renewal count
    taken, new_number = hk_permit_number(), hk_permit_number()
    legacy_csv = tmp_path / "legacy.csv"
    with legacy_csv.open("w", newline="", encoding="utf-8") as out:
        rows = csv.writer(out)
        rows.writerow(["nationality", "document_type", "document_number",
                       "password_hash_or_password"])
        rows.writerow(["中国香港", "回乡证", old_number, PASSWORD])
        rows.writerow(["HK", "hk_macao_resident_permit", taken, PASSWORD])
    system.run("-m", "services.identity.entrypoints.cli", "import-legacy", str(legacy_csv))

    login = gateway.login(HK["document_type"], old_number)
    assert login.status_code == 200, login.text
    assert login.json()["update_required"] is True
    assert login.json()["message"] == "您当前登录的账号证件信息格式有误，请按要求更新信息"
    token = login.json()["access_token"]
    blocked = gateway.call("GET", "/api/profile/me", token)
    assert blocked.status_code == 403
    assert blocked.json()["error"]["code"] == "auth.update_required"

    refused = gateway.call("POST", "/api/identity/accounts/me/document-update", token,
                           json={**HK, "document_number": taken})
    assert refused.status_code == 409
    message = error_field(refused, "document_number")["message"]
    masked = refused.json()["error"]["params"]["masked"]
    assert masked in message and taken not in message and masked[:3] == taken[:3]

    updated = gateway.call("POST", "/api/identity/accounts/me/document-update", token,
                           json={**HK, "document_number": new_number})
    assert updated.status_code == 200 and updated.json()["relogin_required"] is True
    assert gateway.login(HK["document_type"], old_number).status_code == 401
    again = gateway.login(HK["document_type"], new_number)  # the same password (R3.4)
    assert again.status_code == 200 and again.json()["update_required"] is False
    assert again.json()["account"]["roles"] == ["applicant"]
    second = gateway.call("POST", "/api/identity/accounts/me/document-update",
                          again.json()["access_token"],
                          json={**HK, "document_number": hk_permit_number()})
    assert second.status_code in (403, 409)  # R3.2 the one update is spent
    assert gateway.login(HK["document_type"], new_number).status_code == 200


# ------------------------------------------------------------------ review (R4, R6.4, R6.5)

def test_R4_1_R4_2_R4_3_R6_4_R6_5_rejections_carry_a_reason_and_a_corrected_resubmission_passes(
        system, gateway_url):
    """R4.2: the required fields and at least one mobile number are refused when missing.
    R4.3: an expired document is refused by the automatic checks, named in the user's
    language; the corrected submission is approved. R6.5: a child on a 往来港澳通行证 without an
    identity card goes to the reviewers, who are told by email with the case link; a reviewer
    rejects with a reason the user reads, the user corrects and resubmits, a reviewer approves.
    R6.4: until then booking refuses the party."""
    gateway = Gateway(gateway_url, "zh-Hant")
    reviewer = staff_token(system, gateway, "reviewer")
    token = gateway.register(hk_permit_number())["access_token"]

    no_mobile = {**personal_info("張志明"), "hk_mobile": None, "mainland_mobile": None}
    no_name = {k: v for k, v in personal_info("張志明").items() if k != "name"}
    for incomplete, code in ((no_mobile, "person.mobile_one_required"),
                             (no_name, "field.required")):
        refused = gateway.call("PUT", "/api/profile/me/personal-info", token, json=incomplete)
        assert refused.status_code == 400, refused.text
        fields = refused.json()["error"]["fields"]
        assert code in {f["code"] for f in fields.values()}, fields
    expired = personal_info("張志明", expiry=beijing_today() - timedelta(days=1))
    refused = gateway.call("PUT", "/api/profile/me/personal-info", token, json=expired)
    assert refused.status_code == 400, refused.text
    assert error_field(refused, "document_expiry")["message"] == message_of(
        "profile", "zh-Hant", "document.expired")
    person_approved(gateway, token, personal_info("張志明"))

    child = {"name": "張小雨", "sex": "female", "nationality": "CN",
             "document_type": "mainland_travel_permit", "document_number": "CA" + digits(7),
             "document_expiry": (beijing_today() + timedelta(days=3 * 365)).isoformat(),
             "date_of_birth": years_ago(8).isoformat(), "relation": "child",
             "category": "child_14_under", "no_mainland_id": True}
    added = gateway.call("POST", "/api/profile/me/cohabitants", token, json=child)
    assert added.status_code == 201, added.text
    cohabitant_id = added.json()["cohabitant_id"]
    assert added.json()["review_state"] == "in_review"
    assert wait_may_apply(gateway, token, expected=False)["code"]  # R6.4 not before approval

    def open_case():
        listed = gateway.call("GET", "/api/profile/review/cases?state=open", reviewer).json()
        return next((c for c in listed["cases"] if c["subject_id"] == cohabitant_id), None)

    case = wait_for(open_case, what="the R6.5 case in the reviewers' queue")
    emails = wait_for(lambda: [m for m in mailbox(gateway_url, SUPPORT_MAILBOX)
                               if f"/review/cases/{case['case_id']}" in m["text"]],
                      what="the R6.5 email to support staff")
    assert len(emails) == 1 and child["document_number"] not in emails[0]["text"]

    rejected = gateway.call("POST", f"/api/profile/review/cases/{case['case_id']}/reject",
                            reviewer, json={"reason_code": "name_mismatch",
                                            "note": "請按證件填寫"})
    assert rejected.status_code == 200, rejected.text
    mine = gateway.call("GET", "/api/profile/me/cohabitants", token).json()["cohabitants"][0]
    assert mine["review_state"] == "rejected"
    assert mine["rejection"]["message"] == message_of("profile", "zh-Hant",
                                                      "reason.name_mismatch")
    assert mine["rejection"]["note"] == "請按證件填寫"

    corrected = gateway.call("PUT", f"/api/profile/me/cohabitants/{cohabitant_id}", token,
                             json={**child, "name": "張小語"})
    assert corrected.status_code == 200 and corrected.json()["review_state"] == "in_review"
    case = wait_for(open_case, what="the resubmitted case")
    approved = gateway.call("POST", f"/api/profile/review/cases/{case['case_id']}/approve",
                            reviewer, json={})
    assert approved.status_code == 200, approved.text
    assert [h["to_state"] for h in approved.json()["history"]][-1] == "approved"
    wait_may_apply(gateway, token)  # R6.4 all approved: booking now accepts the party


def test_R14_1_support_request_reaches_the_support_mailbox_with_the_masked_document(
        gateway_url):
    """R14.1: the support form sends the request to support staff by email (notification
    service, SMTP sink), with the document masked and the user's address to reply to."""
    gateway = Gateway(gateway_url, "en")
    number, contact, marker = hk_permit_number(), f"u{digits(6)}@example.com", digits(12)
    captcha = gateway.captcha()
    sent = gateway.call("POST", "/api/identity/support-requests", json={
        "kind": "problem", "contact_email": contact, "message": f"journey {marker}",
        "document_type": HK["document_type"], "document_number": number,
        "captcha_id": captcha["captcha_id"],
        "captcha_answer": captcha["answer"]})
    assert sent.status_code == 201, sent.text
    email = wait_for(lambda: [m for m in mailbox(gateway_url, SUPPORT_MAILBOX)
                              if f"journey {marker}" in m["text"]],
                     what="the support email")[0]
    assert email["reply_to"] == contact and number not in email["text"]


# ------------------------------------------------------------------ the week (R6–R12)
#
# The steps below share one `week`: the same people live through days 0, 1, 2, 5, 17 and 18
# of a stretch of dates of their own (40 days ahead, so no other test's dates are touched), in
# file order. Day N's period takes applications for days N+1 … N+6.

class Week:
    def __init__(self, system, gateway_url: str):
        self.system = system
        self.url = gateway_url
        self.gateway = Gateway(gateway_url, "en")
        self.operator = staff_token(system, self.gateway, "operator")
        self.reviewer = staff_token(system, self.gateway, "reviewer")
        self.start = beijing_today() + timedelta(days=40)
        self.people: dict[str, dict] = {}
        self.numbers: dict[tuple[str, int], str] = {}  # (who, day) -> application number

    def day(self, n: int) -> date:
        return self.start + timedelta(days=n)

    def set_clock(self, n: int, hour: int, minute: int = 0) -> None:
        self.system.clock.set(at(self.day(n), hour, minute))

    def token(self, who: str) -> str:
        return self.people[who]["token"]

    def call(self, method: str, path: str, who: str | None = None, **kwargs):
        token = self.token(who) if who in self.people else who
        lang = self.people[who]["lang"] if who in self.people else None
        return self.gateway.call(method, path, token, lang=lang, **kwargs)

    def apply(self, who: str, days: list[int]):
        return self.gateway.apply(self.token(who), [self.day(n) for n in days],
                                  lang=self.people[who]["lang"])

    def applied(self, who: str, days: list[int]) -> list[str]:
        answer = self.apply(who, days)
        assert answer.status_code == 201, (who, answer.text)
        numbers = {a["date"]: a["application_number"] for a in answer.json()["applications"]}
        for n in days:
            self.numbers[(who, n)] = numbers[self.day(n).isoformat()]
        return list(numbers.values())

    def records(self, who: str) -> dict[int, str]:
        """R10.1 as booking shows it: result by day applied for."""
        items = self.call("GET", "/api/booking/applications", who).json()["items"]
        return {(date.fromisoformat(i["date"]) - self.start).days: i["result"] for i in items}

    def lottery_results(self, who: str) -> dict[str, str]:
        answer = self.call("GET", "/api/lottery/me/results", who)
        assert answer.status_code == 200, answer.text
        return {r["application_number"]: r["result"] for r in answer.json()["results"]}

    def reservations(self, who: str) -> dict[int, dict]:
        items = self.call("GET", "/api/booking/reservations", who).json()["items"]
        return {(date.fromisoformat(i["date"]) - self.start).days: i for i in items}

    def lottery_dates(self, period_day: int) -> list[dict]:
        period = self.day(period_day).isoformat()
        periods = self.call("GET", "/api/lottery/operator/periods", self.operator).json()
        mine = next((p for p in periods["periods"] if p["period"] == period), None)
        return mine["dates"] if mine else []

    def wait_dates(self, period_day: int, state: str) -> list[dict]:
        return wait_for(lambda: (d := self.lottery_dates(period_day))
                        and all(x["state"] == state for x in d) and d,
                        timeout=60, what=f"every date of period day {period_day} {state}")

    def draw_and_publish(self, period_day: int) -> dict:
        """18:00 the window closes, 18:30 the draw (three replicas), 20:00 the publication,
        then the project's `verify` recomputes the draw from the public audit bundle."""
        self.set_clock(period_day, 18, 0)
        self.wait_dates(period_day, "ready")
        self.set_clock(period_day, 18, 29)
        assert all(d["state"] == "ready" for d in self.lottery_dates(period_day))
        self.set_clock(period_day, 18, 30)
        drawn = self.wait_dates(period_day, "drawn")
        self.set_clock(period_day, 20, 0)
        period = self.day(period_day).isoformat()
        public = wait_for(lambda: (r := self.gateway.call(
            "GET", f"/public/lottery/{period}/winners.json")).status_code == 200 and r.json(),
            timeout=60, what="the public list")
        verify_draw(self.system, self.url, period)
        wait_for(lambda: all(i["result"] != "pending" for who in self.people
                             for i in self.call("GET", "/api/booking/applications", who)
                             .json()["items"] if i["period"] == period),
                 what="booking to apply the published results")
        return {"drawn": {d["date"]: d for d in drawn}, "public": public}


def verify_draw(system, gateway_url: str, period: str) -> None:
    """R8.4: `python -m services.lottery.verify <audit.json URL>` recomputes the winners."""
    verified = system.run("-m", "services.lottery.verify",
                          f"{gateway_url}/public/lottery/{period}/audit.json", check=False)
    assert verified.returncode == 0 and "MATCHES" in verified.stdout, verified.stdout


def new_applicant(week: Week, who: str, lang: str, name: str, cohabitants: list[dict]):
    gateway = Gateway(week.url, lang)
    number = hk_permit_number()
    registered = gateway.register(number)
    token = registered["access_token"]
    person_approved(gateway, token, personal_info(name))
    for cohabitant in cohabitants:
        added = gateway.call("POST", "/api/profile/me/cohabitants", token, json=cohabitant)
        assert added.status_code == 201, added.text
        assert added.json()["review_state"] == "approved", added.text
    wait_may_apply(gateway, token)
    week.people[who] = {"token": token, "lang": lang, "name": name, "number": number,
                        "account_id": registered["account"]["id"], "cohabitants": cohabitants}


@pytest.fixture(scope="module")
def week(system, gateway_url):
    week = Week(system, gateway_url)
    yield week
    system.clock.reset()


def test_R6_1_R6_2_R6_6_the_guides_two_examples_and_the_limits_of_a_party(week):
    """The guide's examples (R6.1, R6.2): a couple with two children of 14 or under, and a
    father with three children; a fourth cohabitant and a non-relative are refused (R6.2);
    the declared categories are only recorded, nothing proves them (R6.6)."""
    today = beijing_today()
    couple = [hk_cohabitant("李美玲", "female", "spouse", "pregnant_or_postpartum",
                            date(1987, 5, 6)),
              hk_cohabitant("陈小明", "male", "child", "child_14_under", years_ago(12, today)),
              hk_cohabitant("陈小红", "female", "child", "child_14_under", years_ago(6, today))]
    new_applicant(week, "couple", "zh-Hans", "陈大文", couple)
    children = [hk_cohabitant(n, s, "child", "child_14_under", years_ago(a, today))
                for n, s, a in (("黃子軒", "male", 13), ("黃子晴", "female", 9),
                                ("黃子樂", "male", 4))]
    new_applicant(week, "father", "zh-Hant", "黃志強", children[:2])
    stranger = hk_cohabitant("何家明", "male", "sibling", "child_14_under", years_ago(10, today))
    refused = week.call("POST", "/api/profile/me/cohabitants", "father", json=stranger)
    assert refused.status_code == 400
    assert error_field(refused, "relation")["code"] == "cohabitant.relation_not_allowed"
    third = week.call("POST", "/api/profile/me/cohabitants", "father", json=children[2])
    assert third.status_code == 201 and third.json()["review_state"] == "approved"
    week.people["father"]["cohabitants"] = children
    grandmother = hk_cohabitant("黃婆婆", "female", "paternal_grandparent", "elderly_70_plus",
                                date(1948, 2, 2))
    fourth = week.call("POST", "/api/profile/me/cohabitants", "father", json=grandmother)
    assert fourth.status_code == 409
    assert fourth.json()["error"]["message"] == message_of(
        "profile", "zh-Hant", "cohabitants.too_many", limit=3)

    recorded = week.call("GET", "/api/profile/me/cohabitants", "couple").json()["cohabitants"]
    assert [c["category"] for c in recorded] == [c["category"] for c in couple]
    assert all(c["review_state"] == "approved" for c in recorded)
    wait_may_apply(week.gateway, week.token("father"))
    new_applicant(week, "no_show", "en", "Alex Wong", [])
    new_applicant(week, "canceller", "en", "Sam Lee", [])


def test_R7_2_R7_3_R7_4_R7_6_R6_3_R8_4_day0_multi_date_applications(week):
    """Day 0, 09:00: both guide parties apply for days 1 and 2 (R7.3: each date its own
    batch; R7.6: one number per date); the confirmation shows name, masked document, dates and
    cohabitants (R7.4); the six-day view counts people (R7.2); the cohabitants are locked from
    the application on (R6.3); the seed's hash is public before the window closes (R8.4)."""
    week.set_clock(0, 8, 0)
    capacities = [{"date": week.day(n).isoformat(), "places": 5 if n <= 2 else 10}
                  for n in range(1, 21)]
    put = week.call("PUT", "/api/booking/capacities", week.operator,
                    json={"items": capacities})
    assert put.status_code == 200, put.text
    # R12.4's default policy, stated here so no other test's settings can change this week
    policy = week.call("PUT", "/api/booking/settings/disable-policy", week.operator,
                       json={"threshold": 3, "window_days": 30})
    assert policy.status_code == 200, policy.text
    week.set_clock(0, 9, 0)

    days = f"{week.day(1).isoformat()},{week.day(2).isoformat()}"
    confirmation = week.call("GET", f"/api/booking/applications/confirmation?dates={days}",
                             "couple").json()
    assert confirmation["name"] == "陈大文" and confirmation["party_size"] == 4
    assert confirmation["dates"] == days.split(",")
    assert week.people["couple"]["number"] not in confirmation["document_number_masked"]
    assert [c["name"] for c in confirmation["cohabitants"]] == ["李美玲", "陈小明", "陈小红"]
    assert confirmation["eligibility"]["ok"] is True

    numbers = week.applied("couple", [1, 2]) + week.applied("father", [1, 2])
    assert len(set(numbers)) == 4 and all(len(n) == 13 for n in numbers)
    week.applied("no_show", [3])
    week.applied("canceller", [6])

    def view():
        dates = week.gateway.call("GET", "/api/booking/periods/current").json()["dates"]
        return {(date.fromisoformat(d["date"]) - week.start).days: d for d in dates}
    counted = wait_for(lambda: (v := view())[1]["applicants"] == 8 and v,
                       what="the six-day view's counts")
    assert counted[1]["applications"] == 2 and counted[1]["available"] == 5
    assert counted[3]["applicants"] == 1 and counted[6]["available"] == 10

    def locked():
        edit = week.call("POST", "/api/profile/me/cohabitants", "father",
                         json=hk_cohabitant("黃伯伯", "male", "parent", "elderly_70_plus",
                                            date(1950, 1, 1)))
        return edit.status_code == 409 and edit.json()["error"]["code"] == "cohabitants.locked"
    wait_for(locked, what="the R6.3 lock after the application")

    period = week.call("GET", f"/api/lottery/public/periods/{week.day(0).isoformat()}").json()
    assert len(period["seed_hash"]) == 64 and period["seed"] is None


def test_R8_1_R8_2_R8_3_R9_1_R9_2_R10_1_R11_1_day0_draw_by_three_replicas_and_publication(
        week):
    """18:30 the draw of every date of the period (R8.1), by three scheduler replicas, each
    date exactly once. Day 1 has 5 places: the first party (4 people) leaves one place, which
    brings in the whole second party: 8 winners, 3 over (R8.3). Both won day 1, so both are
    skipped on day 2 (R8.2). Before 20:00 nobody sees anything (R9.1); from 20:00 the records
    (R10.1) and the reservations (R9.2, R11.1)."""
    week.set_clock(0, 18, 0)
    week.wait_dates(0, "ready")
    week.set_clock(0, 18, 30)
    drawn = {d["date"]: d for d in week.wait_dates(0, "drawn")}
    day1, day2 = drawn[week.day(1).isoformat()], drawn[week.day(2).isoformat()]
    assert (day1["places"], day1["winners_people"], day1["overflow"]) == (5, 8, 3)
    assert day1["winning_applications"] == 2 and day2["winning_applications"] == 0

    week.set_clock(0, 19, 59)
    period = week.day(0).isoformat()
    for who in week.people:
        assert set(week.records(who).values()) == {"pending"}, who
        assert set(week.lottery_results(who).values()) == {"pending"}, who
        assert week.reservations(who) == {}, who
    assert week.gateway.call("GET", f"/public/lottery/{period}/winners.json").status_code == 404
    assert week.call("GET", f"/api/lottery/public/periods/{period}").json()["seed"] is None

    week.set_clock(0, 20, 0)
    public = wait_for(lambda: (r := week.gateway.call(
        "GET", f"/public/lottery/{period}/winners.json")).status_code == 200 and r.json(),
        timeout=60, what="the public list at 20:00")
    assert public["dates"][week.day(1).isoformat()]["overflow"] == 3
    verify_draw(week.system, week.url, period)
    wait_for(lambda: week.records("father").get(1) == "won", what="booking's results")
    for who in ("couple", "father"):
        assert week.records(who) == {1: "won", 2: "not_won"}, who
        results = week.lottery_results(who)
        assert results[week.numbers[(who, 1)]] == "won"
        assert results[week.numbers[(who, 2)]] == "not_won"
        reservations = week.reservations(who)
        assert list(reservations) == [1] and reservations[1]["state"] == "active"
    assert week.records("no_show") == {3: "won"} and week.records("canceller") == {6: "won"}


def test_R6_3_R12_1_R12_2_day0_evening_unlock_slip_not_yet_and_cancellation_until_d_minus_2(
        week):
    """After publication the cohabitants are free again (R6.3); the slip is not open before
    the day (R12.1); day 1 is D−1 for its reservation: too late to cancel (R12.2), while day 6's
    can be cancelled and its places return at once (R7.2)."""
    wait_for(lambda: not week.call("GET", "/api/profile/me/cohabitants", "father")
             .json()["lock"]["locked"], what="the R6.3 unlock at publication")
    reservation = week.reservations("couple")[1]
    assert reservation["slip_available"] is False
    early = week.call("GET", f"/api/booking/reservations/{week.numbers[('couple', 1)]}/slip",
                      "couple")
    assert early.status_code in (403, 409)
    assert early.json()["error"]["message"] == message_of(
        "booking", "zh-Hans", "booking.slip_not_today", date=week.day(1).isoformat())

    late = week.call("POST", f"/api/booking/reservations/{week.numbers[('father', 1)]}/cancel",
                     "father")
    assert late.status_code == 409, late.text
    assert late.json()["error"]["message"] == message_of(
        "booking", "zh-Hant", "booking.cancel_too_late", last_day=week.day(-1).isoformat())
    assert week.reservations("canceller")[6]["last_cancellation_day"] == week.day(4).isoformat()
    cancelled = week.call("POST", "/api/booking/reservations/"
                          f"{week.numbers[('canceller', 6)]}/cancel", "canceller")
    assert cancelled.status_code == 200 and cancelled.json()["account_disabled"] is False
    assert week.reservations("canceller")[6]["state"] == "cancelled"


def test_R12_1_R12_3_R7_5_day1_slip_on_the_day_entry_import_and_recent_entry_refusal(week):
    """Day 1: the slip opens on the reserved day with every field the border needs and a code
    staff can verify (R12.1); an operator imports the couple's entry record (R12.3), so the
    applicant, who entered today, is refused a new application naming him (R7.5)."""
    week.set_clock(1, 9, 0)
    assert week.reservations("couple")[1]["slip_available"] is True
    slip = week.call("GET", f"/api/booking/reservations/{week.numbers[('couple', 1)]}/slip",
                     "couple")
    assert slip.status_code == 200, slip.text
    slip = slip.json()
    assert (slip["name"], slip["document_number"], slip["date"]) == (
        "陈大文", week.people["couple"]["number"], week.day(1).isoformat())
    assert slip["cohabitant_count"] == 3 and slip["destination"] == "SZ-FT"
    assert [c["name"] for c in slip["cohabitants"]] == ["李美玲", "陈小明", "陈小红"]
    checked = week.call("POST", "/api/booking/staff/slips/verify", week.reviewer,
                        json={"code": slip["code"]}).json()
    assert checked["valid"] is True and checked["party_size"] == 4

    imported = week.call("POST", "/api/booking/entry-records", week.operator, json={"records": [
        {"document_type": HK["document_type"],
         "document_number": week.people["couple"]["number"],
         "entry_date": week.day(1).isoformat()}]})
    assert imported.status_code == 200 and imported.json()["inserted"] == 1, imported.text
    refused = week.apply("couple", [3])
    assert refused.status_code in (403, 409), refused.text
    assert refused.json()["error"]["message"] == message_of(
        "booking", "zh-Hans", "booking.recent_entry", name="陈大文",
        entry_date=week.day(1).isoformat())

    week.applied("no_show", [4])
    week.applied("canceller", [7])
    week.draw_and_publish(1)
    assert week.records("no_show") == {3: "won", 4: "won"}
    cancelled = week.call("POST", "/api/booking/reservations/"
                          f"{week.numbers[('canceller', 7)]}/cancel", "canceller")
    assert cancelled.status_code == 200 and cancelled.json()["account_disabled"] is False


def test_R11_1_R12_1_R12_3_R12_4_day2_used_and_no_show_then_frequent_cancellation_disables(
        week):
    """Day 2: day 1 is decided: the couple entered (used), the father did not (no-show)
    (R12.3, R11.1); yesterday's slip is closed (R12.1). The third cancellation within 30 days
    disables the account permanently (R12.4): login is refused with the reason in the user's
    language; an operator reinstates it and the user logs in again."""
    week.set_clock(2, 9, 0)
    wait_for(lambda: week.reservations("father")[1]["state"] == "no_show",
             what="day 1's no-show decision")
    assert week.reservations("couple")[1]["state"] == "used"
    closed = week.call("GET", f"/api/booking/reservations/{week.numbers[('couple', 1)]}/slip",
                       "couple")
    assert closed.status_code in (403, 409)

    week.applied("canceller", [8])
    week.draw_and_publish(2)
    assert week.reservations("canceller")[8]["state"] == "active"
    third = week.call("POST", "/api/booking/reservations/"
                      f"{week.numbers[('canceller', 8)]}/cancel", "canceller")
    assert third.status_code == 200 and third.json()["account_disabled"] is True
    assert [r["state"] for r in week.reservations("canceller").values()] == ["cancelled"] * 3

    person = week.people["canceller"]
    expected = message_of("identity", "en", "account.disabled", reason=message_of(
        "identity", "en", "disable_reason.frequent_cancellations"))

    def refused_with_reason():
        answer = week.gateway.login(HK["document_type"], person["number"])
        return answer.status_code == 403 and answer.json()["error"]
    error = wait_for(refused_with_reason, what="identity to disable the account")
    assert error["code"] == "account.disabled" and error["message"] == expected

    listed = week.call("GET", "/api/booking/accounts/disabled", week.operator).json()["items"]
    assert person["account_id"] in [a["account_id"] for a in listed]
    back = week.call("POST", f"/api/booking/accounts/{person['account_id']}/reinstate",
                     week.operator, json={"note": "identity checked by phone"})
    assert back.status_code == 200, back.text
    login = wait_for(lambda: (r := week.gateway.login(HK["document_type"], person["number"]))
                     .status_code == 200 and r.json(), what="the reinstatement")
    person["token"] = login["access_token"]


def test_R12_3_two_no_shows_in_a_row_bar_applying_for_14_days(week):
    """Days 3 and 4 pass without an entry: two no-shows in a row (R12.3). From day 4 (the
    second no-show) to day 17 applying is refused with the day it ends; day 18 is accepted.
    The reinstated account applies again (R12.4)."""
    week.set_clock(5, 9, 0)
    wait_for(lambda: [r["state"] for r in week.reservations("no_show").values()]
             == ["no_show", "no_show"], what="the two no-show decisions")
    banned = week.apply("no_show", [6])
    assert banned.status_code in (403, 409), banned.text
    assert banned.json()["error"]["message"] == message_of(
        "booking", "en", "booking.no_show_ban", until=week.day(18).isoformat())
    week.applied("canceller", [6])

    week.set_clock(17, 9, 0)
    assert week.apply("no_show", [18]).json()["error"]["code"] == "booking.no_show_ban"
    week.set_clock(18, 9, 0)
    week.applied("no_show", [19])
