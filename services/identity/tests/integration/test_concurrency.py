"""Races decided by the database: one account per document (R2.4), one use per captcha."""

import threading
from datetime import datetime

import pytest

from services.identity.service_layer import handlers
from services.identity.tests.integration.conftest import random_digits
from shared.clock import BEIJING
from shared.errors import ApiError

pytestmark = pytest.mark.integration

NOW = datetime(2026, 12, 3, 10, 0, tzinfo=BEIJING)


def _race(count, action):
    barrier = threading.Barrier(count)
    results = []

    def run():
        barrier.wait()
        results.append(action())
    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_r2_4_concurrent_registrations_of_one_document_make_one_account(sessions):
    number = "H" + random_digits(8)

    def register():
        with sessions() as session:
            try:
                handlers.register(session, handlers.NewAccount(
                    "HK", "hk_macao_resident_permit", number, "abcd1234", "en"), NOW)
                session.commit()
                return "created"
            except ApiError as error:
                return error.code
    results = _race(4, register)
    assert sorted(results) == ["account.document_exists"] * 3 + ["created"]


def test_r2_2_6_a_captcha_passes_once_under_concurrency(sessions):
    with sessions() as session:
        challenge = handlers.create_captcha(session, NOW)
        session.commit()

    def use():
        with sessions() as session:
            problem = handlers.consume_captcha(session, challenge.id, challenge.answer, NOW)
            session.commit()
            return problem
    results = _race(4, use)
    assert sorted(results, key=str) == [None, "captcha.used", "captcha.used", "captcha.used"]
