"""Booking's persistence: small functions over a session. The hot path (applying) uses plain SQL
so that each statement is what the benchmark's pgbench baseline runs."""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import NamedTuple

import psycopg2
from sqlalchemy import TextClause, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from services.booking.domain.rules import DisablePolicy, Party, Person
from shared.events.outbox import OUTBOX


@lru_cache(maxsize=512)
def _sql(statement: str) -> TextClause:
    """Parsed once per distinct statement: text() parses its :params on every construction."""
    return text(statement)


def _person(data: dict) -> Person:
    return Person(document_type=data["document_type"], document_number=data["document_number"],
                  name=data.get("name") or "", review_state=data.get("review_state") or "",
                  relation=data.get("relation"), date_of_birth=data.get("date_of_birth"))


# party read model -----------------------------------------------------------------------------

def upsert_party(session: Session, body: dict) -> bool:
    """Apply `profile.party.changed` unless a newer revision is already stored."""
    row = session.execute(_sql(
        "INSERT INTO party (account_id, revision, lang, email, person, cohabitants, eligible) "
        "VALUES (:a, :r, :lang, :email, CAST(:person AS jsonb), CAST(:co AS jsonb), :eligible) "
        "ON CONFLICT (account_id) DO UPDATE SET revision = EXCLUDED.revision, "
        "lang = EXCLUDED.lang, email = EXCLUDED.email, person = EXCLUDED.person, "
        "cohabitants = EXCLUDED.cohabitants, eligible = EXCLUDED.eligible, updated_at = now() "
        "WHERE party.revision < EXCLUDED.revision RETURNING account_id"),
        {"a": str(body["account_id"]), "r": int(body["revision"]), "lang": body.get("lang"),
         "email": body.get("email"), "person": json.dumps(body["person"], ensure_ascii=False),
         "co": json.dumps(body.get("cohabitants") or [], ensure_ascii=False),
         "eligible": bool(body.get("eligible"))}).first()
    return row is not None


def load_party(session: Session, account_id: str) -> tuple[Party | None, dict | None]:
    row = session.execute(_sql(
        "SELECT person, cohabitants, eligible, lang, email FROM party WHERE account_id = :a"),
        {"a": account_id}).first()
    if row is None:
        return None, None
    person = row.person
    party = Party(account_id=account_id, person=_person(person),
                  cohabitants=tuple(_person(c) for c in row.cohabitants or []),
                  destination=person.get("destination"))
    return party, {"eligible": row.eligible, "lang": row.lang, "email": row.email}


# Every lookup is driven by the account or by the party's people through an index whose leading
# columns the lookup fixes by equality: the statement is prepared once per connection and its
# generic plan, made while tables are still small, must not scan a table that grows all day
# (applications) or for ever (entry records, reservations). OFFSET 0 keeps each LATERAL a
# lookup per person: flattened, the planner may hash-join a whole table against the people.
FACTS_SQL = """
WITH p AS (SELECT * FROM party WHERE account_id = %(a)s),
people AS (
    SELECT x->>'document_type' AS document_type, x->>'document_number' AS document_number
    FROM p, jsonb_array_elements(p.cohabitants || jsonb_build_array(p.person)) x
)
SELECT (SELECT state FROM period WHERE period = %(p)s) AS period_state,
       p.person, p.cohabitants, p.eligible, p.lang, p.revision AS party_revision,
       (SELECT reason FROM account_status s WHERE s.account_id = %(a)s AND s.disabled)
         AS disabled_reason,
       (SELECT json_agg(json_build_array(r.date, r.state)) FROM reservation r
         WHERE r.account_id = %(a)s) AS reservations,
       (SELECT a.party FROM application a WHERE a.account_id = %(a)s AND a.period = %(p)s
         ORDER BY a.submitted_at, a.application_number LIMIT 1) AS first_applied_party,
       (SELECT json_agg(json_build_array(e.document_type, e.document_number, e.entry_date))
         FROM people, LATERAL (SELECT * FROM entry_record e
           WHERE e.document_type = people.document_type
             AND e.document_number = people.document_number
             AND e.entry_date >= %(since)s OFFSET 0) e) AS entries,
       (SELECT json_agg(json_build_array(rp.date, rp.document_number))
         FROM people, LATERAL (SELECT rp.date, rp.document_number FROM reservation_person rp
           WHERE rp.document_type = people.document_type
             AND rp.document_number = people.document_number AND rp.date > %(p)s
             AND (SELECT r.state FROM reservation r
                  WHERE r.application_number = rp.application_number) = 'active'
           OFFSET 0) rp) AS reserved
FROM (SELECT 1) one LEFT JOIN p ON true
"""
FACTS_PARAMETERS = (("p", "date"), ("a", "text"), ("since", "date"))


class EligibilityRow(NamedTuple):
    """A row of FACTS_SQL, its columns in the statement's order."""
    period_state: str | None
    person: dict | None
    cohabitants: list | None
    eligible: bool | None
    lang: str | None
    party_revision: int | None
    disabled_reason: str | None
    reservations: list | None
    first_applied_party: list | None
    entries: list | None
    reserved: list | None


def eligibility_facts(db, account_id: str, period: date, entries_since: date) -> EligibilityRow:
    """Everything the application's checks read, in one round trip: the period's state, the
    party, a disable, the reservation history and recent entries of every person of the party.
    The submission checks the period's state again under its lock (SUBMIT_SQL). `db` is a
    session or a connection of booking's engines (where the statement is prepared)."""
    statement = _execute("booking_facts", FACTS_PARAMETERS)
    params = {"p": period, "a": account_id, "since": entries_since}
    if isinstance(db, Session):
        cursor = _run(db.connection(), statement, params)
    else:
        cursor = _first_statement(db, statement, params)
    with cursor:
        return EligibilityRow(*cursor.fetchone())


def _run(conn, statement: str, params: dict):
    """One hot statement on psycopg2's cursor directly: SQLAlchemy's execution context and
    Result cost more than the statement's round trip. Errors are raised as SQLAlchemy raises
    them (a lost connection invalidated), so callers and the error handlers see no difference."""
    dbapi_connection = conn.connection
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(statement, params)
    except psycopg2.Error as exc:
        cursor.close()
        lost = conn.dialect.is_disconnect(exc, dbapi_connection.dbapi_connection, cursor)
        if lost:
            conn.invalidate(exc)
            # as SQLAlchemy does on a disconnect: the pool's other connections are as old as
            # this one (a database restart), so the retry must not be handed one of them
            conn.engine.dispose()
        raise DBAPIError.instance(statement, params, exc, psycopg2.Error,
                                  connection_invalidated=lost) from exc
    return cursor


def _first_statement(conn, statement: str, params: dict):
    """The submission pool has no pre-ping: a connection that died with a database restart
    fails on its first statement, which (a read, or an idempotent insert) is run again on a new
    connection rather than answered with a 503."""
    try:
        return _run(conn, statement, params)
    except DBAPIError as exc:
        if not exc.connection_invalidated:
            raise
        conn.rollback()
        return _run(conn, statement, params)


def party_from_row(account_id: str, person: dict | None, cohabitants) -> Party | None:
    if person is None:
        return None
    return Party(account_id=account_id, person=_person(person),
                 cohabitants=tuple(_person(c) for c in cohabitants or []),
                 destination=person.get("destination"))


# periods --------------------------------------------------------------------------------------

def period_lock_key(period: date) -> int:
    return 7_000_000_000 + period.toordinal()  # booking's own range of advisory lock keys


def insert_period(session: Session, period: date, now: datetime) -> bool:
    return session.execute(_sql(
        "INSERT INTO period (period, state, opened_at) VALUES (:p, 'open', :now) "
        "ON CONFLICT (period) DO NOTHING RETURNING period"), {"p": period, "now": now}
    ).first() is not None


def periods_open_before(session: Session, last: date) -> list[date]:
    return list(session.execute(_sql(
        "SELECT period FROM period WHERE state = 'open' AND period <= :d ORDER BY period"),
        {"d": last}).scalars())


def close_period(session: Session, period: date, now: datetime) -> bool:
    """Conditional UPDATE: only one closer wins; it first waits for applications in flight."""
    session.execute(_sql("SELECT pg_advisory_xact_lock(:k)"), {"k": period_lock_key(period)})
    return session.execute(_sql(
        "UPDATE period SET state = 'closed', closed_at = :now "
        "WHERE period = :p AND state = 'open' RETURNING period"), {"p": period, "now": now}
    ).first() is not None


# A period's applications are found through party_claim's key (period, date, ...): every
# application has a claim per person, and application has no index by period (migration 0007).

def application_numbers_of(session: Session, period: date, day: date) -> list[str]:
    return list(session.execute(_sql(
        "SELECT DISTINCT application_number FROM party_claim WHERE period = :p AND date = :d"),
        {"p": period, "d": day}).scalars())


def period_state(session: Session, period: date):
    return session.execute(_sql(
        "SELECT state, results_published_at FROM period WHERE period = :p"), {"p": period}).first()


# capacities and the six-day view ----------------------------------------------------------------

def set_capacity(session: Session, day: date, places: int) -> None:
    session.execute(_sql(
        "INSERT INTO capacity (date, places) VALUES (:d, :n) "
        "ON CONFLICT (date) DO UPDATE SET places = EXCLUDED.places, updated_at = now()"),
        {"d": day, "n": places})


def capacities(session: Session, first: date, last: date) -> dict[date, int]:
    return dict(session.execute(_sql(
        "SELECT date, places FROM capacity WHERE date BETWEEN :a AND :b"),
        {"a": first, "b": last}).all())


def held_places(session: Session, first: date, last: date) -> dict[date, int]:
    return dict(session.execute(_sql(
        "SELECT date, SUM(party_size) FROM reservation WHERE state = 'active' "
        "AND date BETWEEN :a AND :b GROUP BY date"), {"a": first, "b": last}).all())


def counters(session: Session, period: date) -> tuple[dict, dict]:
    """Applications and applicants of the period's draw, per date: the folded counts and the
    increments not folded yet, in one statement (one snapshot sees an application on exactly
    one side of a fold)."""
    rows = session.execute(_sql(
        "SELECT date, SUM(applications), SUM(applicants) FROM ("
        "  SELECT date, applications, applicants FROM date_counter WHERE period = :p"
        "  UNION ALL"
        "  SELECT unnest(dates), 1, applicants FROM date_counter_increment WHERE period = :p"
        ") counts GROUP BY date"), {"p": period}).all()
    return ({r[0]: int(r[1]) for r in rows}, {r[0]: int(r[2]) for r in rows})


def fold_counter_increments(session: Session) -> int:
    """Moves every committed increment into date_counter, in one transaction; returns how many
    applied dates it moved. A fold running at the same time waits for this one's row locks,
    then skips the rows this one deleted, so nothing is counted twice; a submission committing
    meanwhile is left for the next fold."""
    return session.execute(_sql(
        "WITH moved AS (DELETE FROM date_counter_increment RETURNING period, dates, applicants),"
        " per_date AS (SELECT period, unnest(dates) AS date, applicants FROM moved),"
        " folded AS ("
        "  INSERT INTO date_counter (period, date, applications, applicants)"
        "  SELECT period, date, count(*), SUM(applicants) FROM per_date GROUP BY period, date"
        "  ON CONFLICT (period, date) DO UPDATE SET"
        "    applications = date_counter.applications + EXCLUDED.applications,"
        "    applicants = date_counter.applicants + EXCLUDED.applicants)"
        " SELECT count(*) FROM per_date")).scalar()


# applications ---------------------------------------------------------------------------------

class PeriodNotOpen(Exception):
    """The period closed (or never opened) before the submission got its shared lock."""


class ClaimTaken(Exception):
    """R7.7: a person of the party is already in an application for one of the dates."""


class CaptchaSpent(Exception):
    """R7.4: this captcha token already passed a submission."""


class NumberDrawnTwice(Exception):
    """An application number collided with an existing one: draw again."""


# One statement, one round trip, its own transaction (autocommit): the period guard (lock, then
# a fresh read of the state), the captcha spent, the applications, the R7.7 claims, the
# counters' increment and the outbox event. The applications and the claims are read from the
# event (its applications, and its party by document), parsed once in `submission`: JSON texts
# are cheaper to pass than arrays, which psycopg2 quotes element by element. The claims have no
# ON CONFLICT: a person already claimed aborts the whole statement, so nothing of a refused
# submission is kept. They are the only row locks taken, in (date, document) order, so two
# parties naming each other cannot deadlock; the counters are only appended to (DateCounter).
# The event is version 2 of booking.application.submitted, one per submission with its
# applications listed (version 1 was one per date; consumers read both, docs/events.md).
SUBMITTED_EVENT_VERSION = 2
SUBMIT_SQL = f"""
WITH open_period AS (
    SELECT booking_hold_open_period(%(period)s, %(lock_key)s) AS held
), submission AS (
    SELECT CAST(%(event)s AS jsonb) AS event, CAST(%(party)s AS jsonb) AS party
    FROM open_period
), chosen AS (
    SELECT a.application_number, a.date
    FROM submission, jsonb_to_recordset(submission.event->'applications')
         AS a(application_number text, date date)
), captcha AS (
    INSERT INTO spent_captcha (captcha_id, spent_at)
    SELECT %(captcha_id)s, %(now)s FROM open_period
), applications AS (
    INSERT INTO application (application_number, period, date, account_id, party, party_size,
                             submitted_at, result)
    SELECT c.application_number, %(period)s, c.date, %(account)s, s.party, %(size)s, %(now)s,
           'pending'
    FROM chosen c, submission s
), claims AS (
    INSERT INTO party_claim (period, date, document_type, document_number, application_number)
    SELECT %(period)s, c.date, p.document_type, p.document_number, c.application_number
    FROM chosen c, submission, jsonb_to_recordset(submission.event->'party')
         AS p(document_type text, document_number text)
    ORDER BY c.date, p.document_type COLLATE "C", p.document_number COLLATE "C"
    RETURNING 1
), counters AS (
    INSERT INTO date_counter_increment (period, dates, applicants)
    SELECT %(period)s, array_agg(c.date), %(size)s FROM chosen c
)
INSERT INTO {OUTBOX} (event_id, event_type, body, occurred_at, version)
SELECT %(event_id)s, 'booking.application.submitted', submission.event, %(now)s,
       {SUBMITTED_EVENT_VERSION}
FROM submission
"""


SUBMIT_PARAMETERS = (
    ("period", "date"), ("lock_key", "bigint"), ("captcha_id", "text"), ("now", "timestamptz"),
    ("account", "text"), ("party", "text"), ("size", "integer"), ("event_id", "text"),
    ("event", "text"))

# Server-side prepared once per connection (planning them cost more than running them).
PREPARED = {"booking_facts": (FACTS_SQL, FACTS_PARAMETERS),
            "booking_submit": (SUBMIT_SQL, SUBMIT_PARAMETERS)}


def _execute(name: str, parameters) -> str:
    return f"EXECUTE {name}({', '.join(f'%({p})s' for p, _ in parameters)})"


def prepare_statements(dbapi_connection, _connection_record=None) -> None:
    """SQLAlchemy `connect` event of booking's engines: PREPARE the hot statements."""
    cursor = dbapi_connection.cursor()
    for name, (sql, parameters) in PREPARED.items():
        for position, (param, _type) in enumerate(parameters, 1):
            sql = sql.replace(f"%({param})s", f"${position}")
        cursor.execute(f"PREPARE {name} ({', '.join(t for _, t in parameters)}) AS {sql}")
    cursor.close()
    dbapi_connection.commit()  # outside autocommit the PREPAREs opened a transaction


def submit(conn, *, period: date, account_id: str, party: list[dict], party_size: int,
           captcha_id: str, event: dict, now: datetime) -> None:
    """Store a whole submission in SUBMIT_SQL on an AUTOCOMMIT connection: `event` is the
    booking.application.submitted body, whose `applications` and `party` (by document) give
    the rows. Raises PeriodNotOpen, ClaimTaken, CaptchaSpent or NumberDrawnTwice."""
    from psycopg2 import errors

    params = {
        "period": period, "lock_key": period_lock_key(period), "captcha_id": captcha_id,
        "now": now, "account": account_id, "party": json.dumps(party, ensure_ascii=False),
        "size": party_size, "event_id": str(uuid.uuid4()),
        "event": json.dumps(event, ensure_ascii=False)}
    try:
        _run(conn, _execute("booking_submit", SUBMIT_PARAMETERS), params).close()
    except DBAPIError as exc:
        orig = exc.orig
        if getattr(orig, "pgcode", None) == "HSB01":
            raise PeriodNotOpen() from None
        if isinstance(orig, errors.UniqueViolation):
            constraint = orig.diag.constraint_name or ""
            if constraint.startswith("party_claim"):
                raise ClaimTaken() from None
            if constraint.startswith("spent_captcha"):
                raise CaptchaSpent() from None
            if constraint == "application_pkey":
                raise NumberDrawnTwice() from None
        raise


def taken_claims(conn, period: date, dates: list[date], people: list[tuple[str, str]]) -> set:
    """Which (date, document type, document number) of `people` on `dates` someone already
    holds."""
    rows = conn.execute(_sql(
        "SELECT c.date, c.document_type, c.document_number FROM party_claim c "
        "JOIN unnest(CAST(:types AS text[]), CAST(:docs AS text[])) AS x(doc_type, doc_number) "
        "  ON c.document_type = x.doc_type AND c.document_number = x.doc_number "
        "WHERE c.period = :p AND c.date = ANY(CAST(:days AS date[]))"),
        {"p": period, "days": list(dates), "types": [t for t, _ in people],
         "docs": [n for _, n in people]}).all()
    return {tuple(row) for row in rows}


def spend_captcha(conn, captcha_id: str, now: datetime) -> None:
    """A wrong answer spends the token too (one guess per image, as identity does); the first
    statement on the connection, like the eligibility read."""
    _first_statement(conn, "INSERT INTO spent_captcha (captcha_id, spent_at) "
                     "VALUES (%(c)s, %(now)s) ON CONFLICT DO NOTHING",
                     {"c": captcha_id, "now": now}).close()


def forget_spent_captchas(session: Session, before: datetime) -> int:
    return session.execute(_sql("DELETE FROM spent_captcha WHERE spent_at < :t"),
                           {"t": before}).rowcount


def applications_of(session: Session, account_id: str):
    return session.execute(_sql(
        "SELECT a.application_number, a.period, a.date, a.party_size, a.submitted_at, a.result, "
        "p.results_published_at FROM application a JOIN period p ON p.period = a.period "
        "WHERE a.account_id = :a ORDER BY a.date DESC, a.application_number"),
        {"a": account_id}).all()


def application_of(session: Session, account_id: str, number: str):
    return session.execute(_sql(
        "SELECT * FROM application WHERE application_number = :no AND account_id = :a"),
        {"no": number, "a": account_id}).first()


# results and reservations ---------------------------------------------------------------------

def apply_results(session: Session, period: date, winners: list[str], now: datetime,
                  skipped: list[str] | None = None) -> int:
    """From `lottery.results.published`: every pending application of the period is decided:
    won; skipped (R8.2: a person of the party had already won in the period, so it was not
    drawn); no_place; or, when the event names no skipped ones (published before the lottery
    did), not_won, why unknown. Winners get an active reservation. Idempotent."""
    session.execute(_sql(
        "UPDATE application SET result = CASE WHEN application_number = ANY(:w) THEN 'won' "
        "WHEN application_number = ANY(:s) THEN 'skipped' ELSE :lost END "
        "WHERE application_number IN (SELECT application_number FROM party_claim "
        "WHERE period = :p) AND result = 'pending'"),
        {"p": period, "w": winners, "s": list(skipped or []),
         "lost": "not_won" if skipped is None else "no_place"})
    created = session.execute(_sql(
        "INSERT INTO reservation (application_number, account_id, period, date, party_size, "
        "holder_document_type, holder_document_number, state, created_at) "
        "SELECT application_number, account_id, period, date, party_size, "
        "party->0->>'document_type', party->0->>'document_number', 'active', :now "
        "FROM application WHERE period = :p AND application_number = ANY(:w) "
        "ON CONFLICT (application_number) DO NOTHING"), {"p": period, "w": winners, "now": now})
    session.execute(_sql(
        "INSERT INTO reservation_person (application_number, document_type, document_number, "
        "date) SELECT a.application_number, x->>'document_type', x->>'document_number', a.date "
        "FROM application a CROSS JOIN jsonb_array_elements(a.party) x "
        "WHERE a.period = :p AND a.application_number = ANY(:w) ON CONFLICT DO NOTHING"),
        {"p": period, "w": winners})
    session.execute(_sql(
        "UPDATE period SET results_published_at = COALESCE(results_published_at, :now) "
        "WHERE period = :p"), {"p": period, "now": now})
    return created.rowcount


def reservations_of(session: Session, account_id: str):
    return session.execute(_sql(
        "SELECT r.application_number, r.period, r.date, r.party_size, r.state, r.cancelled_on, "
        "a.party FROM reservation r JOIN application a USING (application_number) "
        "WHERE r.account_id = :a ORDER BY r.date DESC"), {"a": account_id}).all()


def reservation_for_update(session: Session, account_id: str, number: str):
    return session.execute(_sql(
        "SELECT r.*, a.party FROM reservation r JOIN application a USING (application_number) "
        "WHERE r.application_number = :no AND r.account_id = :a FOR UPDATE OF r"),
        {"no": number, "a": account_id}).first()


def reservation_by_number(session: Session, number: str):
    return session.execute(_sql(
        "SELECT r.*, a.party FROM reservation r JOIN application a USING (application_number) "
        "WHERE r.application_number = :no"), {"no": number}).first()


def cancel(session: Session, number: str, today: date) -> None:
    session.execute(_sql(
        "UPDATE reservation SET state = 'cancelled', cancelled_on = :t, decided_at = now() "
        "WHERE application_number = :no AND state = 'active'"), {"no": number, "t": today})


def cancellation_days(session: Session, account_id: str, since: date) -> list[date]:
    return list(session.execute(_sql(
        "SELECT cancelled_on FROM reservation WHERE account_id = :a AND state = 'cancelled' "
        "AND cancelled_on >= :s"), {"a": account_id, "s": since}).scalars())


def decide_past_reservations(session: Session, today: date) -> dict[str, int]:
    """End of day: an active reservation of a past day becomes used (the holder's entry is
    recorded for that day) or no_show (R12.3). Idempotent (only active rows change)."""
    used = session.execute(_sql(
        "UPDATE reservation r SET state = 'used', decided_at = now() WHERE r.state = 'active' "
        "AND r.date < :t AND EXISTS (SELECT 1 FROM entry_record e WHERE "
        "e.document_type = r.holder_document_type AND e.document_number = "
        "r.holder_document_number AND e.entry_date = r.date)"), {"t": today}).rowcount
    no_show = session.execute(_sql(
        "UPDATE reservation SET state = 'no_show', decided_at = now() "
        "WHERE state = 'active' AND date < :t"), {"t": today}).rowcount
    return {"used": used, "no_show": no_show}


def mark_used_by_entries(session: Session) -> int:
    return session.execute(_sql(
        "UPDATE reservation r SET state = 'used', decided_at = now() WHERE r.state IN "
        "('active', 'no_show') AND EXISTS (SELECT 1 FROM entry_record e WHERE "
        "e.document_type = r.holder_document_type AND e.document_number = "
        "r.holder_document_number AND e.entry_date = r.date)")).rowcount


# entry records --------------------------------------------------------------------------------

def insert_entry(session: Session, document_type: str, document_number: str, day: date) -> bool:
    return session.execute(_sql(
        "INSERT INTO entry_record (document_type, document_number, entry_date) "
        "VALUES (:t, :n, :d) ON CONFLICT ON CONSTRAINT uq_entry_record DO NOTHING RETURNING id"),
        {"t": document_type, "n": document_number, "d": day}).first() is not None


# account status and settings ------------------------------------------------------------------

def account_status(session: Session, account_id: str):
    return session.execute(_sql(
        "SELECT disabled, reason, disabled_at, reinstated_on FROM account_status "
        "WHERE account_id = :a"), {"a": account_id}).first()


def disable_account(session: Session, account_id: str, reason: str, now: datetime) -> bool:
    return session.execute(_sql(
        "INSERT INTO account_status (account_id, disabled, reason, disabled_at) "
        "VALUES (:a, true, :r, :now) ON CONFLICT (account_id) DO UPDATE SET disabled = true, "
        "reason = EXCLUDED.reason, disabled_at = EXCLUDED.disabled_at "
        "WHERE account_status.disabled = false RETURNING account_id"),
        {"a": account_id, "r": reason, "now": now}).first() is not None


def reinstate_account(session: Session, account_id: str, today: date, note: str | None) -> bool:
    return session.execute(_sql(
        "UPDATE account_status SET disabled = false, reinstated_on = :t, note = :note "
        "WHERE account_id = :a AND disabled = true RETURNING account_id"),
        {"a": account_id, "t": today, "note": note}).first() is not None


def disabled_accounts(session: Session):
    """Disabled accounts, newest first, with the holder's name and document from the party
    read model (None when profile never sent the party)."""
    return session.execute(_sql(
        "SELECT s.account_id, s.reason, s.disabled_at, p.person->>'name' AS name, "
        "p.person->>'document_type' AS document_type, "
        "p.person->>'document_number' AS document_number "
        "FROM account_status s LEFT JOIN party p ON p.account_id = s.account_id "
        "WHERE s.disabled ORDER BY s.disabled_at DESC")).all()


def disable_policy(session: Session) -> DisablePolicy:
    value = session.execute(_sql("SELECT value FROM setting WHERE key = 'disable_policy'")
                            ).scalar()
    if not value:
        return DisablePolicy()
    return DisablePolicy(threshold=int(value["threshold"]), window_days=int(value["window_days"]))


def set_disable_policy(session: Session, policy: DisablePolicy) -> None:
    session.execute(_sql(
        "INSERT INTO setting (key, value) VALUES ('disable_policy', CAST(:v AS jsonb)) "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value"),
        {"v": json.dumps({"threshold": policy.threshold, "window_days": policy.window_days})})


def window_start(today: date, days: int) -> date:
    return today - timedelta(days=days - 1)
