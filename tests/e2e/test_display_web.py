"""What the applicant's screens show, in headless Chromium on a 390 px phone (zh-Hant): the
nationality by its name rather than its code (R4.1), the link to the public draw results
(公示, R8.4) in the footer of every page and on the lottery records page (R10.1), and in the
six-day view (R7.2) a date with no place left shown as full and impossible to pick (R7.3; the
rules are silent, so this is the client's choice: booking's server still accepts such a date).
Screenshots display-*.png of each page go to the run's var directory, or to HS_SCREENSHOTS."""

from __future__ import annotations

import os
from datetime import datetime, timedelta
from pathlib import Path

import pytest
import requests

from shared.clock import BEIJING
from tests.e2e.helpers import Gateway, at, staff_token, store_session, wait_for
from tests.e2e.test_booking_api import approved_applicant
from tests.e2e.test_profile_web import client_text

pytestmark = pytest.mark.e2e
PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser, gateway_url, system):
    context = browser.new_context(viewport=PHONE, base_url=gateway_url, device_scale_factor=2,
                                  is_mobile=True, has_touch=True, timezone_id="America/New_York")
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    context.close()


def shoot(page, system, name: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
        f"{name}: the page scrolls sideways at {PHONE['width']} px")
    shots = Path(os.environ.get("HS_SCREENSHOTS") or Path(system.var_dir) / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shots / f"display-{name}.png"), full_page=True)


def sign_in(page, registered: dict, lang: str) -> None:
    page.goto("/guide")
    store_session(page, registered, lang)


def test_R4_1_R7_2_R7_3_R8_4_R10_1_names_audit_link_and_full_dates_on_a_phone(
        system, gateway_url, system_clock, phone):
    page = phone
    gateway = Gateway(gateway_url, "zh-Hant")
    period = datetime.now(BEIJING).date() + timedelta(days=500)
    system_clock.set(at(period, 10, 0))
    operator = staff_token(system, gateway, "operator")
    full_day, open_day = period + timedelta(days=2), period + timedelta(days=3)
    put = gateway.call("PUT", "/api/booking/capacities", operator, json={"items": [
        {"date": full_day.isoformat(), "places": 0}, {"date": open_day.isoformat(), "places": 5}]})
    assert put.status_code == 200, put.text
    # approved: an applicant who may not apply has every date disabled (R7.5, test_booking_web)
    tokens = []
    approved_applicant(gateway, operator, "馮志偉", tokens=tokens)  # nationality HK
    registered = tokens[0]
    sign_in(page, registered, "zh-Hant")

    # the registered nationality by its zh-Hant name, never the code (R4.1)
    catalogue = requests.get(f"{gateway_url}/api/identity/catalogue", timeout=10).json()
    hong_kong = next(n for n in catalogue["nationalities"] if n["code"] == "HK")["names"]["zh-Hant"]
    assert hong_kong != "HK"

    def shows_nationality():
        page.goto("/profile")  # profile learns the account from identity's event
        page.wait_for_selector('[data-test="profile-page"]')
        shown = page.locator('[data-test="registered-nationality"]')
        return shown.count() and shown.inner_text().strip() == hong_kong
    wait_for(shows_nationality, timeout=30, what="the nationality's name on the profile page")
    assert page.locator('[data-test="audit-link"]').inner_text() == client_text(
        "zh-Hant", "app.footer.audit")  # the footer of every page
    shoot(page, system, "profile")

    # the six-day view: the full date is marked and cannot be chosen; the other one can
    page.goto("/booking")
    page.wait_for_selector('[data-test="six-day-view"]')
    full_box = page.locator(f'[data-test="choose-{full_day.isoformat()}"]')
    assert page.inner_text(f'[data-test="full-{full_day.isoformat()}"]') == "名額已滿"
    assert client_text("zh-Hant", "booking.apply.full") == "名額已滿"
    assert full_box.is_disabled()
    full_box.click(force=True)  # a tap on the disabled box changes nothing
    assert not full_box.is_checked()
    assert page.locator('[data-test="apply-next"]').is_disabled()
    assert page.locator(f'[data-test="full-{open_day.isoformat()}"]').count() == 0
    page.click(f'[data-test="choose-{open_day.isoformat()}"]')
    assert page.locator(f'[data-test="choose-{open_day.isoformat()}"]').is_checked()
    assert page.locator('[data-test="apply-next"]').is_enabled()
    # the date as zh-Hant writes it, the ISO date kept for machines
    cell = page.locator(f'[data-test="day-{full_day.isoformat()}"] time')
    assert cell.get_attribute("datetime") == full_day.isoformat()
    assert cell.inner_text().startswith(f"{full_day.year}年{full_day.month}月{full_day.day}日")
    # on the phone a date stays on one line (not 「2026年12月5 / 日週六」), and the table fits
    dates = page.locator('[data-test="six-day-view"] time')
    assert dates.count() == 6
    assert [dates.nth(i).evaluate("e => e.getClientRects().length") for i in range(6)] == [1] * 6
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shoot(page, system, "apply")

    # the applicant's lottery records link the public draw results, which open
    page.goto("/lottery/records")
    link = page.locator('[data-test="records-audit-link"]')
    assert link.inner_text() == client_text("zh-Hant", "lottery.records.auditLink")
    shoot(page, system, "records")
    link.click()
    page.wait_for_selector('[data-test="lottery-periods-page"]')
    assert page.url.endswith("/lottery/audit")
    shoot(page, system, "audit")

    page.goto("/booking/records")
    page.locator('[data-test="records-audit-link"]').click()
    page.wait_for_selector('[data-test="lottery-periods-page"]')
    page.goto("/guide")  # a page of no area: the footer link is there too, and leads there
    page.click('[data-test="audit-link"]')
    page.wait_for_selector('[data-test="lottery-periods-page"]')
