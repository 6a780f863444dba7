"""Booking's use cases: plain functions taking a session (the caller commits) and plain values.
Rules come from `domain.rules`; refusals are `Refusal`s the API maps to localized errors."""

from __future__ import annotations

import json
import threading
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.orm import Session

from services.booking.adapters import repository as repo
from services.booking.domain import numbers, rules
from services.booking.domain.rules import DisablePolicy, Eligibility, Refusal
from services.booking.domain.slip import SlipCodeInvalid, read_slip, sign_slip
from shared.events import record_event
from shared.logs import mask_document

DISABLED_REASON = "booking.disabled.frequent_cancellation"
# The reason codes of booking.account.disabled (docs/events.md), which identity and notification
# turn into the user's own language; booking keeps its catalogue key in its own table.
EVENT_REASONS = {DISABLED_REASON: "frequent_cancellations"}


def normalize_document_number(raw: str) -> str:
    """Full-width to ASCII, no spaces or brackets, upper case (rules.md Appendix A)."""
    text = unicodedata.normalize("NFKC", raw or "")
    return "".join(c for c in text if c not in " \t()[]（）").upper()


# periods ------------------------------------------------------------------------------------

def ensure_period_opened(session: Session, period: date, now: datetime) -> bool:
    """`booking.period.opened` once per period (the primary key decides)."""
    if repo.insert_period(session, period, now):
        record_event(session, "booking.period.opened", {
            "period": period.isoformat(),
            "dates": [d.isoformat() for d in rules.period_dates(period)]})
        return True
    return False


def open_period_if_due(session: Session, now: datetime) -> bool:
    """Scheduler: at 09:00 (or the first tick after it) today's period opens."""
    opens, _ = rules.window_bounds(now.date())
    if now < opens:
        return False
    return ensure_period_opened(session, now.date(), now)


def close_period(session: Session, period: date, now: datetime) -> dict | None:
    """Close one period (idempotent: a conditional UPDATE) and publish what the draw needs."""
    if not repo.close_period(session, period, now):
        return None
    dates = rules.period_dates(period)
    caps = repo.capacities(session, dates[0], dates[-1])
    held = repo.held_places(session, dates[0], dates[-1])
    body = {"period": period.isoformat(), "closed_at": now.isoformat(), "dates": {}}
    for day in dates:
        numbers_of_day = repo.application_numbers_of(session, period, day)
        body["dates"][day.isoformat()] = {
            "places": max(caps.get(day, 0) - int(held.get(day, 0)), 0),
            "count": len(numbers_of_day),
            "digest": numbers.digest(numbers_of_day)}
    record_event(session, "booking.period.closed", body)
    return body


def periods_due_for_closing(session: Session, now: datetime) -> list[date]:
    return [p for p in repo.periods_open_before(session, now.date())
            if rules.period_closes_due(p, now)]


# the six-day view ---------------------------------------------------------------------------

def six_day_view(session: Session, now: datetime) -> dict:
    period = now.date()
    dates = rules.period_dates(period)
    caps = repo.capacities(session, dates[0], dates[-1])
    held = repo.held_places(session, dates[0], dates[-1])
    applications, applicants = repo.counters(session, period)
    opens, closes = rules.window_bounds(period)
    return {
        "period": period.isoformat(),
        "window": {"open": rules.window_is_open(now), "opens_at": opens.isoformat(),
                   "closes_at": closes.isoformat(),
                   "next_opening": rules.next_window_opening(now).isoformat()},
        "dates": [{"date": d.date.isoformat(), "capacity": d.capacity,
                   "available": d.available, "applications": d.applications,
                   "applicants": d.applicants}
                  for d in rules.six_day_view(period, caps, held, applications, applicants)],
    }


class ViewCache:
    """Per-process cache of the six-day view as ready JSON bytes, refreshed at most once a
    second: the 09:00 rush reads memory and the database sees one small query per replica per
    second. Keyed by the period and whether the window is open, so 09:00 and 18:00 show at once.
    """

    def __init__(self, max_age: float = 1.0):
        self.max_age = max_age
        self._lock = threading.Lock()
        self._key: tuple | None = None
        self._body: bytes = b""
        self._at = 0.0

    def get(self, load, now: datetime) -> bytes:
        key = (now.date(), rules.window_is_open(now))
        if key == self._key and time.monotonic() - self._at < self.max_age:
            return self._body
        with self._lock:  # one loader per process; the others wait and read its result
            if key != self._key or time.monotonic() - self._at >= self.max_age:
                self._body = json.dumps(load(), ensure_ascii=False,
                                        separators=(",", ":")).encode()
                self._key, self._at = key, time.monotonic()
            return self._body


# applying -----------------------------------------------------------------------------------

def _facts_in_one_read(session: Session, account_id: str, period: date, today: date):
    """The eligibility facts (rules.Eligibility) and the rest of what the checks need."""
    row = repo.eligibility_facts(session, account_id, period,
                                 today - timedelta(days=rules.ENTRY_LOOKBACK_DAYS))
    facts = Eligibility(
        party=repo.party_from_row(account_id, row.person, row.cohabitants),
        disabled_reason=row.disabled_reason,
        past_reservations=[rules.PastReservation(date.fromisoformat(d), state)
                           for d, state in row.reservations or []])
    for doc_type, doc_number, day in row.entries or []:
        facts.entries.setdefault((doc_type, doc_number), []).append(date.fromisoformat(day))
    reserved = [(date.fromisoformat(d), number) for d, number in row.reserved or []]
    return facts, {"period_state": row.period_state, "eligible": bool(row.eligible),
                   "reserved": reserved, "party_revision": row.party_revision,
                   "first_applied_party": row.first_applied_party}


def check_applicant(session: Session, account_id: str, today: date,
                    chosen: list[date] = ()) -> rules.Party:
    """The submission's checks without submitting (confirmation page, status)."""
    facts, meta = _facts_in_one_read(session, account_id, today, today)
    party = rules.check_eligibility(facts, today)
    if not meta["eligible"]:
        raise Refusal("booking.profile_not_eligible", status=403)
    rules.check_not_reserved(party, chosen, meta["reserved"])
    rules.check_party_as_first_applied(party, meta["first_applied_party"])
    return party


def _party_snapshot(party: rules.Party) -> list[dict]:
    snapshot = []
    for i, person in enumerate(party.people):
        entry = {"document_type": person.document_type,
                 "document_number": person.document_number, "name": person.name,
                 "relation": person.relation, "date_of_birth": person.date_of_birth}
        if i == 0:
            entry["destination"] = party.destination
        snapshot.append(entry)
    return snapshot


@dataclass(frozen=True)
class Submitted:
    date: date
    application_number: str


def _window_closed(now: datetime) -> Refusal:
    return Refusal("booking.window_closed",
                   opens_at=rules.next_window_opening(now).strftime("%Y-%m-%d %H:%M"))


def submit_application(conn, open_session: Callable[[], Session], account_id: str,
                       chosen: list[date], now: datetime, captcha_id: str) -> list[Submitted]:
    """R7.1, R7.3–R7.7: the checks on one read, then everything stored in one statement (its
    own transaction) on `conn`, an AUTOCOMMIT connection. The captcha's answer was checked
    before, by the caller; `captcha_id` is spent by this submission. `open_session()` gives a
    session only when the day's first applicant arrives before the scheduler opened the
    period (made on demand: a session per submission costs more than the period check)."""
    period = rules.require_window_open(now)
    dates = rules.validate_chosen_dates(chosen, period)
    facts, meta = _facts_in_one_read(conn, account_id, period, now.date())
    if meta["period_state"] is None:  # no period row yet: the first applicant opens it
        session = open_session()
        ensure_period_opened(session, period, now)
        session.commit()
        facts, meta = _facts_in_one_read(conn, account_id, period, now.date())
    if meta["period_state"] != "open":
        raise _window_closed(now)
    party = rules.check_eligibility(facts, now.date())
    if not meta["eligible"]:
        raise Refusal("booking.profile_not_eligible", status=403)
    rules.check_not_reserved(party, dates, meta["reserved"])
    rules.check_party_as_first_applied(party, meta["first_applied_party"])
    snapshot = _party_snapshot(party)
    party_docs = [{"document_type": p.document_type, "document_number": p.document_number}
                  for p in party.people]
    for _attempt in range(3):  # again if a number was drawn twice or a claim's holder rolled back
        submitted = [Submitted(day, numbers.new_application_number()) for day in dates]
        try:
            # R7.7: SUBMIT_SQL claims every person of the party on every date from this event
            repo.submit(
                conn, period=period, account_id=account_id, party=snapshot,
                party_size=party.size, captcha_id=captcha_id,
                event={"period": period.isoformat(), "account_id": account_id,
                       "applications": [{"application_number": item.application_number,
                                         "date": item.date.isoformat()} for item in submitted],
                       "party": party_docs, "party_size": party.size,
                       "submitted_at": now.isoformat(),
                       # the profile revision checked: profile undoes later changes (R6.3)
                       "party_revision": meta["party_revision"]},
                now=now)
            return submitted
        except repo.NumberDrawnTwice:
            continue
        except repo.PeriodNotOpen:
            raise _window_closed(now) from None
        except repo.CaptchaSpent:
            raise Refusal("captcha.used", status=400, field="captcha_answer") from None
        except repo.ClaimTaken:
            taken = repo.taken_claims(conn, period, dates, [p.key for p in party.people])
            if not taken:  # the holder's submission failed after all: the person is free now
                continue
            day, doc_type, doc_number = min(taken)
            name = next(p.name for p in party.people if p.key == (doc_type, doc_number))
            raise Refusal("booking.already_applied", field="dates", name=name,
                          document=mask_document(doc_number), date=day.isoformat()) from None
    raise Refusal("error.unavailable", status=503)


def confirmation(session: Session, account_id: str, chosen: list[date], now: datetime) -> dict:
    """R7.4 the confirmation page's data, with the eligibility verdict to show before submit."""
    party, meta = repo.load_party(session, account_id)
    if party is None:
        raise Refusal("booking.profile_missing", status=403)
    verdict: dict = {"ok": True}
    try:
        rules.validate_chosen_dates(chosen, now.date())
        check_applicant(session, account_id, now.date(), chosen)
    except Refusal as refusal:
        verdict = {"ok": False, "code": refusal.code, "params": refusal.params}
    return {
        "name": party.person.name,
        "document_type": party.person.document_type,
        "document_number_masked": mask_document(party.person.document_number),
        "dates": [d.isoformat() for d in sorted(chosen)],
        "party_size": party.size,
        "cohabitants": [{"name": c.name, "relation": c.relation,
                         "document_type": c.document_type,
                         "document_number_masked": mask_document(c.document_number)}
                        for c in party.cohabitants],
        "eligibility": verdict,
    }


# after the draw -----------------------------------------------------------------------------

def on_results_published(session: Session, body: dict, now: datetime) -> int:
    winners = [w["application_number"] for w in body.get("winners", [])]
    return repo.apply_results(session, date.fromisoformat(body["period"]), winners, now,
                              skipped=body.get("skipped"))


def lottery_records(session: Session, account_id: str, now: datetime) -> list[dict]:
    """R10.1; R9.1: a result shows only once published and not before 20:00 of the period."""
    records = []
    for row in repo.applications_of(session, account_id):
        visible = row.results_published_at is not None and rules.results_visible(row.period, now)
        records.append({"period": row.period.isoformat(), "application_number":
                        row.application_number, "date": row.date.isoformat(),
                        "party_size": row.party_size,
                        "submitted_at": row.submitted_at.isoformat(),
                        **_result(row.result if visible else "pending")})
    return records


# R10.1 knows pending / won / not_won; why not won is said beside it: "already_won" (R8.2, a
# person of the party won another date of the period, so it was not drawn), "places" (drawn
# after the places ran out), None (not_won: published before the lottery named the skipped).
_NOT_WON_REASONS = {"skipped": "already_won", "no_place": "places", "not_won": None}


def _result(stored: str) -> dict:
    if stored in _NOT_WON_REASONS:
        return {"result": "not_won", "not_won_reason": _NOT_WON_REASONS[stored]}
    return {"result": stored, "not_won_reason": None}


def reservation_list(session: Session, account_id: str, now: datetime) -> list[dict]:
    today = now.date()
    result = []
    for row in repo.reservations_of(session, account_id):
        if not rules.results_visible(row.period, now):
            continue
        result.append({"application_number": row.application_number,
                       "period": row.period.isoformat(), "date": row.date.isoformat(),
                       "party_size": row.party_size, "state": row.state,
                       "cancelled_on": row.cancelled_on.isoformat() if row.cancelled_on else None,
                       "can_cancel": row.state == "active"
                       and today <= rules.last_cancellation_day(row.date),
                       "last_cancellation_day": rules.last_cancellation_day(row.date).isoformat(),
                       "slip_available": row.state in ("active", "used") and row.date == today})
    return result


def _own_reservation(session: Session, account_id: str, number: str, now: datetime,
                     for_update: bool = False):
    """The caller's own reservation; another's is "not found", like one that does not exist."""
    if for_update:
        row = repo.reservation_for_update(session, account_id, number)
    else:
        row = repo.reservation_by_number(session, number)
        row = row if row is not None and row.account_id == account_id else None
    if row is None or not rules.results_visible(row.period, now):
        raise Refusal("booking.reservation_not_found", status=404)
    return row


def cancel_reservation(session: Session, account_id: str, number: str,
                       now: datetime) -> dict:
    """R12.2 until the end of D−2; the places return to the date (R7.2). R12.4 may disable."""
    today = now.date()
    row = _own_reservation(session, account_id, number, now, for_update=True)
    rules.check_cancellable(row.date, row.state, today)
    repo.cancel(session, number, today)
    status = repo.account_status(session, account_id)
    policy = repo.disable_policy(session)
    since = status.reinstated_on if status else None
    days = repo.cancellation_days(session, account_id,
                                  repo.window_start(today, policy.window_days))
    disabled = False
    if rules.should_disable(days, today, policy, since=since):
        disabled = disable(session, account_id, DISABLED_REASON, now)
    return {"application_number": number, "state": "cancelled", "account_disabled": disabled}


def cancellation_standing(session: Session, account_id: str, today: date) -> dict:
    """R12.4 as the applicant is told it before cancelling: the policy in force and how many
    of their cancellations already count towards it."""
    policy = repo.disable_policy(session)
    status = repo.account_status(session, account_id)
    since = status.reinstated_on if status else None
    days = repo.cancellation_days(session, account_id,
                                  repo.window_start(today, policy.window_days))
    return {"threshold": policy.threshold, "window_days": policy.window_days,
            "cancellations": rules.recent_cancellations(days, today, policy, since=since)}


def disable(session: Session, account_id: str, reason: str, now: datetime) -> bool:
    if not repo.disable_account(session, account_id, reason, now):
        return False
    _, meta = repo.load_party(session, account_id)
    record_event(session, "booking.account.disabled", {
        "account_id": account_id, "reason": EVENT_REASONS.get(reason, reason),
        "lang": (meta or {}).get("lang"),
        "email": (meta or {}).get("email")})
    return True


def reinstate(session: Session, account_id: str, now: datetime, note: str | None) -> bool:
    if not repo.reinstate_account(session, account_id, now.date(), note):
        return False
    record_event(session, "booking.account.reinstated", {"account_id": account_id})
    return True


def set_policy(session: Session, threshold: int, window_days: int) -> DisablePolicy:
    policy = DisablePolicy(threshold=threshold, window_days=window_days)
    repo.set_disable_policy(session, policy)
    return policy


# the confirmation slip ----------------------------------------------------------------------

def slip(session: Session, account_id: str, number: str, now: datetime, key: bytes) -> dict:
    """R12.1: on the reserved day only; every field the border needs and a signed code."""
    row = _own_reservation(session, account_id, number, now)
    rules.check_slip_day(row.date, row.state, now.date())
    holder, *cohabitants = row.party
    return {
        "application_number": number,
        "name": holder.get("name"),
        "document_type": holder["document_type"],
        "document_number": holder["document_number"],
        "date": row.date.isoformat(),
        "cohabitant_count": len(cohabitants),
        "cohabitants": [{"name": c.get("name"), "relation": c.get("relation"),
                         "document_type": c["document_type"],
                         "document_number": c["document_number"],
                         "date_of_birth": c.get("date_of_birth")} for c in cohabitants],
        "destination": holder.get("destination"),
        "code": sign_slip(key, number, row.date, row.party_size),
    }


def verify_slip(session: Session, code: str, now: datetime, key: bytes) -> dict:
    """For staff at the border: a genuine code, for today, of a reservation still valid."""
    try:
        data = read_slip(key, code, now.date())
    except SlipCodeInvalid as invalid:
        return {"valid": False, "reason": invalid.reason}
    row = repo.reservation_by_number(session, data["application_number"])
    if row is None or row.state not in ("active", "used") or row.date != data["date"]:
        return {"valid": False, "reason": "booking.slip_code_not_valid_reservation"}
    holder, *cohabitants = row.party
    return {"valid": True, "application_number": row.application_number,
            "date": row.date.isoformat(), "party_size": row.party_size,
            "name": holder.get("name"), "document_type": holder["document_type"],
            "document_number_masked": mask_document(holder["document_number"]),
            "cohabitants": [{"name": c.get("name"),
                             "document_number_masked": mask_document(c["document_number"])}
                            for c in cohabitants]}


# entry records and no-shows -----------------------------------------------------------------

def import_entries(session: Session, records: list[dict]) -> dict:
    """Idempotent: a record already known is counted as a duplicate, not stored twice."""
    inserted = 0
    for record in records:
        if repo.insert_entry(session, record["document_type"],
                             normalize_document_number(record["document_number"]),
                             record["entry_date"]):
            inserted += 1
    corrected = repo.mark_used_by_entries(session)
    return {"received": len(records), "inserted": inserted,
            "duplicates": len(records) - inserted, "reservations_used": corrected}


def decide_no_shows(session: Session, now: datetime) -> dict[str, int]:
    return repo.decide_past_reservations(session, now.date())
