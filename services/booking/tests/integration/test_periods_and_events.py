"""Opening and closing periods by the scheduler, and events over the real RabbitMQ."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta

import pika
import pytest
from sqlalchemy import text

from services.booking.domain.numbers import digest
from services.booking.entrypoints.consumer import build_consumer
from services.booking.entrypoints.scheduler import jobs
from shared.config import load_settings
from shared.events import Event
from shared.events.broker import connect, declare_exchanges
from shared.events.relay import OutboxRelay

from .conftest import apply, at, cohabitant

pytestmark = pytest.mark.integration


def outbox(sessions, event_type, period):
    with sessions() as session:
        return session.execute(text(
            "SELECT body FROM event_outbox WHERE event_type = :t AND body->>'period' = :p "
            "ORDER BY seq"), {"t": event_type, "p": period.isoformat()}).scalars().all()


def tick(clock):
    for _name, job in jobs(load_settings("booking")):
        job()


def test_period_opens_at_9_once_and_closes_at_18_once_with_counts_and_digest(
        client, clock, sessions, period, make_party):
    clock.set(at(period, 8, 59), frozen=True)
    tick(clock)
    assert outbox(sessions, "booking.period.opened", period) == []
    clock.set(at(period, 9, 0), frozen=True)
    tick(clock)
    tick(clock)
    opened = outbox(sessions, "booking.period.opened", period)
    assert len(opened) == 1
    assert opened[0]["dates"] == [(period + timedelta(days=i)).isoformat() for i in range(1, 7)]
    day = period + timedelta(days=1)
    numbers = []
    for party in (make_party(), make_party(cohabitants=[cohabitant("Wife")])):
        numbers += [a["application_number"] for a in
                    apply(client, party, [day]).json["applications"]]
    clock.set(at(period, 17, 59), frozen=True)
    tick(clock)
    assert outbox(sessions, "booking.period.closed", period) == []
    clock.set(at(period, 18, 0), frozen=True)
    tick(clock)
    tick(clock)
    closed = outbox(sessions, "booking.period.closed", period)
    assert len(closed) == 1
    assert closed[0]["dates"][day.isoformat()]["count"] == 2
    assert closed[0]["dates"][day.isoformat()]["digest"] == digest(numbers)
    assert closed[0]["dates"][(day + timedelta(days=1)).isoformat()]["count"] == 0
    submitted = [(b, a) for b in outbox(sessions, "booking.application.submitted", period)
                 for a in b["applications"] if a["application_number"] in numbers]
    assert {b["party_size"] for b, _ in submitted} == {1, 2}
    assert all(a["date"] == day.isoformat() for _, a in submitted)


def test_r6_3_submitted_event_names_the_profile_revision_the_checks_read(
        client, clock, sessions, period, make_party):
    """profile compares this revision with its own to undo a change that raced the
    application (R6.3)."""
    clock.set(at(period, 10, 0), frozen=True)
    party = make_party(cohabitants=[cohabitant("Wife")]).publish().publish()
    assert party.revision == 3
    day = period + timedelta(days=3)
    numbers = [a["application_number"] for a in
               apply(client, party, [day, day + timedelta(days=1)]).json["applications"]]
    [body] = [b for b in outbox(sessions, "booking.application.submitted", period)
              if b["applications"][0]["application_number"] in numbers]
    assert body["party_revision"] == 3
    assert body["account_id"] == party.account_id
    # one event per submission, its applications listed (version 2, docs/events.md)
    assert body["applications"] == [
        {"application_number": numbers[0], "date": day.isoformat()},
        {"application_number": numbers[1], "date": (day + timedelta(days=1)).isoformat()}]


def test_application_racing_the_close_is_either_counted_or_refused(client, clock, sessions,
                                                                   period, make_party):
    """The close waits for applications holding the period's share lock: every accepted
    application is in the closed event's count."""
    from services.booking.service_layer import handlers

    clock.set(at(period, 17, 59), frozen=True)
    with sessions() as session:
        handlers.ensure_period_opened(session, period, at(period, 9, 0))
        session.commit()
    parties = [make_party() for _ in range(6)]
    day = period + timedelta(days=2)
    accepted = []

    def submit(party):
        response = apply(client.application.test_client(), party, [day])
        if response.status_code == 201:
            accepted.append(response.json["applications"][0]["application_number"])

    threads = [threading.Thread(target=submit, args=(p,)) for p in parties]
    for t in threads:
        t.start()
    with sessions() as session:
        handlers.close_period(session, period, at(period, 18, 0))
        session.commit()
    for t in threads:
        t.join(timeout=30)
    closed = outbox(sessions, "booking.period.closed", period)
    assert len(closed) == 1
    assert closed[0]["dates"][day.isoformat()]["count"] == len(accepted)
    assert closed[0]["dates"][day.isoformat()]["digest"] == digest(accepted)


def test_submission_that_waited_for_the_close_is_refused_and_keeps_nothing(
        client, clock, sessions, period, make_party):
    """The submission read the period as open, then waited for the close's lock: it reads the
    state again under the lock (booking_hold_open_period) and stores nothing."""
    from services.booking.service_layer import handlers

    clock.set(at(period, 17, 59), frozen=True)
    with sessions() as session:
        handlers.ensure_period_opened(session, period, at(period, 9, 0))
        session.commit()
    party = make_party()
    closing = sessions()
    assert handlers.close_period(closing, period, at(period, 18, 0)) is not None
    result = {}
    thread = threading.Thread(target=lambda: result.setdefault(
        "response", apply(client.application.test_client(), party, [period + timedelta(days=1)])))
    thread.start()
    thread.join(timeout=1.0)
    assert thread.is_alive(), "the submission must wait for the close"
    closing.commit()
    closing.close()
    thread.join(timeout=10)
    assert result["response"].json["error"]["code"] == "booking.window_closed"
    with sessions() as session:
        assert session.execute(text("SELECT count(*) FROM application WHERE account_id = :a"),
                               {"a": party.account_id}).scalar() == 0


def test_events_travel_over_rabbitmq_both_ways(client, clock, sessions, period, make_party):
    """Relay publishes booking.application.submitted to the real broker; booking's consumer
    takes lottery.results.published from it and creates the reservation."""
    settings = load_settings("booking")
    connection = connect(settings.amqp_url)
    channel = connection.channel()
    declare_exchanges(channel, settings)
    listen = f"{settings.broker_prefix}booking-test.{uuid.uuid4().hex[:8]}"
    channel.queue_declare(listen, exclusive=True)
    channel.queue_bind(listen, settings.exchange, routing_key="booking.application.submitted")
    consumer = build_consumer(settings)
    consumer.declare()

    party = make_party()
    clock.set(at(period, 10, 0), frozen=True)
    number = apply(client, party, [period + timedelta(days=1)]).json[
        "applications"][0]["application_number"]
    relay = OutboxRelay(settings)
    deadline = time.monotonic() + 20
    seen = None
    while time.monotonic() < deadline and seen is None:
        relay.publish_batch()
        for method, _props, body in iter(lambda: channel.basic_get(listen, auto_ack=True),
                                         (None, None, None)):
            event = Event.from_json(body)
            if [a["application_number"] for a in event.body.get("applications", [])] == [number]:
                seen = event
            del method
    assert seen is not None and seen.type == "booking.application.submitted"
    assert seen.version == 2
    assert seen.body["party"][0]["document_number"] == party.me["document_number"]

    results = Event(type="lottery.results.published", producer="lottery", body={
        "period": period.isoformat(), "seed": "ab" * 32, "dates": {},
        "winners": [{"application_number": number, "account_id": party.account_id,
                     "date": (period + timedelta(days=1)).isoformat()}]})
    channel.basic_publish(settings.exchange, results.type, results.to_json(),
                          properties=pika.BasicProperties(delivery_mode=2))
    # the consumer's own delivery path (run_forever's loop, in this thread)
    consumer._connection = connect(settings.amqp_url)
    consumer_channel = consumer._connection.channel()
    consumer_channel.basic_consume(consumer.queue, consumer._on_message)
    clock.set(at(period, 20, 0), frozen=True)
    state = None
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and state is None:
        consumer._connection.process_data_events(time_limit=0.2)
        items = client.get("/api/booking/reservations", headers=party.headers).json["items"]
        state = items[0]["state"] if items else None
    consumer._connection.close()
    connection.close()
    assert state == "active"
