"""Fixtures for identity's integration tests: the run's own PostgreSQL database, the app, and
helpers that make each test's documents unique (tests share the database)."""

from __future__ import annotations

import random

import pytest

from shared.testing import migrate_service

# "0" is not in the captcha alphabet (domain/captcha.py), so this answer is never right
WRONG_CAPTCHA_ANSWER = "0000"

pytestmark = pytest.mark.integration


@pytest.fixture(scope="session")
def identity_database() -> str:
    return migrate_service("identity")


@pytest.fixture(scope="session")
def app(identity_database):
    from services.identity.entrypoints.app import create_app

    application = create_app()
    application.config["TESTING"] = True
    yield application
    application.extensions["hs"].engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def sessions(app):
    return app.extensions["hs"].sessions


def random_digits(count: int) -> str:
    return "".join(random.choice("0123456789") for _ in range(count))


@pytest.fixture
def new_hk_number():
    return lambda: "H" + random_digits(8)


class Api:
    """Small helpers over the test client, in a chosen language."""

    def __init__(self, client):
        self.client = client

    def captcha(self) -> dict:
        response = self.client.post("/api/identity/captchas")
        assert response.status_code == 201, response.get_json()
        return response.get_json()

    def registration(self, **changes) -> dict:
        challenge = self.captcha()
        body = {"nationality": "HK", "document_type": "hk_macao_resident_permit",
                "document_number": "H" + random_digits(8), "password": "abcd1234",
                "password_confirmation": "abcd1234", "captcha_id": challenge["captcha_id"],
                "captcha_answer": challenge["answer"], "consent": True}
        body.update(changes)
        return body

    def register(self, lang: str = "zh-Hans", **changes):
        return self.client.post("/api/identity/registrations", json=self.registration(**changes),
                                headers={"X-Lang": lang})

    def login(self, document_type, document_number, password, lang="zh-Hans"):
        return self.client.post("/api/identity/sessions", headers={"X-Lang": lang}, json={
            "document_type": document_type, "document_number": document_number,
            "password": password})


@pytest.fixture
def api(client):
    return Api(client)


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def outbox_events(sessions, event_type: str) -> list[dict]:
    from sqlalchemy import text

    with sessions() as session:
        rows = session.execute(text("SELECT body FROM event_outbox WHERE event_type = :t "
                                    "ORDER BY seq"), {"t": event_type}).all()
    return [row.body for row in rows]
