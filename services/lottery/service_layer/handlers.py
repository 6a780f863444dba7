"""Event handlers: thin, idempotent (the consumer records event ids; inserts are keyed too)."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from services.lottery.adapters import repository
from services.lottery.domain.draw import MAX_PARTY, person_key
from shared.events import record_event
from shared.events.bodies import submitted_applications

log = logging.getLogger("lottery.handlers")


def _period(session, period: str, dates: list[str] | None = None):
    row, created = repository.ensure_period(session, period, dates)
    if created:
        # R8.4: only the hash of the fresh seed is published; the seed stays secret until 20:00
        record_event(session, "lottery.seed.committed",
                     {"period": period, "seed_hash": row.seed_hash})
    return row


def on_period_opened(session, event) -> None:
    _period(session, event.body["period"], list(event.body.get("dates") or []))


def on_application_submitted(session, event) -> None:
    """One submission: an entry for each date applied for (version 1 events: one date)."""
    body = event.body
    row = _period(session, body["period"])
    applications = submitted_applications(body)
    keys = []
    for person in body["party"]:
        key = person_key(row.pepper, person["document_type"], person["document_number"])
        if key not in keys:
            keys.append(key)
    if not 1 <= len(keys) <= MAX_PARTY:
        # booking never sends this; refusing sends the event to the dead-letter queue, and the
        # missing entry then blocks the draw loudly (count/digest check) instead of hiding
        raise ValueError(f"applications {[a['application_number'] for a in applications]}: "
                         f"party of {len(keys)}")
    created = [application for application in applications if repository.add_entry(
        session, application_number=application["application_number"], period=body["period"],
        date=application["date"], account_id=str(body["account_id"]), persons=keys,
        party_size=len(keys), submitted_at=body.get("submitted_at"))]
    drawn = repository.results_for(session, body["period"]) if created else {}
    for application in created:
        if drawn.get(application["date"]):
            log.error("application %s arrived after %s of period %s was drawn",
                      application["application_number"], application["date"], body["period"])


def on_period_closed(session, event) -> None:
    body = event.body
    row = _period(session, body["period"], sorted(body["dates"]))
    if row.closing is None:
        row.closing = body["dates"]
        # the shared clock's close time; events from before booking stated it: time received
        row.closed_at = (datetime.fromisoformat(body["closed_at"]) if body.get("closed_at")
                         else datetime.now(UTC))
    elif row.closing != body["dates"]:
        log.error("period %s closed twice with different figures; keeping the first",
                  body["period"])


HANDLERS = {
    "booking.period.opened": on_period_opened,
    "booking.application.submitted": on_application_submitted,
    "booking.period.closed": on_period_closed,
}
