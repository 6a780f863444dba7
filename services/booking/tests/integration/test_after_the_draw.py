"""After the draw: reservations, slip, cancellation, entries, no-shows, bans (R9–R12)."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from sqlalchemy import text

from shared.events import Event
from shared.i18n import readable_day
from shared.logs import mask_document
from shared.testing import auth_header

from .conftest import apply, at, cohabitant, operator_headers

pytestmark = pytest.mark.integration
STAFF = auth_header("staff-1", roles=("reviewer",)) | {"X-Lang": "en"}


def publish_results(consumer, period, winners):
    """`lottery.results.published` through booking's real consumer handler."""
    body = {"period": period.isoformat(), "seed": "00" * 32, "dates": {},
            "winners": [{"application_number": n, "account_id": "?", "date": "?"}
                        for n in winners]}
    assert consumer.process(Event(type="lottery.results.published", body=body,
                                  producer="lottery"))


def reserve(client, clock, consumer, party, period, day, won=True):
    """Apply in the window of `period` for `day`, then the draw publishes."""
    clock.set(at(period, 10, 0), frozen=True)
    response = apply(client, party, [day])
    assert response.status_code == 201, response.json
    number = response.json["applications"][0]["application_number"]
    publish_results(consumer, period, [number] if won else [])
    return number


def import_entry(client, document, day):
    response = client.post("/api/booking/entry-records", headers=operator_headers(), json={
        "records": [{"document_type": "hk_macao_resident_permit", "document_number": document,
                     "entry_date": day.isoformat()}]})
    assert response.status_code == 200, response.json
    return response.json


def test_R9_1_nothing_visible_before_20_00_then_records_and_reservation(client, clock, consumer,
                                                                      period, make_party):
    winner, loser = make_party(), make_party()
    day = period + timedelta(days=2)
    number = reserve(client, clock, consumer, winner, period, day)
    clock.set(at(period, 10, 0), frozen=True)
    loser_number = apply(client, loser, [day]).json["applications"][0]["application_number"]
    # results delivered early (say 18:40): still nothing shown before 20:00
    clock.set(at(period, 19, 59), frozen=True)
    publish_results(consumer, period, [number])
    assert client.get("/api/booking/reservations", headers=winner.headers).json["items"] == []
    records = client.get("/api/booking/applications", headers=winner.headers).json["items"]
    assert records[0]["result"] == "pending"
    clock.set(at(period, 20, 0), frozen=True)
    records = client.get("/api/booking/applications", headers=winner.headers).json["items"]
    assert (records[0]["application_number"], records[0]["result"]) == (number, "won")
    assert records[0]["period"] == period.isoformat() and records[0]["date"] == day.isoformat()
    lost = client.get("/api/booking/applications", headers=loser.headers).json["items"]
    assert (lost[0]["application_number"], lost[0]["result"]) == (loser_number, "not_won")
    reservations = client.get("/api/booking/reservations", headers=winner.headers).json["items"]
    assert [(r["application_number"], r["state"]) for r in reservations] == [(number, "active")]
    assert client.get("/api/booking/reservations", headers=loser.headers).json["items"] == []


def test_R7_2_active_reservations_hold_places_and_cancelling_frees_them(client, clock,
                                                                       consumer, period,
                                                                       make_party):
    party = make_party(cohabitants=[cohabitant("Son")])
    later_period = period + timedelta(days=1)  # the view of the next day still shows `day`
    day = period + timedelta(days=4)
    client.put("/api/booking/capacities", headers=operator_headers(),
               json={"items": [{"date": day.isoformat(), "places": 10}]})
    number = reserve(client, clock, consumer, party, period, day)
    clock.set(at(later_period, 9, 30), frozen=True)
    view = {d["date"]: d for d in client.get("/api/booking/periods/current").json["dates"]}
    assert view[day.isoformat()]["available"] == 8
    # the next period's draw of the same date is a new batch: its applicants start at zero
    assert (view[day.isoformat()]["applications"], view[day.isoformat()]["applicants"]) == (0, 0)
    assert client.post(f"/api/booking/reservations/{number}/cancel",
                       headers=party.headers).status_code == 200
    view = {d["date"]: d for d in client.get("/api/booking/periods/current").json["dates"]}
    assert view[day.isoformat()]["available"] == 10


def test_R12_2_cancelling_on_D_minus_2_works_on_D_minus_1_refused(client, clock, consumer,
                                                                  period, make_party):
    first, second = make_party(), make_party()
    day = period + timedelta(days=5)
    keep = reserve(client, clock, consumer, first, period, day)
    clock.set(at(period, 11, 0), frozen=True)
    other = apply(client, second, [day]).json["applications"][0]["application_number"]
    publish_results(consumer, period, [keep, other])
    clock.set(at(day - timedelta(days=2), 23, 59), frozen=True)
    ok = client.post(f"/api/booking/reservations/{keep}/cancel", headers=first.headers)
    assert ok.status_code == 200 and ok.json["state"] == "cancelled"
    clock.set(at(day - timedelta(days=1), 0, 0), frozen=True)
    late = client.post(f"/api/booking/reservations/{other}/cancel", headers=second.headers)
    assert late.status_code == 409
    assert late.json["error"]["code"] == "booking.cancel_too_late"
    assert readable_day((day - timedelta(days=2)).isoformat(), "en") in late.json["error"]["message"]
    states = {r["application_number"]: r["state"] for r in client.get(
        "/api/booking/reservations", headers=second.headers).json["items"]}
    assert states[other] == "active"


def test_R12_1_slip_on_the_day_only_and_its_code_verifies_for_staff(client, clock, consumer,
                                                                    period, make_party):
    party = make_party("Wong Mei", cohabitants=[cohabitant("Grandma")])
    day = period + timedelta(days=3)
    number = reserve(client, clock, consumer, party, period, day)
    clock.set(at(day - timedelta(days=1), 12, 0), frozen=True)
    early = client.get(f"/api/booking/reservations/{number}/slip", headers=party.headers)
    assert early.status_code == 403 and early.json["error"]["code"] == "booking.slip_not_today"
    clock.set(at(day, 6, 0), frozen=True)
    slip = client.get(f"/api/booking/reservations/{number}/slip", headers=party.headers)
    assert slip.status_code == 200, slip.json
    data = slip.json
    assert data["name"] == "Wong Mei" and data["date"] == day.isoformat()
    assert data["document_number"] == party.me["document_number"]
    assert data["cohabitant_count"] == 1 and data["cohabitants"][0]["name"] == "Grandma"
    assert data["destination"] == party.me["destination"]
    assert data["qr_svg"].startswith("data:image/svg+xml")
    verified = client.post("/api/booking/staff/slips/verify", headers=STAFF,
                           json={"code": data["code"]}).json
    assert verified["valid"] and verified["application_number"] == number
    assert verified["party_size"] == 2
    payload, signature = data["code"].split(".")
    altered = payload[:-2] + ("A" if payload[-2] != "A" else "B") + payload[-1] + "." + signature
    forged = client.post("/api/booking/staff/slips/verify", headers=STAFF,
                         json={"code": altered}).json
    assert forged["valid"] is False and forged["reason"] in ("booking.slip_code_forged",
                                                             "booking.slip_code_malformed")
    clock.set(at(day + timedelta(days=1), 6, 0), frozen=True)
    other_day = client.post("/api/booking/staff/slips/verify", headers=STAFF,
                            json={"code": data["code"]}).json
    assert other_day == {"valid": False, "reason": "booking.slip_code_wrong_day",
                         "message": "This slip is not valid today"}
    assert client.get(f"/api/booking/reservations/{number}/slip",
                      headers=party.headers).status_code == 403


def test_R12_1_slip_of_a_cancelled_reservation_fails_verification(client, clock, consumer,
                                                                  period, make_party, app):
    party = make_party()
    day = period + timedelta(days=6)
    number = reserve(client, clock, consumer, party, period, day)
    clock.set(at(day, 7, 0), frozen=True)
    code = client.get(f"/api/booking/reservations/{number}/slip",
                      headers=party.headers).json["code"]
    with app.extensions["hs"].sessions() as session:
        session.execute(text("UPDATE reservation SET state = 'cancelled' "
                             "WHERE application_number = :n"), {"n": number})
        session.commit()
    result = client.post("/api/booking/staff/slips/verify", headers=STAFF,
                         json={"code": code}).json
    assert result["valid"] is False
    assert result["reason"] == "booking.slip_code_not_valid_reservation"


def run_end_of_day(sessions, clock):
    from services.booking.service_layer import handlers

    with sessions() as session:
        outcome = handlers.decide_no_shows(session, clock.now())
        session.commit()
    return outcome


def test_R12_3_two_no_shows_then_refused_within_14_days_accepted_on_day_15(
        client, clock, consumer, sessions, make_party):
    from .conftest import _FIRST_PERIOD, _periods  # three consecutive periods of our own

    base = _FIRST_PERIOD + timedelta(days=12 * next(_periods))
    next(_periods), next(_periods), next(_periods)
    party = make_party()
    first_day = base + timedelta(days=1)
    reserve(client, clock, consumer, party, base, first_day)
    clock.set(at(first_day + timedelta(days=1), 0, 5), frozen=True)
    assert run_end_of_day(sessions, clock)["no_show"] >= 1
    second_period = first_day + timedelta(days=1)
    second_day = second_period + timedelta(days=1)
    reserve(client, clock, consumer, party, second_period, second_day)
    clock.set(at(second_day + timedelta(days=1), 0, 5), frozen=True)
    run_end_of_day(sessions, clock)
    states = [r["state"] for r in client.get("/api/booking/reservations",
                                             headers=party.headers).json["items"]]
    assert states == ["no_show", "no_show"]
    # day 1 of the ban is the second no-show's day; days 2..14 are still barred
    for day_number in (2, 14):
        ban_day = second_day + timedelta(days=day_number - 1)
        clock.set(at(ban_day, 10, 0), frozen=True)
        refused = apply(client, party, [ban_day + timedelta(days=1)])
        assert refused.status_code == 403, day_number
        assert refused.json["error"]["code"] == "booking.no_show_ban"
        assert readable_day((second_day + timedelta(days=14)).isoformat(), "en") in refused.json[
            "error"]["message"]
        status = client.get("/api/booking/me/status", headers=party.headers).json
        assert status["may_apply"] is False and status["code"] == "booking.no_show_ban"
    day_15 = second_day + timedelta(days=14)
    clock.set(at(day_15, 10, 0), frozen=True)
    assert client.get("/api/booking/me/status", headers=party.headers).json == {"may_apply": True}
    accepted = apply(client, party, [day_15 + timedelta(days=1)])
    assert accepted.status_code == 201, accepted.json


def test_R12_3_entry_on_the_day_makes_the_reservation_used_not_no_show(client, clock, consumer,
                                                                      sessions, period,
                                                                      make_party):
    party = make_party()
    day = period + timedelta(days=1)
    reserve(client, clock, consumer, party, period, day)
    clock.set(at(day, 12, 0), frozen=True)  # the border's records arrive on the day
    result = import_entry(client, party.me["document_number"], day)
    assert result["inserted"] == 1
    clock.set(at(day + timedelta(days=1), 0, 5), frozen=True)
    run_end_of_day(sessions, clock)
    states = [r["state"] for r in client.get("/api/booking/reservations",
                                             headers=party.headers).json["items"]]
    assert states == ["used"]


def test_entry_import_is_idempotent_json_and_csv(client, clock, period):
    clock.set(at(period, 10, 0), frozen=True)
    document = "H55550000"
    day = period - timedelta(days=30)
    assert import_entry(client, document, day)["inserted"] == 1
    again = import_entry(client, document, day)
    assert (again["inserted"], again["duplicates"]) == (0, 1)
    csv_text = ("document_type,document_number,entry_date\n"
                f"hk_macao_resident_permit,{document},{day.isoformat()}\n"
                f"hk_macao_resident_permit,h 5555 0001,{day.isoformat()}\n")
    upload = client.post("/api/booking/entry-records/csv", headers=operator_headers(),
                         data={"file": (io.BytesIO(csv_text.encode()), "entries.csv")},
                         content_type="multipart/form-data")
    assert upload.status_code == 200, upload.json
    assert (upload.json["inserted"], upload.json["duplicates"]) == (1, 1)
    bad = client.post("/api/booking/entry-records/csv", headers=operator_headers(),
                      data={"file": (io.BytesIO(b"document_type,document_number,entry_date\n"
                                                b"hk_macao_resident_permit,H1,2026-13-01\n"), "e.csv")},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and bad.json["error"]["field"] == "file"
    assert bad.json["error"]["rows"][0]["message"].startswith("Line 2, Entry date: ")


def upload_csv(client, csv_text, lang="en"):
    return client.post("/api/booking/entry-records/csv",
                       headers=operator_headers() | {"X-Lang": lang},
                       data={"file": (io.BytesIO(csv_text.encode()), "entries.csv")},
                       content_type="multipart/form-data")


@pytest.mark.parametrize("lang,summary,future,date_format,required,label", [
    ("zh-Hans", "文件中有 3 行有误，未导入任何记录。", "第 3 行，入境日期：入境日期不能晚于今天",
     "第 4 行，入境日期：日期须写作 YYYY-MM-DD", "第 5 行，证件号码：此项为必填项", "证件类型"),
    ("zh-Hant", "檔案中有 3 行有誤，未匯入任何記錄。", "第 3 行，入境日期：入境日期不能晚於今天",
     "第 4 行，入境日期：日期須寫作 YYYY-MM-DD", "第 5 行，證件號碼：此項為必填項", "證件類型"),
    ("en", "Rows with errors: 3. Nothing was imported", "Line 3, Entry date: An entry cannot be "
     "dated after today", "Line 4, Entry date: Write the date as YYYY-MM-DD",
     "Line 5, Document number: ", "Document type"),
])
def test_a_csv_with_bad_rows_names_every_one_and_imports_nothing(client, clock, period, lang,
                                                                 summary, future, date_format,
                                                                 required, label):
    """All or nothing: every refused row by its line, the column by its label in the reader's
    language, and why; the good rows of the same file are not imported either."""
    clock.set(at(period, 10, 0), frozen=True)
    good = "H" + str(period.toordinal())[-6:] + "77"
    past, future_day = period - timedelta(days=20), period + timedelta(days=1)
    answer = upload_csv(client, "document_type,document_number,entry_date\n"
                        f"hk_macao_resident_permit,{good},{past.isoformat()}\n"
                        f"hk_macao_resident_permit,H12345678,{future_day.isoformat()}\n"
                        "hk_macao_resident_permit,H12345679,2026/12/04\n"
                        f"港澳居民来往内地通行证,,{past.isoformat()}\n", lang)
    assert answer.status_code == 400, answer.json
    error = answer.json["error"]
    assert error["code"] == "booking.csv_rows" and error["message"].startswith(summary)
    rows = error["rows"]
    assert [(r["line"], r["column"], r["code"]) for r in rows] == [
        (3, "entry_date", "booking.entry_date_future"),
        (4, "entry_date", "booking.csv_date_format"),
        (5, "document_type", "booking.document_type_code"),
        (5, "document_number", "field.required")]
    assert rows[0]["message"] == future
    assert rows[1]["message"].startswith(date_format)
    assert rows[3]["message"].startswith(required)
    assert rows[2]["column_label"] == label
    assert not any(column in r["message"] for r in rows
                   for column in ("entry_date", "document_number", "document_type"))
    # nothing was imported: the good row is new when the corrected file comes
    fixed = upload_csv(client, "document_type,document_number,entry_date\n"
                       f"hk_macao_resident_permit,{good},{past.isoformat()}\n")
    assert fixed.status_code == 200 and fixed.json["inserted"] == 1, fixed.json


def test_R12_4_frequent_cancellation_disables_then_operator_reinstates(client, clock, consumer,
                                                                      sessions, period,
                                                                      make_party):
    party = make_party()
    policy = client.put("/api/booking/settings/disable-policy", headers=operator_headers(),
                        json={"threshold": 2, "window_days": 30})
    assert policy.status_code == 200
    try:
        numbers = []
        for offset in (3, 4):
            numbers.append(reserve(client, clock, consumer, party, period,
                                   period + timedelta(days=offset)))
        clock.set(at(period, 21, 0), frozen=True)
        first = client.post(f"/api/booking/reservations/{numbers[0]}/cancel",
                            headers=party.headers).json
        assert first["account_disabled"] is False
        second = client.post(f"/api/booking/reservations/{numbers[1]}/cancel",
                             headers=party.headers).json
        assert second["account_disabled"] is True
        with sessions() as session:
            events = session.execute(text(
                "SELECT event_type, body FROM event_outbox WHERE event_type LIKE "
                "'booking.account.%' AND body->>'account_id' = :a"),
                {"a": party.account_id}).all()
        assert [e.event_type for e in events] == ["booking.account.disabled"]
        # the code identity and notification localize (docs/events.md), not booking's own key
        assert events[0].body["reason"] == "frequent_cancellations"
        assert events[0].body["lang"] == "en" and "email" in events[0].body
        clock.set(at(period + timedelta(days=1), 10, 0), frozen=True)
        refused = apply(client, party, [period + timedelta(days=2)])
        assert refused.json["error"]["code"] == "booking.account_disabled"
        listed = client.get("/api/booking/accounts/disabled", headers=operator_headers()).json
        mine = [a for a in listed["items"] if a["account_id"] == party.account_id]
        # staff recognise the holder by name and masked document, not by the account id
        number = party.me["document_number"]
        assert [(a["name"], a["document_type"], a["document_number_masked"]) for a in mine] == [
            (party.me["name"], "hk_macao_resident_permit", mask_document(number))]
        assert number not in str(listed)
        back = client.post(f"/api/booking/accounts/{party.account_id}/reinstate",
                           headers=operator_headers(), json={"note": "checked by phone"})
        assert back.status_code == 200
        assert apply(client, party, [period + timedelta(days=2)]).status_code == 201
        with sessions() as session:
            kinds = session.execute(text(
                "SELECT event_type FROM event_outbox WHERE body->>'account_id' = :a "
                "AND event_type LIKE 'booking.account.%' ORDER BY seq"),
                {"a": party.account_id}).scalars().all()
        assert kinds == ["booking.account.disabled", "booking.account.reinstated"]
    finally:
        client.put("/api/booking/settings/disable-policy", headers=operator_headers(),
                   json={"threshold": 3, "window_days": 30})


def test_R7_2_operator_reads_capacities_with_held_places_and_bad_range_is_a_400(client, period):
    day = period + timedelta(days=1)
    client.put("/api/booking/capacities", headers=operator_headers(),
               json={"items": [{"date": day.isoformat(), "places": 42}]})
    listed = client.get(f"/api/booking/capacities?from={day}&to={day + timedelta(days=5)}",
                        headers=operator_headers())
    assert listed.json["items"] == [{"date": day.isoformat(), "places": 42, "held": 0}]
    backwards = client.get(f"/api/booking/capacities?from={day}&to={day - timedelta(days=1)}",
                           headers=operator_headers())
    assert backwards.status_code == 400 and backwards.json["error"]["field"] == "to"
    negative = client.put("/api/booking/capacities", headers=operator_headers(),
                          json={"items": [{"date": day.isoformat(), "places": -1}]})
    assert negative.status_code == 400 and "items.0.places" in negative.json["error"]["fields"]


def test_R7_7_a_loser_may_apply_for_the_same_date_in_the_next_period_a_holder_may_not(
        client, clock, consumer, period, make_party):
    day = period + timedelta(days=4)
    grandson = cohabitant("Grandson")
    winner = make_party("Winner", cohabitants=[grandson])
    loser = make_party("Loser")
    won = reserve(client, clock, consumer, winner, period, day)
    clock.set(at(period, 10, 0), frozen=True)
    lost = apply(client, loser, [day]).json["applications"][0]["application_number"]
    publish_results(consumer, period, [won])  # the loser's application is decided: not won
    next_period = period + timedelta(days=1)
    clock.set(at(next_period, 10, 0), frozen=True)
    again = apply(client, loser, [day])
    assert again.status_code == 201, again.json
    assert again.json["applications"][0]["application_number"] != lost
    refused = apply(client, winner, [day])
    assert refused.status_code == 409 and refused.json["error"]["code"] == "booking.already_reserved"
    preview = client.get(f"/api/booking/applications/confirmation?dates={day}",
                         headers=winner.headers).json["eligibility"]
    assert (preview["ok"], preview["code"]) == (False, "booking.already_reserved")
    # the refusal names a person of the party who holds the reservation (either may be named)
    assert "Winner" in preview["message"] or "Grandson" in preview["message"]
    # a cohabitant of the winning party, now in another user's party, is refused too
    other = make_party("Aunt", cohabitants=[dict(grandson, cohabitant_id="x")])
    assert apply(client, other, [day]).json["error"]["code"] == "booking.already_reserved"
    assert apply(client, other, [day + timedelta(days=1)]).status_code == 201
    assert client.post(f"/api/booking/reservations/{won}/cancel",
                       headers=winner.headers).status_code == 200
    assert apply(client, winner, [day]).status_code == 201  # the places were given back


def test_R12_4_an_applicant_reads_the_cancellation_policy_and_their_count_before_cancelling(
        client, clock, consumer, period, make_party):
    """GET /me/cancellations: the policy operators set and the caller's cancellations in its
    window (the cancel dialog warns with them); only the caller's own, only an applicant's."""
    party, other = make_party(), make_party()
    policy = client.put("/api/booking/settings/disable-policy", headers=operator_headers(),
                        json={"threshold": 4, "window_days": 20})
    assert policy.status_code == 200
    try:
        numbers = [reserve(client, clock, consumer, party, period, period + timedelta(days=o))
                   for o in (3, 4)]
        clock.set(at(period, 21, 0), frozen=True)
        before = client.get("/api/booking/me/cancellations", headers=party.headers)
        assert before.status_code == 200, before.json
        assert before.json == {"threshold": 4, "window_days": 20, "cancellations": 0}
        assert client.post(f"/api/booking/reservations/{numbers[0]}/cancel",
                           headers=party.headers).status_code == 200
        after = client.get("/api/booking/me/cancellations", headers=party.headers).json
        assert after["cancellations"] == 1
        assert client.get("/api/booking/me/cancellations",
                          headers=other.headers).json["cancellations"] == 0
        # 20 days later the cancellation has left the window
        clock.set(at(period + timedelta(days=20), 10, 0), frozen=True)
        assert client.get("/api/booking/me/cancellations",
                          headers=party.headers).json["cancellations"] == 0
        assert client.get("/api/booking/me/cancellations").status_code == 401
        assert client.get("/api/booking/me/cancellations",
                          headers=operator_headers()).status_code == 403
    finally:
        client.put("/api/booking/settings/disable-policy", headers=operator_headers(),
                   json={"threshold": 3, "window_days": 30})


def test_R8_2_R10_1_a_record_not_won_says_whether_it_was_skipped_or_had_no_place(
        client, clock, consumer, period, make_party):
    """The published results name the applications skipped because a person of the party had
    already won in the period (R8.2); the lottery records say so, and "places" for the others.
    A period published without the list (before the lottery named them) says neither."""
    party, other = make_party(), make_party()
    clock.set(at(period, 10, 0), frozen=True)
    first, second = period + timedelta(days=2), period + timedelta(days=3)
    numbers = apply(client, party, [first, second]).json["applications"]
    lost = apply(client, other, [first]).json["applications"][0]["application_number"]
    by_date = {a["date"]: a["application_number"] for a in numbers}
    body = {"period": period.isoformat(), "seed": "00" * 32, "dates": {},
            "winners": [{"application_number": by_date[first.isoformat()], "account_id": "?",
                         "date": first.isoformat()}],
            "skipped": [by_date[second.isoformat()]]}
    assert consumer.process(Event(type="lottery.results.published", body=body,
                                  producer="lottery"))
    clock.set(at(period, 20, 0), frozen=True)
    mine = {r["date"]: (r["result"], r["not_won_reason"]) for r in client.get(
        "/api/booking/applications", headers=party.headers).json["items"]}
    assert mine == {first.isoformat(): ("won", None),
                    second.isoformat(): ("not_won", "already_won")}
    theirs = client.get("/api/booking/applications", headers=other.headers).json["items"]
    assert [(r["application_number"], r["result"], r["not_won_reason"]) for r in theirs] == [
        (lost, "not_won", "places")]

    later = period + timedelta(days=1)  # an event without "skipped": why is not known
    clock.set(at(later, 10, 0), frozen=True)
    number = apply(client, other, [later + timedelta(days=3)]).json["applications"][0][
        "application_number"]
    publish_results(consumer, later, [])
    clock.set(at(later, 20, 0), frozen=True)
    record = next(r for r in client.get("/api/booking/applications",
                                        headers=other.headers).json["items"]
                  if r["application_number"] == number)
    assert (record["result"], record["not_won_reason"]) == ("not_won", None)
