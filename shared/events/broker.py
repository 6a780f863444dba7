"""Broker connection and topology: one topic exchange, durable quorum queues with a delivery
limit and a dead-letter exchange (RabbitMQ 3.10 sets no limit by itself)."""

from __future__ import annotations

import pika

DELIVERY_LIMIT = 5


def connect(amqp_url: str) -> pika.BlockingConnection:
    params = pika.URLParameters(amqp_url)
    params.heartbeat = 30
    params.blocked_connection_timeout = 30
    params.connection_attempts = 3
    params.retry_delay = 1
    params.client_properties = {"connection_name": "hs"}
    return pika.BlockingConnection(params)


def declare_exchanges(channel, settings) -> None:
    channel.exchange_declare(settings.exchange, exchange_type="topic", durable=True)
    channel.exchange_declare(settings.dead_letter_exchange, exchange_type="topic", durable=True)


def declare_queue(channel, settings, queue: str, binding_keys: list[str],
                  delivery_limit: int = DELIVERY_LIMIT) -> None:
    """A consumer's quorum queue bound to its event types, and its dead-letter queue."""
    declare_exchanges(channel, settings)
    dead = f"{queue}.dead"
    channel.queue_declare(dead, durable=True, arguments={"x-queue-type": "quorum"})
    channel.queue_bind(dead, settings.dead_letter_exchange, routing_key=queue)
    channel.queue_declare(queue, durable=True, arguments={
        "x-queue-type": "quorum",
        "x-delivery-limit": delivery_limit,
        "x-dead-letter-exchange": settings.dead_letter_exchange,
        "x-dead-letter-routing-key": queue,
    })
    for key in binding_keys:
        channel.queue_bind(queue, settings.exchange, routing_key=key)


def topic_matches(pattern: str, routing_key: str) -> bool:
    """AMQP topic matching: `*` is one word, `#` zero or more."""
    def match(p: list[str], k: list[str]) -> bool:
        if not p:
            return not k
        if p[0] == "#":
            return any(match(p[1:], k[i:]) for i in range(len(k) + 1))
        if not k:
            return False
        return (p[0] == "*" or p[0] == k[0]) and match(p[1:], k[1:])
    return match(pattern.split("."), routing_key.split("."))
