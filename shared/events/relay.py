"""Outbox relay: publishes a service's outbox rows with publisher confirms, retrying until the
broker confirms. Several relays may run: rows are claimed with FOR UPDATE SKIP LOCKED.

    python -m shared.events.relay <service>
"""

from __future__ import annotations

import logging
import signal
import sys
import time
from datetime import UTC, datetime

import pika
from pika.exceptions import AMQPError, NackError, UnroutableError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from shared.config import load_settings
from shared.db import make_engine
from shared.events.broker import connect, declare_exchanges
from shared.events.envelope import Event
from shared.logs import configure_logging

log = logging.getLogger("hs.relay")


class OutboxRelay:
    def __init__(self, settings, engine=None, batch_size: int = 200, idle_sleep: float = 0.1):
        self.settings = settings
        self.engine = engine or make_engine(settings.database_url, pool_size=2)
        self.batch_size = batch_size
        self.idle_sleep = idle_sleep
        self._connection = None
        self._channel = None
        self.running = True

    def _ensure_channel(self):
        if self._channel is None or self._channel.is_closed:
            self._connection = connect(self.settings.amqp_url)
            self._channel = self._connection.channel()
            self._channel.confirm_delivery()
            declare_exchanges(self._channel, self.settings)
        return self._channel

    def publish_batch(self) -> int:
        """Publish one batch; returns how many rows were published."""
        published = 0
        with self.engine.begin() as conn:
            rows = conn.execute(text(
                "SELECT seq, event_id, event_type, body, occurred_at, version FROM event_outbox "
                "WHERE state = 'not-published' ORDER BY seq LIMIT :n FOR UPDATE SKIP LOCKED"),
                {"n": self.batch_size}).all()
            if not rows:
                return 0
            channel = self._ensure_channel()
            for row in rows:
                event = Event(type=row.event_type, body=row.body, producer=self.settings.service,
                              id=row.event_id, occurred_at=row.occurred_at.isoformat(),
                              version=row.version)
                note = None
                try:
                    channel.basic_publish(
                        self.settings.exchange, event.type, event.to_json(),
                        properties=pika.BasicProperties(
                            content_type="application/json", delivery_mode=2,
                            message_id=event.id, type=event.type,
                            headers={"producer": self.settings.service}),
                        mandatory=True)
                except UnroutableError:
                    # No queue is bound to this type: nobody subscribes, so nothing is lost.
                    note = "unroutable"
                    log.warning("event %s (%s) had no subscriber", event.id, event.type)
                except NackError:
                    break  # broker refused: keep the row, try again next round
                conn.execute(text(
                    "UPDATE event_outbox SET state = 'published', published_at = :now, "
                    "attempts = attempts + 1, last_error = :note WHERE seq = :seq"),
                    {"now": datetime.now(UTC), "seq": row.seq, "note": note})
                published += 1
        return published

    def run_forever(self) -> None:
        backoff = 0.5
        while self.running:
            try:
                count = self.publish_batch()
                backoff = 0.5
                if count == 0:
                    if self._connection is not None and self._connection.is_open:
                        self._connection.sleep(self.idle_sleep)  # keeps heartbeats flowing
                    else:
                        time.sleep(self.idle_sleep)
            except Exception as exc:  # noqa: BLE001 - exiting would stop every process under honcho
                if isinstance(exc, (AMQPError, OSError, DBAPIError)):
                    log.warning("relay waiting for broker/database: %s", exc)
                else:
                    log.exception("relay failed unexpectedly; retrying")
                self._channel = None
                self._close_connection()
                time.sleep(backoff)
                backoff = min(backoff * 2, 10)
        self._close_connection()

    def _close_connection(self):
        try:
            if self._connection is not None and self._connection.is_open:
                self._connection.close()
        except Exception:  # noqa: BLE001 - closing a broken connection may fail in many ways
            pass
        self._connection = None


def main(argv: list[str]) -> int:
    service = argv[0]
    settings = load_settings(service)
    configure_logging(f"{service}-relay")
    relay = OutboxRelay(settings)

    def stop(*_):
        relay.running = False
    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log.info("relay for %s started", service)
    relay.run_forever()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
