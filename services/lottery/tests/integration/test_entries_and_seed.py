"""Entries are a local copy of booking's events; a period's seed is committed at opening (R8.4)."""

import pytest
from sqlalchemy import text

from services.lottery.domain.draw import seed_hash
from services.lottery.service_layer.drawing import draw_period
from services.lottery.tests.integration.helpers import (
    at_draw,
    consume,
    dates_of,
    outbox,
)
from shared.db import transaction
from shared.events import Event

pytestmark = pytest.mark.integration


def submitted(period, date, number, docs):
    return Event("booking.application.submitted", {
        "application_number": number, "period": period, "date": date, "account_id": "a1",
        "party": [{"document_type": "hk_macao_permit", "document_number": d} for d in docs],
        "party_size": len(docs), "submitted_at": f"{period}T09:30:00+08:00"})


def test_opening_commits_a_fresh_seed_and_publishes_only_its_hash_once_R8_4(
        settings, sessions, period):
    opened = Event("booking.period.opened", {"period": period, "dates": dates_of(period)})
    consume(settings, sessions, [opened, opened])  # redelivered
    consume(settings, sessions, [Event(opened.type, opened.body)])  # re-sent with a new id
    committed = outbox(sessions, "lottery.seed.committed", period)
    assert len(committed) == 1
    with transaction(sessions) as session:
        seed = session.execute(text("SELECT seed FROM lottery_period WHERE period = :p"),
                               {"p": period}).scalar()
    assert len(seed) == 32 and committed[0]["seed_hash"] == seed_hash(seed)
    assert seed.hex() not in str(committed)


def test_entries_are_kept_once_and_without_document_numbers(settings, sessions, period):
    date = dates_of(period)[0]
    event = submitted(period, date, f"N{period}", ["H11112222", "H33334444"])
    consume(settings, sessions, [event, event, Event(event.type, event.body)])
    with transaction(sessions) as session:
        rows = session.execute(text(
            "SELECT * FROM lottery_entry WHERE period = :p"), {"p": period}).mappings().all()
    assert len(rows) == 1 and rows[0]["party_size"] == 2
    assert "H11112222" not in str(dict(rows[0])) and len(rows[0]["persons"][0]) == 32
    # an application before the opening event (relays do not promise order) still gets a seed
    assert len(outbox(sessions, "lottery.seed.committed", period)) == 1


def test_one_submission_for_several_dates_gives_an_entry_per_date(settings, sessions, period):
    """Version 2 of the event: one per submission, its applications listed (version 1, one
    event per date, is what the tests above send and is still read)."""
    first, second = dates_of(period)[:2]
    event = Event("booking.application.submitted", {
        "period": period, "account_id": "a2", "party_size": 1, "party_revision": 1,
        "applications": [{"application_number": f"S{period}", "date": first},
                         {"application_number": f"T{period}", "date": second}],
        "party": [{"document_type": "hk_macao_permit", "document_number": "H55556666"}],
        "submitted_at": f"{period}T09:31:00+08:00"}, version=2)
    consume(settings, sessions, [event, Event(event.type, event.body, version=2)])
    with transaction(sessions) as session:
        rows = session.execute(text(
            "SELECT application_number, date, persons FROM lottery_entry "
            "WHERE period = :p AND account_id = 'a2' ORDER BY date"), {"p": period}).all()
    assert [(r.application_number, r.date) for r in rows] == [(f"S{period}", first),
                                                              (f"T{period}", second)]
    assert rows[0].persons == rows[1].persons


def test_a_person_key_is_stable_within_a_period_so_R8_2_can_be_applied(
        settings, sessions, period):
    first, second = dates_of(period)[:2]
    consume(settings, sessions, [submitted(period, first, f"A{period}", ["H12345678"]),
                                 submitted(period, second, f"B{period}", ["H12345678", "H1"])])
    with transaction(sessions) as session:
        persons = dict(session.execute(text(
            "SELECT application_number, persons FROM lottery_entry WHERE period = :p"),
            {"p": period}).all())
    assert persons[f"A{period}"][0] in persons[f"B{period}"]


def test_a_period_not_closed_is_not_drawn(engine, settings, sessions, period):
    consume(settings, sessions, [submitted(period, dates_of(period)[0], f"C{period}", ["H9"])])
    report = draw_period(engine, sessions, period, at_draw(period), "test")
    assert report.outcome == "not_closed"
