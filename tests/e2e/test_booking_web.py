"""The booking pages in headless Chromium on a moved system clock (the browser keeps its own):
a refused application is said on the confirmation step in the user's language, and the dates
already applied for are marked and cannot be chosen again (R7.3, R7.4, R7.6); the operator's
capacity page (R7.2) counts its 14 days from the system's day, sends only the rows changed and
marks a refused row with the server's message. The confirmation is a history entry of its own
(Back returns to the ticked dates), texts take each language's punctuation, and an applicant
who may not apply is told why on the date choice (R7.5)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from shared.clock import BEIJING
from shared.i18n import readable_day
from tests.e2e.helpers import (
    CaptchaAnswers,
    Gateway,
    at,
    digits,
    message_of,
    staff_session,
    staff_token,
    wait_for,
)
from tests.e2e.test_booking_api import approved_applicant
from tests.e2e.test_display_web import sign_in
from tests.e2e.test_profile_web import client_text

pytestmark = pytest.mark.e2e
REFUSAL = '[data-test="apply-refusal"]'


def test_R7_4_R7_6_a_refused_application_is_said_on_the_confirmation_step_and_applied_dates_are_marked(
        system, gateway_url, system_clock, page):
    gateway = Gateway(gateway_url, "zh-Hant")
    period = datetime.now(BEIJING).date() + timedelta(days=600)  # the browser's clock stays today
    system_clock.set(at(period, 10, 0))
    operator = staff_token(system, gateway, "operator")
    registered = []
    token = approved_applicant(gateway, operator, "何家明", tokens=registered)
    first, second = period + timedelta(days=1), period + timedelta(days=4)
    put = gateway.call("PUT", "/api/booking/capacities", operator, json={"items": [
        {"date": first.isoformat(), "places": 20}, {"date": second.isoformat(), "places": 20}]})
    assert put.status_code == 200, put.text
    assert gateway.apply(token, [first]).status_code == 201

    captchas = CaptchaAnswers(page)
    sign_in(page, registered[0], "zh-Hant")
    page.goto("/booking")
    page.wait_for_selector('[data-test="six-day-view"]')

    # the date applied for is marked and cannot be ticked; the other one can
    page.wait_for_selector(f'[data-test="applied-{first.isoformat()}"]')
    assert page.inner_text(f'[data-test="applied-{first.isoformat()}"]') == client_text(
        "zh-Hant", "booking.apply.applied")
    applied_box = page.locator(f'[data-test="choose-{first.isoformat()}"]')
    assert applied_box.is_disabled()
    applied_box.click(force=True)
    assert not applied_box.is_checked()
    assert page.locator(f'[data-test="applied-{second.isoformat()}"]').count() == 0
    page.click(f'[data-test="choose-{second.isoformat()}"]')
    page.click('[data-test="apply-next"]')
    page.locator('[data-test="confirmation"]').wait_for()

    # meanwhile the same date is applied for from another tab: the submission is refused
    assert gateway.apply(token, [second]).status_code == 201
    with page.expect_response(lambda r: r.request.method == "POST"
                              and r.url.endswith("/api/booking/applications")) as refused:
        captchas.fill(page)
        page.click('[data-test="apply-submit"]')
    error = refused.value.json()["error"]
    assert (refused.value.status, error["code"], error["field"]) == (409, "booking.already_applied",
                                                                     "dates")
    expected = message_of("booking", "zh-Hant", "booking.already_applied", **error["params"])
    alert = page.locator(REFUSAL)
    alert.wait_for()
    assert alert.inner_text().strip() == expected
    assert "何家明" in expected and readable_day(second.isoformat(), "zh-Hant") in expected

    # said again in the newly chosen language (R1.2), without asking the server again
    page.click('[data-test="lang-en"]')
    assert page.locator(REFUSAL).inner_text().strip() == message_of(
        "booking", "en", "booking.already_applied", **error["params"])

    # back on the date choice, the date just refused is marked as applied too
    page.get_by_role("button", name=client_text("en", "booking.confirm.back")).click()
    page.wait_for_selector(f'[data-test="applied-{second.isoformat()}"]')
    assert page.locator(f'[data-test="choose-{second.isoformat()}"]').is_disabled()


def test_R7_2_the_capacity_page_saves_a_changed_row_on_a_moved_clock_and_marks_a_refused_row(
        system, gateway_url, system_clock, page):
    gateway = Gateway(gateway_url, "zh-Hans")
    period = datetime.now(BEIJING).date() + timedelta(days=700)  # far from the browser's today
    system_clock.set(at(period, 23, 50))
    operator = staff_session(system, gateway, "operator")
    sent = []
    page.on("request", lambda r: sent.append(r.post_data_json) if r.method == "PUT"
            and r.url.endswith("/api/booking/capacities") else None)
    sign_in(page, operator, "zh-Hans")
    page.goto("/booking/operator")
    rows = page.locator('[data-test^="capacity-"]')
    rows.first.wait_for()
    first_day = period + timedelta(days=1)  # the system's tomorrow, not the browser's
    assert rows.count() == 14
    assert rows.first.get_attribute("data-test") == f"capacity-{first_day.isoformat()}"
    assert rows.last.get_attribute("data-test") == (
        f"capacity-{(period + timedelta(days=14)).isoformat()}")
    # a capacity counts people (R8.3), and the page says so: 名额（人）, not rooms
    assert page.inner_text('[data-test="capacities-lead"]') == client_text(
        "zh-Hans", "booking.operator.capacitiesLead")
    assert "名额（人）" in page.inner_text('[data-test="booking-operator"] table thead')
    assert page.get_attribute(f'[data-test="places-{first_day.isoformat()}"]',
                              "aria-label").endswith("的名额（人）")

    changed_day = period + timedelta(days=3)
    page.fill(f'[data-test="places-{changed_day.isoformat()}"]', "7")
    page.click('[data-test="save-capacities"]')
    page.wait_for_selector('[data-test="alert-success"]')
    assert sent == [{"items": [{"date": changed_day.isoformat(), "places": 7}]}]
    stored = gateway.call("GET", f"/api/booking/capacities?from={first_day.isoformat()}"
                          f"&to={(period + timedelta(days=14)).isoformat()}",
                          operator["access_token"]).json()["items"]
    assert [(i["date"], i["places"]) for i in stored] == [(changed_day.isoformat(), 7)]

    # midnight passes twice while the page stays open: its first row is now in the past
    system_clock.set(at(period + timedelta(days=2), 0, 10))
    later_day = period + timedelta(days=5)
    page.fill(f'[data-test="places-{first_day.isoformat()}"]', "4")
    page.fill(f'[data-test="places-{later_day.isoformat()}"]', "9")
    page.click('[data-test="save-capacities"]')
    marked = page.locator(f'[data-test="error-capacity-{first_day.isoformat()}"]')
    marked.wait_for()
    assert marked.get_attribute("data-code") == "field.date_past"
    assert marked.inner_text() == message_of("booking", "zh-Hans", "field.date_past")
    assert page.locator(f'[data-test="places-{first_day.isoformat()}"]').get_attribute(
        "aria-invalid") == "true"
    assert page.locator(f'[data-test="error-capacity-{later_day.isoformat()}"]').count() == 0
    assert page.inner_text('[data-test="alert-error"]') == client_text(
        "zh-Hans", "booking.operator.refusedRows")
    assert sent[-1] == {"items": [{"date": first_day.isoformat(), "places": 4},
                                  {"date": later_day.isoformat(), "places": 9}]}


def test_R12_2_a_double_tap_on_cancel_asks_once_and_cancels_once(system, gateway_url,
                                                                  system_clock, page):
    gateway = Gateway(gateway_url, "zh-Hans")
    period = datetime.now(BEIJING).date() + timedelta(days=800)
    system_clock.set(at(period, 10, 0))
    operator = staff_token(system, gateway, "operator")
    registered = []
    token = approved_applicant(gateway, operator, "郑一鸣", tokens=registered)
    day = period + timedelta(days=4)  # cancellable until the end of D−2
    assert gateway.call("PUT", "/api/booking/capacities", operator, json={
        "items": [{"date": day.isoformat(), "places": 50}]}).status_code == 200
    assert gateway.apply(token, [day]).status_code == 201
    system_clock.set(at(period, 20, 0))  # after the draw, at the publication

    def reservation():
        items = gateway.call("GET", "/api/booking/reservations", token).json()["items"]
        return next((r for r in items if r["date"] == day.isoformat()), None)
    number = wait_for(reservation, timeout=90, what="the reservation after the 20:00 publication")[
        "application_number"]

    dialogs = []

    def accept(dialog):
        dialogs.append(dialog.message)
        dialog.accept()
    page.on("dialog", accept)
    cancels = []
    page.on("request", lambda r: cancels.append(r.url) if r.method == "POST"
            and r.url.endswith("/cancel") else None)
    sign_in(page, registered[0], "zh-Hans")
    page.goto("/booking/reservations")
    # two taps queued before the first is handled, as a double tap on a slow phone
    cancel = page.locator(f'[data-test="reservation-{number}"] [data-test="cancel"]')
    cancel.wait_for()
    cancel.evaluate("button => { button.click(); button.click() }")
    page.wait_for_selector('[data-test="alert-success"]')
    page.wait_for_timeout(1000)  # a second request, if any, would have answered by now
    assert len(dialogs) == 1
    assert len(cancels) == 1
    assert page.locator('[data-test="alert-error"]').count() == 0
    assert page.inner_text('[data-test="alert-success"]') == client_text(
        "zh-Hans", "booking.reservations.cancelled")


def test_R12_4_the_operator_page_names_a_disabled_account_s_holder_and_reinstates_it(
        system, gateway_url, system_clock, page):
    """A disabled account is listed by its holder's name and masked document, as staff know
    people, with its reason and time in words; the account id is only secondary detail."""
    gateway = Gateway(gateway_url, "zh-Hans")
    period = datetime.now(BEIJING).date() + timedelta(days=900)
    system_clock.set(at(period, 10, 0))
    operator = staff_session(system, gateway, "operator")
    op = operator["access_token"]
    policy = gateway.call("GET", "/api/booking/settings/disable-policy", op).json()
    registered = []
    token = approved_applicant(gateway, op, "冯志远", tokens=registered)
    account = registered[0]["account"]
    day = period + timedelta(days=4)  # cancellable until the end of D−2
    assert gateway.call("PUT", "/api/booking/capacities", op, json={
        "items": [{"date": day.isoformat(), "places": 50}]}).status_code == 200
    assert gateway.apply(token, [day]).status_code == 201
    system_clock.set(at(period, 20, 0))

    def reservation():
        items = gateway.call("GET", "/api/booking/reservations", token).json()["items"]
        return next((r for r in items if r["date"] == day.isoformat()), None)
    number = wait_for(reservation, timeout=90, what="the reservation after the 20:00 publication")[
        "application_number"]
    # one cancellation disables, for this test only (the policy is the system's)
    assert gateway.call("PUT", "/api/booking/settings/disable-policy", op, json={
        "threshold": 1, "window_days": 30}).status_code == 200
    try:
        cancelled = gateway.call("POST", f"/api/booking/reservations/{number}/cancel", token)
        assert cancelled.status_code == 200 and cancelled.json()["account_disabled"] is True
    finally:
        gateway.call("PUT", "/api/booking/settings/disable-policy", op, json={
            "threshold": policy["threshold"], "window_days": policy["window_days"]})

    sign_in(page, operator, "zh-Hans")
    page.goto("/booking/operator")
    row = page.locator(f'[data-test="disabled-{account["id"]}"]')
    row.wait_for()
    holder = row.locator('[data-test="disabled-holder"]').inner_text()
    assert holder.startswith("冯志远") and account["masked_document"] in holder
    assert client_text("zh-Hans", "booking.operator.unknownHolder") not in holder
    assert account["id"] not in holder  # the id is secondary detail, not the label
    reason = row.locator('[data-test="disabled-reason"]').inner_text()
    said, when = (part.strip() for part in reason.split("·"))
    assert said == message_of("booking", "zh-Hans", "booking.disabled.frequent_cancellation")
    assert when.startswith(f"{period.year}年") and "T" not in when  # Beijing time, not ISO
    row.locator('[data-test="reinstate"]').click()
    row.wait_for(state="detached")
    listed = gateway.call("GET", "/api/booking/accounts/disabled", op).json()["items"]
    assert account["id"] not in [a["account_id"] for a in listed]


def test_R7_3_R7_4_the_confirmation_is_a_history_entry_and_dates_are_written_as_each_language_does(
        system, gateway_url, system_clock, page):
    """The phone's Back button on the confirmation returns to the date choice with the dates
    still ticked, Forward and a reload show the confirmation again; the counts, the chosen dates
    and the numbers take the language's punctuation (（）、： in Chinese, ASCII in English)."""
    page.set_viewport_size({"width": 390, "height": 844})
    gateway = Gateway(gateway_url, "zh-Hant")
    period = datetime.now(BEIJING).date() + timedelta(days=1100)  # a period no other test uses
    system_clock.set(at(period, 10, 0))
    operator = staff_token(system, gateway, "operator")
    registered = []
    approved_applicant(gateway, operator, "區志強", tokens=registered)
    first, second = period + timedelta(days=2), period + timedelta(days=5)
    assert gateway.call("PUT", "/api/booking/capacities", operator, json={"items": [
        {"date": first.isoformat(), "places": 20},
        {"date": second.isoformat(), "places": 20}]}).status_code == 200

    captchas = CaptchaAnswers(page)
    sign_in(page, registered[0], "zh-Hant")
    page.goto("/booking")
    wait_for(lambda: "20" in page.inner_text(f'[data-test="day-{first.isoformat()}"]'),
             timeout=12, what="the view to show the places just set")
    count = page.locator(f'[data-test="applications-{first.isoformat()}"]')
    n = int("".join(c for c in count.inner_text() if c.isdigit()))
    assert count.inner_text() == "（{}）".format(
        client_text("zh-Hant", "booking.apply.applications").replace("{n}", str(n)))

    for day in (first, second):
        page.click(f'[data-test="choose-{day.isoformat()}"]')
    page.click('[data-test="apply-next"]')
    dates = page.locator('[data-test="confirmation-dates"]')
    dates.wait_for()
    shown = [dates.locator("time").nth(i).inner_text() for i in range(2)]
    assert dates.inner_text().strip() == "、".join(shown)
    assert "step=confirm" in page.url

    # the phone's Back: the choice again, both dates still ticked; Forward: the confirmation
    page.go_back()
    page.wait_for_selector('[data-test="six-day-view"]')
    for day in (first, second):
        box = page.locator(f'[data-test="choose-{day.isoformat()}"]')
        wait_for(box.is_checked, timeout=5, what=f"{day} still ticked after Back")
    page.go_forward()
    dates.wait_for()
    page.reload()  # a reload of the confirmation asks for it again
    dates.wait_for()

    # in English: "; " between dates that carry a comma, "date: number" once submitted
    page.click('[data-test="lang-en"]')
    shown = [dates.locator("time").nth(i).inner_text() for i in range(2)]
    assert all("," in text for text in shown)
    assert dates.inner_text().strip() == "; ".join(shown)
    captchas.fill(page)
    page.click('[data-test="apply-submit"]')
    numbers = page.locator('[data-test="application-numbers"] li')
    numbers.first.wait_for()
    assert numbers.count() == 2
    for i in range(2):
        item = numbers.nth(i)
        number = item.locator('[data-test="application-number"]').inner_text()
        assert item.inner_text().strip() == f'{item.locator("time").inner_text()}: {number}'
    submitted = [numbers.nth(i).locator('[data-test="application-number"]').inner_text()
                 for i in range(2)]

    # a reload of the numbers shows them again, read from the period's applications
    assert "step=done" in page.url
    page.reload()
    numbers.first.wait_for()
    assert [numbers.nth(i).locator('[data-test="application-number"]').inner_text()
            for i in range(numbers.count())] == submitted
    assert "step=done" in page.url

    # Back from the numbers leads to the choice, where both dates are now marked as applied
    page.go_back()
    page.wait_for_selector(f'[data-test="applied-{second.isoformat()}"]')
    assert not page.locator(f'[data-test="choose-{second.isoformat()}"]').is_checked()


def test_R7_5_an_applicant_who_may_not_apply_is_told_why_before_choosing_dates(
        system, gateway_url, system_clock, page):
    """The reasons the submission would give (booking's /me/status), on the date choice, in the
    chosen language, with the dates and the next step disabled: not approved (no personal information yet,
    with the way to the form), then an entry within the last 14 days (R7.5)."""
    page.set_viewport_size({"width": 390, "height": 844})
    gateway = Gateway(gateway_url, "zh-Hans")
    period = datetime.now(BEIJING).date() + timedelta(days=1200)
    system_clock.set(at(period, 10, 0))
    operator = staff_token(system, gateway, "operator")
    day = period + timedelta(days=3)
    assert gateway.call("PUT", "/api/booking/capacities", operator, json={
        "items": [{"date": day.isoformat(), "places": 20}]}).status_code == 200
    reason = page.locator('[data-test="apply-not-eligible-reason"]')

    def expect_refused(code: str, lang: str, **params):
        reason.wait_for()
        assert reason.get_attribute("data-code") == code
        wait_for(lambda: reason.inner_text().strip() == message_of("booking", lang, code, **params),
                 timeout=5, what=f"the {lang} text of {code}")
        assert page.locator(f'[data-test="choose-{day.isoformat()}"]').is_disabled()
        assert page.locator('[data-test="apply-next"]').is_disabled()

    # registered only: the form to fill in first is one tap away
    newcomer = gateway.register("H" + digits(8))
    sign_in(page, newcomer, "zh-Hans")
    page.goto("/booking")
    page.wait_for_selector('[data-test="six-day-view"]')
    expect_refused("booking.person_not_approved", "zh-Hans")
    page.click('[data-test="apply-remedy"]')
    page.wait_for_url(re.compile(r"/profile$"))

    # approved, but entered two days ago: refused with the name and the day, in each language
    registered = []
    token = approved_applicant(gateway, operator, "麥家樂", tokens=registered)
    account = gateway.call("GET", "/api/identity/accounts/me", token).json()
    entered = period - timedelta(days=2)
    imported = gateway.call("POST", "/api/booking/entry-records", operator, json={"records": [{
        "document_type": account["document_type"], "document_number": account["document_number"],
        "entry_date": entered.isoformat()}]})
    assert imported.status_code == 200, imported.text
    status = gateway.call("GET", "/api/booking/me/status", token).json()
    assert status["code"] == "booking.recent_entry"
    sign_in(page, registered[0], "zh-Hant")
    page.goto("/booking")
    page.wait_for_selector('[data-test="six-day-view"]')
    expect_refused("booking.recent_entry", "zh-Hant", **status["params"])
    assert "麥家樂" in reason.inner_text() and readable_day(entered.isoformat(), "zh-Hant") in (
        reason.inner_text())
    assert page.locator('[data-test="apply-remedy"]').count() == 0  # nothing to correct
    for lang in ("en", "zh-Hans"):
        page.click(f'[data-test="lang-{lang}"]')
        expect_refused("booking.recent_entry", lang, **status["params"])
    # the submission itself gives the same reason
    refused = gateway.apply(token, [day])
    assert (refused.status_code, refused.json()["error"]["code"]) == (403, "booking.recent_entry")


def test_the_entry_record_import_documents_its_format_and_lists_every_bad_row(
        system, gateway_url, system_clock, page):
    """The operator's CSV import says which document_type codes it accepts (by their names in
    the page's language and their codes), the date format, an example and a template; a file
    with bad rows is refused whole, every bad row listed by line, column label and why."""
    lang = "zh-Hant"
    gateway = Gateway(gateway_url, lang)
    period = datetime.now(BEIJING).date() + timedelta(days=1300)
    system_clock.set(at(period, 10, 0))
    operator = staff_session(system, gateway, "operator")
    sign_in(page, operator, lang)
    page.goto("/booking/operator")
    types = page.locator('[data-test="csv-document-types"]')
    types.locator('[data-test="csv-type-cn_id_card"]').wait_for()
    catalogue = gateway.call("GET", "/api/identity/catalogue").json()
    for document_type in catalogue["document_types"]:
        row = types.locator(f'[data-test="csv-type-{document_type["code"]}"]').inner_text()
        assert document_type["names"][lang] in row and document_type["code"] in row, row
    assert "港澳居民來往內地通行證" in types.inner_text()
    columns = page.inner_text('[data-test="csv-columns"]')
    assert "YYYY-MM-DD" in columns and "entry_date：" in columns  # full-width colon in Chinese
    template = page.get_attribute('[data-test="csv-template"]', "href")
    assert template.startswith("data:text/csv") and "document_type%2Cdocument_number%2Centry_date" \
        in template
    assert page.inner_text('[data-test="csv-example"]').startswith(
        "document_type,document_number,entry_date\nhk_macao_resident_permit,")
    assert page.inner_text('[data-test="csv-all-or-nothing"]') == client_text(
        lang, "booking.operator.csv.allOrNothing")

    good, past = "H" + digits(8), period - timedelta(days=3)
    bad_file = ("document_type,document_number,entry_date\n"
                f"hk_macao_resident_permit,{good},{past.isoformat()}\n"
                f"hk_macao_resident_permit,H{digits(8)},{(period + timedelta(days=1)).isoformat()}\n"
                f"hk_macao_resident_permit,H{digits(8)},{past:%d/%m/%Y}\n")
    page.set_input_files('[data-test="entries-file"]', files=[{
        "name": "entries.csv", "mimeType": "text/csv", "buffer": bad_file.encode()}])
    problems = page.locator('[data-test="csv-problems"] li')
    problems.first.wait_for()
    label = message_of("booking", lang, "booking.csv_column.entry_date")
    assert problems.all_inner_texts() == [
        message_of("booking", lang, "booking.csv_row", line=3, column=label,
                   problem=message_of("booking", lang, "booking.entry_date_future")),
        message_of("booking", lang, "booking.csv_row", line=4, column=label,
                   problem=message_of("booking", lang, "booking.csv_date_format"))]
    assert page.inner_text('[data-test="alert-error"]') == message_of(
        "booking", lang, "booking.csv_rows", count=2)
    # nothing was imported: the good row of the refused file is still new
    again = gateway.call("POST", "/api/booking/entry-records", operator["access_token"], json={
        "records": [{"document_type": "hk_macao_resident_permit", "document_number": good,
                     "entry_date": past.isoformat()}]})
    assert again.status_code == 200 and again.json()["inserted"] == 1, again.text


def applicant_with_places(system, gateway, system_clock, period, name: str, days):
    """10:00 of `period`: an operator, an approved applicant `name` (token, and the
    registration in the list returned) and 50 places on each of `days`."""
    system_clock.set(at(period, 10, 0))
    operator = staff_token(system, gateway, "operator")
    registered = []
    token = approved_applicant(gateway, operator, name, tokens=registered)
    assert gateway.call("PUT", "/api/booking/capacities", operator, json={"items": [
        {"date": day.isoformat(), "places": 50} for day in days]}).status_code == 200
    return operator, token, registered


def test_R12_2_R12_4_a_passed_deadline_is_said_and_the_cancel_question_warns_of_the_policy(
        system, gateway_url, system_clock, page):
    """A reservation past its deadline (the end of D−2, by the system's day, not the
    browser's) says it can no longer be cancelled and when the deadline was, without the
    "until…" text; the cancel question names the frequent-cancellation rule with the values the
    booking service holds and how many of the user's cancellations already count."""
    gateway = Gateway(gateway_url, "zh-Hans")
    period = datetime.now(BEIJING).date() + timedelta(days=1350)  # a period no other test uses
    # one win per person and period (R8.2): the two reservations come from two periods
    soon, later = period + timedelta(days=2), period + timedelta(days=6)
    operator, token, registered = applicant_with_places(
        system, gateway, system_clock, period, "冯晓东", [soon, later])

    def reservations(n):
        items = gateway.call("GET", "/api/booking/reservations", token).json()["items"]
        return {r["date"]: r for r in items} if len(items) == n else None
    for day, n in ((period, 1), (period + timedelta(days=1), 2)):
        system_clock.set(at(day, 10, 0))
        applied = gateway.apply(token, [soon if n == 1 else later])
        assert applied.status_code == 201, applied.text
        system_clock.set(at(day, 20, 0))
        found = wait_for(lambda n=n: reservations(n), timeout=90,
                         what=f"reservation {n} after the publication")
    numbers = {day: r["application_number"] for day, r in found.items()}
    # now the day after soon's deadline (the end of period), the browser's clock still today
    standing = gateway.call("GET", "/api/booking/me/cancellations", token).json()

    dialogs = []

    def dismiss(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()
    page.on("dialog", dismiss)
    sign_in(page, registered[0], "zh-Hans")
    page.goto("/booking/reservations")
    past = page.locator(f'[data-test="reservation-{numbers[soon.isoformat()]}"]')
    open_one = page.locator(f'[data-test="reservation-{numbers[later.isoformat()]}"]')
    open_one.locator('[data-test="cancel"]').wait_for()
    assert past.locator('[data-test="cancel"]').count() == 0
    assert past.locator('[data-test="cancel-until"]').count() == 0
    assert past.locator('[data-test="cancel-closed"]').inner_text() == client_text(
        "zh-Hans", "booking.reservations.cancelClosed").replace(
        "{date}", readable_day(period.isoformat(), "zh-Hans"))
    assert open_one.locator('[data-test="cancel-until"]').inner_text() == client_text(
        "zh-Hans", "booking.reservations.cancelUntil").replace(
        "{date}", readable_day((later - timedelta(days=2)).isoformat(), "zh-Hans"))

    open_one.locator('[data-test="cancel"]').click()
    page.wait_for_timeout(500)
    assert len(dialogs) == 1
    days = client_text("zh-Hans", "booking.reservations.days").replace(
        "{n}", str(standing["window_days"]))
    rule = client_text("zh-Hans", "booking.reservations.policyRule").replace(
        "{days}", days).replace("{n}", str(standing["threshold"]))
    count = client_text("zh-Hans", "booking.reservations.policyCount").replace(
        "{days}", days).replace("{n}", "0")
    assert rule in dialogs[0] and count in dialogs[0], dialogs[0]
    # English takes the plural the count needs: "no reservations", not "0 reservations"
    page.click('[data-test="lang-en"]')
    open_one.locator('[data-test="cancel"]').click()
    page.wait_for_timeout(500)
    assert f"You have cancelled no reservations in the last {standing['window_days']} days." in (
        dialogs[1]), dialogs[1]
    assert gateway.call("GET", "/api/booking/reservations", token).json()["items"][0][
        "state"] == "active"  # dismissed: nothing cancelled


def test_R8_2_R10_1_a_record_skipped_for_an_earlier_win_says_so(system, gateway_url,
                                                                system_clock, page):
    """One applicant, two dates of one period with places enough: the first date is won, the
    second is not drawn (one win per person and period, R8.2), and the lottery records say
    that reason, in the page's language, not a bare 未中签."""
    gateway = Gateway(gateway_url, "zh-Hans")
    period = datetime.now(BEIJING).date() + timedelta(days=1400)  # a period no other test uses
    first, second = period + timedelta(days=2), period + timedelta(days=4)
    operator, token, registered = applicant_with_places(
        system, gateway, system_clock, period, "邓文杰", [first, second])
    numbers = {a["date"]: a["application_number"]
               for a in gateway.apply(token, [first, second]).json()["applications"]}
    system_clock.set(at(period, 20, 0))

    def decided():
        items = gateway.call("GET", "/api/booking/applications", token).json()["items"]
        mine = {r["date"]: r for r in items if r["period"] == period.isoformat()}
        return mine if all(r["result"] != "pending" for r in mine.values()) else None
    records = wait_for(decided, timeout=90, what="the published results")
    assert (records[first.isoformat()]["result"], records[second.isoformat()]["result"],
            records[second.isoformat()]["not_won_reason"]) == ("won", "not_won", "already_won")

    sign_in(page, registered[0], "zh-Hans")
    page.goto("/booking/records")
    why = page.locator(f'[data-test="not-won-why-{numbers[second.isoformat()]}"]')
    why.wait_for()
    assert why.inner_text() == client_text("zh-Hans",
                                           "booking.records.notWonReason")["already_won"]
    assert page.locator(f'[data-test="not-won-why-{numbers[first.isoformat()]}"]').count() == 0
    page.click('[data-test="lang-en"]')
    assert why.inner_text() == client_text("en", "booking.records.notWonReason")["already_won"]
