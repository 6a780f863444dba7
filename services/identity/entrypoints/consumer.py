"""`python -m services.identity.entrypoints.consumer`: booking's account decisions (R12.4)."""

from __future__ import annotations

from datetime import datetime

from services.identity.service_layer import handlers
from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.events import Event
from shared.events.consumer import Consumer, serve


def _occurred_at(event: Event) -> datetime:
    return datetime.fromisoformat(event.occurred_at)


def on_account_disabled(session, event: Event) -> None:
    handlers.disable_account(session, event.body["account_id"], event.body.get("reason"),
                             _occurred_at(event))


def on_account_reinstated(session, event: Event) -> None:
    handlers.reinstate_account(session, event.body["account_id"], _occurred_at(event))


QUEUES = {"main": {
    "booking.account.disabled": on_account_disabled,
    "booking.account.reinstated": on_account_reinstated,
}}


def build_consumer(settings=None) -> Consumer:
    """The consumer in-process (tests); the process itself runs `serve`."""
    settings = settings or load_settings("identity")
    sessions = make_session_factory(make_engine(settings.database_url, pool_size=2))
    return Consumer(settings, sessions, "main", QUEUES["main"])


if __name__ == "__main__":
    serve("identity", "main", QUEUES["main"])
