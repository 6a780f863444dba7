"""Running the draw of a period exactly once, whatever the number of replicas (R8.1-R8.3).

- An advisory lock per period (session level, on its own connection) saves wasted work: only
  one replica computes at a time; it is released when that connection closes, also when the
  process is killed.
- Each date is drawn in its own transaction that inserts the date's result row (primary key
  period + date) and its winners: a second draw of a date cannot commit, and a replica killed
  mid-draw leaves no trace of the date it was drawing. The next replica starts over from the
  first undrawn date with the same seed, so it computes the same winners.
- Before drawing a date, the lottery proves it holds exactly the entries booking closed the
  period with (count and digest); otherwise it refuses loudly and tries again next tick.
"""

from __future__ import annotations

import logging
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import text

from services.lottery.adapters import repository
from services.lottery.domain.draw import DateBatch, draw_date, entries_digest
from services.lottery.domain.schedule import is_draw_due
from shared.db import transaction
from shared.events import record_event

log = logging.getLogger("lottery.draw")


@dataclass
class DrawReport:
    period: str
    outcome: str  # drawn / busy / not_found / not_closed / too_early / waiting_for_entries
    drawn_now: list[str] = field(default_factory=list)
    detail: str = ""  # for logs and developers, in English
    params: dict = field(default_factory=dict)  # for the operator's message (date, held, expected)


def lock_key(period: str) -> int:
    return zlib.crc32(f"lottery-draw:{period}".encode())


def check_entries(expected: dict, entries) -> str | None:
    """None when the entries are exactly those of booking's close event, else what differs."""
    held = len(entries)
    digest = entries_digest(e.application_number for e in entries)
    if held != int(expected["count"]) or digest != expected["digest"]:
        return (f"the lottery holds {held} entries (digest {digest[:12]}), booking closed with "
                f"{expected['count']} (digest {str(expected['digest'])[:12]})")
    return None


def report_failure(sessions, period: str, date: str, reason: str, detail: str,
                   now: datetime) -> None:
    log.error("draw of %s for period %s refused: %s: %s", date, period, reason, detail)
    with transaction(sessions) as session:
        if repository.note_failure(session, period, date, reason, detail, now):
            record_event(session, "lottery.draw.failed",
                         {"period": period, "date": date, "reason": f"{reason}: {detail}"})


def draw_period(engine, sessions, period: str, now: datetime, worker: str, *,
                use_lock: bool = True,
                before_commit: Callable[[str], None] | None = None) -> DrawReport:
    """Draw every undrawn date of `period` in ascending order. Safe to call from anywhere at any
    time: it draws only what is due and not drawn yet. `before_commit(date)` is a test hook."""
    with engine.connect() as lock_connection:
        if use_lock:
            got = lock_connection.execute(text("SELECT pg_try_advisory_lock(:k)"),
                                          {"k": lock_key(period)}).scalar()
            lock_connection.commit()
            if not got:
                return DrawReport(period, "busy", detail="another replica is drawing")
        try:
            return _draw_dates(sessions, period, now, worker, before_commit)
        finally:
            if use_lock:
                lock_connection.execute(text("SELECT pg_advisory_unlock(:k)"),
                                        {"k": lock_key(period)})
                lock_connection.commit()


def _draw_dates(sessions, period, now, worker, before_commit) -> DrawReport:
    with transaction(sessions) as session:
        row = repository.get_period(session, period)
        if row is None:
            return DrawReport(period, "not_found")
        if row.closing is None:
            return DrawReport(period, "not_closed")
        if not is_draw_due(period, now):
            return DrawReport(period, "too_early")
        seed, closing = row.seed, dict(row.closing)
    report = DrawReport(period, "drawn")
    won: set[str] = set()
    for date in sorted(closing):  # R8.1: ascending, each date needs the earlier winners
        with transaction(sessions) as session:
            if date in repository.results_for(session, period):
                won |= repository.winning_persons(session, period, date)
                continue
            entries = repository.entries_for(session, period, date)
            problem = check_entries(closing[date], entries)
            if problem is None:
                places = int(closing[date]["places"])
                result = draw_date(seed, DateBatch(date, places, entries), won)
                claimed = repository.claim_date_result(
                    session, period=period, date=date, places=places,
                    applications=len(entries), digest=closing[date]["digest"],
                    winners=result.winners, winners_people=result.winners_people,
                    overflow=result.overflow, drawn_by=worker, drawn_at=now)
                if not claimed:  # drawn meanwhile by a replica that did not take the lock
                    session.rollback()
                    won |= repository.winning_persons(session, period, date)
                    continue
                account_of = _accounts(session, result.winners)
                repository.add_winners(session, [
                    {"application_number": number, "period": period, "date": date,
                     "account_id": account_of[number], "rank": rank}
                    for rank, number in enumerate(result.winners, start=1)])
                if before_commit is not None:
                    before_commit(date)
        if problem is not None:
            report_failure(sessions, period, date, "entries_mismatch", problem, now)
            report.outcome, report.detail = "waiting_for_entries", f"{date}: {problem}"
            report.params = {"date": date, "held": len(entries),
                             "expected": int(closing[date]["count"])}
            return report
        log.info("period %s date %s drawn by %s: %d winning applications, %d people "
                 "for %d places", period, date, worker, len(result.winners),
                 result.winners_people, result.places)
        report.drawn_now.append(date)
    return report


def _accounts(session, numbers: list[str]) -> dict[str, str]:
    if not numbers:
        return {}
    rows = session.execute(text(
        "SELECT application_number, account_id FROM lottery_entry "
        "WHERE application_number = ANY(:numbers)"), {"numbers": numbers}).all()
    return dict(rows)


def draw_due_periods(engine, sessions, now: datetime, worker: str) -> list[DrawReport]:
    """The scheduler's job: every replica may call it every tick."""
    with transaction(sessions) as session:
        periods = repository.periods_to_draw(session)
    reports = []
    for period in periods:
        if is_draw_due(period, now):
            with transaction(sessions) as session:
                if set(repository.results_for(session, period)) >= set(
                        repository.get_period(session, period).closing):
                    continue
            reports.append(draw_period(engine, sessions, period, now, worker))
    return reports
