"""The notification service's tables: every email with its delivery state, and the contacts
(email address, language) learnt from profile.party.changed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, Integer, String, Text, UniqueConstraint, func, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from shared.events import event_tables

EMAIL_STATES = ("queued", "sending", "sent", "failed")


class Base(DeclarativeBase):
    pass


event_tables(Base.metadata)


class Email(Base):
    """One email to one recipient. The unique key makes an event's emails exist once, however
    often the event is delivered (the consumer inserts with ON CONFLICT DO NOTHING)."""

    __tablename__ = "email"
    __table_args__ = (UniqueConstraint("event_id", "kind", "recipient", "ref",
                                       name="uq_email_event_kind_recipient"),)

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(36))
    event_type: Mapped[str] = mapped_column(String(120))
    kind: Mapped[str] = mapped_column(String(40), index=True)
    recipient: Mapped[str] = mapped_column(String(254))
    ref: Mapped[str] = mapped_column(String(80), server_default="")
    lang: Mapped[str] = mapped_column(String(10))
    reply_to: Mapped[str | None] = mapped_column(String(254))
    subject: Mapped[str] = mapped_column(Text)
    body_text: Mapped[str] = mapped_column(Text)
    body_html: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(10), server_default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    message_id: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                      server_default=func.now())
    claimed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resent_count: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class Contact(Base):
    """Read model: where a user can be reached, from profile.party.changed (event-carried)."""

    __tablename__ = "contact"

    account_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    email: Mapped[str | None] = mapped_column(String(254))
    lang: Mapped[str] = mapped_column(String(10))
    revision: Mapped[int] = mapped_column(BigInteger)
