"""`python -m services.profile.entrypoints.consumer`: identity's, booking's and lottery's events.

Handlers are thin: they hand the event body to the service layer; the Consumer records the event
id in the same transaction, so a redelivered event changes nothing.
"""

from __future__ import annotations

import logging
import sys
from functools import partial

from services.profile.service_layer import handlers
from services.profile.service_layer.sources import source_factory
from shared.clock import clock_from_settings
from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.events.consumer import Consumer
from shared.logs import configure_logging

log = logging.getLogger("profile.consumer")

SUBSCRIPTIONS = {
    "identity.account.registered": handlers.account_registered,
    "identity.account.document_changed": handlers.account_document_changed,
    "booking.application.submitted": handlers.application_submitted,
    "lottery.results.published": handlers.results_published,
}


def _handler(use_case, deps, session, event):
    use_case(session, deps, event.body)


def build_consumer(settings=None, session_factory=None, verification_source=None) -> Consumer:
    settings = settings or load_settings("profile")
    if session_factory is None:
        session_factory = make_session_factory(make_engine(settings.database_url))
    clock = clock_from_settings(settings)
    deps = handlers.Deps(now=clock.now, source_for=source_factory(verification_source),
                         public_base_url=settings.public_base_url)
    return Consumer(settings, session_factory, "main",
                    {event_type: partial(_handler, use_case, deps)
                     for event_type, use_case in SUBSCRIPTIONS.items()})


def main() -> int:
    configure_logging("profile-consumer")
    consumer = build_consumer()
    log.info("profile consumer starting")
    consumer.run_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main())
