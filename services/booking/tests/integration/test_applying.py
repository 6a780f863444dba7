"""Applying against the real database (R7.1–R7.7)."""

from __future__ import annotations

import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import text

from services.booking.adapters import repository
from services.booking.domain.numbers import is_well_formed
from services.booking.domain.rules import Refusal
from services.booking.service_layer import handlers
from shared import captcha_token
from shared.auth import endpoints_without_access_rule
from shared.i18n import readable_day
from shared.testing import auth_header

from .conftest import (
    TEST_CAPTCHA_ANSWER,
    apply,
    at,
    cohabitant,
    new_captcha,
    operator_headers,
)

pytestmark = pytest.mark.integration


def set_places(client, period, places=100):
    days = [period + timedelta(days=i) for i in range(1, 7)]
    response = client.put("/api/booking/capacities", headers=operator_headers(),
                          json={"items": [{"date": d.isoformat(), "places": places}
                                          for d in days]})
    assert response.status_code == 200, response.json
    return days


def test_every_endpoint_declares_who_may_call_it(app):
    assert endpoints_without_access_rule(app) == []


def test_R7_1_application_at_0859_and_1800_refused_at_0900_accepted(client, clock, period,
                                                                    make_party):
    party = make_party()
    day = period + timedelta(days=1)
    clock.set(at(period, 8, 59), frozen=True)
    early = apply(client, party, [day])
    assert early.status_code == 409
    assert early.json["error"]["code"] == "booking.window_closed"
    assert readable_day(f"{period.isoformat()} 09:00", "en") in early.json["error"]["message"]
    clock.set(at(period, 18, 0), frozen=True)
    late = apply(client, party, [day])
    assert late.json["error"]["code"] == "booking.window_closed"
    assert readable_day((period + timedelta(days=1)).isoformat(), "en") in late.json["error"]["message"]
    clock.set(at(period, 9, 0), frozen=True)
    accepted = apply(client, party, [day])
    assert accepted.status_code == 201, accepted.json


def test_R7_1_refusal_is_in_the_users_language(client, clock, period, make_party):
    party = make_party()
    clock.set(at(period, 7, 0), frozen=True)
    response = apply(client, party, [period + timedelta(days=1)])
    headers = party.headers | {"X-Lang": "zh-Hant"}
    response = client.post("/api/booking/applications", headers=headers, json={
        "dates": [(period + timedelta(days=1)).isoformat()], "captcha_id": new_captcha(client),
        "captcha_answer": "right"})
    assert "時" in response.json["error"]["message"]


def test_R7_6_three_dates_give_three_distinct_unguessable_numbers(client, clock, period,
                                                                  make_party):
    party = make_party()
    clock.set(at(period, 10, 0), frozen=True)
    days = [period + timedelta(days=i) for i in (1, 3, 6)]
    response = apply(client, party, days)
    assert response.status_code == 201, response.json
    numbers = [a["application_number"] for a in response.json["applications"]]
    assert len(set(numbers)) == 3 and all(is_well_formed(n) for n in numbers)
    assert [a["date"] for a in response.json["applications"]] == [d.isoformat() for d in days]
    records = client.get("/api/booking/applications", headers=party.headers).json["items"]
    assert sorted(r["application_number"] for r in records) == sorted(numbers)
    assert {r["result"] for r in records} == {"pending"}  # R10.1, nothing decided yet


def test_R7_6_a_number_drawn_twice_is_drawn_again_and_nothing_of_the_first_try_is_kept(
        client, clock, period, make_party, sessions, monkeypatch):
    """The database's key on the number decides uniqueness: a collision (60 random bits, so
    forced here) aborts the whole statement and the submission draws new numbers."""
    clock.set(at(period, 10, 0), frozen=True)
    taken = apply(client, make_party(), [period + timedelta(days=1)]).json[
        "applications"][0]["application_number"]
    first_try, second_try = [taken, uuid.uuid4().hex[:13]], [uuid.uuid4().hex[:13] for _ in "ab"]
    drawn = iter(first_try + second_try)
    monkeypatch.setattr(handlers.numbers, "new_application_number", lambda: next(drawn))
    party = make_party()
    response = apply(client, party, [period + timedelta(days=2), period + timedelta(days=3)])
    assert response.status_code == 201, response.json
    assert [a["application_number"] for a in response.json["applications"]] == second_try
    with sessions() as session:
        mine = session.execute(text(
            "SELECT application_number FROM application WHERE account_id = :a"),
            {"a": party.account_id}).scalars().all()
    assert sorted(mine) == sorted(second_try)


def test_R7_3_date_outside_the_period_refused_naming_the_field(client, clock, period,
                                                              make_party):
    party = make_party()
    clock.set(at(period, 10, 0), frozen=True)
    response = apply(client, party, [period + timedelta(days=7)])
    assert response.status_code == 400
    assert response.json["error"]["field"] == "dates"


def test_wrong_captcha_refused_naming_the_field(client, clock, period, make_party):
    party = make_party()
    clock.set(at(period, 10, 0), frozen=True)
    response = apply(client, party, [period + timedelta(days=1)], answer="wrong")
    assert response.status_code == 400
    assert response.json["error"]["field"] == "captcha_answer"
    assert response.json["error"]["code"] == "captcha.wrong"


def test_R7_4_a_captcha_passes_one_submission_and_a_wrong_answer_spends_it(
        client, clock, period, make_party):
    party = make_party()
    clock.set(at(period, 10, 0), frozen=True)
    captcha_id = new_captcha(client)
    assert apply(client, party, [period + timedelta(days=1)], captcha_id=captcha_id,
                 answer=" right ").status_code == 201  # case and blanks as identity compares
    again = apply(client, party, [period + timedelta(days=2)], captcha_id=captcha_id)
    assert again.status_code == 400 and again.json["error"]["code"] == "captcha.used"
    assert again.json["error"]["field"] == "captcha_answer"

    guessed = new_captcha(client)
    assert apply(client, party, [period + timedelta(days=2)], captcha_id=guessed,
                 answer="guess").json["error"]["code"] == "captcha.wrong"
    assert apply(client, party, [period + timedelta(days=2)], captcha_id=guessed
                 ).json["error"]["code"] == "captcha.used"


def test_R7_4_expired_forged_or_foreign_captcha_refused(client, clock, period, make_party):
    party = make_party()
    clock.set(at(period, 10, 0), frozen=True)
    day = [period + timedelta(days=1)]
    expired = new_captcha(client, expires_at=at(period, 9, 59))
    assert apply(client, party, day, captcha_id=expired).json["error"]["code"] == \
        "captcha.expired"
    foreign = captcha_token.sign(b"another key", str(uuid.uuid4()), at(period, 11, 0), "right")
    assert apply(client, party, day, captcha_id=foreign).json["error"]["code"] == \
        "captcha.wrong"
    stretched = new_captcha(client, expires_at=at(period, 9, 59)).split(".")
    stretched[1] = str(int(stretched[1]) + 3600)
    assert apply(client, party, day, captcha_id=".".join(stretched)).json["error"]["code"] == \
        "captcha.wrong"
    assert apply(client, party, day, captcha_id="c1").json["error"]["code"] == \
        "captcha.unknown"
    assert apply(client, party, day).status_code == 201  # nothing of the refusals was kept


def test_bad_input_is_a_localized_400_not_a_500(client, clock, period, make_party):
    party = make_party()
    clock.set(at(period, 10, 0), frozen=True)
    response = client.post("/api/booking/applications", headers=party.headers,
                           json={"dates": ["not-a-date"], "extra": 1})
    assert response.status_code == 400
    fields = response.json["error"]["fields"]
    assert "captcha_id" in fields and "extra" in fields and "dates.0" in fields


def status_says_as_the_submission(client, party, refused) -> None:
    """GET /me/status, which the apply page reads on opening, gives the submission's reason."""
    status = client.get("/api/booking/me/status", headers=party.headers).json
    error = refused.json["error"]
    assert status == {"may_apply": False, "code": error["code"],
                      "params": error.get("params", {}), "message": error["message"]}


def test_R7_5_unapproved_cohabitant_refused(client, clock, period, make_party):
    party = make_party(cohabitants=[cohabitant("Mother", review_state="pending")])
    clock.set(at(period, 10, 0), frozen=True)
    response = apply(client, party, [period + timedelta(days=1)])
    assert response.status_code == 403
    assert response.json["error"]["code"] == "booking.cohabitant_not_approved"
    assert "Mother" in response.json["error"]["message"]
    status_says_as_the_submission(client, party, response)


def test_R7_5_person_who_entered_5_days_ago_refused(client, clock, period, make_party):
    mother = cohabitant("Mother")
    party = make_party(cohabitants=[mother])
    clock.set(at(period, 10, 0), frozen=True)  # before: the entry would be in the future
    imported = client.post("/api/booking/entry-records", headers=operator_headers(), json={
        "records": [{"document_type": mother["document_type"],
                     "document_number": mother["document_number"],
                     "entry_date": (period - timedelta(days=5)).isoformat()}]})
    assert imported.status_code == 200, imported.json
    response = apply(client, party, [period + timedelta(days=1)])
    assert response.status_code == 403
    assert response.json["error"]["code"] == "booking.recent_entry"
    assert "Mother" in response.json["error"]["message"]
    status_says_as_the_submission(client, party, response)


def test_R7_2_six_day_counts_move_as_applications_arrive(client, clock, period, make_party,
                                                         sessions):
    days = set_places(client, period, places=50)
    clock.set(at(period, 9, 30), frozen=True)
    before = client.get("/api/booking/periods/current").json
    assert before["period"] == period.isoformat() and before["window"]["open"]
    assert [d["date"] for d in before["dates"]] == [d.isoformat() for d in days]
    assert before["dates"][0] == {"date": days[0].isoformat(), "capacity": 50,
                                  "available": 50, "applications": 0, "applicants": 0}
    apply(client, make_party(cohabitants=[cohabitant("Father")]), [days[0], days[1]])
    apply(client, make_party(), [days[0]])
    after = client.get("/api/booking/periods/current").json["dates"]
    assert (after[0]["applications"], after[0]["applicants"]) == (2, 3)
    assert (after[1]["applications"], after[1]["applicants"]) == (1, 2)
    assert after[2]["applications"] == 0
    # the scheduler's fold moves the increments into the counters: the view says the same
    with sessions() as session:
        assert repository.fold_counter_increments(session) >= 3
        session.commit()
        assert repository.fold_counter_increments(session) == 0
    assert client.get("/api/booking/periods/current").json["dates"] == after
    apply(client, make_party(cohabitants=[cohabitant("Son"), cohabitant("Wife")]), [days[0]])
    again = client.get("/api/booking/periods/current").json["dates"]
    assert (again[0]["applications"], again[0]["applicants"]) == (3, 6)


def test_R7_7_two_users_naming_the_same_person_only_one_succeeds(client, clock, period,
                                                                make_party):
    grandmother = cohabitant("Grandmother")
    first = make_party(cohabitants=[grandmother])
    second = make_party(cohabitants=[dict(grandmother, cohabitant_id="other")])
    clock.set(at(period, 11, 0), frozen=True)
    day = period + timedelta(days=2)
    assert apply(client, first, [day]).status_code == 201
    refused = apply(client, second, [day])
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "booking.already_applied"
    assert "Grandmother" in refused.json["error"]["message"]
    # another date is a different draw batch: allowed
    assert apply(client, second, [period + timedelta(days=3)]).status_code == 201
    # and the same user twice for one date is refused too
    assert apply(client, first, [day]).json["error"]["code"] == "booking.already_applied"


def test_R7_7_one_conflicting_date_refuses_the_whole_submission_and_says_none_was_submitted(
        client, clock, period, make_party):
    """The refusal says that none of the chosen dates went in, in every language, and that
    is so: the date without a conflict holds no application afterwards."""
    party = make_party("Chan Tai Man")
    clock.set(at(period, 11, 0), frozen=True)
    taken, free = period + timedelta(days=2), period + timedelta(days=3)
    assert apply(client, party, [taken]).status_code == 201
    said = {}
    for lang in ("zh-Hans", "zh-Hant", "en"):
        refused = client.post("/api/booking/applications",
                              headers=party.headers | {"X-Lang": lang}, json={
                                  "dates": [taken.isoformat(), free.isoformat()],
                                  "captcha_id": new_captcha(client),
                                  "captcha_answer": TEST_CAPTCHA_ANSWER})
        assert refused.status_code == 409, refused.json
        said[lang] = refused.json["error"]["message"]
    assert "本次所选日期均未提交" in said["zh-Hans"]
    assert "本次所選日期均未提交" in said["zh-Hant"]
    assert "None of the chosen dates has been submitted" in said["en"]
    assert f"已在{readable_day(taken, 'zh-Hans')}的另一份申报中" in said["zh-Hans"]
    records = client.get("/api/booking/applications", headers=party.headers).json["items"]
    assert [r["date"] for r in records] == [taken.isoformat()]


def test_R7_7_two_users_naming_each_other_at_the_same_instant_only_one_succeeds(
        app, clock, period, make_party):
    """Both requests are released by one barrier; the UNIQUE key lets only one through."""
    a_doc, b_doc = "H70000001", "H70000002"
    day = period + timedelta(days=1)
    clock.set(at(period, 12, 0), frozen=True)
    for round_number in range(3):
        a_doc, b_doc = f"H7{round_number}000001", f"H7{round_number}000002"
        user_a = make_party("A", document=a_doc, cohabitants=[cohabitant("B", b_doc)])
        user_b = make_party("B", document=b_doc, cohabitants=[cohabitant("A", a_doc)])
        barrier = threading.Barrier(2)
        results = {}

        def submit(user, results=results, barrier=barrier):
            client = app.test_client()
            barrier.wait()
            results[user.account_id] = apply(client, user, [day]).status_code

        threads = [threading.Thread(target=submit, args=(u,)) for u in (user_a, user_b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert sorted(results.values()) == [201, 409], results


def test_R7_7_database_serializes_concurrent_transactions(app, sessions, clock, period,
                                                          make_party):
    """A's submission statement ran in a transaction left open; B's claim waits, then is refused
    after A commits: the database, not the application code, decides."""
    a_doc, b_doc = "H71111111", "H72222222"
    user_a = make_party("A", document=a_doc, cohabitants=[cohabitant("B", b_doc)])
    user_b = make_party("B", document=b_doc, cohabitants=[cohabitant("A", a_doc)])
    now = at(period, 13, 0)
    day = period + timedelta(days=4)
    with sessions() as opening:
        handlers.ensure_period_opened(opening, period, now)
        opening.commit()
    session_a = sessions()
    handlers.submit_application(session_a.connection(), lambda: session_a, user_a.account_id, [day],
                                now, str(uuid.uuid4()))
    outcome = {}

    def second():
        with app.extensions["booking"].submissions.connect() as conn_b, sessions() as session_b:
            try:
                handlers.submit_application(conn_b, lambda: session_b, user_b.account_id, [day], now,
                                            str(uuid.uuid4()))
                outcome["b"] = "committed"
            except Refusal as refusal:
                outcome["b"] = refusal.code

    thread = threading.Thread(target=second)
    thread.start()
    thread.join(timeout=1.0)
    assert thread.is_alive(), "B must wait for A's uncommitted claim"
    session_a.commit()
    thread.join(timeout=10)
    assert outcome["b"] == "booking.already_applied"
    session_a.close()


def test_R7_4_confirmation_shows_masked_document_and_cohabitants(client, clock, period,
                                                                make_party):
    party = make_party("Lee Siu Ming", cohabitants=[cohabitant("Grandfather")])
    clock.set(at(period, 10, 0), frozen=True)
    day = (period + timedelta(days=2)).isoformat()
    response = client.get(f"/api/booking/applications/confirmation?dates={day}",
                          headers=party.headers)
    assert response.status_code == 200, response.json
    data = response.json
    assert data["name"] == "Lee Siu Ming" and data["dates"] == [day]
    assert party.me["document_number"] not in str(data)  # masked for display
    assert data["document_number_masked"].startswith(party.me["document_number"][:3])
    assert data["cohabitants"][0]["name"] == "Grandfather"
    assert data["eligibility"] == {"ok": True}


def test_applicant_cannot_read_another_applicants_data(client, clock, period, make_party):
    owner, other = make_party(), make_party()
    clock.set(at(period, 10, 0), frozen=True)
    number = apply(client, owner, [period + timedelta(days=1)]).json[
        "applications"][0]["application_number"]
    records = client.get("/api/booking/applications", headers=other.headers).json["items"]
    assert number not in str(records)
    for path in (f"/api/booking/reservations/{number}/slip",):
        assert client.get(path, headers=other.headers).status_code == 404
    assert client.post(f"/api/booking/reservations/{number}/cancel",
                       headers=other.headers).status_code == 404
    # operator and staff APIs refuse an applicant
    assert client.put("/api/booking/capacities", headers=other.headers,
                      json={"items": []}).status_code == 403
    assert client.post("/api/booking/staff/slips/verify", headers=other.headers,
                       json={"code": "x" * 20}).status_code == 403
    assert client.get("/api/booking/applications").status_code == 401
    assert client.get("/api/booking/applications",
                      headers=auth_header("x", roles=("reviewer",))).status_code == 403


def test_submissions_are_rate_limited_per_account_not_per_address(client, clock, period,
                                                                 make_party, app):
    """Past its burst, an account's submissions are refused with 429; another account
    from the same address is not affected (the benchmark's many accounts on loopback)."""
    limiter = app.extensions["booking"].submission_limiter
    eager, calm = make_party(), make_party()
    clock.set(at(period, 10, 0), frozen=True)
    statuses = [apply(client, eager, [period + timedelta(days=1)], answer="wrong").status_code
                for _ in range(int(limiter.burst) + 1)]
    assert statuses[:-1] == [400] * int(limiter.burst) and statuses[-1] == 429
    assert apply(client, calm, [period + timedelta(days=1)]).status_code == 201


def test_spent_captchas_are_forgotten_after_a_day(client, sessions, clock, period, make_party):
    from services.booking.adapters import repository

    party = make_party()
    clock.set(at(period, 10, 0), frozen=True)
    captcha_id = new_captcha(client)
    assert apply(client, party, [period + timedelta(days=1)], captcha_id=captcha_id,
                 answer="wrong").json["error"]["code"] == "captcha.wrong"
    spent = captcha_token.challenge_id_of(captcha_id)

    def kept():
        with sessions() as session:
            return session.execute(text("SELECT count(*) FROM spent_captcha WHERE captcha_id = :c"),
                                   {"c": spent}).scalar()
    with sessions() as session:
        repository.forget_spent_captchas(session, at(period, 9, 0))
        session.commit()
    assert kept() == 1
    with sessions() as session:
        repository.forget_spent_captchas(session, at(period, 10, 1))
        session.commit()
    assert kept() == 0


def test_a_submission_survives_its_pooled_connection_dying_with_a_database_restart(
        app, client, sessions, clock, period, make_party):
    """The submission pool has no pre-ping: the first statement on a connection the database
    dropped (as a restart does) is run again on a new one, not answered with a 503."""
    clock.set(at(period, 10, 0), frozen=True)
    assert apply(client, make_party(), [period + timedelta(days=1)]).status_code == 201
    pool = app.extensions["booking"].submissions
    with pool.connect() as conn:
        pids = [conn.exec_driver_sql("SELECT pg_backend_pid()").scalar()]
    with sessions() as session:  # every idle pooled connection of the submission engine dies
        for pid in pids:
            session.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
    answer = apply(client, make_party(), [period + timedelta(days=2)])
    assert answer.status_code == 201, answer.json


def test_R6_3_a_later_application_of_the_period_is_for_the_people_first_applied_with(
        client, clock, period, make_party):
    """A cohabitant change that reached booking before profile locked (profile puts it back)
    does not make a second application of the same period for other people."""
    mother = cohabitant("Mother")
    party = make_party(cohabitants=[mother])
    clock.set(at(period, 10, 0), frozen=True)
    assert apply(client, party, [period + timedelta(days=1)]).status_code == 201

    party.cohabitants = [cohabitant("Someone else")]
    party.publish()  # the change slipped in before profile locked
    refused = apply(client, party, [period + timedelta(days=2)])
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "booking.party_changed_since_applying"
    records = client.get("/api/booking/applications", headers=party.headers).json["items"]
    assert [r["date"] for r in records] == [(period + timedelta(days=1)).isoformat()]

    party.cohabitants = [mother]
    party.publish()  # profile put the locked cohabitants back
    assert apply(client, party, [period + timedelta(days=2)]).status_code == 201


def test_R6_3_the_next_period_may_have_other_cohabitants(client, clock, period, make_party):
    party = make_party(cohabitants=[cohabitant("Mother")])
    clock.set(at(period, 10, 0), frozen=True)
    assert apply(client, party, [period + timedelta(days=1)]).status_code == 201
    party.cohabitants = []
    party.publish()
    clock.set(at(period + timedelta(days=1), 10, 0), frozen=True)
    assert apply(client, party, [period + timedelta(days=3)]).status_code == 201
