"""`python -m services.booking.entrypoints.consumer`: profile's parties, lottery's results."""

from __future__ import annotations

from services.booking.adapters import repository as repo
from services.booking.service_layer import handlers
from shared.clock import clock_from_settings
from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.events.consumer import Consumer
from shared.logs import configure_logging


def build_consumer(settings) -> Consumer:
    clock = clock_from_settings(settings)
    sessions = make_session_factory(make_engine(settings.database_url, pool_size=2))
    return Consumer(settings, sessions, "main", {
        "profile.party.changed": lambda session, event: repo.upsert_party(session, event.body),
        "lottery.results.published": lambda session, event: handlers.on_results_published(
            session, event.body, clock.now()),
    })


def main() -> None:
    configure_logging("booking-consumer")
    build_consumer(load_settings("booking")).run_forever()


if __name__ == "__main__":
    main()
