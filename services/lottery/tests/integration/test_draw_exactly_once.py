"""Exactly one draw per date of a period, whatever the number of replicas (R8.1, R8.4)."""

import os
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta

import pytest
from sqlalchemy import text

from services.lottery.domain.audit import build_bundle, verify_bundle
from services.lottery.service_layer.drawing import draw_due_periods, draw_period
from services.lottery.service_layer.publication import replay
from services.lottery.tests.integration.helpers import at_draw, open_and_fill, outbox
from shared.clock import BEIJING
from shared.config import REPO_ROOT
from shared.db import transaction

pytestmark = pytest.mark.integration


def stored(sessions, period):
    with transaction(sessions) as session:
        results = session.execute(text(
            "SELECT date, winners, drawn_by FROM lottery_draw_result WHERE period = :p "
            "ORDER BY date"), {"p": period}).all()
        winner_rows = session.execute(text(
            "SELECT count(*) FROM lottery_winner WHERE period = :p"), {"p": period}).scalar()
    return results, winner_rows


def replayed_bundle(sessions, period):
    from services.lottery.adapters.repository import get_period

    with transaction(sessions) as session:
        row = get_period(session, period)
        batches, results = replay(session, row)
    return build_bundle(period, row.seed, batches, results), results


def race(workers):
    barrier = threading.Barrier(len(workers))
    reports, errors = [], []

    def run(work):
        try:
            barrier.wait()
            reports.append(work())
        except Exception as exc:  # noqa: BLE001 - surfaced by the assertion below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors, errors
    return reports


@pytest.mark.parametrize("use_lock", [True, False], ids=["advisory-lock", "unique-key-only"])
def test_three_racing_workers_draw_each_date_once_R8_1(engine, settings, sessions, period,
                                                       use_lock):
    dates, _, _ = open_and_fill(settings, sessions, period, per_date=60)
    reports = race([lambda i=i: draw_period(engine, sessions, period, at_draw(period),
                                            f"worker{i}", use_lock=use_lock)
                    for i in range(3)])
    results, winner_rows = stored(sessions, period)
    assert [r.date for r in results] == dates
    assert sorted(d for rep in reports for d in rep.drawn_now) == dates  # each date drawn once
    bundle, recomputed = replayed_bundle(sessions, period)
    assert [r.winners for r in results] == [r.winners for r in recomputed]
    assert winner_rows == sum(len(r.winners) for r in recomputed)
    assert verify_bundle(bundle) == []


def test_the_scheduler_tick_draws_only_at_18_30_and_then_nothing_more(engine, settings,
                                                                       sessions, period):
    open_and_fill(settings, sessions, period, per_date=20, n_dates=2)
    early = at_draw(period) - timedelta(minutes=1)
    assert all(r.period != period or r.outcome == "too_early"
               for r in draw_due_periods(engine, sessions, early, "tick"))
    assert stored(sessions, period)[0] == []
    draw_due_periods(engine, sessions, at_draw(period), "tick")
    first = stored(sessions, period)
    draw_due_periods(engine, sessions, at_draw(period) + timedelta(minutes=5), "tick")
    assert stored(sessions, period) == first and len(first[0]) == 2


def test_the_draw_time_recorded_is_the_shared_clocks_not_the_databases(
        engine, settings, sessions, period, clock):
    """The monitor shows when each date was drawn: with the clock set to day P (as tests and
    demos set it), that is day P's 18:30, whatever the database's own now() says."""
    open_and_fill(settings, sessions, period, per_date=10, n_dates=2)
    clock.set(at_draw(period) + timedelta(minutes=3, seconds=7), frozen=True)
    draw_due_periods(engine, sessions, clock.now(), "tick")  # as the scheduler's job calls it
    with transaction(sessions) as session:
        drawn_at = session.execute(text(
            "SELECT drawn_at FROM lottery_draw_result WHERE period = :p ORDER BY date"),
            {"p": period}).scalars().all()
        database_day = session.execute(text(
            "SELECT (now() AT TIME ZONE 'Asia/Shanghai')::date::text")).scalar()
    assert database_day != period  # the clock was moved away from real time
    assert drawn_at == [clock.now()] * 2
    assert {d.astimezone(BEIJING).date().isoformat() for d in drawn_at} == {period}


def test_a_worker_killed_mid_draw_leaves_nothing_half_done_and_another_completes_it(
        engine, settings, sessions, period, tmp_path):
    dates, _, _ = open_and_fill(settings, sessions, period, per_date=80)
    marker = tmp_path / "paused"
    child = subprocess.Popen(
        [sys.executable, "-m", "services.lottery.tests.integration.draw_child", period,
         dates[2], str(marker)], cwd=REPO_ROOT, env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    try:
        deadline = time.monotonic() + 60
        while not marker.exists():
            assert child.poll() is None, "the child draw worker died early"
            assert time.monotonic() < deadline, "the child never reached the third date"
            time.sleep(0.05)
        # mid-draw: dates 1 and 2 committed, date 3 inserted but not committed; the lock held
        busy = draw_period(engine, sessions, period, at_draw(period), "survivor")
        assert busy.outcome == "busy"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
    results, _ = stored(sessions, period)
    assert [r.date for r in results] == dates[:2]  # nothing of the third date survives
    deadline = time.monotonic() + 30
    while True:  # the server notices the dead connection and releases its lock
        report = draw_period(engine, sessions, period, at_draw(period), "survivor")
        if report.outcome != "busy" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert report.outcome == "drawn" and report.drawn_now == dates[2:]
    results, _ = stored(sessions, period)
    assert [r.drawn_by for r in results] == ["child"] * 2 + ["survivor"] * 4
    bundle, recomputed = replayed_bundle(sessions, period)
    assert [r.winners for r in results] == [r.winners for r in recomputed]
    assert verify_bundle(bundle) == []
    assert outbox(sessions, "lottery.draw.failed", period) == []


def test_the_close_time_recorded_is_the_one_booking_states_by_the_shared_clock(
        settings, sessions, period):
    """Booking closes the period at 18:00 by the shared clock and says so in its event; the
    lottery keeps that instant, not the moment the event happened to arrive."""
    _dates, _submitted, closed = open_and_fill(settings, sessions, period, per_date=3, n_dates=1)
    with transaction(sessions) as session:
        closed_at = session.execute(text(
            "SELECT closed_at FROM lottery_period WHERE period = :p"), {"p": period}).scalar()
    assert closed_at == datetime.fromisoformat(closed.body["closed_at"])
    assert closed_at.astimezone(BEIJING).isoformat() == f"{period}T18:00:00+08:00"
