"""A tick loop for a service's scheduled jobs, driven by the shared clock.

Neither cron nor an in-process scheduler runs a job exactly once, so a job here is only a nudge:
every replica may call it every few seconds, and the job itself makes the database decide
whether there is work (a unique key, a conditional UPDATE, an advisory lock).

    run_ticks("booking", [("close-period", close_due_periods)], settings)
"""

from __future__ import annotations

import logging
import signal
import time
from collections.abc import Callable

log = logging.getLogger("hs.scheduler")


def run_ticks(service: str, jobs: list[tuple[str, Callable[[], object]]],
              interval_seconds: float = 2.0, stop_after: float | None = None) -> None:
    running = True

    def stop(*_):
        nonlocal running
        running = False

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    started = time.monotonic()
    log.info("%s scheduler started with %s", service, [name for name, _ in jobs])
    while running:
        for name, job in jobs:
            try:
                job()
            except Exception:  # noqa: BLE001 - one failing job must not stop the others
                log.exception("scheduled job %s failed; it will be tried again", name)
        if stop_after is not None and time.monotonic() - started > stop_after:
            return
        time.sleep(interval_seconds)
