"""Idempotent consumer: one transaction per delivery that records the event id, ack after commit.

    consumer = Consumer(settings, session_factory, "main", {
        "profile.person.changed": handle_person_changed,
    })
    consumer.run_forever()

A handler is `handler(session, event)`. It must not commit; the consumer does.
Database outages are waited out in place (they are not the message's fault and must not
use up its delivery limit); any other failure returns the message to the queue, and after the
queue's delivery limit the broker moves it to the dead-letter queue.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from collections.abc import Callable

from pika.exceptions import AMQPError, ConnectionWrongStateError
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, OperationalError

from shared.events.broker import connect, declare_queue, topic_matches
from shared.events.envelope import Event

log = logging.getLogger("hs.consumer")

Handler = Callable[[object, Event], None]


class Consumer:
    def __init__(self, settings, session_factory, name: str, handlers: dict[str, Handler],
                 prefetch: int = 20):
        self.settings = settings
        self.session_factory = session_factory
        self.queue = settings.queue(name)
        self.handlers = handlers
        self.prefetch = prefetch
        self.running = True
        self._connection = None

    def handler_for(self, event_type: str) -> Handler | None:
        if event_type in self.handlers:
            return self.handlers[event_type]
        for pattern, handler in self.handlers.items():
            if topic_matches(pattern, event_type):
                return handler
        return None

    def declare(self, channel=None) -> None:
        own = channel is None
        if own:
            connection = connect(self.settings.amqp_url)
            channel = connection.channel()
        declare_queue(channel, self.settings, self.queue, list(self.handlers))
        if own:
            connection.close()

    def process(self, event: Event) -> bool:
        """Apply one event exactly once. Returns False when it had been processed before."""
        handler = self.handler_for(event.type)
        session = self.session_factory()
        try:
            fresh = session.execute(text(
                "INSERT INTO processed_event (event_id, consumer, event_type) "
                "VALUES (:id, :c, :t) ON CONFLICT DO NOTHING RETURNING event_id"),
                {"id": event.id, "c": self.queue, "t": event.type}).first()
            if fresh is None:
                session.rollback()
                return False
            if handler is not None:
                handler(session, event)
            session.commit()
            return True
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def _on_message(self, channel, method, properties, body):
        try:
            event = Event.from_json(body)
        except (ValueError, KeyError, TypeError):
            log.error("unreadable message on %s, dead-lettering", self.queue)
            channel.basic_nack(method.delivery_tag, requeue=False)
            return
        wait = 0.5
        while True:
            try:
                self.process(event)
                break
            except DBAPIError as exc:
                if not (isinstance(exc, OperationalError) or exc.connection_invalidated):
                    self._fail(channel, method, event)
                    return
                log.warning("database unavailable while handling %s: %s", event.id, exc)
                self._pause(wait)
                wait = min(wait * 2, 10)
            except Exception:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
                self._fail(channel, method, event)
                return
        # Outside the handler's try: a broker error here is the connection's, not the event's.
        # It reaches run_forever, which reconnects; the redelivery is then a no-op.
        channel.basic_ack(method.delivery_tag)

    def _fail(self, channel, method, event: Event) -> None:
        log.exception("event %s (%s) failed on %s", event.id, event.type, self.queue)
        self._pause(0.5)  # a short pause so a failing message does not spin
        channel.basic_nack(method.delivery_tag, requeue=True)

    def _pause(self, seconds: float) -> None:
        """Sleep while heartbeats keep flowing. On a connection the broker has dropped pika's
        sleep raises ValueError ("Timeout closed before call"); raise an AMQP error instead so
        that run_forever reconnects."""
        if not self._connection.is_open:
            raise ConnectionWrongStateError("connection closed while handling a message")
        self._connection.sleep(seconds)

    def run_forever(self) -> None:
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, lambda *_: self.stop())
            signal.signal(signal.SIGINT, lambda *_: self.stop())
        backoff = 0.5
        while self.running:
            try:
                self._connection = connect(self.settings.amqp_url)
                channel = self._connection.channel()
                self.declare(channel)
                channel.basic_qos(prefetch_count=self.prefetch)
                channel.basic_consume(self.queue, self._on_message)
                log.info("consuming %s", self.queue)
                backoff = 0.5
                while self.running:
                    self._connection.process_data_events(time_limit=1)
            except Exception as exc:  # noqa: BLE001 - exiting would stop every process under honcho
                if isinstance(exc, (AMQPError, OSError)):
                    log.warning("consumer %s reconnecting: %s", self.queue, exc)
                else:
                    log.exception("consumer %s failed unexpectedly; reconnecting", self.queue)
            else:
                break
            self._close_connection()
            time.sleep(backoff)
            backoff = min(backoff * 2, 10)
        self._close_connection()

    def _close_connection(self) -> None:
        try:
            if self._connection is not None and self._connection.is_open:
                self._connection.close()
        except Exception:  # noqa: BLE001 - closing a broken connection may fail in many ways
            pass

    def stop(self) -> None:
        self.running = False


def serve(service: str, name: str, handlers: dict[str, Handler]) -> None:
    """The body of a service's `entrypoints/consumer.py` main."""
    from shared.config import load_settings
    from shared.db import make_engine, make_session_factory
    from shared.logs import configure_logging

    settings = load_settings(service)
    configure_logging(f"{service}-consumer")
    engine = make_engine(settings.database_url, pool_size=2)
    Consumer(settings, make_session_factory(engine), name, handlers).run_forever()
