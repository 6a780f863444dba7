"""`python -m services.lottery.entrypoints.scheduler`: the 18:30 draw and the 20:00 publication.

Run as many replicas as you like: each tick only nudges; the database decides (advisory lock,
one transaction and a unique key per date, a row lock for publication)."""

from __future__ import annotations

import os
import socket

from services.lottery.domain.drawers import scheduler_worker
from services.lottery.service_layer.drawing import draw_due_periods
from services.lottery.service_layer.publication import publish_due_periods
from shared.clock import clock_from_settings
from shared.config import load_settings
from shared.db import make_engine, make_session_factory
from shared.logs import configure_logging
from shared.scheduler import run_ticks


def build_jobs(settings=None):
    settings = settings or load_settings("lottery")
    engine = make_engine(settings.database_url, pool_size=2)
    sessions = make_session_factory(engine)
    clock = clock_from_settings(settings)
    worker = scheduler_worker(socket.gethostname(), os.getpid())
    return [
        ("draw", lambda: draw_due_periods(engine, sessions, clock.now(), worker)),
        ("publish", lambda: publish_due_periods(sessions, settings.var_dir, clock.now())),
    ]


def main() -> None:
    configure_logging("lottery-scheduler")
    run_ticks("lottery", build_jobs(), interval_seconds=float(
        os.environ.get("LOTTERY_TICK_SECONDS", "2")))


if __name__ == "__main__":
    main()
