"""A consumer of the dead-letter exchange: every message any queue of the system gave up on
(bound with `#`) becomes an operator alert. The parking queues `<queue>.dead` keep the
messages themselves; this queue only hears about them.

Its own failures are dead-lettered through the default exchange to `<queue>.dead`, never back
to the dead-letter exchange, so an alert that cannot be handled does not loop."""

from __future__ import annotations

import hashlib
import json
import uuid

from shared.events import Event
from shared.events.broker import DELIVERY_LIMIT, declare_exchanges
from shared.events.consumer import Consumer

DEAD_LETTER_TYPE = "notification.dead_letter"
_NAMESPACE = uuid.UUID("5b0e6a4e-7a39-4b8e-9d51-3c1f0f8f2a10")


def describe_dead_letter(body: bytes, headers: dict | None, routing_key: str) -> Event:
    """The alert event for one dead-lettered message: what it was, where it died, why. Its id is
    stable per (queue, original event), so a redelivered dead letter alerts once."""
    headers = headers or {}
    deaths = headers.get("x-death") or []
    latest = deaths[0] if deaths else {}
    queue = _text(latest.get("queue") or headers.get("x-first-death-queue") or routing_key)
    reason = _text(latest.get("reason") or headers.get("x-first-death-reason") or "")
    try:
        original = json.loads(body)
        event_id, event_type = str(original["id"]), str(original["type"])
    except (ValueError, KeyError, TypeError):
        event_id, event_type = hashlib.sha256(body).hexdigest()[:32], "(unreadable)"
    return Event(
        type=DEAD_LETTER_TYPE, producer="notification",
        id=str(uuid.uuid5(_NAMESPACE, f"{queue}|{event_id}")),
        body={"event_id": event_id, "event_type": event_type, "queue": queue, "reason": reason,
              "count": int(latest.get("count") or 1)})


def _text(value) -> str:
    return value.decode(errors="replace") if isinstance(value, bytes) else str(value)


class DeadLetterConsumer(Consumer):
    def declare(self, channel=None) -> None:
        from shared.events.broker import connect

        own = channel is None
        if own:
            connection = connect(self.settings.amqp_url)
            channel = connection.channel()
        declare_exchanges(channel, self.settings)
        parking = f"{self.queue}.dead"
        channel.queue_declare(parking, durable=True, arguments={"x-queue-type": "quorum"})
        channel.queue_declare(self.queue, durable=True, arguments={
            "x-queue-type": "quorum",
            "x-delivery-limit": DELIVERY_LIMIT,
            "x-dead-letter-exchange": "",
            "x-dead-letter-routing-key": parking,
        })
        channel.queue_bind(self.queue, self.settings.dead_letter_exchange, routing_key="#")
        if own:
            connection.close()

    def _on_message(self, channel, method, properties, body):
        alert = describe_dead_letter(body, getattr(properties, "headers", None),
                                     method.routing_key)
        super()._on_message(channel, method, properties, alert.to_json())
