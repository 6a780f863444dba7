"""Issue 2 in headless Chromium through the gateway, on a 375 px wide phone screen.

A new user switches to 繁體, registers with a 港澳居民来往内地通行证 number, lands on the
personal-information page, logs out and logs in again (R1.1, R1.2, R2.1-R2.3). Wrong formats,
a short or letter-only password, a mismatched or empty confirmation, a missing consent and a wrong
captcha each give a field error in the chosen language (R2.2, R1.2).

Messages are not written into this file: a field error's text must be the zh-Hant catalogue's
entry for the code the server gave (`data-code`), and page texts come from the client's
generated zh-Hant catalogues.
"""

from __future__ import annotations

import json
import os
import random
import re
from functools import cache
from pathlib import Path

import pytest
import requests

from shared.config import REPO_ROOT
from tests.e2e.helpers import CaptchaAnswers, message_of, store_session

pytestmark = pytest.mark.e2e

HK_PERMIT_NAME = "港澳居民来往内地通行证"
PASSWORD = "abc12345"

# selectors (data-test attributes of gateway/web)
LANG_HANT = '[data-test="lang-zh-Hant"]'
LANG_HANS = '[data-test="lang-zh-Hans"]'
LOGIN_PAGE = '[data-test="login-page"]'
REGISTER_PAGE = '[data-test="register-page"]'
REGISTER_LINK = '[data-test="register-link"]'
GUIDE_LINK = '[data-test="guide-link"]'
GUIDE_PAGE = '[data-test="guide-page"]'
SUPPORT_MAILBOX = '[data-test="support-mailbox"]'
SUPPORT_LINK = '[data-test="support-link"]'
NATIONALITY = '[data-test="nationality"]'
DOCUMENT_TYPE = '[data-test="document-type"]'
DOCUMENT_NUMBER = '[data-test="document-number"]'
PASSWORD_INPUT = '[data-test="password"]'
CONFIRMATION = '[data-test="password-confirmation"]'
CONSENT = '[data-test="consent"]'
REGISTER_SUBMIT = '[data-test="register-submit"]'
LOGIN_SUBMIT = '[data-test="login-submit"]'
LOGOUT = '[data-test="logout"]'


def error_of(field: str) -> str:
    return f'[data-test="error-{field}"]'


# ------------------------------------------------------------------ catalogues


def _json(path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def server_messages(lang: str) -> dict[str, str]:
    """What the services answer in `lang`: shared catalogue plus the identity service's."""
    messages = dict(_json(REPO_ROOT / "shared" / "messages" / f"{lang}.json"))
    messages.update(_json(REPO_ROOT / "services" / "identity" / "messages" / f"{lang}.json"))
    return messages


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


def matches_catalogue(text: str, code: str, lang: str) -> bool:
    """`text` is the catalogue entry `code` in `lang`, its {placeholders} filled in."""
    template = server_messages(lang).get(code)
    assert template is not None, f"the server's code {code!r} is not in the {lang} catalogue"
    pattern = re.escape(template)
    pattern = re.sub(r"\\\{[A-Za-z_][A-Za-z0-9_]*\\\}", ".+", pattern)
    return re.fullmatch(pattern, text.strip()) is not None


def assert_field_error_in(page, field: str, lang: str):
    locator = page.locator(error_of(field))
    locator.wait_for(state="visible")
    code = locator.get_attribute("data-code")
    text = locator.inner_text()
    assert code, f"the error under {field} carries no code"
    assert matches_catalogue(text, code, lang), (
        f"error under {field} is {text!r}, not the {lang} text of {code!r}: "
        f"{server_messages(lang)[code]!r}")


# ------------------------------------------------------------------ helpers


@pytest.fixture(scope="module")
def hk_permit(gateway_url):
    """(nationality code, document type code) of 港澳居民来往内地通行证, from the catalogue."""
    catalogue = requests.get(f"{gateway_url}/api/identity/catalogue", timeout=10).json()
    offering = [
        (nationality, document_type)
        for nationality in catalogue["nationalities"]
        for document_type in nationality["document_types"]
        if document_type["names"]["zh-Hans"] == HK_PERMIT_NAME
    ]
    assert offering, f"no nationality offers {HK_PERMIT_NAME}"
    # the Hong Kong residents' own region first
    offering.sort(key=lambda pair: "香港" not in pair[0]["names"]["zh-Hans"])
    nationality, document_type = offering[0]
    return nationality["code"], document_type["code"]


def new_hk_permit_number() -> str:
    """A 回乡证 number in today's form: H + 8 digits (rules.md Appendix A)."""
    return "H" + "".join(random.choice("0123456789") for _ in range(8))


def open_registration(page, gateway_url):
    page.goto(f"{gateway_url}/")
    page.locator(LOGIN_PAGE).wait_for()
    page.click(LANG_HANT)
    page.click(REGISTER_LINK)
    page.locator(REGISTER_PAGE).wait_for()


def fill_registration(page, hk_permit, number, password=PASSWORD, confirmation=None, consent=True):
    nationality, document_type = hk_permit
    page.select_option(NATIONALITY, nationality)
    page.select_option(DOCUMENT_TYPE, document_type)
    page.fill(DOCUMENT_NUMBER, number)
    page.fill(PASSWORD_INPUT, password)
    page.fill(CONFIRMATION, password if confirmation is None else confirmation)
    page.set_checked(CONSENT, consent)


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


# ------------------------------------------------------------------ tests


def test_new_user_in_traditional_registers_lands_on_personal_information_and_logs_in_again(
        page, gateway_url, hk_permit):
    """R1.1, R1.2, R2.1, R2.2, R2.3 end to end."""
    captchas = CaptchaAnswers(page)
    page.goto(f"{gateway_url}/")
    page.locator(LOGIN_PAGE).wait_for()
    assert page.url.rstrip("/").endswith("/login")  # R1.1 the site opens on the login page

    page.click(LANG_HANT)
    assert page.locator(LANG_HANT).get_attribute("aria-pressed") == "true"
    assert page.locator("h1").inner_text() == client_text("zh-Hant", "identity.login.title")

    page.click(REGISTER_LINK)
    page.locator(REGISTER_PAGE).wait_for()
    assert page.locator("h1").inner_text() == client_text("zh-Hant", "identity.register.title")
    assert no_horizontal_scroll(page)

    number = new_hk_permit_number()
    fill_registration(page, hk_permit, number)
    captchas.fill(page)
    page.click(REGISTER_SUBMIT)

    page.wait_for_url(re.compile(r"/profile(\?.*)?$"))  # R2.3 the personal-information form
    # R1.2 the choice persists across pages and visits
    page.reload()
    page.locator(LANG_HANT).wait_for()
    assert page.locator(LANG_HANT).get_attribute("aria-pressed") == "true"
    assert page.evaluate("localStorage.getItem('hs.lang')") == "zh-Hant"

    page.click(LOGOUT)
    page.locator(LOGIN_PAGE).wait_for()
    assert page.evaluate("localStorage.getItem('hs.session')") is None

    _, document_type = hk_permit
    page.select_option(DOCUMENT_TYPE, document_type)
    page.fill(DOCUMENT_NUMBER, number.lower())  # normalized by the server (R2.4)
    page.fill(PASSWORD_INPUT, PASSWORD)
    page.click(LOGIN_SUBMIT)
    page.wait_for_url(re.compile(r"/profile(\?.*)?$"))
    assert page.locator(LANG_HANT).get_attribute("aria-pressed") == "true"


REGISTRATION_MISTAKES = [
    # (case id, field expected to carry the error, changes to a valid registration)
    ("wrong-format-digits-only", "document_number", {"number": "12345678"}),
    ("wrong-format-two-way-permit-number", "document_number", {"number": "C12345678"}),
    ("short-password", "password", {"password": "ab12"}),
    ("letters-only-password", "password", {"password": "abcdefgh"}),
    ("digits-only-password", "password", {"password": "12345678"}),
    ("mismatched-confirmation", "password_confirmation", {"confirmation": "abc12346"}),
    ("empty-confirmation", "password_confirmation", {"confirmation": ""}),
    ("missing-consent", "consent", {"consent": False}),
    ("wrong-captcha", "captcha_answer", {"wrong_captcha": True}),
]


def test_each_registration_mistake_gets_a_field_error_in_the_chosen_language(
        page, gateway_url, hk_permit):
    """R2.2.3-R2.2.7 and R1.2: one mistake at a time, each named under its field in 繁體."""
    captchas = CaptchaAnswers(page)
    open_registration(page, gateway_url)
    previous = None
    for case, field, change in REGISTRATION_MISTAKES:
        fill_registration(
            page, hk_permit,
            number=change.get("number", new_hk_permit_number()),
            password=change.get("password", PASSWORD),
            confirmation=change.get("confirmation"),
            consent=change.get("consent", True),
        )
        previous = captchas.fill(page, previous, wrong=change.get("wrong_captcha", False))
        page.click(REGISTER_SUBMIT)
        try:
            assert_field_error_in(page, field, "zh-Hant")
            if case == "empty-confirmation":  # said to be required, not to differ
                assert page.get_attribute(error_of(field), "data-code") == "field.required"
        except AssertionError as exc:
            raise AssertionError(f"case {case}: {exc}") from exc
        assert "/register" in page.url, f"case {case}: the registration went through"
        assert no_horizontal_scroll(page), f"case {case}: the page scrolls sideways"


def test_field_errors_follow_the_language_chosen_before_submitting(page, gateway_url, hk_permit):
    """R1.2: the same mistake in 简体 gets the Simplified text."""
    captchas = CaptchaAnswers(page)
    open_registration(page, gateway_url)
    page.click(LANG_HANS)
    fill_registration(page, hk_permit, number=new_hk_permit_number(), password="ab12")
    captchas.fill(page)
    page.click(REGISTER_SUBMIT)
    assert_field_error_in(page, "password", "zh-Hans")


def test_errors_on_screen_are_said_again_after_a_language_switch(page, gateway_url, hk_permit):
    """R1.2: switching language changes every text, the service's error messages included."""
    captchas = CaptchaAnswers(page)
    open_registration(page, gateway_url)
    fill_registration(page, hk_permit, number="C12345678", password="ab12")
    captchas.fill(page)
    page.click(REGISTER_SUBMIT)
    assert_field_error_in(page, "password", "zh-Hant")
    assert_field_error_in(page, "document_number", "zh-Hant")
    page.click('[data-test="lang-en"]')
    page.wait_for_function(
        "() => document.documentElement.lang === 'en'")
    for field in ("password", "document_number"):
        code = page.locator(error_of(field)).get_attribute("data-code")
        page.wait_for_function(
            """([selector, text]) => document.querySelector(selector)?.innerText.trim() === text""",
            arg=[error_of(field), server_messages("en")[code]])


def test_guide_and_support_are_reachable_from_the_login_and_registration_pages(page, gateway_url):
    """R13.1 操作指引 at the top right; R14.1 the support mailbox and form in the footer."""
    page.goto(f"{gateway_url}/login")
    page.locator(LOGIN_PAGE).wait_for()
    page.click(LANG_HANT)
    for path in ("/login", "/register"):
        page.goto(f"{gateway_url}{path}")
        link = page.locator(GUIDE_LINK)
        assert link.inner_text() == client_text("zh-Hant", "app.guide")
        box, width = link.bounding_box(), page.viewport_size["width"]
        assert box["x"] + box["width"] / 2 > width / 2, "the guide link is not on the right"
        assert page.locator(SUPPORT_MAILBOX).inner_text() == "szhkhotel@163.com"
    page.click(GUIDE_LINK)
    page.locator(GUIDE_PAGE).wait_for()
    guide = _json(REPO_ROOT / "gateway/web/src/areas/identity/guide/zh-Hant.json")["guide"]
    assert page.locator("h1").inner_text() == guide["title"]
    assert page.locator("h2").count() == len(guide["sections"])
    page.click(SUPPORT_LINK)
    page.locator('[data-test="support-page"]').wait_for()
    assert no_horizontal_scroll(page)


# ------------------------------------------------------------------ legacy accounts, staff

R3_1_NOTICE = "您当前登录的账号证件信息格式有误，请按要求更新信息"
UPDATE_NOTICE = '[data-test="update-notice"]'
GO_UPDATE = '[data-test="go-update"]'
UPDATE_PAGE = '[data-test="account-update-page"]'
UPDATE_SUBMIT = '[data-test="update-submit"]'
UPDATE_DONE = '[data-test="update-done"]'
STAFF_LINK = '[data-test="staff-login-link"]'


def log_in(page, gateway_url, document_type, number, password):
    page.goto(f"{gateway_url}/login")
    page.locator(LOGIN_PAGE).wait_for()
    page.select_option(DOCUMENT_TYPE, document_type)
    page.fill(DOCUMENT_NUMBER, number)
    page.fill(PASSWORD_INPUT, password)
    page.click(LOGIN_SUBMIT)


def test_legacy_account_is_told_to_update_updates_once_and_logs_in_with_the_new_document(
        page, gateway_url, system, hk_permit, tmp_path):
    """R3.1 the exact notice and 去更新; R3.3 a taken document is refused naming the masked
    account; R3.4 after the update only the new document logs in, with the old password."""
    nationality, document_type = hk_permit
    old_number = new_hk_permit_number() + "01"  # the old form with the renewal count
    taken_number, new_number = new_hk_permit_number(), new_hk_permit_number()
    rows = ["nationality,document_type,document_number,password_hash_or_password",
            f"{nationality},{document_type},{old_number},{PASSWORD}",
            f"{nationality},{document_type},{taken_number},{PASSWORD}"]
    csv_file = tmp_path / "legacy.csv"
    csv_file.write_text("\n".join(rows) + "\n", encoding="utf-8")
    system.run("-m", "services.identity.entrypoints.cli", "import-legacy", str(csv_file))

    log_in(page, gateway_url, document_type, old_number, PASSWORD)
    assert page.locator(UPDATE_NOTICE).inner_text() == R3_1_NOTICE
    assert page.locator(GO_UPDATE).inner_text() == "去更新"
    # nothing else before the update (R3.1)
    page.goto(f"{gateway_url}/profile")
    page.locator(UPDATE_PAGE).wait_for()

    page.select_option(NATIONALITY, nationality)
    page.select_option(DOCUMENT_TYPE, document_type)
    page.fill(DOCUMENT_NUMBER, taken_number)
    page.click(UPDATE_SUBMIT)
    assert_field_error_in(page, "document_number", "zh-Hans")
    masked = page.locator(error_of("document_number")).inner_text()
    assert taken_number[:3] in masked and taken_number not in masked  # named, masked (R3.3)

    page.fill(DOCUMENT_NUMBER, new_number)
    page.click(UPDATE_SUBMIT)
    assert page.locator(UPDATE_DONE).inner_text() == client_text("zh-Hans", "identity.update.done")
    assert page.evaluate("localStorage.getItem('hs.session')") is None  # R3.4 log in again

    log_in(page, gateway_url, document_type, old_number, PASSWORD)
    page.locator(error_of("password")).wait_for()  # the old document no longer logs in
    log_in(page, gateway_url, document_type, new_number, PASSWORD)
    page.wait_for_url(re.compile(r"/profile(\?.*)?$"))


def test_staff_log_in_with_their_username_from_the_staff_link(page, gateway_url, system):
    """Staff (reviewer) use document type "staff": the login page offers it behind a link."""
    username = f"rev{random.randrange(10**8)}"
    system.run("-m", "services.identity.entrypoints.cli", "create-staff", "--role", "reviewer",
               "--username", username, "--password", PASSWORD)
    page.goto(f"{gateway_url}/login")
    page.click(STAFF_LINK)
    page.wait_for_url(re.compile(r"staff=1"))
    assert page.locator(DOCUMENT_TYPE).count() == 0  # no document type: a username
    page.fill(DOCUMENT_NUMBER, username)
    # a wrong password is said of what this form asks for, a username, not a document number
    page.fill(PASSWORD_INPUT, PASSWORD + "x")
    page.click(LOGIN_SUBMIT)
    refusal = page.locator(error_of("password"))
    refusal.wait_for()
    assert refusal.inner_text() == message_of("identity", "zh-Hans", "login.invalid_staff")
    assert "证件" not in refusal.inner_text()
    page.fill(PASSWORD_INPUT, PASSWORD)
    page.click(LOGIN_SUBMIT)
    page.wait_for_url(lambda url: "/login" not in url)
    roles = page.evaluate("JSON.parse(localStorage.getItem('hs.session')).account.roles")
    assert "reviewer" in roles


def test_an_operator_finds_their_pages_after_login(page, gateway_url, system):
    """An operator has no landing area: the start page lists the pages their role opens, and
    the top bar's personal-centre link leads there rather than to a forbidden page."""
    username = f"op{random.randrange(10**8)}"
    system.run("-m", "services.identity.entrypoints.cli", "create-staff", "--role", "operator",
               "--username", username, "--password", PASSWORD)
    page.goto(f"{gateway_url}/login?staff=1")
    page.fill(DOCUMENT_NUMBER, username)
    page.fill(PASSWORD_INPUT, PASSWORD)
    page.click(LOGIN_SUBMIT)
    page.wait_for_url(re.compile(r"/signed-in"))
    links = page.locator('[data-test="my-page-link"]')
    links.first.wait_for()
    targets = {links.nth(i).get_attribute("href") for i in range(links.count())}
    assert {"/booking/operator", "/lottery/operator"} <= targets, targets
    assert not any(t.startswith("/profile") or t == "/review" for t in targets), targets
    page.click('[data-test="personal-centre-link"]')
    page.wait_for_url(re.compile(r"/signed-in"))
    page.click('a[href="/lottery/operator"]')
    page.wait_for_url(re.compile(r"/lottery/operator"))
    assert all(page.locator(f"text={client_text(lang, 'app.forbidden.title')}").count() == 0
               for lang in ("zh-Hans", "zh-Hant"))


# ------------------------------------------------------------------ phone widths

PHONE_WIDTHS = (360, 390)


def box_of(page, selector: str) -> dict:
    box = page.locator(selector).first.bounding_box()
    assert box, f"{selector} is not shown"
    return box


def inside(inner: dict, outer: dict, slack: float = 0.5) -> bool:
    return (inner["x"] >= outer["x"] - slack and inner["y"] >= outer["y"] - slack
            and inner["x"] + inner["width"] <= outer["x"] + outer["width"] + slack
            and inner["y"] + inner["height"] <= outer["y"] + outer["height"] + slack)


def test_R1_2_R2_2_header_and_captcha_fit_phones_of_360_to_390_px_in_every_language(
        page, gateway_url):
    """At 360 and 390 px, in 简体, 繁體 and English: the registration's captcha picture is
    whole (its own proportions, inside its button and the card); signed in, the top bar keeps
    two rows: "log out" on the brand's row and on one line, the language switch, guide and
    personal centre on the second. Screenshots go to the run's var directory (or to
    HS_SCREENSHOTS, as test_journey_browser's do)."""
    from tests.e2e.helpers import Gateway, hk_permit_number

    shots = Path(os.environ.get("HS_SCREENSHOTS") or Path(page.context.hs_var_dir) / "screenshots")
    shots.mkdir(parents=True, exist_ok=True)
    registered = Gateway(gateway_url).register(hk_permit_number())
    for width in PHONE_WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        for lang in ("zh-Hans", "zh-Hant", "en"):
            page.goto(f"{gateway_url}/register")
            page.locator(REGISTER_PAGE).wait_for()
            page.click(f'[data-test="lang-{lang}"]')
            image = page.locator('[data-test="captcha-image"]')
            image.wait_for()
            page.wait_for_function("() => document.querySelector('[data-test=captcha-image]')"
                                   ".complete")
            natural = image.evaluate("img => img.naturalWidth / img.naturalHeight")
            shown = box_of(page, '[data-test="captcha-image"]')
            case = f"{lang} at {width} px"
            assert abs(shown["width"] / shown["height"] - natural) < 0.05, (
                f"{case}: the captcha picture is stretched or cut")
            assert inside(shown, box_of(page, '[data-test="captcha-refresh"]')), case
            assert inside(shown, box_of(page, f"{REGISTER_PAGE} .card")), case
            assert no_horizontal_scroll(page), case
            page.locator(".captcha").screenshot(path=str(shots / f"captcha-{lang}-{width}.png"))

            store_session(page, registered, lang)
            page.goto(f"{gateway_url}/guide")
            page.locator(LOGOUT).wait_for()
            logout, brand = box_of(page, LOGOUT), box_of(page, '[data-test="brand"]')
            switch = box_of(page, ".lang-switch")
            assert logout["height"] < 40, f"{case}: 'log out' wraps"
            assert logout["y"] < brand["y"] + brand["height"], (
                f"{case}: 'log out' is not on the brand's row")
            for tool in (GUIDE_LINK, '[data-test="personal-centre-link"]'):
                tool_box = box_of(page, tool)
                assert abs(tool_box["y"] + tool_box["height"] / 2
                           - (switch["y"] + switch["height"] / 2)) < 4, (
                    f"{case}: {tool} is not on the language switch's row")
            assert no_horizontal_scroll(page), case
            page.locator(".topbar").screenshot(path=str(shots / f"topbar-{lang}-{width}.png"))
            page.evaluate("localStorage.removeItem('hs.session')")


def test_R5_1_a_returning_approved_applicant_lands_on_the_personal_centre(page, gateway_url,
                                                                         system):
    """The form (/profile) after login only for those who must still fill it in (the test
    above); an applicant whose personal information is approved opens the personal centre."""
    from tests.e2e.helpers import Gateway, staff_token
    from tests.e2e.test_booking_api import approved_applicant

    gateway = Gateway(gateway_url, "zh-Hans")
    registered = []
    approved_applicant(gateway, staff_token(system, gateway, "operator"), "黄家乐",
                       tokens=registered)
    number = gateway.call("GET", "/api/identity/accounts/me",
                          registered[0]["access_token"]).json()["document_number"]
    page.goto(f"{gateway_url}/login")
    page.select_option(DOCUMENT_TYPE, "hk_macao_resident_permit")
    page.fill(DOCUMENT_NUMBER, number)
    page.fill(PASSWORD_INPUT, PASSWORD)
    page.click(LOGIN_SUBMIT)
    page.wait_for_url(re.compile(r"/me(\?.*)?$"))
    page.locator('[data-test="eligible"]').wait_for()
    # the site's address and the login page's "continue" lead there too, not to the form
    page.goto(f"{gateway_url}/")
    page.wait_for_url(re.compile(r"/me(\?.*)?$"))
    page.locator('[data-test="eligible"]').wait_for()
    page.goto(f"{gateway_url}/login")
    page.click('[data-test="continue"]')
    page.wait_for_url(re.compile(r"/me(\?.*)?$"))
    page.locator('[data-test="eligible"]').wait_for()
