"""The draw proves it holds exactly the entries booking closed the period with, and refuses,
loudly and once, until it has caught up (issue 5: 1,000 announced, 999 held)."""

import os
import random
import subprocess
import sys
import time

import pika
import pytest
from sqlalchemy import text

from services.lottery.domain.audit import verify_bundle
from services.lottery.entrypoints.consumer import build_consumer
from services.lottery.service_layer.drawing import draw_due_periods, draw_period
from services.lottery.tests.integration.helpers import (
    application_events,
    apply_events,
    at_draw,
    close_event,
    consume,
    dates_of,
    outbox,
)
from services.lottery.tests.integration.test_draw_exactly_once import replayed_bundle
from shared.config import REPO_ROOT
from shared.db import transaction
from shared.events.broker import connect, declare_exchanges

pytestmark = pytest.mark.integration


def held(sessions, period):
    with transaction(sessions) as session:
        return session.execute(text("SELECT count(*) FROM lottery_entry WHERE period = :p"),
                               {"p": period}).scalar()


def test_999_of_1000_entries_is_not_drawn_until_the_last_arrives_over_the_broker(
        engine, settings, sessions, period, caplog):
    dates = dates_of(period, 1)
    submitted = application_events(period, dates, 1000, random.Random(5), people=5000)
    closed = close_event(period, dates, {dates[0]: 150}, submitted)
    late = submitted[417]
    apply_events(sessions, [e for e in submitted if e is not late])
    consume(settings, sessions, [closed])
    assert held(sessions, period) == 999

    for _ in range(3):  # three scheduler ticks (any replicas): refused each time
        reports = [r for r in draw_due_periods(engine, sessions, at_draw(period), "tick")
                   if r.period == period]
        assert reports[0].outcome == "waiting_for_entries"
        assert "holds 999 entries" in reports[0].detail and "closed with 1000" in reports[0].detail
    assert any("refused" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)
    with transaction(sessions) as session:
        assert session.execute(text(
            "SELECT count(*) FROM lottery_draw_result WHERE period = :p"),
            {"p": period}).scalar() == 0
    failed = outbox(sessions, "lottery.draw.failed", period)
    assert len(failed) == 1 and failed[0]["date"] == dates[0]  # reported once, not every tick

    # the missing application arrives through RabbitMQ to the real consumer
    consumer = build_consumer(settings)
    consumer.declare()
    connection = connect(settings.amqp_url)
    channel = connection.channel()
    declare_exchanges(channel, settings)
    channel.confirm_delivery()
    for _ in range(2):  # delivered twice: the consumer applies it once
        channel.basic_publish(settings.exchange, late.type, late.to_json(),
                              properties=pika.BasicProperties(delivery_mode=2))
    connection.close()
    process = subprocess.Popen([sys.executable, "-m", "services.lottery.entrypoints.consumer"],
                               cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    try:
        deadline = time.monotonic() + 30
        while held(sessions, period) < 1000:
            assert process.poll() is None, "the consumer died"
            assert time.monotonic() < deadline, "the missing entry never arrived"
            time.sleep(0.1)
        time.sleep(0.5)  # let the duplicate delivery be processed too
    finally:
        process.terminate()
        process.wait(10)
    assert held(sessions, period) == 1000

    report = draw_period(engine, sessions, period, at_draw(period), "tick")
    assert report.outcome == "drawn" and report.drawn_now == dates
    bundle, _ = replayed_bundle(sessions, period)
    assert verify_bundle(bundle) == []


def test_an_entry_booking_never_closed_with_blocks_the_draw_too(engine, settings, sessions,
                                                                period):
    dates = dates_of(period, 1)
    submitted = application_events(period, dates, 20, random.Random(6))
    closed = close_event(period, dates, {dates[0]: 5}, submitted[:-1])  # 19 announced
    apply_events(sessions, submitted)
    consume(settings, sessions, [closed])
    report = draw_period(engine, sessions, period, at_draw(period), "tick")
    assert report.outcome == "waiting_for_entries" and "holds 20" in report.detail
    assert report.params == {"date": dates[0], "held": 20, "expected": 19}  # for the message
