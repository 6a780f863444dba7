"""`python -m services.notification.entrypoints.consumer`: turns events into queued emails.

Two queues in one process: `notification.main` (the domain events of docs/events.md) and
`notification.deadletters` (bound with `#` to the dead-letter exchange: operator alerts). The
consumer only records emails; `entrypoints/sender.py` delivers them.

`QUEUES` lists only `main` for `python -m shared.events.declare`: the dead-letter queue is bound
to the dead-letter exchange with its own arguments, so it is declared by this process when it
starts (a message dead-lettered before the first start is still kept in its `<queue>.dead`).
"""

from __future__ import annotations

import logging
import sys
import threading

from services.notification.adapters.deadletters import DeadLetterConsumer
from services.notification.config import load_config
from services.notification.entrypoints.app import MESSAGES_DIR
from services.notification.service_layer.handlers import make_dead_letter_handlers, make_handlers
from shared.db import make_engine, make_session_factory
from shared.events.consumer import Consumer
from shared.i18n import Catalog
from shared.logs import configure_logging

log = logging.getLogger("hs.notification.consumer")
CATALOG = Catalog([MESSAGES_DIR])


def build_consumers(config, sessions) -> tuple[Consumer, DeadLetterConsumer]:
    main = Consumer(config.settings, sessions, "main", make_handlers(config, CATALOG))
    dead = DeadLetterConsumer(config.settings, sessions, "deadletters",
                              make_dead_letter_handlers(config, CATALOG))
    return main, dead


# Reads the environment only (no connection is opened at import).
QUEUES = {"main": make_handlers(load_config(), CATALOG)}


def main() -> int:
    config = load_config()
    configure_logging("notification-consumer")
    engine = make_engine(config.settings.database_url, pool_size=3)
    main_consumer, dead_consumer = build_consumers(config, make_session_factory(engine))
    alerts = threading.Thread(target=dead_consumer.run_forever, name="deadletters", daemon=True)
    alerts.start()
    main_consumer.run_forever()  # returns on SIGTERM / SIGINT
    dead_consumer.stop()
    alerts.join(timeout=5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
