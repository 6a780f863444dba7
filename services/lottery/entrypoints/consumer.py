"""`python -m services.lottery.entrypoints.consumer`: booking's events into the local entries."""

from __future__ import annotations

from services.lottery.service_layer.handlers import HANDLERS
from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.events.consumer import Consumer
from shared.logs import configure_logging

# read by `python -m shared.events.declare`, which declares every queue before relays publish
QUEUES = {"main": HANDLERS}


def build_consumer(settings=None) -> Consumer:
    settings = settings or load_settings("lottery")
    sessions = make_session_factory(make_engine(settings.database_url))
    return Consumer(settings, sessions, "main", QUEUES["main"])


def main() -> None:
    configure_logging("lottery-consumer")
    build_consumer().run_forever()


if __name__ == "__main__":
    main()
