"""`python -m services.booking.entrypoints.consumer`: profile's parties (the read model that
eligibility reads, R7.5) and lottery's published results (reservations, R9–R11)."""

from __future__ import annotations

from datetime import datetime

from services.booking.adapters import repository as repo
from services.booking.service_layer import handlers
from shared.db import make_engine, make_session_factory
from shared.events.consumer import Consumer, serve


def on_party_changed(session, event) -> None:
    repo.upsert_party(session, event.body)


def on_results_published(session, event) -> None:
    handlers.on_results_published(session, event.body, datetime.fromisoformat(event.occurred_at))


QUEUES = {"main": {
    "profile.party.changed": on_party_changed,
    "lottery.results.published": on_results_published,
}}


def build_consumer(settings) -> Consumer:
    sessions = make_session_factory(make_engine(settings.database_url, pool_size=2))
    return Consumer(settings, sessions, "main", QUEUES["main"])


if __name__ == "__main__":
    serve("booking", "main", QUEUES["main"])
