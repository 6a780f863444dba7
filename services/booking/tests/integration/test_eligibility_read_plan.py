"""The eligibility read is prepared once per connection, so PostgreSQL may run it on one generic
plan for the connection's life, made whenever the planner chose. That plan must look each fact
up by the account or by the party's people, never scan a table that grows all day (the period's
applications) or for ever (entry records, reservations): at 09:00 the cost per submission would
grow with every application before it."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from sqlalchemy import text

GROWING_TABLES = ("application", "entry_record", "reservation", "reservation_person")


def generic_plan(app) -> str:
    with app.extensions["booking"].submissions.connect() as conn:
        conn.execute(text("SET plan_cache_mode = force_generic_plan"))
        try:
            rows = conn.exec_driver_sql(
                "EXPLAIN EXECUTE booking_facts(%(p)s, %(a)s, %(since)s)",
                {"p": date(2031, 1, 1), "a": "someone", "since": date(2030, 12, 18)}).all()
        finally:
            conn.execute(text("RESET plan_cache_mode"))
    return "\n".join(row[0] for row in rows)


def test_the_generic_plan_of_the_eligibility_read_scans_no_growing_table(app):
    plan = generic_plan(app)
    for table in GROWING_TABLES:
        assert f"Seq Scan on {table} " not in plan, plan
    # indexes that would walk every application of the period or every active reservation
    assert "ix_application_period_date" not in plan, plan
    assert "ix_reservation_date_state" not in plan, plan
    for index in ("ix_application_account_period", "uq_entry_record",
                  "ix_reservation_person_document", "reservation_pkey"):
        assert index in plan, plan



def test_the_close_and_the_results_find_a_periods_applications_without_scanning_them_all(app):
    """application has no index by period (migration 0007): the daily close and the results
    reach a period's applications through party_claim's key and application's, never by a
    scan of every application ever made. The tables are small here, so sequential scans are
    priced out, as the size of the real tables will price them: a scan then means no index
    can serve the statement."""
    from sqlalchemy import event
    from sqlalchemy.orm import Session

    from services.booking.adapters import repository

    engine = app.extensions["hs"].engine
    statements = []

    def capture(_conn, _cursor, statement, parameters, _context, _many):
        statements.append((statement, parameters))

    period, now = date(2031, 1, 1), datetime(2031, 1, 1, 20, 0, tzinfo=UTC)
    with engine.connect() as conn:
        event.listen(conn, "before_cursor_execute", capture)
        session = Session(bind=conn)
        repository.application_numbers_of(session, period, date(2031, 1, 2))
        repository.apply_results(session, period, ["W1"], now, skipped=["S1"])
        event.remove(conn, "before_cursor_execute", capture)
        conn.rollback()
        conn.exec_driver_sql("SET enable_seqscan = off")
        plans = ["\n".join(row[0] for row in conn.exec_driver_sql(
                     f"EXPLAIN {statement}", parameters).all())
                 for statement, parameters in statements if "application" in statement]
        conn.exec_driver_sql("RESET enable_seqscan")
    assert len(plans) >= 3
    for plan in plans:
        lines = [line.strip() for line in plan.splitlines()]
        for i, line in enumerate(lines):
            scanned = re.search(r"Scan .*on (application|party_claim)\b", line)
            if scanned:
                # by the table's key, whose leading columns the statement fixes: another index
                # with `period` second would be walked whole
                assert f"using {scanned.group(1)}_pkey " in line, plan
                assert lines[i + 1].startswith("Index Cond"), plan
