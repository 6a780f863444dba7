"""Publication at 20:00 (R9.1), the public audit (R8.4), 'did I win?' (R10.1), the operator's
overview and manual trigger, and who may call what."""

import json
import random
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from services.lottery import verify
from services.lottery.adapters.repository import failures_for
from services.lottery.entrypoints.app import create_app
from services.lottery.service_layer.drawing import draw_period
from services.lottery.service_layer.publication import publish_due_periods
from services.lottery.service_layer.queries import (
    PRELOAD,
    group_preloaded,
    my_results,
    shape_results,
)
from services.lottery.tests.integration.helpers import (
    application_events,
    apply_events,
    at_draw,
    at_publication,
    close_event,
    consume,
    dates_of,
    open_and_fill,
    outbox,
)
from services.lottery.tests.integration.test_draw_exactly_once import race
from shared.auth import endpoints_without_access_rule
from shared.db import transaction
from shared.events import Event
from shared.testing import auth_header

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def app(settings):
    return create_app(settings)


@pytest.fixture
def client(app):
    return app.test_client()


OPERATOR = auth_header("op-1", ["operator"])


def drawn_period(engine, settings, sessions, period):
    dates, submitted, _ = open_and_fill(settings, sessions, period, per_date=40, places=15)
    report = draw_period(engine, sessions, period, at_draw(period), "test")
    assert report.outcome == "drawn"
    return dates, submitted


def winner_and_loser(submitted, published_event):
    winners = {w["application_number"] for w in published_event["winners"]}
    by_account = {}
    for event in submitted:
        by_account.setdefault(event.body["account_id"], []).append(
            event.body["application_number"])
    winner = next(a for a, nums in by_account.items() if set(nums) & winners)
    loser = next(a for a, nums in by_account.items() if not set(nums) & winners)
    return winner, loser, winners, by_account


def test_every_endpoint_declares_who_may_call_it(app):
    assert endpoints_without_access_rule(app) == []


def test_nothing_is_revealed_before_20_00_and_all_is_published_once_after_R9_1(
        engine, settings, sessions, period, client, clock):
    dates, submitted = drawn_period(engine, settings, sessions, period)
    some_account = submitted[0].body["account_id"]

    clock.set(at_publication(period) - timedelta(seconds=1), frozen=True)
    assert period not in publish_due_periods(sessions, settings.var_dir, clock.now())
    mine = client.get("/api/lottery/me/results", headers=auth_header(some_account)).get_json()
    assert mine["results"] and {r["result"] for r in mine["results"]} == {"pending"}
    audit = client.get(f"/api/lottery/public/periods/{period}").get_json()
    assert audit["seed"] is None and audit["seed_hash"] and not audit["published"]
    assert all(d["winners_people"] is None for d in audit["dates"])
    day = client.get(f"/api/lottery/public/periods/{period}/dates/{dates[0]}").get_json()
    assert day["winners"] is None and day["seed"] is None
    assert day["entries"]["total"] == 40 and "*" in day["entries"]["application_numbers"][0]
    assert not (settings.var_dir / "public" / "lottery" / period).exists()
    assert outbox(sessions, "lottery.results.published", period) == []

    clock.set(at_publication(period), frozen=True)
    race([lambda: publish_due_periods(sessions, settings.var_dir, clock.now())] * 3)
    events = outbox(sessions, "lottery.results.published", period)
    assert len(events) == 1
    event = events[0]
    assert sorted(event["dates"]) == dates and len(event["seed"]) == 64
    winner, loser, winners, by_account = winner_and_loser(submitted, event)
    # R8.2: the applications passed over because a person of the party had already won (an
    # earlier date, or earlier in the same date) are named; none is a winner, each shares a
    # person with a winner
    persons = {e.body["application_number"]: (e.body["date"], {
        (m["document_type"], m["document_number"]) for m in e.body["party"]}) for e in submitted}
    skipped = event["skipped"]
    assert skipped and not set(skipped) & winners
    for number in skipped:
        day, party = persons[number]
        assert any(persons[w][1] & party and persons[w][0] <= day for w in winners), number

    won = client.get("/api/lottery/me/results", headers=auth_header(winner)).get_json()["results"]
    assert {r["application_number"] for r in won} == set(by_account[winner])  # own only
    assert {r["result"] for r in won if r["application_number"] in winners} == {"won"}
    lost = client.get("/api/lottery/me/results", headers=auth_header(loser)).get_json()["results"]
    assert {r["result"] for r in lost} == {"not_won"}

    audit = client.get(f"/api/lottery/public/periods/{period}").get_json()
    assert audit["published"] and audit["seed"] == event["seed"]
    day = client.get(f"/api/lottery/public/periods/{period}/dates/{dates[0]}").get_json()
    assert set(day["winners"]) <= winners and day["winners"]

    folder = settings.var_dir / "public" / "lottery" / period
    public_list = json.loads((folder / "winners.json").read_text())
    assert {n for d in public_list["dates"].values() for n in d["winners"]} == winners
    assert verify.main([str(folder / "audit.json")]) == 0
    bundle = json.loads((folder / "audit.json").read_text())
    bundle["dates"][3]["entries"][7]["application_number"] += "X"
    (folder / "tampered.json").write_text(json.dumps(bundle))
    assert verify.main([str(folder / "tampered.json")]) == 1


def test_the_operator_sees_each_draw_and_a_manual_trigger_never_draws_twice(
        engine, settings, sessions, period, client, clock):
    dates, _, _ = open_and_fill(settings, sessions, period, per_date=30, n_dates=3)
    clock.set(at_draw(period) - timedelta(minutes=5), frozen=True)
    early = client.post(f"/api/lottery/operator/periods/{period}/draw", headers=OPERATOR)
    assert early.status_code == 409
    assert early.get_json()["error"]["code"] == "lottery.draw.too_early"
    overview = client.get("/api/lottery/operator/periods", headers=OPERATOR).get_json()
    mine = next(p for p in overview["periods"] if p["period"] == period)
    assert [d["state"] for d in mine["dates"]] == ["ready"] * 3

    clock.set(at_draw(period), frozen=True)
    first = client.post(f"/api/lottery/operator/periods/{period}/draw", headers=OPERATOR)
    assert first.status_code == 200 and first.get_json()["drawn_now"] == dates
    again = client.post(f"/api/lottery/operator/periods/{period}/draw", headers=OPERATOR)
    assert again.status_code == 200 and again.get_json()["drawn_now"] == []
    overview = client.get("/api/lottery/operator/periods", headers=OPERATOR).get_json()
    mine = next(p for p in overview["periods"] if p["period"] == period)
    assert [d["state"] for d in mine["dates"]] == ["drawn"] * 3
    assert all(d["drawn_by"].startswith("operator op-1") for d in mine["dates"])
    # the monitor shows a kind, not the process text; host and account only as detail
    assert {d["drawer"]["kind"] for d in mine["dates"]} == {"operator"}
    assert {d["drawer"]["account_id"] for d in mine["dates"]} == {"op-1"}
    # drawn at the shared clock's 18:30 of the period's day, not at the database's real time
    assert [datetime.fromisoformat(d["drawn_at"]) for d in mine["dates"]] == [at_draw(period)] * 3


def test_an_open_period_s_audit_counts_the_application_numbers_it_lists(
        settings, sessions, period, client):
    """Before the close booking's count is unknown (None), but the page lists the numbers the
    lottery holds: `received` is their count, the same as the date page's total."""
    dates = dates_of(period, 2)
    consume(settings, sessions, [Event("booking.period.opened",
                                       {"period": period, "dates": dates}, producer="booking")])
    submitted = application_events(period, dates, 7, random.Random(3))
    apply_events(sessions, submitted)
    audit = client.get(f"/api/lottery/public/periods/{period}").get_json()
    assert not audit["closed"] and [d["date"] for d in audit["dates"]] == dates
    assert [(d["applications"], d["received"]) for d in audit["dates"]] == [(None, 7)] * 2
    day = client.get(f"/api/lottery/public/periods/{period}/dates/{dates[0]}").get_json()
    assert day["received"] == day["entries"]["total"] == 7
    assert len(day["entries"]["application_numbers"]) == 7


def test_a_trigger_refused_for_missing_entries_says_so_in_the_operator_s_words(
        settings, sessions, period, client, clock):
    """The 409 names the date readably and the counts, not the service's English detail."""
    dates = dates_of(period, 1)
    consume(settings, sessions, [Event("booking.period.opened",
                                       {"period": period, "dates": dates}, producer="booking")])
    submitted = application_events(period, dates, 6, random.Random(4))
    apply_events(sessions, submitted[:-1])
    consume(settings, sessions, [close_event(period, dates, {dates[0]: 3}, submitted)])
    clock.set(at_draw(period), frozen=True)
    refused = client.post(f"/api/lottery/operator/periods/{period}/draw",
                          headers={**OPERATOR, "X-Lang": "zh-Hans"})
    assert refused.status_code == 409
    error = refused.get_json()["error"]
    assert error["code"] == "lottery.draw.waiting_for_entries"
    assert error["params"]["held"] == 5 and error["params"]["expected"] == 6
    day = dates[0]
    assert f"{int(day[:4])}年{int(day[5:7])}月{int(day[8:])}日" in error["message"]
    assert "已收到 5 份" in error["message"] and "holds" not in error["message"]
    # the monitor says when it was refused, first and last, by the shared clock (read from the
    # table: the overview lists only the 14 latest periods, and other tests make later ones)
    clock.set(at_draw(period) + timedelta(minutes=10), frozen=True)
    client.post(f"/api/lottery/operator/periods/{period}/draw", headers=OPERATOR)
    with transaction(sessions) as session:
        (failure,) = failures_for(session, [period])
        seen = failure.first_seen_at, failure.last_seen_at
    assert seen == (at_draw(period), at_draw(period) + timedelta(minutes=10))


def test_applicants_cannot_reach_operator_endpoints_and_anonymous_users_not_their_results(
        client, period):
    applicant = auth_header("someone")
    assert client.get("/api/lottery/operator/periods", headers=applicant).status_code == 403
    assert client.post(f"/api/lottery/operator/periods/{period}/draw",
                       headers=applicant).status_code == 403
    assert client.get("/api/lottery/me/results").status_code == 401


@pytest.mark.parametrize(("path", "field"), [
    ("/api/lottery/public/periods/2026-13-01", "period"),
    ("/api/lottery/public/periods/yesterday", "period"),
    ("/api/lottery/public/periods/2026-12-03/dates/x", "date"),
    ("/api/lottery/public/periods/2026-12-03/dates/2026-12-04?limit=5000", "limit"),
    ("/api/lottery/public/periods/2026-12-03/dates/2026-12-04?offset=-1", "offset"),
])
def test_bad_input_gets_a_localized_400_naming_the_field(client, path, field):
    response = client.get(path, headers={"X-Lang": "en"})
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert field in error["fields"] and error["fields"][field]["message"]


def test_an_unknown_period_is_a_404(client):
    response = client.get("/api/lottery/public/periods/2001-01-01", headers={"X-Lang": "zh-Hant"})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "lottery.period.not_found"


def test_the_20_00_preload_holds_each_latest_applicant_s_whole_history_R10_1(
        engine, settings, sessions, clock):
    # later than any period of the fixture, so that it is the latest published one
    older, latest = "2099-05-01", "2099-06-01"
    for period in (older, latest):
        drawn_period(engine, settings, sessions, period)
        clock.set(at_publication(period), frozen=True)
        assert period in publish_due_periods(sessions, settings.var_dir, clock.now())
    with engine.connect() as conn:
        rows = conn.execute(PRELOAD, {"limit": 10_000}).all()
    loaded = group_preloaded(rows, 10_000)
    with sessions() as session:
        latest_accounts = {a for (a,) in session.execute(
            text("SELECT DISTINCT account_id FROM lottery_entry WHERE period = :p"),
            {"p": latest})}
        assert set(loaded) == latest_accounts
        for account in latest_accounts:
            expected = my_results(session, account, clock.now())
            assert shape_results(loaded[account], clock.now()) == expected
            assert {r["result"] for r in expected} <= {"won", "not_won"}
    # a limit that cuts the last account leaves it out whole instead of showing half of it
    cut = group_preloaded(rows[:len(rows) // 2 + 1], len(rows) // 2)
    assert cut and all(cut[a] == loaded[a] for a in cut) and len(cut) < len(loaded)


def test_the_overviews_list_todays_period_however_many_later_ones_a_moved_clock_left(
        settings, sessions, period, client, clock):
    """A period opens on its own day, so periods after today exist only where the clock was
    moved (demos, tests). They must not push today's period out of the operator's monitor or
    the public list, which show the 14 latest periods up to today."""
    later = [(datetime.fromisoformat(period) + timedelta(days=n)).date().isoformat()
             for n in range(1, 16)]
    consume(settings, sessions, [
        Event("booking.period.opened", {"period": p, "dates": dates_of(p)}, producer="booking")
        for p in [period, *later]])
    clock.set(at_draw(period), frozen=True)
    overview = client.get("/api/lottery/operator/periods", headers=OPERATOR).get_json()
    listed = [p["period"] for p in overview["periods"]]
    assert listed[0] == period and not set(later) & set(listed)
    public = client.get("/api/lottery/public/periods").get_json()
    assert [p["period"] for p in public["periods"]][0] == period
