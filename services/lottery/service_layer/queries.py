"""Read side: the public audit, 'did I win?', the operator's overview.

Nothing here reveals a result or the seed before the period is published (R9.1): publication is
the only switch, and it is set by the 20:00 job alone.
"""

from __future__ import annotations

import logging
import threading
import time
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from services.lottery.adapters import repository
from services.lottery.adapters.models import LotteryEntry
from services.lottery.domain import drawers
from services.lottery.domain.schedule import (
    draw_time,
    is_publication_due,
    mask_application_number,
    period_of,
    publication_time,
)
from shared.db import make_engine

log = logging.getLogger(__name__)


def _published(row, now: datetime) -> bool:
    # both the switch and the clock: a result is never shown before 20:00 (R9.1)
    return row.published_at is not None and is_publication_due(row.period, now)


def _date_state(row, date, results, held) -> str:
    if date in results:
        return "published" if row.published_at is not None else "drawn"
    if row.closing is None:
        return "open"
    return "ready" if held == int(row.closing[date]["count"]) else "waiting_for_entries"


def period_audit(session, period: str, now: datetime) -> dict | None:
    row = repository.get_period(session, period)
    if row is None:
        return None
    published = _published(row, now)
    results = repository.results_for(session, period)
    held = repository.held_counts(session, [period])
    dates = []
    for date in sorted(row.closing or {d: None for d in row.dates}):
        closing = (row.closing or {}).get(date) or {}
        result = results.get(date)
        dates.append({
            "date": date,
            "places": closing.get("places"),
            # booking's count at the close; until then None, and `received` says how many
            # application numbers the lottery holds (the ones the audit page lists)
            "applications": closing.get("count"),
            "received": held.get((period, date), 0),
            "digest": closing.get("digest"),
            "drawn": result is not None,
            "winners_people": result.winners_people if published and result else None,
            "overflow": result.overflow if published and result else None,
        })
    return {
        "period": period,
        "seed_hash": row.seed_hash,
        "seed": row.seed.hex() if published else None,
        "closed": row.closing is not None,
        "published": published,
        "draw_time": draw_time(period).isoformat(),
        "publication_time": publication_time(period).isoformat(),
        "dates": dates,
        "files": {"winners": f"/public/lottery/{period}/winners.json",
                  "audit": f"/public/lottery/{period}/audit.json"} if published else None,
    }


def date_audit(session, period: str, date: str, now: datetime, offset: int, limit: int
               ) -> dict | None:
    audit = period_audit(session, period, now)
    if audit is None:
        return None
    day = next((d for d in audit["dates"] if d["date"] == date), None)
    if day is None:
        return None
    numbers = session.execute(
        select(LotteryEntry.application_number)
        .where(LotteryEntry.period == period, LotteryEntry.date == date)
        .order_by(LotteryEntry.application_number).offset(offset).limit(limit)).scalars()
    result = repository.results_for(session, period).get(date)
    return {
        **day,
        "period": period,
        "seed_hash": audit["seed_hash"],
        "seed": audit["seed"],
        "published": audit["published"],
        "entries": {"total": day["received"], "offset": offset,
                    "application_numbers": [mask_application_number(n) for n in numbers]},
        "winners": list(result.winners) if audit["published"] and result else None,
    }


def public_periods(session, now: datetime) -> list[dict]:
    return [{"period": row.period, "seed_hash": row.seed_hash, "closed": row.closing is not None,
             "published": _published(row, now)}
            for row in repository.recent_periods(session, period_of(now))]


MY_RESULTS = text("""
    SELECT e.application_number, e.period, e.date, e.party_size, p.published_at,
           (w.application_number IS NOT NULL) AS won
    FROM lottery_entry e
    JOIN lottery_period p ON p.period = e.period
    LEFT JOIN lottery_winner w ON w.application_number = e.application_number
    WHERE e.account_id = :account
    ORDER BY e.period DESC, e.date, e.application_number
""")


def shape_results(rows, now: datetime) -> list[dict]:
    out = []
    for row in rows:
        published = row.published_at is not None and is_publication_due(row.period, now)
        out.append({"application_number": row.application_number, "period": row.period,
                    "date": row.date, "party_size": row.party_size,
                    "result": ("won" if row.won else "not_won") if published else "pending"})
    return out


def my_results(session, account_id: str, now: datetime) -> list[dict]:
    """Every application of the account (R10.1): pending until its period is published."""
    return shape_results(session.execute(MY_RESULTS, {"account": str(account_id)}), now)


GENERATION = text("""
    SELECT max(published_at) AS published, bool_or(published_at IS NULL) AS open_period
    FROM lottery_period
""")

# The whole history (R10.1) of every account that applied in the latest published period: the
# people who check at 20:00. Ordered by account so that a cut at the limit drops one account's
# rows whole: each account is either complete in memory or read from the database.
PRELOAD = text("""
    WITH latest AS (
        SELECT period FROM lottery_period WHERE published_at IS NOT NULL
        ORDER BY period DESC LIMIT 1
    ), accounts AS (
        SELECT DISTINCT account_id FROM lottery_entry WHERE period = (SELECT period FROM latest)
    )
    SELECT e.account_id, e.application_number, e.period, e.date, e.party_size, p.published_at,
           (w.application_number IS NOT NULL) AS won
    FROM lottery_entry e
    JOIN accounts a ON a.account_id = e.account_id
    JOIN lottery_period p ON p.period = e.period
    LEFT JOIN lottery_winner w ON w.application_number = e.application_number
    ORDER BY e.account_id, e.period DESC, e.date, e.application_number
    LIMIT :limit
""")


class ResultRow(NamedTuple):
    application_number: str
    period: str
    date: str
    party_size: int
    published_at: datetime | None
    won: bool


def group_preloaded(rows, limit: int) -> dict[str, list[ResultRow]]:
    """Rows of PRELOAD (fetched with `limit + 1`) by account; when the limit was reached the
    last account may be cut, so it is left out. Repeated strings are shared to keep it small."""
    shared: dict = {}
    by_account: dict[str, list[ResultRow]] = {}
    last = None
    for row in rows[:limit]:
        last = row.account_id
        by_account.setdefault(row.account_id, []).append(ResultRow(
            row.application_number, shared.setdefault(row.period, row.period),
            shared.setdefault(row.date, row.date), row.party_size,
            shared.setdefault(row.published_at, row.published_at), row.won))
    if len(rows) > limit and last is not None:
        by_account.pop(last, None)
    return by_account


class ResultsReader:
    """The 20:00 read path ("did I win?"), per replica (per gunicorn worker).

    While a period is unpublished every request is one indexed query in one round trip. While
    none is (from the 20:00 publication until the next window opens at 09:00, no entry and no
    result can change), an account's rows are kept in memory, and as soon as a publication is
    seen a background thread loads, in one query, the whole history of everyone who applied in
    the latest period (up to `preload_rows` rows): a first "did I win?" then costs no database
    work either. The state (latest publication, any unpublished period) is read from the small
    period table at most once a second, so a change shows within a second.
    Whether a result may be shown is decided on every request from the row's publication and
    the clock (R9.1), so a kept row never reveals anything early.

    Its own pool has no pre-ping (a second round trip on every checkout); a connection found
    dead is discarded and the query retried once."""

    def __init__(self, database_url: str, *, check_every: float = 1.0,
                 max_accounts: int = 200_000, preload_rows: int = 300_000):
        self.engine = make_engine(database_url, pool_pre_ping=False, pool_size=4, max_overflow=8)
        self.check_every = check_every
        self.max_accounts = max_accounts
        self.preload_rows = preload_rows
        self._generation = None
        self._checked_at = 0.0
        self._rows: dict[str, list] = {}
        self._lock = threading.Lock()

    def _query(self, statement, params=None):
        for attempt in (1, 2):
            try:
                with self.engine.connect() as conn:
                    return conn.execute(statement, params or {}).all()
            except DBAPIError as exc:
                if attempt == 2 or not exc.connection_invalidated:
                    raise
        raise AssertionError("unreachable")

    def _refresh_generation(self) -> None:
        if time.monotonic() - self._checked_at < self.check_every:
            return
        generation = tuple(self._query(GENERATION)[0])
        with self._lock:
            self._checked_at = time.monotonic()
            changed = generation != self._generation
            if changed:
                self._generation = generation
                self._rows = {}
        if changed and self.caching and self.preload_rows > 0:
            self._spawn(lambda: self._preload(generation))

    def _spawn(self, work) -> None:
        threading.Thread(target=work, name="lottery-results-preload", daemon=True).start()

    def _preload(self, generation) -> None:
        try:
            loaded = group_preloaded(
                self._query(PRELOAD, {"limit": self.preload_rows + 1}), self.preload_rows)
        except DBAPIError:
            log.exception("preloading the published results failed; reading per account")
            return
        with self._lock:
            if self._generation == generation:  # a newer state makes this load stale
                loaded.update(self._rows)
                self._rows = loaded

    @property
    def caching(self) -> bool:
        return self._generation is not None and not self._generation[1]

    def results_of(self, account_id: str, now: datetime) -> list[dict]:
        account_id = str(account_id)
        self._refresh_generation()
        rows = self._rows.get(account_id) if self.caching else None
        if rows is None:
            rows = self._query(MY_RESULTS, {"account": account_id})
            if not self.caching:
                return shape_results(rows, now)
            with self._lock:
                if len(self._rows) >= self.max_accounts:
                    self._rows = {}
                self._rows[account_id] = rows
        return shape_results(rows, now)


def operator_overview(session, now: datetime) -> list[dict]:
    periods = repository.recent_periods(session, period_of(now))
    names = [p.period for p in periods]
    held = repository.held_counts(session, names)
    failures = {}
    for failure in repository.failures_for(session, names):
        failures.setdefault((failure.period, failure.date), []).append(
            {"reason": failure.reason, "detail": failure.detail,
             "first_seen_at": failure.first_seen_at.isoformat(),
             "last_seen_at": failure.last_seen_at.isoformat()})
    out = []
    for row in periods:
        results = repository.results_for(session, row.period)
        dates = []
        for date in sorted(row.closing or {d: None for d in row.dates}):
            closing = (row.closing or {}).get(date) or {}
            result = results.get(date)
            count = held.get((row.period, date), 0)
            dates.append({
                "date": date,
                "state": _date_state(row, date, results, count),
                "places": closing.get("places"), "expected_entries": closing.get("count"),
                "held_entries": count,
                "winning_applications": len(result.winners) if result else None,
                "winners_people": result.winners_people if result else None,
                "overflow": result.overflow if result else None,
                "drawn_by": result.drawn_by if result else None,
                "drawer": drawers.describe(result.drawn_by) if result else None,
                "drawn_at": result.drawn_at.isoformat() if result else None,
                "failures": failures.get((row.period, date), []),
            })
        out.append({"period": row.period, "seed_hash": row.seed_hash,
                    "closed": row.closing is not None,
                    "draw_due": now >= draw_time(row.period),
                    "published_at": row.published_at.isoformat() if row.published_at else None,
                    "dates": dates})
    return out
