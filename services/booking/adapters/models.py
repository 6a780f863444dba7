"""Booking's tables (SQLAlchemy 2 typed models). The constraints carry rules:
- `party_claim` UNIQUE (period, date, document_type, document_number): R7.7, one application per
  person and date of a period, whoever's party they are in;
- `application.application_number` UNIQUE: R7.6;
- `entry_record` UNIQUE (document_type, document_number, entry_date): idempotent import;
- `period.period` PRIMARY KEY: the opened event is recorded once.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.events import event_tables

JSONType = JSON().with_variant(JSONB, "postgresql")


class Base(DeclarativeBase):
    pass


event_tables(Base.metadata)


class Capacity(Base):
    """Places of a date, set by operators (R7.2)."""
    __tablename__ = "capacity"
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    places: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now())


class Period(Base):
    """One application window (R7.1), named by its day P; covers P+1..P+6."""
    __tablename__ = "period"
    period: Mapped[date] = mapped_column(Date, primary_key=True)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="open")
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    results_published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class DateCounter(Base):
    """Applications and applicants per period and date (each period's draw of a date is its
    own batch) as of the last fold. A submission appends to `date_counter_increment` instead:
    no row to wait for, no dead versions of a hot row. The scheduler folds the increments in
    every second; readers add those not folded yet (repository.counters)."""
    __tablename__ = "date_counter"
    period: Mapped[date] = mapped_column(Date, primary_key=True)
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    applications: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    applicants: Mapped[int] = mapped_column(Integer, nullable=False, default=0)


# One row per submission not folded into date_counter yet (its dates, its party's size); no key
# and no index: it is only appended to, and read whole (a second of submissions) by the fold
# and the six-day view.
date_counter_increment = Table(
    "date_counter_increment", Base.metadata,
    Column("period", Date, nullable=False), Column("dates", ARRAY(Date), nullable=False),
    Column("applicants", SmallInteger, nullable=False))


class Party(Base):
    """Local read model of `profile.party.changed` (event-carried state)."""
    __tablename__ = "party"
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    revision: Mapped[int] = mapped_column(BigInteger, nullable=False)
    lang: Mapped[str | None] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(254))
    person: Mapped[dict] = mapped_column(JSONType, nullable=False)
    cohabitants: Mapped[list] = mapped_column(JSONType, nullable=False, default=list)
    eligible: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                 onupdate=func.now())


class Application(Base):
    """One application for one date (R7.6); result filled from the published draw (R10.1)."""
    __tablename__ = "application"
    application_number: Mapped[str] = mapped_column(String(16), primary_key=True)
    # no foreign key to period: each insert would take FOR KEY SHARE on the one period row, a
    # hot multixact at 09:00; the submission's guard checks the period under its lock instead
    period: Mapped[date] = mapped_column(Date, nullable=False)
    date: Mapped[date] = mapped_column(Date, nullable=False)
    account_id: Mapped[str] = mapped_column(String(64), nullable=False)
    party: Mapped[list] = mapped_column(JSONType, nullable=False)
    party_size: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    submitted_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    result: Mapped[str] = mapped_column(String(10), nullable=False, default="pending")
    # by period: through party_claim's key (repository.application_numbers_of)
    __table_args__ = (Index("ix_application_account_period", "account_id", "period",
                            "submitted_at"),)


class PartyClaim(Base):
    """R7.7 enforced by the database: a person is in one application per date of a period
    (each period's draw of a date is its own batch)."""
    __tablename__ = "party_claim"
    period: Mapped[date] = mapped_column(Date, primary_key=True)
    date: Mapped[date] = mapped_column(Date, primary_key=True)
    document_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    document_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    # no foreign key: claims and their application are inserted by one statement (SUBMIT_SQL)
    application_number: Mapped[str] = mapped_column(String(16), nullable=False)


class SpentCaptcha(Base):
    """R7.4: a captcha token (shared/captcha_token.py) passes one submission, right or wrong
    answer; rows older than a day are deleted (a token lives 5 minutes)."""
    __tablename__ = "spent_captcha"
    captcha_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    # no index: only the once-a-minute sweep of day-old tokens reads it
    spent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class Reservation(Base):
    """A won application (R11.1): active / cancelled / used / no_show."""
    __tablename__ = "reservation"
    application_number: Mapped[str] = mapped_column(
        String(16), ForeignKey("application.application_number"), primary_key=True)
    account_id: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    period: Mapped[date] = mapped_column(Date, nullable=False)
    date: Mapped[date] = mapped_column(Date, nullable=False)
    party_size: Mapped[int] = mapped_column(SmallInteger, nullable=False)
    # R12.3: the holder's entry on the day decides used / no_show
    holder_document_type: Mapped[str] = mapped_column(String(40), nullable=False)
    holder_document_number: Mapped[str] = mapped_column(String(40), nullable=False)
    state: Mapped[str] = mapped_column(String(10), nullable=False, default="active")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    cancelled_on: Mapped[date | None] = mapped_column(Date)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    __table_args__ = (Index("ix_reservation_date_state", "date", "state"),)


class ReservationPerson(Base):
    """Every person of a won application, so that a person holding an active reservation for a
    date is not entered in a later period's draw of that date."""
    __tablename__ = "reservation_person"
    application_number: Mapped[str] = mapped_column(
        String(16), ForeignKey("reservation.application_number"), primary_key=True)
    document_type: Mapped[str] = mapped_column(String(40), primary_key=True)
    document_number: Mapped[str] = mapped_column(String(40), primary_key=True)
    date: Mapped[date] = mapped_column(Date, nullable=False)
    __table_args__ = (Index("ix_reservation_person_document", "document_type",
                            "document_number", "date"),)


class EntryRecord(Base):
    """A person's recorded entry at the border (operator import)."""
    __tablename__ = "entry_record"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    document_type: Mapped[str] = mapped_column(String(40), nullable=False)
    document_number: Mapped[str] = mapped_column(String(40), nullable=False)
    entry_date: Mapped[date] = mapped_column(Date, nullable=False)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                  server_default=func.now())
    __table_args__ = (UniqueConstraint("document_type", "document_number", "entry_date",
                                       name="uq_entry_record"),)


class AccountStatus(Base):
    """R12.4: a permanently disabled account, until an operator reinstates it."""
    __tablename__ = "account_status"
    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    disabled: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    reason: Mapped[str | None] = mapped_column(String(80))
    disabled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reinstated_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)


class Setting(Base):
    """Operator configuration (R12.4 threshold and window)."""
    __tablename__ = "setting"
    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict] = mapped_column(JSONType, nullable=False)
