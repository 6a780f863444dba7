"""Publication at 20:00 (R9.1): one `lottery.results.published` event per period, the static
public list of winners (公示) and the audit bundle (R8.4).

Before publishing, the whole period is replayed from the recorded seed and the stored entries;
a replay that differs from the stored results blocks publication and is reported.
"""

from __future__ import annotations

import logging
from datetime import datetime

from services.lottery.adapters import public_files, repository
from services.lottery.domain.audit import build_bundle
from services.lottery.domain.draw import DateBatch, draw_period
from services.lottery.domain.schedule import is_publication_due, period_of
from services.lottery.service_layer.drawing import report_failure
from shared.db import transaction
from shared.events import record_event

log = logging.getLogger("lottery.publication")


def replay(session, row) -> tuple[list[DateBatch], list]:
    batches = [DateBatch(date, int(row.closing[date]["places"]),
                         repository.entries_for(session, row.period, date))
               for date in sorted(row.closing)]
    return batches, draw_period(row.seed, batches)


def publish_period(sessions, period: str, now: datetime) -> bool:
    """Publish `period` if due and fully drawn. True when this call published it."""
    with transaction(sessions) as session:
        row = repository.get_period(session, period, for_update=True)  # one publisher at a time
        if row is None or row.published_at is not None or row.closing is None:
            return False
        if not is_publication_due(period, now):
            return False
        stored = repository.results_for(session, period)
        undrawn = sorted(set(row.closing) - set(stored))
        if undrawn:
            problem = ("not_drawn", f"dates {', '.join(undrawn)} not drawn at publication time")
        else:
            _, replayed = replay(session, row)
            differing = [r.date for r in replayed if r.winners != stored[r.date].winners]
            problem = (("replay_differs", f"a replay from the seed differs on {differing}")
                       if differing else None)
        if problem is None:
            winners = repository.winners_of(session, period)
            record_event(session, "lottery.results.published", {
                "period": period,
                "seed": row.seed.hex(),
                "dates": {date: {"places": r.places, "applications": r.applications,
                                 "winners_people": r.winners_people, "overflow": r.overflow}
                          for date, r in sorted(stored.items())},
                "winners": [{"application_number": w.application_number,
                             "account_id": w.account_id, "date": w.date} for w in winners],
                # R8.2: not drawn because someone of the party had won an earlier date of the
                # period (from the replay above, which equals the stored draw); every other
                # application not among the winners lost for want of places
                "skipped": sorted(n for r in replayed for n in r.skipped),
            })
            row.published_at = now
    if problem is not None:
        first_date = undrawn[0] if undrawn else differing[0]
        report_failure(sessions, period, first_date, *problem, now)
        return False
    log.info("period %s published", period)
    return True


def write_public_files(sessions, var_dir, period: str) -> None:
    with transaction(sessions) as session:
        row = repository.get_period(session, period)
        if row is None or row.published_at is None:
            return
        batches, results = replay(session, row)
        stored = repository.results_for(session, period)
    folder = public_files.lottery_dir(var_dir, period)
    public_files.write_json(folder / "audit.json", build_bundle(period, row.seed, batches, results))
    public_files.write_json(folder / "winners.json", {
        "period": period, "published_at": row.published_at.isoformat(),
        "seed_hash": row.seed_hash, "seed": row.seed.hex(),
        "dates": {date: {"places": r.places, "applications": r.applications,
                         "winners_people": r.winners_people, "overflow": r.overflow,
                         "winners": sorted(r.winners)} for date, r in sorted(stored.items())},
    })


def publish_due_periods(sessions, var_dir, now: datetime) -> list[str]:
    """The scheduler's job (every replica, every tick): publish what is due, then make sure the
    public files of recently published periods exist on this machine."""
    with transaction(sessions) as session:
        candidates = repository.periods_to_draw(session)
    published = [p for p in candidates if is_publication_due(p, now)
                 and publish_period(sessions, p, now)]
    with transaction(sessions) as session:
        recent = repository.periods_needing_files(session, period_of(now))
    for period in recent:
        if not public_files.files_present(var_dir, period):
            write_public_files(sessions, var_dir, period)
    return published
