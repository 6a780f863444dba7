"""Events through the real RabbitMQ: identity's outbox is relayed; booking's account decisions
are consumed by the identity consumer process (R12.4)."""

import json
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta

import pika
import pytest

from services.identity.adapters.models import Account
from services.identity.entrypoints.consumer import build_consumer
from services.identity.service_layer import handlers
from services.identity.tests.integration.conftest import random_digits
from shared.config import REPO_ROOT, load_settings
from shared.events import Event
from shared.events.broker import connect, declare_exchanges
from shared.events.relay import OutboxRelay

pytestmark = pytest.mark.integration

HRP = "hk_macao_resident_permit"


def _wait_for(predicate, timeout=20.0, interval=0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


def test_registered_event_is_relayed_to_the_broker(api, identity_database):
    settings = load_settings("identity")
    connection = connect(settings.amqp_url)
    channel = connection.channel()
    declare_exchanges(channel, settings)
    queue = channel.queue_declare(f"{settings.broker_prefix}probe.{uuid.uuid4().hex[:8]}",
                                  exclusive=True).method.queue
    channel.queue_bind(queue, settings.exchange, routing_key="identity.account.registered")
    account_id = api.register().get_json()["account"]["id"]
    relay = OutboxRelay(settings)
    try:
        def received():
            relay.publish_batch()
            while True:
                method, properties, body = channel.basic_get(queue, auto_ack=True)
                if method is None:
                    return None
                event = json.loads(body)
                if event["body"]["account_id"] == account_id:
                    return event
        event = _wait_for(received)
    finally:
        relay._close_connection()
        relay.engine.dispose()
        connection.close()
    assert event["type"] == "identity.account.registered"
    assert event["producer"] == "identity"
    assert set(event["body"]) >= {"account_id", "nationality", "document_type",
                                  "document_number", "lang", "registered_at"}


def _publish(settings, event: Event) -> None:
    connection = connect(settings.amqp_url)
    channel = connection.channel()
    channel.confirm_delivery()
    channel.basic_publish(settings.exchange, event.type, event.to_json(),
                          properties=pika.BasicProperties(delivery_mode=2,
                                                          message_id=event.id),
                          mandatory=True)
    connection.close()


def _status(sessions, account_id):
    with sessions() as session:
        return session.get(Account, account_id).status


def test_r12_4_disabled_account_refused_with_the_reason(api, sessions, identity_database):
    settings = load_settings("identity")
    number = "H" + random_digits(8)
    account_id = api.register(document_number=number).get_json()["account"]["id"]
    build_consumer(settings).declare()  # the queue exists before we publish
    process = subprocess.Popen([sys.executable, "-m", "services.identity.entrypoints.consumer"],
                               cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _publish(settings, Event(type="booking.account.disabled", producer="booking", body={
            "account_id": account_id, "reason": "frequent_cancellations", "lang": "zh-Hans"}))
        _wait_for(lambda: _status(sessions, account_id) == "disabled")
        for lang, text in [
            ("zh-Hans", "您的账号已被禁用：频繁预约后取消，账号已被永久禁用。如有疑问请联系客服邮箱"),
            ("en", "Your account has been disabled: it booked and then cancelled too often, so "
                   "it has been permanently disabled. Please contact the support mailbox if "
                   "you have questions")]:
            refused = api.login(HRP, number, "abcd1234", lang=lang)
            assert refused.status_code == 403
            assert refused.get_json()["error"]["code"] == "account.disabled"
            assert refused.get_json()["error"]["message"] == text
        _publish(settings, Event(type="booking.account.reinstated", producer="booking",
                                 body={"account_id": account_id}))
        _wait_for(lambda: _status(sessions, account_id) == "active")
        assert api.login(HRP, number, "abcd1234").status_code == 200
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_r12_4_stale_and_repeated_events_are_harmless(api, sessions, identity_database):
    settings = load_settings("identity")
    consumer = build_consumer(settings)
    account_id = api.register().get_json()["account"]["id"]
    now = datetime.now(UTC)
    disabled = Event(type="booking.account.disabled", body={"account_id": account_id,
                                                            "reason": "other", "lang": "en"},
                     occurred_at=now.isoformat())
    stale_reinstate = Event(type="booking.account.reinstated", body={"account_id": account_id},
                            occurred_at=(now - timedelta(seconds=5)).isoformat())
    assert consumer.process(disabled) is True
    assert consumer.process(disabled) is False  # same id: skipped
    assert consumer.process(stale_reinstate) is True
    assert _status(sessions, account_id) == "disabled"  # older than the disable: ignored
    with sessions() as session:
        handlers.reinstate_account(session, account_id, now + timedelta(seconds=1))
        session.commit()
    assert _status(sessions, account_id) == "active"
    consumer.session_factory.kw["bind"].dispose()
