"""Building periods from booking's events, as booking would send them."""

from __future__ import annotations

import hashlib
import random
from datetime import date, timedelta

from sqlalchemy import text

from services.lottery.domain.draw import entries_digest
from services.lottery.domain.schedule import draw_time, publication_time
from services.lottery.service_layer.handlers import HANDLERS
from shared.db import transaction
from shared.events import Event
from shared.events.consumer import Consumer


def dates_of(period: str, n: int = 6) -> list[str]:
    day = date.fromisoformat(period)
    return [(day + timedelta(days=i)).isoformat() for i in range(1, n + 1)]


def application_events(period: str, dates: list[str], per_date: int, rng: random.Random,
                       people: int | None = None) -> list[Event]:
    """Applications whose parties (1-4 people) are drawn from a pool, so that the same person
    applies for several dates (R8.2 matters) but never twice for one date (R7.7)."""
    people = people or per_date * 2
    events = []
    for d in dates:
        pool = rng.sample(range(people), min(people, per_date * 4))
        taken = 0
        for i in range(per_date):
            size = rng.choice([1, 1, 2, 2, 3, 4])
            members = pool[taken:taken + size] or [pool[-1]]
            taken += size
            number = hashlib.sha256(f"{period}{d}{i}".encode()).hexdigest()[:14].upper()
            events.append(Event("booking.application.submitted", {
                "application_number": number, "period": period, "date": d,
                "account_id": f"acct-{period}-{members[0]}",
                "party": [{"document_type": "hk_macao_permit",
                           "document_number": f"H{m:08d}"} for m in members],
                "party_size": len(members),
                "submitted_at": f"{period}T10:00:00+08:00"}, producer="booking"))
    return events


def close_event(period: str, dates: list[str], places: dict[str, int],
                submitted: list[Event]) -> Event:
    body = {}
    for d in dates:
        numbers = [e.body["application_number"] for e in submitted if e.body["date"] == d]
        body[d] = {"places": places[d], "count": len(numbers), "digest": entries_digest(numbers)}
    return Event("booking.period.closed",
                 {"period": period, "closed_at": f"{period}T18:00:00+08:00", "dates": body},
                 producer="booking")


def apply_events(sessions, events: list[Event]) -> None:
    """Feed events through the handlers in one transaction (fast set-up of big periods)."""
    with transaction(sessions) as session:
        for event in events:
            HANDLERS[event.type](session, event)


def consume(settings, sessions, events: list[Event]) -> None:
    """Feed events one by one through the idempotent consumer (without the broker)."""
    consumer = Consumer(settings, sessions, "main", HANDLERS)
    for event in events:
        consumer.process(event)


def open_and_fill(settings, sessions, period: str, per_date: int = 30, seed: int = 1,
                  places: int = 12, n_dates: int = 6):
    rng = random.Random(seed)
    dates = dates_of(period, n_dates)
    opened = Event("booking.period.opened", {"period": period, "dates": dates}, producer="booking")
    consume(settings, sessions, [opened])
    submitted = application_events(period, dates, per_date, rng)
    apply_events(sessions, submitted)
    closed = close_event(period, dates, dict.fromkeys(dates, places), submitted)
    consume(settings, sessions, [closed])
    return dates, submitted, closed


def outbox(sessions, event_type: str, period: str) -> list[dict]:
    with transaction(sessions) as session:
        return [r.body for r in session.execute(text(
            "SELECT body FROM event_outbox WHERE event_type = :t AND body->>'period' = :p "
            "ORDER BY seq"), {"t": event_type, "p": period})]


def at_draw(period):
    return draw_time(period)


def at_publication(period):
    return publication_time(period)
