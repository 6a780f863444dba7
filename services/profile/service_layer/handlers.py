"""Use cases: plain functions taking a session (the caller's unit of work, which commits).

Every change to a party ends with `publish_party`, which bumps the account's revision and
records `profile.party.changed` in the same transaction (event-carried state for booking).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from services.profile.adapters import repository as repo
from services.profile.adapters.models import Account, Cohabitant, Person, ReviewCase, StateChange
from services.profile.domain import cohabitants as rules
from services.profile.domain import lock, review
from services.profile.domain.party import eligible
from services.profile.domain.person import CONSENT_TEXT, PersonalInfo, validate_personal_info
from shared.events import record_event
from shared.events.bodies import submitted_applications

log = logging.getLogger(__name__)

PERSON, COHABITANT = "person", "cohabitant"
# Fields whose change needs a new review (R4.3); mobiles and places do not.
PERSON_REVIEWED = ("name", "sex", "date_of_birth", "document_expiry")
COHABITANT_REVIEWED = ("name", "sex", "nationality", "document_type", "document_number",
                       "document_expiry", "date_of_birth", "mainland_id_number",
                       "no_mainland_id")


class Refused(Exception):
    """A request the rules refuse: status, catalogue key, the field it concerns."""

    def __init__(self, status: int, code: str, field: str | None = None, **params):
        super().__init__(code)
        self.status, self.code, self.field, self.params = status, code, field, params


class FieldErrors(Exception):
    def __init__(self, errors: dict[str, str]):
        super().__init__(", ".join(sorted(errors)))
        self.errors = errors


@dataclass
class Deps:
    now: Callable[[], datetime]                       # Beijing time, from the shared clock
    source_for: Callable[[Session], review.VerificationSource]
    public_base_url: str

    def today(self) -> date:
        return self.now().date()


# ---------------------------------------------------------------- identity's events

def account_registered(session: Session, deps: Deps, body: dict) -> None:
    account = repo.lock_account(session, str(body["account_id"]), deps.now())
    if not account.known_from_identity:
        _take_document(account, body)
    account.lang = body.get("lang") or account.lang
    account.registered_at = body.get("registered_at")
    account.updated_at = deps.now()
    _review_person_if_waiting(session, deps, account)
    publish_party(session, account)


def account_document_changed(session: Session, deps: Deps, body: dict) -> None:
    """R3: the document changed, so the person's approval no longer holds: review again."""
    account = repo.lock_account(session, str(body["account_id"]), deps.now())
    changed = (account.document_type, account.document_number) != (
        body.get("document_type"), body.get("document_number"))
    _take_document(account, body)
    account.updated_at = deps.now()
    person = repo.get_person(session, account.account_id)
    if person is not None and (changed or person.review_state == review.PENDING):
        _review_person(session, deps, account, person)
    publish_party(session, account)


def _take_document(account: Account, body: dict) -> None:
    account.nationality = body.get("nationality")
    account.document_type = body.get("document_type")
    account.document_number = body.get("document_number")
    account.known_from_identity = True


def _review_person_if_waiting(session: Session, deps: Deps, account: Account) -> None:
    person = repo.get_person(session, account.account_id)
    if person is not None and person.review_state == review.PENDING:
        _review_person(session, deps, account, person)


# ---------------------------------------------------------------- personal information

def submit_personal_info(session: Session, deps: Deps, account_id: str,
                         info: PersonalInfo) -> Person:
    """R4.1-R4.3: validate, store, review what needs reviewing."""
    now = deps.now()
    account = repo.lock_account(session, account_id, now)
    errors = validate_personal_info(info, deps.today(), account.document_type,
                                    account.document_number)
    if errors:
        raise FieldErrors(errors)
    person = repo.get_person(session, account_id)
    previous = person.review_state if person else None
    fields = asdict(info)
    fields.pop("consent")
    needs_review = (person is None or person.review_state == review.REJECTED
                    or any(getattr(person, f) != fields[f] for f in PERSON_REVIEWED))
    if person is None:
        person = Person(account_id=account_id, review_state=review.PENDING, submitted_at=now,
                        **fields)
        session.add(person)
    else:
        for key, value in fields.items():
            setattr(person, key, value)
    person.consent_text, person.consented_at, person.updated_at = CONSENT_TEXT, now, now
    if needs_review:
        person.submitted_at = now
        _record_change(session, deps, account_id, PERSON, account_id, None, previous,
                       "submitted", f"applicant:{account_id}")
        _review_person(session, deps, account, person)
    session.flush()
    publish_party(session, account)
    return person


def _person_subject(account: Account, person: Person) -> review.Subject:
    return review.Subject(
        kind=PERSON, nationality=account.nationality, document_type=account.document_type,
        document_number=account.document_number, name=person.name, sex=person.sex,
        date_of_birth=person.date_of_birth, document_expiry=person.document_expiry)


def _review_person(session: Session, deps: Deps, account: Account, person: Person) -> None:
    if not account.known_from_identity or not account.document_type:
        # The document comes from identity's event; the review waits for it.
        _set_state(session, deps, account.account_id, PERSON, account.account_id, person,
                   review.Decision(review.PENDING, "system:checks"), snapshot={})
        return
    subject = _person_subject(account, person)
    decision = review.decide(subject, deps.today(), deps.source_for(session))
    _set_state(session, deps, account.account_id, PERSON, account.account_id, person,
               decision, snapshot=_snapshot(subject))


# ---------------------------------------------------------------- cohabitants

def _cohabitant_guard(session: Session, account_id: str) -> Person:
    """R6.3 lock, and personal information first (the category rules need the applicant's
    date of birth)."""
    locks = repo.active_locks(session, account_id)
    if locks:
        raise Refused(409, "cohabitants.locked", field="cohabitants", period=locks[0].period)
    person = repo.get_person(session, account_id)
    if person is None:
        raise Refused(409, "cohabitants.person_first", field="cohabitants")
    return person


def _applicant(account: Account, person: Person) -> rules.Applicant:
    return rules.Applicant(account.document_type, account.document_number, person.date_of_birth)


def _existing(items: list[Cohabitant], except_id: str | None = None) -> list[rules.Existing]:
    return [rules.Existing(c.cohabitant_id, c.document_type, c.document_number, c.relation)
            for c in items if c.cohabitant_id != except_id]


def add_cohabitant(session: Session, deps: Deps, account_id: str,
                   data: rules.CohabitantInput) -> Cohabitant:
    now = deps.now()
    account = repo.lock_account(session, account_id, now)
    person = _cohabitant_guard(session, account_id)
    current = repo.live_cohabitants(session, account_id)
    if problem := rules.room_left(len(current)):
        raise Refused(409, problem, field="cohabitants", limit=rules.MAX_COHABITANTS)
    errors = rules.validate_cohabitant(data, deps.today(), _applicant(account, person),
                                       _existing(current))
    if errors:
        raise FieldErrors(errors)
    cohabitant = Cohabitant(cohabitant_id=str(uuid.uuid4()), account_id=account_id,
                            review_state=review.PENDING, created_at=now, updated_at=now,
                            **asdict(data))
    session.add(cohabitant)
    session.flush()
    _record_change(session, deps, account_id, COHABITANT, cohabitant.cohabitant_id, None,
                   None, "submitted", f"applicant:{account_id}")
    _review_cohabitant(session, deps, account, cohabitant, data)
    publish_party(session, account)
    return cohabitant


def edit_cohabitant(session: Session, deps: Deps, account_id: str, cohabitant_id: str,
                    data: rules.CohabitantInput) -> Cohabitant:
    now = deps.now()
    account = repo.lock_account(session, account_id, now)
    cohabitant = repo.own_cohabitant(session, account_id, cohabitant_id)
    if cohabitant is None:
        raise Refused(404, "cohabitants.not_found")
    person = _cohabitant_guard(session, account_id)
    current = repo.live_cohabitants(session, account_id)
    errors = rules.validate_cohabitant(data, deps.today(), _applicant(account, person),
                                       _existing(current, except_id=cohabitant_id))
    if errors:
        raise FieldErrors(errors)
    fields = asdict(data)
    needs_review = (cohabitant.review_state == review.REJECTED
                    or any(getattr(cohabitant, f) != fields[f] for f in COHABITANT_REVIEWED))
    for key, value in fields.items():
        setattr(cohabitant, key, value)
    cohabitant.updated_at = now
    if needs_review:
        _record_change(session, deps, account_id, COHABITANT, cohabitant_id, None,
                       cohabitant.review_state, "submitted", f"applicant:{account_id}")
        _review_cohabitant(session, deps, account, cohabitant, data)
    publish_party(session, account)
    return cohabitant


def delete_cohabitant(session: Session, deps: Deps, account_id: str, cohabitant_id: str) -> None:
    now = deps.now()
    account = repo.lock_account(session, account_id, now)
    cohabitant = repo.own_cohabitant(session, account_id, cohabitant_id)
    if cohabitant is None:
        raise Refused(404, "cohabitants.not_found")
    _cohabitant_guard(session, account_id)
    cohabitant.deleted_at = now
    _withdraw_open_cases(session, deps, COHABITANT, cohabitant_id, f"applicant:{account_id}")
    _record_change(session, deps, account_id, COHABITANT, cohabitant_id, None,
                   cohabitant.review_state, "deleted", f"applicant:{account_id}")
    publish_party(session, account)


def _review_cohabitant(session: Session, deps: Deps, account: Account, cohabitant: Cohabitant,
                       data: rules.CohabitantInput) -> None:
    manual = review.CASE_R6_5 if rules.is_manual_review_case(data, deps.today()) else None
    subject = review.Subject(
        kind=COHABITANT, nationality=data.nationality, document_type=data.document_type,
        document_number=data.document_number, name=data.name, sex=data.sex,
        date_of_birth=data.date_of_birth, document_expiry=data.document_expiry,
        manual_case=manual)
    decision = review.decide(subject, deps.today(), deps.source_for(session))
    snapshot = _snapshot(subject) | {"relation": data.relation, "category": data.category,
                                     "no_mainland_id": data.no_mainland_id,
                                     "mainland_id_number": data.mainland_id_number}
    _set_state(session, deps, account.account_id, COHABITANT, cohabitant.cohabitant_id,
               cohabitant, decision, snapshot=snapshot)


# ---------------------------------------------------------------- reviewers

def decide_case(session: Session, deps: Deps, case_id: str, reviewer_id: str, approve: bool,
                reason_code: str | None = None, note: str | None = None) -> ReviewCase:
    case = repo.get_case(session, case_id, for_update=True)
    if case is None:
        raise Refused(404, "review.case_not_found")
    account = repo.lock_account(session, case.account_id, deps.now())
    case = repo.get_case(session, case_id, for_update=True)  # re-read after the account lock
    if case.state != "open":
        raise Refused(409, "review.case_closed", state=case.state)
    if not approve and reason_code not in review.REVIEWER_REASONS:
        raise FieldErrors({"reason_code": "review.reason_required"})
    subject = (repo.get_person(session, case.account_id) if case.subject_kind == PERSON
               else repo.get_cohabitant(session, case.subject_id))
    now = deps.now()
    state = review.APPROVED if approve else review.REJECTED
    case.state, case.closed_at, case.decided_by = state, now, reviewer_id
    case.reason_code, case.note = (None if approve else reason_code), note
    _apply(subject, state, case.reason_code, note)
    _record_change(session, deps, case.account_id, case.subject_kind, case.subject_id,
                   case.case_id, review.IN_REVIEW, state, f"reviewer:{reviewer_id}",
                   reason_code=case.reason_code, note=note)
    publish_party(session, account)
    return case


# ---------------------------------------------------------------- R6.3 lock

def application_submitted(session: Session, deps: Deps, body: dict) -> None:
    """booking.application.submitted: lock the account's cohabitants until that period's
    results are published (unless they already are: relays do not promise order), and undo
    any change made since the party revision booking checked (domain/lock.py)."""
    period = str(body["period"])
    if repo.period_published(session, period):
        return
    account_id = str(body["account_id"])
    account = repo.lock_account(session, account_id, deps.now())  # serialized with the API
    held = repo.hold_lock(session, account_id, period, deps.now())
    if held.unlocked_at is not None:
        return
    # the submission's first number names it in the applicant's history
    application_number = str(submitted_applications(body)[0]["application_number"])
    named = body.get("party_revision")
    revision = lock.deciding_revision(held.party_revision, named)
    held.party_revision = revision
    if revision is None:  # an event from before booking named the revision: lock only
        return
    applied = repo.party_revision(session, account_id, revision)
    if applied is None or (revision == named
                           and not lock.documents_agree(applied, body.get("party"))):
        log.warning("R6.3: no cohabitants of revision %s for application %s agree with its "
                    "party; locked without restoring", revision, application_number)
        return
    current = [cohabitant_state(c) for c in repo.live_cohabitants(session, account_id)]
    plan = lock.restoration(applied, current)
    if plan.needed:
        _restore(session, deps, account, plan, period=period, revision=revision,
                 application_number=application_number)


def _restore(session: Session, deps: Deps, account: Account, plan: lock.Restoration, *,
             period: str, revision: int, application_number: str) -> None:
    """Puts the cohabitants back as booking applied with them, says why in each one's history
    and in a restoration record the applicant sees, and tells booking (publish_party)."""
    now, account_id = deps.now(), account.account_id
    changes = []

    def undone(row: Cohabitant, from_state: str, to_state: str, action: str) -> None:
        _withdraw_open_cases(session, deps, COHABITANT, row.cohabitant_id, lock.RESTORED_BY)
        _record_change(session, deps, account_id, COHABITANT, row.cohabitant_id, None,
                       from_state, to_state, lock.RESTORED_BY,
                       reason_code=lock.RESTORED_REASON, note=application_number)
        changes.append({"cohabitant_id": row.cohabitant_id, "name": row.name, "action": action})

    for cohabitant_id in plan.remove:
        row = repo.get_cohabitant(session, cohabitant_id)
        row.deleted_at = row.updated_at = now
        undone(row, row.review_state, "deleted", "removed")
    put_back = []
    for state in plan.put_back:
        row = repo.get_cohabitant(session, state["cohabitant_id"])
        if row is None:  # never hard-deleted, but a snapshot is enough to bring it back
            row = Cohabitant(cohabitant_id=state["cohabitant_id"], account_id=account_id,
                             created_at=now, deleted_at=now)
            session.add(row)
        put_back.append((row, state, "deleted" if row.deleted_at else row.review_state))
        row.deleted_at = now
    # One live row per document: everything touched leaves first, so that documents swapped
    # between cohabitants since the application come back without a collision.
    session.flush()
    for row, state, from_state in put_back:
        _put_back(row, state)
        row.deleted_at, row.updated_at = None, now
        undone(row, from_state, row.review_state, "restored")
    session.flush()
    repo.add_restoration(session, account_id=account_id, period=period,
                         application_number=application_number, party_revision=revision,
                         changes=changes, restored_at=now)
    publish_party(session, account)


def _put_back(row: Cohabitant, state: dict) -> None:
    for name in lock.RESTORED_FIELDS:
        value = state.get(name)
        if name in ("document_expiry", "date_of_birth") and value is not None:
            value = date.fromisoformat(value)
        setattr(row, name, value)


def results_published(session: Session, deps: Deps, body: dict) -> None:
    repo.unlock_period(session, str(body["period"]), deps.now())


# ---------------------------------------------------------------- state and events

def _snapshot(subject: review.Subject) -> dict:
    return {k: (v.isoformat() if isinstance(v, date) else v)
            for k, v in asdict(subject).items() if k != "manual_case"}


def _apply(subject_row, state: str, reason_code: str | None, note: str | None) -> None:
    subject_row.review_state = state
    rejected = state == review.REJECTED
    subject_row.rejection_reason = reason_code if rejected else None
    subject_row.rejection_note = note if rejected else None


def _withdraw_open_cases(session: Session, deps: Deps, kind: str, subject_id: str,
                         actor: str) -> None:
    for case in repo.open_cases_of(session, kind, subject_id):
        case.state, case.closed_at, case.decided_by = "withdrawn", deps.now(), actor


def _set_state(session: Session, deps: Deps, account_id: str, kind: str, subject_id: str,
               subject_row, decision: review.Decision, snapshot: dict) -> None:
    _withdraw_open_cases(session, deps, kind, subject_id, decision.actor)
    previous = subject_row.review_state
    _apply(subject_row, decision.state, decision.reason_code, decision.note)
    case_id = None
    if decision.state == review.IN_REVIEW:
        case_id = str(uuid.uuid4())
        session.add(ReviewCase(case_id=case_id, account_id=account_id, subject_kind=kind,
                               subject_id=subject_id, state="open",
                               case_reason=decision.case_reason, finding=decision.note,
                               snapshot=snapshot, opened_at=deps.now()))
        session.flush()
        if decision.case_reason == review.CASE_R6_5:
            # R6.5: support staff are told by email (the notification service listens)
            record_event(session, "profile.manual_review.requested", {
                "case_id": case_id, "account_id": account_id, "subject": kind,
                "reason": decision.case_reason,
                "case_url": f"{deps.public_base_url.rstrip('/')}/review/cases/{case_id}"})
    _record_change(session, deps, account_id, kind, subject_id, case_id, previous,
                   decision.state, decision.actor,
                   reason_code=decision.reason_code or decision.case_reason, note=decision.note)


def _record_change(session: Session, deps: Deps, account_id: str, kind: str, subject_id: str,
                   case_id: str | None, from_state: str | None, to_state: str, actor: str,
                   reason_code: str | None = None, note: str | None = None) -> None:
    session.add(StateChange(account_id=account_id, subject_kind=kind, subject_id=subject_id,
                            case_id=case_id, from_state=from_state, to_state=to_state,
                            actor=actor, at=deps.now(), reason_code=reason_code, note=note))


def party_body(session: Session, account: Account) -> dict:
    person = repo.get_person(session, account.account_id)
    cohabitants = repo.live_cohabitants(session, account.account_id)
    person_state = person.review_state if person else None
    return {
        "account_id": account.account_id,
        "revision": account.revision,
        "lang": account.lang,
        "person": {
            "document_type": account.document_type,
            "document_number": account.document_number,
            "name": person.name if person else None,
            "sex": person.sex if person else None,
            "date_of_birth": person.date_of_birth.isoformat() if person else None,
            "destination": person.destination if person else None,
            "review_state": person_state or "not_submitted",
        },
        "cohabitants": [{
            "cohabitant_id": c.cohabitant_id, "document_type": c.document_type,
            "document_number": c.document_number, "name": c.name,
            "date_of_birth": c.date_of_birth.isoformat(), "relation": c.relation,
            "category": c.category, "review_state": c.review_state} for c in cohabitants],
        "eligible": eligible(person_state, [c.review_state for c in cohabitants]),
    }


def publish_party(session: Session, account: Account) -> None:
    """profile.party.changed with a revision that only grows (the account row is locked), and
    the revision's cohabitants kept for R6.3 (domain/lock.py)."""
    session.flush()
    account.revision = (account.revision or 0) + 1
    session.flush()
    repo.record_party_revision(session, account.account_id, account.revision, [
        cohabitant_state(c) for c in repo.live_cohabitants(session, account.account_id)])
    record_event(session, "profile.party.changed", party_body(session, account))


def cohabitant_state(c: Cohabitant) -> dict:
    """A cohabitant as domain/lock.py compares and restores it (JSON-ready)."""
    state = {"cohabitant_id": c.cohabitant_id}
    for name in lock.RESTORED_FIELDS:
        value = getattr(c, name)
        state[name] = value.isoformat() if isinstance(value, date) else value
    return state


def import_references(session: Session, deps: Deps, rows: list[dict]) -> int:
    for row in rows:
        repo.upsert_reference(session, row["document_type"], row["document_number"],
                              row["name"], row.get("date_of_birth"), deps.now())
    return len(rows)


__all__ = ["Deps", "Refused", "FieldErrors", "StateChange"]
