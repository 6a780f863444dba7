"""Three scheduler replicas (real processes, as in the Procfile) on the shared clock: at 18:30
each date is drawn once; at 20:00 the period is published once (R8.1, R9.1)."""

import json
import os
import subprocess
import sys
import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from services.lottery import verify
from services.lottery.tests.integration.helpers import (
    at_draw,
    at_publication,
    open_and_fill,
    outbox,
)
from shared.config import REPO_ROOT
from shared.db import transaction

pytestmark = pytest.mark.integration


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_three_scheduler_replicas_draw_each_date_once_and_publish_once(
        settings, sessions, period, clock):
    dates, _, _ = open_and_fill(settings, sessions, period, per_date=50)
    clock.set(at_draw(period) - timedelta(seconds=2))  # running, not frozen
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "HS_VAR_DIR": str(settings.var_dir),
           "LOTTERY_TICK_SECONDS": "0.3"}
    replicas = [subprocess.Popen([sys.executable, "-m",
                                  "services.lottery.entrypoints.scheduler"],
                                 cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL)
                for _ in range(3)]

    def drawn():
        with transaction(sessions) as session:
            return session.execute(text(
                "SELECT date, drawn_by, drawn_at FROM lottery_draw_result WHERE period = :p "
                "ORDER BY date"), {"p": period}).all()

    try:
        wait_for(lambda: len(drawn()) == len(dates))
        clock.set(at_publication(period) - timedelta(seconds=1))
        folder = settings.var_dir / "public" / "lottery" / period
        wait_for(lambda: (folder / "audit.json").exists())
        time.sleep(1.5)  # several more ticks of every replica
    finally:
        for replica in replicas:
            replica.terminate()
        for replica in replicas:
            replica.wait(15)
    results = drawn()
    assert [r.date for r in results] == dates
    assert all(r.drawn_by.startswith("scheduler ") for r in results)
    # each replica took the draw's time from the shared clock, set to the period's 18:30
    assert all(timedelta(0) <= r.drawn_at - at_draw(period) < timedelta(minutes=1)
               for r in results)
    assert len(outbox(sessions, "lottery.results.published", period)) == 1
    assert outbox(sessions, "lottery.draw.failed", period) == []
    assert verify.main([str(folder / "audit.json")]) == 0
    published = json.loads((folder / "winners.json").read_text())
    assert sorted(published["dates"]) == dates
