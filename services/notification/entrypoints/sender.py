"""`python -m services.notification.entrypoints.sender`: delivers queued emails over SMTP.

Several senders may run (each claims its own rows); SIGTERM finishes the email in hand first.
An idle sender wakes on the consumer's NOTIFY, or every SENDER_POLL_SECONDS at the latest.
"""

from __future__ import annotations

import logging
import select
import signal
import sys
import time

import psycopg2
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from services.notification.adapters.outgoing import OutgoingStore
from services.notification.adapters.smtp import SmtpTransport
from services.notification.config import load_config
from services.notification.service_layer.delivery import Sender
from shared.db import make_engine
from shared.logs import configure_logging

log = logging.getLogger("hs.notification.sender")


class Wakeup:
    """LISTEN email_queued on a connection of its own; waiting returns early on a NOTIFY."""

    def __init__(self, database_url: str):
        url = make_url(database_url)
        self.dsn = dict(host=url.host, port=url.port or 5432, user=url.username,
                        password=url.password, dbname=url.database, connect_timeout=5)
        self.conn = None

    def wait(self, seconds: float) -> None:
        try:
            if self.conn is None or self.conn.closed:
                self.conn = psycopg2.connect(**{k: v for k, v in self.dsn.items() if v})
                self.conn.autocommit = True
                self.conn.cursor().execute("LISTEN email_queued")
            if select.select([self.conn], [], [], seconds)[0]:
                self.conn.poll()
                self.conn.notifies.clear()
        except (psycopg2.Error, OSError):
            self.conn = None
            time.sleep(seconds)


def main() -> int:
    config = load_config()
    configure_logging("notification-sender")
    engine = make_engine(config.settings.database_url, pool_size=2)
    store = OutgoingStore(engine)
    transport = SmtpTransport(config.smtp)
    sender = Sender(store, transport, sender_address=config.smtp.sender,
                    message_id_domain=config.message_id_domain,
                    retry_base=config.retry_base_seconds, retry_max=config.retry_max_seconds,
                    max_attempts=config.max_attempts)
    wakeup = Wakeup(config.settings.database_url)
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("sender started: SMTP %s:%s (STARTTLS %s)", config.smtp.host, config.smtp.port,
             config.smtp.starttls)
    db_wait = 0.5
    while running:
        try:
            outcome = sender.send_one()
            db_wait = 0.5
        except DBAPIError as exc:
            log.warning("database unavailable: %s", exc)
            store.drop_connection()
            time.sleep(db_wait)
            db_wait = min(db_wait * 2, 10)
            continue
        if outcome is None:
            pause = max(0.0, sender.pause_until - time.monotonic())
            wakeup.wait(min(config.poll_seconds, pause) if pause else config.poll_seconds)
    transport.close()
    store.close()
    log.info("sender stopped")
    return 0


if __name__ == "__main__":
    sys.exit(main())
