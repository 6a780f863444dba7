"""Review of a person or a cohabitant (R4.3, R6.4, R6.5).

Automatic checks first; what passes goes to a verification source; what the source cannot
settle (and every R6.5 case) goes to the reviewers' queue. A rejection carries a reason code
whose text exists in the three languages (`reason.<code>` in the catalogue).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Protocol

from services.profile.domain import documents as docs
from services.profile.domain.person import (
    birth_date_problem,
    document_consistency,
    expiry_problem,
    normalize_name,
)

PENDING = "pending"        # submitted; waits for the identity record (person only)
IN_REVIEW = "in_review"    # in the reviewers' queue
APPROVED = "approved"
REJECTED = "rejected"
STATES = (PENDING, IN_REVIEW, APPROVED, REJECTED)

# What a reviewer may choose when rejecting; texts in messages/ as reason.<code>.
REVIEWER_REASONS = ("name_mismatch", "sex_mismatch", "birth_date_mismatch",
                    "document_mismatch", "document_expired", "not_direct_relative",
                    "information_incomplete", "other")
# What the automatic checks may find.
AUTOMATIC_REASONS = ("document_expired", "birth_date_implausible", "document_format",
                     "document_type_nationality", "birth_date_mismatch", "sex_mismatch")
REASON_CODES = tuple(dict.fromkeys(REVIEWER_REASONS + AUTOMATIC_REASONS))

# Why a case is in the queue.
CASE_R6_5 = "r6_5_child_permit_without_id_card"
CASE_REFERENCE_MISSING = "reference_not_found"
CASE_REFERENCE_MISMATCH = "reference_mismatch"
CASE_UNKNOWN_DOCUMENT = "document_type_unknown"
CASE_REASONS = (CASE_R6_5, CASE_REFERENCE_MISSING, CASE_REFERENCE_MISMATCH,
                CASE_UNKNOWN_DOCUMENT)


@dataclass(frozen=True)
class Subject:
    """What the review looks at, whoever it belongs to."""
    kind: str                      # person / cohabitant
    nationality: str | None
    document_type: str | None
    document_number: str | None
    name: str
    sex: str
    date_of_birth: date
    document_expiry: date
    manual_case: str | None = None  # set for the R6.5 case


@dataclass(frozen=True)
class Verdict:
    outcome: str                    # approve / reject / undecided
    reason: str | None = None       # reason code when rejecting, case reason when undecided
    note: str | None = None


def actor_parts(actor: str) -> tuple[str, str]:
    """Who recorded a state change: 'reviewer:<account id>' -> ('reviewer', '<account id>').

    Kinds: applicant (an account id), reviewer (an account id), system (a verification source).
    """
    kind, _, who = actor.partition(":")
    return (kind, who) if who else ("", actor)


@dataclass(frozen=True)
class Decision:
    state: str
    actor: str
    reason_code: str | None = None  # rejection reason
    case_reason: str | None = None  # why it went to the queue
    note: str | None = None


class VerificationSource(Protocol):
    name: str

    def verify(self, subject: Subject) -> Verdict: ...


class ApproveWhatPasses:
    """The default source: what passed the automatic checks is approved."""
    name = "checks"

    def verify(self, subject: Subject) -> Verdict:
        return Verdict("approve")


@dataclass(frozen=True)
class ReferenceEntry:
    name: str
    date_of_birth: date | None


class ReferenceList:
    """Approves a document found in the operator-imported reference list with the same name and
    date of birth; anything else is left to a reviewer (never rejected on a list's word)."""
    name = "reference_list"

    def __init__(self, lookup: Callable[[str, str], ReferenceEntry | None]):
        self._lookup = lookup

    def verify(self, subject: Subject) -> Verdict:
        entry = self._lookup(subject.document_type or "", subject.document_number or "")
        if entry is None:
            return Verdict("undecided", CASE_REFERENCE_MISSING)
        different = []
        if normalize_name(entry.name).casefold() != normalize_name(subject.name).casefold():
            different.append("name")
        if entry.date_of_birth is not None and entry.date_of_birth != subject.date_of_birth:
            different.append("date_of_birth")
        if different:
            return Verdict("undecided", CASE_REFERENCE_MISMATCH, note=",".join(different))
        return Verdict("approve")


def automatic_checks(subject: Subject, today: date) -> list[str]:
    """R4.3's automatic checks; the reason codes of what failed, [] when all pass."""
    found: list[str] = []
    if expiry_problem(subject.document_expiry, today):
        found.append("document_expired")
    if birth_date_problem(subject.date_of_birth, today):
        found.append("birth_date_implausible")
    if subject.document_type in docs.DOCUMENT_TYPES:
        number = subject.document_number or ""
        if docs.number_problem(subject.document_type, number):
            found.append("document_format")
        elif subject.nationality and not docs.nationality_allows(subject.nationality,
                                                                 subject.document_type):
            found.append("document_type_nationality")
        else:
            mismatch = document_consistency(subject.document_type, number,
                                            subject.date_of_birth, subject.sex)
            if "date_of_birth" in mismatch:
                found.append("birth_date_mismatch")
            if "sex" in mismatch:
                found.append("sex_mismatch")
    return found


def decide(subject: Subject, today: date, source: VerificationSource) -> Decision:
    failures = automatic_checks(subject, today)
    if failures:
        return Decision(REJECTED, "system:checks", reason_code=failures[0])
    if subject.manual_case:
        return Decision(IN_REVIEW, "system:checks", case_reason=subject.manual_case)
    if subject.document_type not in docs.DOCUMENT_TYPES:
        # identity knows a type we do not: a person must look at it
        return Decision(IN_REVIEW, "system:checks", case_reason=CASE_UNKNOWN_DOCUMENT)
    verdict = source.verify(subject)
    actor = f"system:{source.name}"
    if verdict.outcome == "approve":
        return Decision(APPROVED, actor)
    if verdict.outcome == "reject":
        return Decision(REJECTED, actor, reason_code=verdict.reason or "other",
                        note=verdict.note)
    return Decision(IN_REVIEW, actor, case_reason=verdict.reason, note=verdict.note)
