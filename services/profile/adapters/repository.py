"""The small persistence layer: every query the service layer needs, by name."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from services.profile.adapters.models import (
    Account,
    Cohabitant,
    CohabitantLock,
    CohabitantRestoration,
    PartyRevision,
    Person,
    PublishedPeriod,
    ReferenceDocument,
    ReviewCase,
    StateChange,
)
from services.profile.domain.review import ReferenceEntry


def lock_account(session: Session, account_id: str, now: datetime) -> Account:
    """The account row, created if identity's event has not arrived yet, locked FOR UPDATE so
    that changes to one party are serialized (the R6.2 count, the revision)."""
    session.execute(insert(Account).values(
        account_id=account_id, lang="zh-Hans", known_from_identity=False, revision=0,
        updated_at=now).on_conflict_do_nothing(index_elements=["account_id"]))
    return session.execute(select(Account).where(Account.account_id == account_id)
                           .with_for_update().execution_options(populate_existing=True)
                           ).scalar_one()


def get_account(session: Session, account_id: str) -> Account | None:
    return session.get(Account, account_id)


def get_person(session: Session, account_id: str) -> Person | None:
    return session.get(Person, account_id)


def live_cohabitants(session: Session, account_id: str) -> list[Cohabitant]:
    return list(session.scalars(select(Cohabitant).where(
        Cohabitant.account_id == account_id, Cohabitant.deleted_at.is_(None))
        .order_by(Cohabitant.seq)))


def own_cohabitant(session: Session, account_id: str, cohabitant_id: str) -> Cohabitant | None:
    """Only the account's own live cohabitant: another account's id finds nothing."""
    return session.scalars(select(Cohabitant).where(
        Cohabitant.cohabitant_id == cohabitant_id, Cohabitant.account_id == account_id,
        Cohabitant.deleted_at.is_(None))).first()


def get_cohabitant(session: Session, cohabitant_id: str) -> Cohabitant | None:
    return session.get(Cohabitant, cohabitant_id)


def open_cases_of(session: Session, subject_kind: str, subject_id: str) -> list[ReviewCase]:
    return list(session.scalars(select(ReviewCase).where(
        ReviewCase.subject_kind == subject_kind, ReviewCase.subject_id == subject_id,
        ReviewCase.state == "open")))


def get_case(session: Session, case_id: str, for_update: bool = False) -> ReviewCase | None:
    query = select(ReviewCase).where(ReviewCase.case_id == case_id)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).first()


def cases(session: Session, state: str | None, limit: int, offset: int) -> list[ReviewCase]:
    query = select(ReviewCase).order_by(ReviewCase.opened_at, ReviewCase.case_id)
    if state:
        query = query.where(ReviewCase.state == state)
    return list(session.scalars(query.limit(limit).offset(offset)))


def count_cases(session: Session, state: str | None) -> int:
    query = select(func.count()).select_from(ReviewCase)
    if state:
        query = query.where(ReviewCase.state == state)
    return session.scalar(query) or 0


def history(session: Session, subject_kind: str, subject_id: str) -> list[StateChange]:
    return list(session.scalars(select(StateChange).where(
        StateChange.subject_kind == subject_kind, StateChange.subject_id == subject_id)
        .order_by(StateChange.at, StateChange.id)))


def active_locks(session: Session, account_id: str) -> list[CohabitantLock]:
    return list(session.scalars(select(CohabitantLock).where(
        CohabitantLock.account_id == account_id, CohabitantLock.unlocked_at.is_(None))
        .order_by(CohabitantLock.period)))


def hold_lock(session: Session, account_id: str, period: str, now: datetime) -> CohabitantLock:
    """The account's lock for the period, created if new, locked FOR UPDATE."""
    session.execute(insert(CohabitantLock).values(
        account_id=account_id, period=period, locked_at=now, unlocked_at=None)
        .on_conflict_do_nothing(index_elements=["account_id", "period"]))
    return session.execute(select(CohabitantLock).where(
        CohabitantLock.account_id == account_id, CohabitantLock.period == period)
        .with_for_update().execution_options(populate_existing=True)).scalar_one()


def record_party_revision(session: Session, account_id: str, revision: int,
                          cohabitants: list[dict]) -> None:
    session.add(PartyRevision(account_id=account_id, revision=revision,
                              cohabitants=cohabitants))


def party_revision(session: Session, account_id: str, revision: int) -> list[dict] | None:
    row = session.get(PartyRevision, (account_id, revision))
    return None if row is None else list(row.cohabitants)


def add_restoration(session: Session, **fields) -> None:
    session.add(CohabitantRestoration(**fields))


def latest_restoration(session: Session, account_id: str,
                       periods: list[str]) -> CohabitantRestoration | None:
    """The last restoration of one of `periods` (the account's locked ones)."""
    if not periods:
        return None
    return session.scalars(select(CohabitantRestoration).where(
        CohabitantRestoration.account_id == account_id,
        CohabitantRestoration.period.in_(periods))
        .order_by(CohabitantRestoration.id.desc()).limit(1)).first()


def period_published(session: Session, period: str) -> bool:
    return session.get(PublishedPeriod, period) is not None


def unlock_period(session: Session, period: str, now: datetime) -> list[str]:
    """Marks the period published and releases its locks; returns the accounts released."""
    session.execute(insert(PublishedPeriod).values(period=period, published_at=now)
                    .on_conflict_do_nothing(index_elements=["period"]))
    locks = list(session.scalars(select(CohabitantLock).where(
        CohabitantLock.period == period, CohabitantLock.unlocked_at.is_(None))
        .with_for_update()))
    for lock in locks:
        lock.unlocked_at = now
    return sorted({lock.account_id for lock in locks})


def reference_entry(session: Session, document_type: str, number: str) -> ReferenceEntry | None:
    row = session.get(ReferenceDocument, (document_type, number))
    return None if row is None else ReferenceEntry(row.name, row.date_of_birth)


def upsert_reference(session: Session, document_type: str, number: str, name: str,
                     date_of_birth: date | None, now: datetime) -> None:
    statement = insert(ReferenceDocument).values(
        document_type=document_type, document_number=number, name=name,
        date_of_birth=date_of_birth, imported_at=now)
    session.execute(statement.on_conflict_do_update(
        index_elements=["document_type", "document_number"],
        set_={"name": statement.excluded.name, "date_of_birth": statement.excluded.date_of_birth,
              "imported_at": statement.excluded.imported_at}))


def count_references(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(ReferenceDocument)) or 0
