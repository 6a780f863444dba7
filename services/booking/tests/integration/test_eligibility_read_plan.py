"""The eligibility read is prepared once per connection, so PostgreSQL may run it on one generic
plan for the connection's life, made whenever the planner chose. That plan must look each fact
up by the account or by the party's people, never scan a table that grows all day (the period's
applications) or for ever (entry records, reservations): at 09:00 the cost per submission would
grow with every application before it."""

from __future__ import annotations

from datetime import date

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
