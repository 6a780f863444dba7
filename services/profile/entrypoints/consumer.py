"""`python -m services.profile.entrypoints.consumer`: identity's, booking's and lottery's events.

Handlers are thin: they hand the event body to the service layer; the Consumer records the event
id in the same transaction, so a redelivered event changes nothing.
"""

from __future__ import annotations

from functools import lru_cache

from services.profile.service_layer import handlers
from services.profile.service_layer.sources import source_factory
from shared.clock import clock_from_settings
from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.events.consumer import Consumer, serve

SUBSCRIPTIONS = {
    "identity.account.registered": handlers.account_registered,
    "identity.account.document_changed": handlers.account_document_changed,
    "booking.application.submitted": handlers.application_submitted,
    "lottery.results.published": handlers.results_published,
}


@lru_cache(maxsize=1)
def _deps() -> handlers.Deps:
    """Built on the first event, in the worker (not at import)."""
    settings = load_settings("profile")
    return handlers.Deps(now=clock_from_settings(settings).now, source_for=source_factory(),
                         public_base_url=settings.public_base_url)


def _thin(use_case):
    def handle(session, event):
        use_case(session, _deps(), event.body)
    handle.__name__ = use_case.__name__
    return handle


QUEUES = {"main": {event_type: _thin(use_case) for event_type, use_case in SUBSCRIPTIONS.items()}}


def build_consumer(settings=None) -> Consumer:
    settings = settings or load_settings("profile")
    sessions = make_session_factory(make_engine(settings.database_url, pool_size=2))
    return Consumer(settings, sessions, "main", QUEUES["main"])


if __name__ == "__main__":
    serve("profile", "main", QUEUES["main"])
