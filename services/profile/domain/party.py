"""The party (the applicant and their cohabitants) as booking sees it (R6.4, R7.1)."""

from __future__ import annotations

from services.profile.domain.review import APPROVED


def eligible(person_state: str | None, cohabitant_states: list[str]) -> bool:
    """R6.4/R7.1: the person and every cohabitant approved."""
    return person_state == APPROVED and all(s == APPROVED for s in cohabitant_states)
