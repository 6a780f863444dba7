"""Real PostgreSQL (the run's throw-away database) and, where events matter, real RabbitMQ.

Captchas are real tokens (shared/captcha_token.py) signed here with the key the app loads, as
identity signs them, with the answer TEST_CAPTCHA_ANSWER; identity's own issuing is covered by
the e2e suite.
"""

from __future__ import annotations

import itertools
import secrets
import uuid
from datetime import date, datetime, timedelta

import pytest

from services.booking.entrypoints.app import create_app
from services.booking.entrypoints.consumer import build_consumer
from shared import captcha_token
from shared.clock import BEIJING
from shared.config import load_settings
from shared.events import Event
from shared.testing import auth_header, migrate_service

TEST_CAPTCHA_ANSWER = "right"
_periods = itertools.count()
_FIRST_PERIOD = date(2031, 1, 1) + timedelta(days=secrets.randbelow(300) * 20)


@pytest.fixture(scope="session")
def booking_db():
    return migrate_service("booking")


@pytest.fixture(scope="session")
def app(booking_db):
    return create_app(view_cache_seconds=0)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def sessions(app):
    return app.extensions["hs"].sessions


@pytest.fixture
def period():
    """A period day of its own for each test (12 days apart), so tests never share dates."""
    return _FIRST_PERIOD + timedelta(days=12 * next(_periods))


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def new_document() -> str:
    return "H" + "".join(secrets.choice("0123456789") for _ in range(8))


def person(name: str, document: str | None = None, review_state: str = "approved", **extra):
    return {"document_type": "hk_macao_resident_permit", "document_number": document or new_document(),
            "name": name, "sex": "F", "date_of_birth": "1980-01-01", "destination": "深圳市福田区",
            "review_state": review_state, **extra}


def cohabitant(name: str, document: str | None = None, review_state: str = "approved"):
    return {"cohabitant_id": secrets.token_hex(4), "document_type": "hk_macao_resident_permit",
            "document_number": document or new_document(), "name": name,
            "date_of_birth": "1950-01-01", "relation": "parent", "category": "elderly",
            "review_state": review_state}


class Party:
    """A profile party delivered through booking's real consumer handler."""

    def __init__(self, consumer, account_id: str, me: dict, cohabitants: list[dict]):
        self.consumer = consumer
        self.account_id, self.me, self.cohabitants = account_id, me, cohabitants
        self.revision = 0

    @property
    def headers(self):
        return auth_header(self.account_id) | {"X-Lang": "en"}

    def publish(self, eligible: bool = True):
        self.revision += 1
        body = {"account_id": self.account_id, "revision": self.revision, "lang": "en",
                "person": self.me, "cohabitants": self.cohabitants, "eligible": eligible}
        self.consumer.process(Event(type="profile.party.changed", body=body, producer="profile"))
        return self


@pytest.fixture(scope="session")
def consumer(booking_db):
    return build_consumer(load_settings("booking"))


@pytest.fixture
def make_party(consumer):
    def make(name="Chan Tai Man", cohabitants=(), document=None, review_state="approved"):
        account_id = secrets.token_hex(6)
        return Party(consumer, account_id, person(name, document, review_state),
                     list(cohabitants)).publish()
    return make


def new_captcha(client, expires_at: datetime = datetime(2100, 1, 1, tzinfo=BEIJING),
                answer: str = TEST_CAPTCHA_ANSWER) -> str:
    """A captcha id as identity issues it, for an image showing `answer`."""
    key = client.application.extensions["booking"].captcha_key
    return captcha_token.sign(key, str(uuid.uuid4()), expires_at, answer)


def apply(client, party, dates, answer=TEST_CAPTCHA_ANSWER, captcha_id=None):
    return client.post("/api/booking/applications", headers=party.headers, json={
        "dates": [d.isoformat() for d in dates], "captcha_id": captcha_id or new_captcha(client),
        "captcha_answer": answer})


def operator_headers():
    return auth_header("op-1", roles=("operator",)) | {"X-Lang": "en"}
