"""The applicant's main path in headless Chromium, in Traditional Chinese, on a 375 px phone:
register → personal details → cohabitants → apply → result → slip, with the system clock
moved from the application window through the 18:30 draw and the 20:00 publication to the
reserved day. Each step saves a screenshot NN-name.png: into the run's var directory, or into
docs/screenshots (which the README shows) when HS_SCREENSHOTS=docs/screenshots is set."""

from __future__ import annotations

import os
import re
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from shared.clock import BEIJING
from shared.config import REPO_ROOT
from tests.e2e.helpers import (
    PASSWORD,
    CaptchaAnswers,
    Gateway,
    at,
    hk_permit_number,
    staff_token,
    wait_for,
)

pytestmark = pytest.mark.e2e


def shoot(page, number: int, name: str) -> None:
    shots = Path(os.environ.get("HS_SCREENSHOTS") or Path(page.context.hs_var_dir) / "screenshots")
    if not shots.is_absolute():
        shots = REPO_ROOT / shots
    shots.mkdir(parents=True, exist_ok=True)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), (
        f"{name}: the page scrolls sideways at 375 px")
    page.screenshot(path=str(shots / f"{number:02d}-{name}.png"), full_page=True)


def test_R1_1_R2_3_R4_1_R5_1_R6_2_R7_4_R10_1_R12_1_R13_1_main_path_in_traditional_chinese(
        system, page, gateway_url):
    """R1.1 the site opens on the login page; R1.2 繁體; R2.2/R2.3 registration lands on the
    personal-information form; R4.1 the details; R6.2 a child cohabitant; R7.3/R7.4 choose a
    date, confirm with the captcha; R8.1/R9.1 drawn at 18:30, shown from 20:00 (R10.1);
    R12.1 the slip on the day; R13.1 the guide link at the top right of the personal centre."""
    gateway = Gateway(gateway_url, "zh-Hant")
    operator = staff_token(system, gateway, "operator")
    start = datetime.now(BEIJING).date() + timedelta(days=400)
    reserved = start + timedelta(days=2)
    system.clock.set(at(start, 8, 30))
    put = gateway.call("PUT", "/api/booking/capacities", operator,
                       json={"items": [{"date": reserved.isoformat(), "places": 20}]})
    assert put.status_code == 200, put.text
    captchas = CaptchaAnswers(page)
    try:
        page.goto("/")
        page.wait_for_selector('[data-test="login-page"]')
        assert page.url.rstrip("/").endswith("/login")
        page.click('[data-test="lang-zh-Hant"]')
        shoot(page, 1, "login")

        page.click('[data-test="register-link"]')
        page.wait_for_selector('[data-test="register-page"]')
        number = hk_permit_number()
        page.select_option('[data-test="nationality"]', "HK")
        page.select_option('[data-test="document-type"]', "hk_macao_resident_permit")
        page.fill('[data-test="document-number"]', number)
        page.fill('[data-test="password"]', PASSWORD)
        page.fill('[data-test="password-confirmation"]', PASSWORD)
        page.set_checked('[data-test="consent"]', True)
        captchas.fill(page)
        shoot(page, 2, "register")
        page.click('[data-test="register-submit"]')
        page.wait_for_url(re.compile(r"/profile(\?.*)?$"))

        page.wait_for_selector('[data-test="profile-page"]')
        page.fill('[data-test="name"]', "陳家豪")
        page.check('[data-test="sex-male"]')
        page.fill('[data-test="date-of-birth"]', "1984-08-08")
        page.fill('[data-test="hk-mobile"]', "91234567")
        page.fill('[data-test="document-expiry"]', (start + timedelta(days=2000)).isoformat())
        page.select_option('[data-test="origin"]', "HK-YTM")
        page.select_option('[data-test="destination"]', "SZ-FT")
        page.check('[data-test="consent"]')
        page.click('[data-test="profile-submit"]')
        page.wait_for_selector('[data-test="alert-success"]')
        shoot(page, 3, "personal-details")

        page.goto("/cohabitants")
        page.wait_for_selector('[data-test="cohabitants-page"]')
        page.click('[data-test="c-add"]')
        page.fill('[data-test="c-name"]', "陳小欣")
        page.check('[data-test="c-sex-female"]')
        page.select_option('[data-test="c-relation"]', "child")
        page.select_option('[data-test="c-category"]', "child_14_under")
        page.select_option('[data-test="c-nationality"]', "HK")
        page.fill('[data-test="c-document-number"]', hk_permit_number())
        page.fill('[data-test="c-document-expiry"]', (start + timedelta(days=1500)).isoformat())
        page.fill('[data-test="c-date-of-birth"]', date(start.year - 7, 3, 3).isoformat())
        shoot(page, 4, "cohabitant-form")
        page.click('[data-test="c-submit"]')
        page.locator('[data-test="cohabitant-form"]').wait_for(state="detached")
        assert page.locator('[data-test="cohabitant-list"] > li').count() == 1
        shoot(page, 5, "cohabitants")

        page.goto("/me")
        page.wait_for_selector('[data-test="eligible"]')
        guide = page.locator('[data-test="guide-link"]').bounding_box()
        assert guide["x"] + guide["width"] / 2 > 375 / 2  # R13.1 top right
        shoot(page, 6, "personal-centre")

        system.clock.set(at(start, 9, 5))
        page.goto("/booking")
        page.wait_for_selector('[data-test="six-day-view"]')
        row = page.locator(f'[data-test="day-{reserved.isoformat()}"]')
        assert "20" in row.inner_text()  # the places of the date (R7.2)
        page.click(f'[data-test="choose-{reserved.isoformat()}"]')
        shoot(page, 7, "apply")
        page.click('[data-test="apply-next"]')
        confirmation = page.locator('[data-test="confirmation"]')
        confirmation.wait_for()
        assert "陳家豪" in confirmation.inner_text() and "陳小欣" in confirmation.inner_text()
        captchas.fill(page)
        shoot(page, 8, "confirmation")
        page.click('[data-test="apply-submit"]')
        numbers = page.locator('[data-test="application-numbers"]')
        numbers.wait_for()
        application = numbers.locator('[data-test="application-number"]').inner_text().strip()
        assert len(application) == 13
        shoot(page, 9, "applied")

        # the window closes at 18:00, the draw runs from 18:30, publication at 20:00: moving
        # the clock to 20:00 lets each happen in turn (the API journey checks each hour)
        system.clock.set(at(start, 20, 0))
        wait_for(lambda: gateway.call(
            "GET", f"/public/lottery/{start.isoformat()}/winners.json").status_code == 200,
            timeout=90, what="the 20:00 publication")
        record = page.locator(f'[data-test="record-{application}"]')

        def shows_won():
            page.goto("/booking/records")
            record.wait_for()
            return "已中籤" in record.inner_text()
        wait_for(shows_won, timeout=30, what="the won result in the records")
        shoot(page, 10, "result")

        system.clock.set(at(reserved, 8, 0))
        page.goto("/booking/slip")
        page.wait_for_selector('[data-test="booking-slip"]')
        assert page.inner_text('[data-test="slip-name"]') == "陳家豪"
        slip_date = page.locator('[data-test="slip-date"] time')
        assert slip_date.get_attribute("datetime") == reserved.isoformat()
        assert slip_date.inner_text().startswith(
            f"{reserved.year}年{reserved.month}月{reserved.day}日")
        page.locator('[data-test="slip-qr"]').wait_for()
        # names in the page's language, not the codes (福田区 in zh-Hant, child as 子女)
        page.wait_for_function(
            "() => document.querySelector('[data-test=slip-destination]')?.innerText.trim()"
            " && document.querySelector('[data-test=slip-destination]').innerText.trim()"
            " !== 'SZ-FT'")
        assert "child" not in page.inner_text('[data-test="booking-slip"]')
        shoot(page, 11, "slip")
    finally:
        system.clock.reset()
