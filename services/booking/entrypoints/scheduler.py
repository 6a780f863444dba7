"""`python -m services.booking.entrypoints.scheduler`: open the period at 09:00, close it at
18:00, fold the six-day view's count increments in, decide yesterday's reservations (used /
no-show), forget day-old spent captchas. Every job is idempotent; any number of replicas may
tick."""

from __future__ import annotations

import time
from datetime import timedelta

from services.booking.adapters import repository
from services.booking.service_layer import handlers
from shared.clock import clock_from_settings
from shared.config import load_settings
from shared.db import make_engine, make_session_factory, transaction
from shared.logs import configure_logging
from shared.scheduler import run_ticks


def jobs(settings):
    clock = clock_from_settings(settings)
    sessions = make_session_factory(make_engine(settings.database_url, pool_size=2))

    def open_period():
        with transaction(sessions) as session:
            handlers.open_period_if_due(session, clock.now())

    def close_periods():
        now = clock.now()
        with transaction(sessions) as session:
            due = handlers.periods_due_for_closing(session, now)
        for period in due:  # one transaction per period
            with transaction(sessions) as session:
                handlers.close_period(session, period, now)

    def fold_counts():
        with transaction(sessions) as session:
            repository.fold_counter_increments(session)

    def no_shows():
        with transaction(sessions) as session:
            handlers.decide_no_shows(session, clock.now())

    last_sweep = [0.0]

    def forget_spent_captchas():  # a token lives 5 minutes; a minute's delay costs nothing
        if time.monotonic() - last_sweep[0] >= 60:
            with transaction(sessions) as session:
                repository.forget_spent_captchas(session, clock.now() - timedelta(days=1))
            last_sweep[0] = time.monotonic()

    return [("open-period", open_period), ("close-periods", close_periods),
            ("fold-counts", fold_counts), ("no-shows", no_shows),
            ("forget-spent-captchas", forget_spent_captchas)]


def main() -> None:
    configure_logging("booking-scheduler")
    settings = load_settings("booking")
    run_ticks("booking", jobs(settings), interval_seconds=1.0)


if __name__ == "__main__":
    main()
