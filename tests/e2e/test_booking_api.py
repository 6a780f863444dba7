"""Issue 4 through the gateway with the whole system running (identity, profile, booking, their
relays and consumers, schedulers) and the system clock set: a user registered at identity,
approved at profile (reference list), applies at booking with identity's real captcha.
R7.1 (08:59 and 18:00 refused, 09:00 accepted), R7.2 (the view's counts move), R7.6 (three
dates, three numbers), R7.7 (two users naming the same person for one date at the same instant:
one succeeds)."""

from __future__ import annotations

import threading
import time
from datetime import datetime, timedelta

import pytest

from shared.clock import BEIJING
from tests.e2e.helpers import CaptchaAnswers, Gateway, at, digits, staff_token, wait_for

pytestmark = pytest.mark.e2e


def approved_applicant(gateway: Gateway, operator: str, name: str,
                       cohabitant: dict | None = None, tokens: list | None = None) -> str:
    """Registered at identity, personal information approved by profile against the reference
    list, and seen as approved by booking (through profile.party.changed)."""
    number = "H" + digits(8)
    born = "1980-01-31"
    registered = gateway.register(number)
    token = registered["access_token"]
    if tokens is not None:
        tokens.append(registered)
    rows = [f"hk_macao_resident_permit,{number},{name},{born}"]
    if cohabitant:
        rows.append(f"hk_macao_resident_permit,{cohabitant['document_number']},"
                    f"{cohabitant['name']},{cohabitant['date_of_birth']}")
    imported = gateway.call("POST", "/api/profile/reference-documents", operator,
                            data=("document_type,document_number,name,date_of_birth\n"
                                  + "\n".join(rows) + "\n").encode(),
                            headers={"Content-Type": "text/csv"})
    assert imported.status_code == 200, imported.text
    info = gateway.call("PUT", "/api/profile/me/personal-info", token, json={
        "name": name, "sex": "male", "date_of_birth": born, "hk_mobile": "5" + digits(7),
        "mainland_mobile": None, "document_expiry": "2035-01-01", "origin": "HK-CW",
        "destination": "SZ-FT", "consent": True})
    assert info.status_code in (200, 201), info.text
    if cohabitant:
        added = gateway.call("POST", "/api/profile/me/cohabitants", token, json={
            "name": cohabitant["name"], "sex": "female", "nationality": "HK",
            "document_type": "hk_macao_resident_permit",
            "document_number": cohabitant["document_number"], "document_expiry": "2035-01-01",
            "date_of_birth": cohabitant["date_of_birth"], "relation": "parent",
            "category": "elderly_70_plus"})
        assert added.status_code in (200, 201), added.text
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = gateway.call("GET", "/api/booking/me/status", token).json()
        if status.get("may_apply") or status.get("code") == "booking.window_closed":
            return token
        time.sleep(0.3)
    raise AssertionError(f"booking never saw {name} approved: {status}")


def test_booking_window_numbers_counts_and_r7_7_through_the_gateway(system, gateway_url,
                                                                    system_clock):
    gateway = Gateway(gateway_url)
    period = datetime.now(BEIJING).date() + timedelta(days=1)
    system_clock.set(at(period, 8, 0))
    operator = staff_token(system, gateway, "operator")
    mother = {"document_number": "H" + digits(8), "name": "陈老太", "date_of_birth": "1945-03-03"}
    first = approved_applicant(gateway, operator, "陈大文", mother)
    second = approved_applicant(gateway, operator, "陈小文", mother)
    third = approved_applicant(gateway, operator, "李一")
    days = [period + timedelta(days=i) for i in range(1, 7)]
    assert gateway.call("PUT", "/api/booking/capacities", operator, json={
        "items": [{"date": d.isoformat(), "places": 100} for d in days]}).status_code == 200

    system_clock.set(at(period, 8, 59))
    early = gateway.apply(third, [days[0]])
    assert early.status_code == 409 and early.json()["error"]["code"] == "booking.window_closed"

    system_clock.set(at(period, 9, 0))
    three = gateway.apply(third, [days[0], days[2], days[5]])
    assert three.status_code == 201, three.text
    assert len({a["application_number"] for a in three.json()["applications"]}) == 3
    def counts():
        view = gateway.call("GET", "/api/booking/periods/current").json()
        return {d["date"]: d["applicants"] for d in view["dates"]}

    wait_for(lambda: counts()[days[0].isoformat()] >= 1, timeout=10, what="R7.2 live counts")

    # the same person (the mother) in two parties for one date, both at the same instant
    barrier = threading.Barrier(2)
    statuses = []

    def submit(token):
        captcha = gateway.captcha()
        barrier.wait()
        statuses.append(gateway.call("POST", "/api/booking/applications", token, json={
            "dates": [days[1].isoformat()], "captcha_id": captcha["captcha_id"],
            "captcha_answer": captcha["answer"]}).status_code)

    threads = [threading.Thread(target=submit, args=(t,)) for t in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    assert sorted(statuses) == [201, 409]
    def applicants_on_day_two():  # the view is cached up to ~2 s (per replica, then nginx)
        view = gateway.call("GET", "/api/booking/periods/current").json()
        return {d["date"]: d["applicants"] for d in view["dates"]}[days[1].isoformat()] == 2

    wait_for(applicants_on_day_two, timeout=10, what="the six-day view to count both applicants")

    system_clock.set(at(period, 18, 0))
    late = gateway.apply(third, [days[3]])
    assert late.status_code == 409 and late.json()["error"]["code"] == "booking.window_closed"


def test_booking_pages_apply_and_read_records_in_the_browser_at_375px(system, gateway_url,
                                                                      system_clock, page):
    """The applicant's pages (zh-Hant): six-day view, date choice, confirmation with the masked
    document and the cohabitant, identity's captcha, the numbers, then the lottery records."""
    import json

    gateway = Gateway(gateway_url)
    period = datetime.now(BEIJING).date() + timedelta(days=1)
    system_clock.set(at(period, 10, 0))
    operator = staff_token(system, gateway, "operator")
    mother = {"document_number": "H" + digits(8), "name": "黄婆婆", "date_of_birth": "1944-04-04"}
    registered = []
    approved_applicant(gateway, operator, "黄大仙", mother, tokens=registered)
    tokens = registered[0]
    day = period + timedelta(days=3)
    gateway.call("PUT", "/api/booking/capacities", operator,
                 json={"items": [{"date": day.isoformat(), "places": 30}]})
    captchas = CaptchaAnswers(page)
    page.goto("/guide")
    page.evaluate("([s, l]) => { localStorage.setItem('hs.session', s); "
                  "localStorage.setItem('hs.lang', l) }",
                  [json.dumps({"account": tokens["account"], "accessToken": tokens["access_token"],
                               "refreshToken": tokens["refresh_token"],
                               "updateRequired": False}), "zh-Hant"])
    page.goto("/booking")
    page.wait_for_selector('[data-test="six-day-view"]')
    row = page.locator(f'[data-test="day-{day.isoformat()}"]')
    # the view is cached up to ~2 s and the page reads it again every 5 s: the places just set
    # may show on the next refresh
    wait_for(lambda: "30" in row.inner_text(), timeout=12, what="the view to show the 30 places")
    page.click(f'[data-test="choose-{day.isoformat()}"]')
    page.click('[data-test="apply-next"]')
    confirmation = page.locator('[data-test="confirmation"]')
    confirmation.wait_for()
    text = confirmation.inner_text()
    assert "黄大仙" in text and "黄婆婆" in text
    assert confirmation.locator(f'time[datetime="{day.isoformat()}"]').inner_text().startswith(
        f"{day.year}年{day.month}月{day.day}日")  # the date as zh-Hant writes it
    captchas.fill(page)
    page.click('[data-test="apply-submit"]')
    numbers = page.locator('[data-test="application-numbers"]')
    numbers.wait_for()
    number = numbers.locator('[data-test="application-number"]').inner_text().strip()
    assert len(number) == 13
    # the date and its number as zh-Hant writes them: a full-width colon between (R1.2)
    assert numbers.inner_text().strip().endswith(f"：{number}")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    page.goto("/booking/records")
    page.wait_for_selector(f'[data-test="record-{number}"]')
    assert "待摇号" not in page.inner_text(f'[data-test="record-{number}"]')  # Traditional
    assert "待搖號" in page.inner_text(f'[data-test="record-{number}"]')
    page.goto("/booking/slip")  # the personal centre's slip section: nothing reserved today
    page.wait_for_selector('[data-test="no-slip"]')
