"""Pytest fixtures shared by every service's tests (loaded by the root conftest.py).

A test run owns throw-away resources on the real servers: databases named
`hs_<service>_t<run>`, broker objects prefixed `t<run>.`, its own JWT keys and clock file.
"""

from __future__ import annotations

import os
import secrets
import shutil
import subprocess
import tempfile
from datetime import timedelta
from pathlib import Path

import jwt as pyjwt
import pytest

RUN_ID = os.environ.get("HS_TEST_RUN_ID") or secrets.token_hex(3)
_TMP = Path(tempfile.mkdtemp(prefix=f"hs-test-{RUN_ID}-"))

# Set before any service module reads its settings.
os.environ.setdefault("HS_MODE", "test")
os.environ["DATABASE_SUFFIX"] = f"_t{RUN_ID}"
os.environ["BROKER_PREFIX"] = f"t{RUN_ID}."
os.environ["CLOCK_FILE"] = str(_TMP / "clock.json")
os.environ["JWT_KEY_DIR"] = str(_TMP / "keys")
os.environ.pop("JWT_PUBLIC_KEY_PATH", None)
os.environ.pop("JWT_PRIVATE_KEY_PATH", None)

from shared.config import load_settings  # noqa: E402
from shared.keys import ensure_keys  # noqa: E402

ensure_keys(load_settings("identity"))
_created_databases: list[str] = []


def migrate_service(service: str) -> str:
    """Create and migrate the run's database for `service`; dropped when the run ends."""
    from shared.migrate import upgrade

    url = load_settings(service).database_url
    upgrade(service, url)
    if url not in _created_databases:
        _created_databases.append(url)
    return url


def make_token(account_id: str, roles=("applicant",), *, minutes: int = 30, **claims) -> str:
    """A token signed like identity signs, for tests of the verifying services."""
    import datetime as dt

    settings = load_settings("identity")
    now = dt.datetime.now(dt.UTC)
    payload = {"sub": str(account_id), "roles": list(roles), "iss": settings.jwt_issuer,
               "aud": settings.jwt_audience, "iat": now, "nbf": now, "jti": secrets.token_hex(8),
               "exp": now + timedelta(minutes=minutes), "type": "access", "fresh": False}
    payload.update(claims)
    return pyjwt.encode(payload, settings.jwt_private_key_path.read_text(), algorithm="RS256")


def auth_header(account_id: str, roles=("applicant",), **claims) -> dict[str, str]:
    return {"Authorization": f"Bearer {make_token(account_id, roles, **claims)}"}


@pytest.fixture(scope="session")
def run_id() -> str:
    return RUN_ID


@pytest.fixture
def clock():
    """The system clock of this test run; reset after each test."""
    from shared.clock import clock_from_settings

    c = clock_from_settings(load_settings("test"))
    yield c
    c.reset()


def pytest_sessionfinish(session, exitstatus):
    if os.environ.get("HS_KEEP_TEST_RESOURCES"):
        return
    from shared.db import drop_database

    for url in _created_databases:
        try:
            drop_database(url)
        except Exception:  # noqa: BLE001 - cleanup must not hide the test result
            pass
    _delete_broker_objects(f"t{RUN_ID}.")
    shutil.rmtree(_TMP, ignore_errors=True)


def _delete_broker_objects(prefix: str) -> None:
    """Remove this run's queues and exchanges (names start with the run's prefix)."""
    try:
        import pika

        from shared.events.broker import connect

        names = subprocess.run(["rabbitmqctl", "-q", "list_queues", "name"], capture_output=True,
                               text=True, timeout=30).stdout.split()
        connection = connect(load_settings("test").amqp_url)
        channel = connection.channel()
        for name in names:
            if name.startswith(prefix):
                channel.queue_delete(name)
        for exchange in ("hs.events", "hs.dead"):
            channel.exchange_delete(prefix + exchange)
        connection.close()
        del pika
    except Exception:  # noqa: BLE001 - best effort
        pass
