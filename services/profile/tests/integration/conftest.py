"""Integration fixtures: the run's PostgreSQL database, the real consumer and relay processes on
the run's broker prefix, a frozen shared clock, and a queue that records what profile publishes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from datetime import datetime

import pika
import pytest

from shared.clock import BEIJING, clock_from_settings
from shared.config import REPO_ROOT, load_settings
from shared.events import Event
from shared.events.broker import connect, declare_queue
from shared.testing import auth_header, migrate_service

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=BEIJING)


def wait_for(probe, timeout: float = 15.0, interval: float = 0.05):
    """Poll `probe` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = probe()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {getattr(probe, '__name__', probe)}")
        time.sleep(interval)


@pytest.fixture(scope="session")
def settings():
    migrate_service("profile")
    return load_settings("profile")


@pytest.fixture(scope="session")
def frozen_clock(settings):
    clock = clock_from_settings(settings)
    clock.set(NOW, frozen=True)
    yield clock
    clock.reset()


class Broker:
    """Publishes as other services do and reads what profile published."""

    def __init__(self, settings):
        self.settings = settings
        self.connection = connect(settings.amqp_url)
        self.channel = self.connection.channel()
        self.tap = f"{settings.broker_prefix}test.profile-tap.{uuid.uuid4().hex[:6]}"
        declare_queue(self.channel, settings, self.tap, ["profile.#"])
        self.seen: list[dict] = []

    def publish(self, event_type: str, body: dict, event_id: str | None = None) -> Event:
        event = Event(type=event_type, body=body, producer="test",
                      id=event_id or str(uuid.uuid4()))
        self.channel.basic_publish(self.settings.exchange, event_type, event.to_json(),
                                   properties=pika.BasicProperties(delivery_mode=2,
                                                                   message_id=event.id))
        return event

    def drain(self) -> list[dict]:
        while True:
            method, _props, body = self.channel.basic_get(self.tap, auto_ack=True)
            if method is None:
                return self.seen
            self.seen.append(json.loads(body))

    def events(self, event_type: str, **match) -> list[dict]:
        return [e for e in self.drain() if e["type"] == event_type
                and all(e["body"].get(k) == v for k, v in match.items())]

    def wait_event(self, event_type: str, timeout: float = 15.0, **match) -> list[dict]:
        return wait_for(lambda: self.events(event_type, **match), timeout)


@pytest.fixture(scope="session")
def processes(settings, frozen_clock):
    """The service's real consumer and relay, as the Procfile runs them."""
    from services.profile.entrypoints.consumer import build_consumer

    build_consumer(settings).declare()  # the queue exists before anything is published
    env = dict(os.environ, PYTHONPATH=str(REPO_ROOT))
    started = [subprocess.Popen([sys.executable, "-m", module, *args], cwd=REPO_ROOT, env=env,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
               for module, args in (("services.profile.entrypoints.consumer", []),
                                    ("shared.events.relay", ["profile"]))]
    yield started
    for process in started:
        process.terminate()
    for process in started:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="session")
def broker(settings, processes):
    b = Broker(settings)
    yield b
    if b.connection.is_open:  # a broker restart by the fault tests may have closed it already
        try:
            b.connection.close()
        except pika.exceptions.AMQPError:
            pass


@pytest.fixture(scope="session")
def app(settings, frozen_clock):
    from services.profile.entrypoints.app import create_app

    return create_app(settings)


@pytest.fixture
def client(app):
    return app.test_client()


class Applicant:
    def __init__(self, client, account_id: str):
        self.client = client
        self.account_id = account_id
        self.headers = auth_header(account_id, ["applicant"])

    def call(self, method: str, path: str, lang: str = "zh-Hans", **kwargs):
        headers = dict(self.headers, **{"X-Lang": lang})
        return getattr(self.client, method)(f"/api/profile{path}", headers=headers, **kwargs)

    def me(self):
        response = self.call("get", "/me")
        assert response.status_code == 200, response.json
        return response.json


def register(broker, settings, account_id: str, nationality="HK", document_type="hk_macao_resident_permit",
             document_number=None, event_id=None) -> dict:
    """identity's event, through the broker and the real consumer."""
    body = {"account_id": account_id, "nationality": nationality,
            "document_type": document_type,
            "document_number": document_number or f"H{uuid.uuid4().int % 10**8:08d}",
            "lang": "zh-Hans", "registered_at": NOW.isoformat()}
    broker.publish("identity.account.registered", body, event_id=event_id)
    return body


def account_known(app, account_id: str):
    from services.profile.adapters.models import Account

    def probe():
        with app.extensions["hs"].sessions() as session:
            row = session.get(Account, account_id)
            return row if row is not None and row.known_from_identity else None
    return probe


@pytest.fixture
def registered(client, broker, settings, app):
    """A freshly registered applicant (identity's event processed by the real consumer)."""
    def make(**kwargs) -> Applicant:
        account_id = str(uuid.uuid4())
        body = register(broker, settings, account_id, **kwargs)
        wait_for(account_known(app, account_id))
        applicant = Applicant(client, account_id)
        applicant.document = body
        return applicant
    return make


def reviewer_headers(lang="zh-Hans"):
    return dict(auth_header(f"reviewer-{uuid.uuid4().hex[:6]}", ["reviewer"]), **{"X-Lang": lang})
