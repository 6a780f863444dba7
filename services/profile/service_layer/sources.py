"""Which verification source decides what passed the automatic checks (R4.3).

`PROFILE_VERIFICATION_SOURCE=checks` (default): approve what passes.
`PROFILE_VERIFICATION_SOURCE=reference_list`: approve what matches the operator-imported list;
leave the rest to reviewers.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from sqlalchemy.orm import Session

from services.profile.adapters import repository as repo
from services.profile.domain.review import ApproveWhatPasses, ReferenceList, VerificationSource

SOURCES = ("checks", "reference_list")


def configured_source_name() -> str:
    name = os.environ.get("PROFILE_VERIFICATION_SOURCE") or "checks"
    if name not in SOURCES:
        raise ValueError(f"PROFILE_VERIFICATION_SOURCE must be one of {SOURCES}, not {name!r}")
    return name


def source_factory(name: str | None = None) -> Callable[[Session], VerificationSource]:
    name = name or configured_source_name()
    if name == "reference_list":
        return lambda session: ReferenceList(
            lambda document_type, number: repo.reference_entry(session, document_type, number))
    return lambda session: ApproveWhatPasses()
