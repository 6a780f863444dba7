"""R6.3 after the fact: undoing a cohabitant change that raced a successful application.

Booking accepts an application on its copy of the party (profile.party.changed, revision N)
and names N in booking.application.submitted; profile locks the cohabitants only when that event
arrives, so a change made in between would leave profile with a party booking does not draw.
When the event arrives, profile puts the cohabitants back as they were at revision N.

Decided here (rules.md leaves it open):
- The party booking checked is the truth for the period: profile agrees with it, not the other
  way round (the draw, the reservation and the slip use booking's snapshot).
- Only cohabitants are put back; the applicant's own personal information is not under R6.3.
- With several applications in one period, the earliest (the lowest revision, since revisions
  only grow) decides, so the outcome does not depend on the order the events arrive in.

Cohabitant states are plain dicts (`RESTORED_FIELDS` plus `cohabitant_id`), dates as ISO text.
"""

from __future__ import annotations

from dataclasses import dataclass

# Everything the applicant or a review can change about a cohabitant.
RESTORED_FIELDS = ("name", "sex", "nationality", "document_type", "document_number",
                   "document_expiry", "date_of_birth", "relation", "category",
                   "mainland_id_number", "no_mainland_id", "review_state", "rejection_reason",
                   "rejection_note")
RESTORED_REASON = "r6_3_restored"
RESTORED_BY = "system:r6_3"


@dataclass(frozen=True)
class Restoration:
    remove: tuple[str, ...] = ()      # ids live now but not in the party applied with
    put_back: tuple[dict, ...] = ()   # states applied with, since edited or deleted

    @property
    def needed(self) -> bool:
        return bool(self.remove or self.put_back)


def deciding_revision(held: int | None, named: int | None) -> int | None:
    """The revision the period's lock keeps: the earliest application's."""
    known = [r for r in (held, named) if r is not None]
    return min(known) if known else None


def documents_agree(applied: list[dict], event_party: list[dict] | None) -> bool:
    """The event's party is the applicant then the cohabitants, by document: a snapshot that
    names other documents is not the party of that application (restoring it would be wrong)."""
    cohabitants = [(p.get("document_type"), p.get("document_number"))
                   for p in (event_party or [])[1:]]
    return cohabitants == [(a["document_type"], a["document_number"]) for a in applied]


def _same(applied: dict, current: dict | None) -> bool:
    return current is not None and all(applied.get(f) == current.get(f)
                                       for f in RESTORED_FIELDS)


def restoration(applied: list[dict], current: list[dict]) -> Restoration:
    """What brings the live cohabitants `current` back to `applied` (the party of the
    application); nothing when they already agree, so a redelivery changes nothing."""
    applied_ids = {a["cohabitant_id"] for a in applied}
    current_by_id = {c["cohabitant_id"]: c for c in current}
    return Restoration(
        remove=tuple(c["cohabitant_id"] for c in current if c["cohabitant_id"] not in applied_ids),
        put_back=tuple(a for a in applied if not _same(a, current_by_id.get(a["cohabitant_id"]))))
