"""The event bus on the real PostgreSQL and RabbitMQ: outbox -> relay -> quorum queue -> consumer."""

import socket
import threading
import time

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, text

from shared.config import load_settings
from shared.db import drop_database, ensure_database, make_engine, make_session_factory
from shared.events import Event, event_tables, record_event
from shared.events.broker import connect, declare_queue
from shared.events.consumer import Consumer
from shared.events.relay import OutboxRelay

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def bus():
    settings = load_settings("sharedtest")
    ensure_database(settings.database_url)
    engine = make_engine(settings.database_url)
    metadata = MetaData()
    event_tables(metadata)
    Table("seen", metadata, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("event_id", String(36)), Column("value", String(50)))
    metadata.create_all(engine)
    yield settings, engine, make_session_factory(engine)
    engine.dispose()
    drop_database(settings.database_url)


def _wait(predicate, timeout=15.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def _seen(engine):
    with engine.connect() as conn:
        return conn.execute(text("SELECT event_id, value FROM seen ORDER BY id")).all()


def test_event_written_in_a_rolled_back_transaction_is_never_published(bus):
    settings, engine, sessions = bus
    session = sessions()
    record_event(session, "test.rolled.back", {"x": 1})
    session.rollback()
    session.close()
    with engine.connect() as conn:
        assert conn.execute(text(
            "SELECT count(*) FROM event_outbox WHERE event_type = 'test.rolled.back'")).scalar() == 0


def test_outbox_to_consumer_exactly_once_even_when_redelivered(bus):
    settings, engine, sessions = bus

    def handler(session, event):
        session.execute(text("INSERT INTO seen (event_id, value) VALUES (:i, :v)"),
                        {"i": event.id, "v": event.body["value"]})

    consumer = Consumer(settings, sessions, "once", {"test.thing.happened": handler})
    consumer.declare()
    with sessions() as session:
        event_id = record_event(session, "test.thing.happened", {"value": "héllo 你好"})
        session.commit()
    relay = OutboxRelay(settings, engine)
    assert relay.publish_batch() == 1
    assert relay.publish_batch() == 0  # published rows are not sent again
    thread = threading.Thread(target=consumer.run_forever, daemon=True)
    thread.start()
    try:
        assert _wait(lambda: len(_seen(engine)) == 1)
        # The same event again (a redelivery after a lost ack looks exactly like this).
        connection = connect(settings.amqp_url)
        channel = connection.channel()
        duplicate = Event(type="test.thing.happened", body={"value": "héllo 你好"}, id=event_id)
        channel.basic_publish(settings.exchange, duplicate.type, duplicate.to_json())
        connection.close()
        time.sleep(1.0)
        assert _seen(engine) == [(event_id, "héllo 你好")]
    finally:
        consumer.stop()
        thread.join(timeout=5)
        relay._close_connection()


def test_consumer_reconnects_when_its_connection_drops_mid_delivery(bus):
    """A broker restart drops the connection while a delivery is being handled: the ack then
    fails. The consumer must reconnect, not exit (under honcho one exiting process stops the
    whole system, as the e2e fault tests saw), and the redelivered event must change nothing."""
    settings, engine, sessions = bus
    dropped = []

    def handler(session, event):
        session.execute(text("INSERT INTO seen (event_id, value) VALUES (:i, :v)"),
                        {"i": event.id, "v": event.body["value"]})
        if not dropped:  # cut the consumer's own TCP connection, as a broker restart does
            dropped.append(event.id)
            consumer._connection._impl._transport._sock.shutdown(socket.SHUT_RDWR)

    consumer = Consumer(settings, sessions, "dropped", {"test.dropped": handler})
    consumer.declare()
    first, second = (Event(type="test.dropped", body={"value": v}) for v in ("first", "second"))
    connection = connect(settings.amqp_url)
    connection.channel().basic_publish(settings.exchange, first.type, first.to_json())
    thread = threading.Thread(target=consumer.run_forever, daemon=True)
    thread.start()
    try:
        assert _wait(lambda: dropped)
        connection.channel().basic_publish(settings.exchange, second.type, second.to_json())
        assert _wait(lambda: [v for _, v in _seen(engine)].count("second") == 1, timeout=30), \
            "the consumer did not come back after its connection dropped"
        assert thread.is_alive()
        assert [(i, v) for i, v in _seen(engine) if v == "first"] == [(first.id, "first")]
    finally:
        consumer.stop()
        thread.join(timeout=5)
        connection.close()


def test_failing_handler_is_retried_then_dead_lettered(bus):
    settings, engine, sessions = bus
    attempts = []

    def always_fails(session, event):
        attempts.append(event.id)
        raise RuntimeError("poison")

    consumer = Consumer(settings, sessions, "poison", {"test.poison": always_fails})
    consumer.declare()
    connection = connect(settings.amqp_url)
    channel = connection.channel()
    channel.basic_publish(settings.exchange, "test.poison",
                          Event(type="test.poison", body={}).to_json())
    thread = threading.Thread(target=consumer.run_forever, daemon=True)
    thread.start()
    try:
        dead_queue = f"{consumer.queue}.dead"

        def dead_count():
            return channel.queue_declare(dead_queue, passive=True).method.message_count

        assert _wait(lambda: dead_count() == 1, timeout=30)
        assert 2 <= len(attempts) <= 7  # bounded retries, then the dead-letter queue
        with engine.connect() as conn:  # nothing recorded as processed for a failed event
            assert conn.execute(text(
                "SELECT count(*) FROM processed_event WHERE event_type = 'test.poison'")).scalar() == 0
    finally:
        consumer.stop()
        thread.join(timeout=5)
        connection.close()


def test_queue_declaration_is_a_durable_quorum_queue_with_a_delivery_limit(bus):
    settings, _, _ = bus
    connection = connect(settings.amqp_url)
    channel = connection.channel()
    queue = settings.queue("shape")
    declare_queue(channel, settings, queue, ["test.shape"])
    # Redeclaring with different arguments would fail: the arguments are what we set.
    channel.queue_declare(queue, durable=True, passive=True)
    connection.close()

