"""The lottery's own tables. Periods and dates are `YYYY-MM-DD` strings in Beijing time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.events import event_tables


class Base(DeclarativeBase):
    pass


event_tables(Base.metadata)


class Period(Base):
    """One application window and its draw: the committed seed, booking's close statement, the
    publication. `seed` and `pepper` are secrets until publication (the pepper for ever)."""

    __tablename__ = "lottery_period"
    period: Mapped[str] = mapped_column(String(10), primary_key=True)
    dates: Mapped[list] = mapped_column(JSONB, nullable=False, default=list)
    seed: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)
    seed_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    pepper: Mapped[bytes] = mapped_column(LargeBinary(32), nullable=False)
    committed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                                   server_default=func.now())
    # booking.period.closed body["dates"]: {date: {places, count, digest}}
    closing: Mapped[dict | None] = mapped_column(JSONB)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    files_written_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class LotteryEntry(Base):
    """Local copy of booking.application.submitted; persons are period-scoped person keys."""

    __tablename__ = "lottery_entry"
    application_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), nullable=False)
    date: Mapped[str] = mapped_column(String(10), nullable=False)
    account_id: Mapped[str] = mapped_column(String(64), nullable=False)
    persons: Mapped[list[str]] = mapped_column(ARRAY(String(32)), nullable=False)
    party_size: Mapped[int] = mapped_column(Integer, nullable=False)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                                  server_default=func.now())
    __table_args__ = (
        Index("ix_lottery_entry_period_date", "period", "date"),
        Index("ix_lottery_entry_account", "account_id"),
    )


class DrawResult(Base):
    """One row per drawn date; its primary key makes a second draw of a date impossible."""

    __tablename__ = "lottery_draw_result"
    period: Mapped[str] = mapped_column(String(10), ForeignKey("lottery_period.period"),
                                        primary_key=True)
    date: Mapped[str] = mapped_column(String(10), primary_key=True)
    places: Mapped[int] = mapped_column(Integer, nullable=False)
    applications: Mapped[int] = mapped_column(Integer, nullable=False)
    digest: Mapped[str] = mapped_column(String(64), nullable=False)
    winners: Mapped[list[str]] = mapped_column(JSONB, nullable=False)  # in rank order
    winners_people: Mapped[int] = mapped_column(Integer, nullable=False)
    overflow: Mapped[int] = mapped_column(Integer, nullable=False)
    drawn_by: Mapped[str] = mapped_column(String(120), nullable=False)
    # the draw's `now`, from the shared clock (shared/clock.py) that tests and demos move; the
    # database's now() is real time
    drawn_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                               server_default=func.now())


class Winner(Base):
    """The winning applications, indexed for the 'did I win?' read path."""

    __tablename__ = "lottery_winner"
    application_number: Mapped[str] = mapped_column(String(64), primary_key=True)
    period: Mapped[str] = mapped_column(String(10), nullable=False)
    date: Mapped[str] = mapped_column(String(10), nullable=False)
    account_id: Mapped[str] = mapped_column(String(64), nullable=False)
    rank: Mapped[int] = mapped_column(Integer, nullable=False)
    __table_args__ = (Index("ix_lottery_winner_period_date", "period", "date"),)


class DrawFailure(Base):
    """A refused draw, reported once per period, date and reason; cleared facts stay for audit."""

    __tablename__ = "lottery_draw_failure"
    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    period: Mapped[str] = mapped_column(String(10), nullable=False)
    date: Mapped[str] = mapped_column(String(10), nullable=False)
    reason: Mapped[str] = mapped_column(String(40), nullable=False)
    detail: Mapped[str] = mapped_column(Text, nullable=False)
    first_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                                    server_default=func.now())
    last_seen_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), nullable=False,
                                                   server_default=func.now())
    __table_args__ = (Index("ux_lottery_draw_failure", "period", "date", "reason", unique=True),)
