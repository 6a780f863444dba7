"""The submission pool has no pre-ping: after a database restart its connections are dead, and
the first statement of each request finds out. That statement is run again on a new connection
(repository._first_statement), so the restart costs no applicant a 503: the retry must not be
handed another of the pool's dead connections."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import text

from services.booking.entrypoints.app import create_app
from services.booking.tests.integration.conftest import apply, at

POOLED = 4


def test_submissions_after_every_pooled_connection_died_all_succeed(
        booking_db, sessions, clock, period, make_party):
    app = create_app(view_cache_seconds=0)  # pools of its own: the other tests' stay alive
    client = app.test_client()
    pool = app.extensions["booking"].submissions
    held = [pool.connect() for _ in range(POOLED)]
    pids = [c.exec_driver_sql("SELECT pg_backend_pid()").scalar() for c in held]
    for c in held:
        c.close()  # back to the pool, alive
    with sessions() as session:
        session.execute(text("SELECT pg_terminate_backend(pid) FROM unnest(CAST(:p AS int[])) "
                             "AS t(pid)"), {"p": pids})
    clock.set(at(period, 10, 0), frozen=True)
    day = period + timedelta(days=1)
    answers = [apply(client, make_party(f"Restart {i}"), [day]) for i in range(POOLED)]
    assert [a.status_code for a in answers] == [201] * POOLED, [a.json for a in answers]
    pool.dispose()
