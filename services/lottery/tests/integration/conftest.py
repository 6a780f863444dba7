import random
import secrets
from datetime import date, timedelta

import pytest

from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.testing import migrate_service


@pytest.fixture(scope="session")
def lottery_db():
    return migrate_service("lottery")


@pytest.fixture(scope="session")
def settings(lottery_db, tmp_path_factory):
    import dataclasses

    base = load_settings("lottery")
    return dataclasses.replace(base, var_dir=tmp_path_factory.mktemp("var"))


@pytest.fixture(scope="session")
def engine(settings):
    engine = make_engine(settings.database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def sessions(engine):
    return make_session_factory(engine)


_used: set[str] = set()


@pytest.fixture
def period():
    """A period name no other test of the run uses (tests share one database)."""
    while True:
        day = date(2040, 1, 1) + timedelta(days=random.randrange(20000))
        if day.isoformat() not in _used:
            _used.add(day.isoformat())
            return day.isoformat()


@pytest.fixture
def token():
    return secrets.token_hex(4)
