"""The service's tables (SQLAlchemy 2 typed models)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.events import event_tables

JsonB = JSON().with_variant(JSONB, "postgresql")


class Base(DeclarativeBase):
    pass


event_tables(Base.metadata)


class Account(Base):
    """The local copy of identity's account (events identity.account.*) and the party's
    revision counter for profile.party.changed."""
    __tablename__ = "account"
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    nationality: Mapped[str | None] = mapped_column(String(8))
    document_type: Mapped[str | None] = mapped_column(String(40))
    document_number: Mapped[str | None] = mapped_column(String(40))
    lang: Mapped[str] = mapped_column(String(10), default="zh-Hans")
    registered_at: Mapped[str | None] = mapped_column(String(40))
    known_from_identity: Mapped[bool] = mapped_column(Boolean, default=False)
    revision: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Person(Base):
    """The account holder's personal information (R4.1) and its review state."""
    __tablename__ = "person"
    account_id: Mapped[str] = mapped_column(ForeignKey("account.account_id"), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    sex: Mapped[str] = mapped_column(String(10))
    date_of_birth: Mapped[date] = mapped_column(Date)
    hk_mobile: Mapped[str | None] = mapped_column(String(20))
    mainland_mobile: Mapped[str | None] = mapped_column(String(20))
    document_expiry: Mapped[date] = mapped_column(Date)
    origin: Mapped[str] = mapped_column(String(20))
    destination: Mapped[str] = mapped_column(String(20))
    consent_text: Mapped[str] = mapped_column(Text)
    consented_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    review_state: Mapped[str] = mapped_column(String(20))
    rejection_reason: Mapped[str | None] = mapped_column(String(40))
    rejection_note: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Cohabitant(Base):
    __tablename__ = "cohabitant"
    __table_args__ = (
        # one live cohabitant per document per account (deleted ones stay for the history)
        Index("uq_cohabitant_document", "account_id", "document_type", "document_number",
              unique=True, postgresql_where=text("deleted_at IS NULL")),
    )
    cohabitant_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # the order in which they were added (timestamps tie when the clock is frozen)
    seq: Mapped[int] = mapped_column(BigInteger, Identity(), unique=True)
    account_id: Mapped[str] = mapped_column(ForeignKey("account.account_id"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    sex: Mapped[str] = mapped_column(String(10))
    nationality: Mapped[str] = mapped_column(String(8))
    document_type: Mapped[str] = mapped_column(String(40))
    document_number: Mapped[str] = mapped_column(String(40))
    document_expiry: Mapped[date] = mapped_column(Date)
    date_of_birth: Mapped[date] = mapped_column(Date)
    relation: Mapped[str] = mapped_column(String(40))
    category: Mapped[str] = mapped_column(String(40))
    mainland_id_number: Mapped[str | None] = mapped_column(String(40))
    no_mainland_id: Mapped[bool] = mapped_column(Boolean, default=False)
    review_state: Mapped[str] = mapped_column(String(20))
    rejection_reason: Mapped[str | None] = mapped_column(String(40))
    rejection_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ReviewCase(Base):
    """A subject waiting for (or decided by) a reviewer."""
    __tablename__ = "review_case"
    case_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(64), index=True)
    subject_kind: Mapped[str] = mapped_column(String(20))   # person / cohabitant
    subject_id: Mapped[str] = mapped_column(String(64))     # account id or cohabitant id
    state: Mapped[str] = mapped_column(String(20), index=True)  # open/approved/rejected/withdrawn
    case_reason: Mapped[str | None] = mapped_column(String(60))
    finding: Mapped[str | None] = mapped_column(Text)
    snapshot: Mapped[dict] = mapped_column(JsonB)           # what was submitted for review
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(String(64))
    reason_code: Mapped[str | None] = mapped_column(String(40))
    note: Mapped[str | None] = mapped_column(Text)


class StateChange(Base):
    """Every review state change of a person or cohabitant: who, when, why."""
    __tablename__ = "state_change"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(64), index=True)
    subject_kind: Mapped[str] = mapped_column(String(20))
    subject_id: Mapped[str] = mapped_column(String(64), index=True)
    case_id: Mapped[str | None] = mapped_column(String(36), index=True)
    from_state: Mapped[str | None] = mapped_column(String(20))
    to_state: Mapped[str] = mapped_column(String(20))
    actor: Mapped[str] = mapped_column(String(80))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    reason_code: Mapped[str | None] = mapped_column(String(60))
    note: Mapped[str | None] = mapped_column(Text)


class CohabitantLock(Base):
    """R6.3: from a successful application until its period's results are published."""
    __tablename__ = "cohabitant_lock"
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    locked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    unlocked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # the party revision booking checked for the period's earliest application (domain/lock.py)
    party_revision: Mapped[int | None] = mapped_column(Integer)


class PartyRevision(Base):
    """The cohabitants, in full, as each revision of profile.party.changed had them: what a
    change that raced an application is put back to (R6.3)."""
    __tablename__ = "party_revision"
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(Integer, primary_key=True)
    cohabitants: Mapped[list] = mapped_column(JsonB)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                  server_default=func.now())


class CohabitantRestoration(Base):
    """R6.3: cohabitant changes undone because booking had accepted an application with the
    party as it was before them; shown to the applicant while the lock holds."""
    __tablename__ = "cohabitant_restoration"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    account_id: Mapped[str] = mapped_column(String(64), index=True)
    period: Mapped[str] = mapped_column(String(10))
    application_number: Mapped[str] = mapped_column(String(40))
    party_revision: Mapped[int] = mapped_column(Integer)
    changes: Mapped[list] = mapped_column(JsonB)   # [{cohabitant_id, name, action}]
    restored_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PublishedPeriod(Base):
    """Periods whose results are out: a late application event for them locks nothing."""
    __tablename__ = "published_period"
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReferenceDocument(Base):
    """The operator-imported reference list read by the ReferenceList verification source."""
    __tablename__ = "reference_document"
    document_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    document_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    date_of_birth: Mapped[date | None] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
