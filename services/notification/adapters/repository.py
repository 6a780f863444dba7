"""Persistence of emails and contacts, for the consumer's handlers and the operator API.
The sender's claim-and-mark protocol lives in adapters/outgoing.py."""

from __future__ import annotations

from sqlalchemy import func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from services.notification.adapters.models import Contact, Email
from services.notification.domain.letters import Letter, Rendered


def enqueue(session: Session, *, event_id: str, event_type: str, letter: Letter,
            rendered: Rendered) -> bool:
    """Record an email as queued, once per (event, kind, recipient, ref). Returns False when it
    already existed (a redelivered event)."""
    inserted = session.execute(
        insert(Email).values(
            event_id=event_id, event_type=event_type, kind=letter.kind,
            recipient=letter.recipient, ref=letter.ref, lang=letter.lang,
            reply_to=letter.reply_to, subject=rendered.subject, body_text=rendered.text,
            body_html=rendered.html, state="queued")
        .on_conflict_do_nothing(constraint="uq_email_event_kind_recipient")
        .returning(Email.id)).first()
    if inserted is not None:
        notify_queued(session, inserted.id)
    return inserted is not None


def notify_queued(session: Session, email_id: int) -> None:
    """Wake an idle sender at commit instead of at its next poll."""
    session.execute(text("SELECT pg_notify('email_queued', :id)"), {"id": str(email_id)})


def save_contact(session: Session, *, account_id: str, email: str | None, lang: str,
                 revision: int) -> None:
    """Keep the newest revision only: relays do not promise order."""
    stmt = insert(Contact).values(account_id=account_id, email=email, lang=lang,
                                  revision=revision)
    session.execute(stmt.on_conflict_do_update(
        index_elements=[Contact.account_id],
        set_={"email": stmt.excluded.email, "lang": stmt.excluded.lang,
              "revision": stmt.excluded.revision},
        where=Contact.revision < stmt.excluded.revision))


def contacts_for(session: Session, account_ids: list[str]) -> dict[str, tuple[str, str]]:
    if not account_ids:
        return {}
    rows = session.execute(select(Contact).where(Contact.account_id.in_(account_ids),
                                                 Contact.email.is_not(None))).scalars()
    return {row.account_id: (row.email, row.lang) for row in rows}


def list_emails(session: Session, *, state: str | None = None, kind: str | None = None,
                limit: int = 50, offset: int = 0) -> tuple[list[Email], int]:
    query = select(Email)
    count = select(func.count()).select_from(Email)
    if state:
        query, count = query.where(Email.state == state), count.where(Email.state == state)
    if kind:
        query, count = query.where(Email.kind == kind), count.where(Email.kind == kind)
    rows = session.execute(query.order_by(Email.id.desc()).limit(limit).offset(offset)).scalars()
    return list(rows), session.execute(count).scalar_one()


def get_email(session: Session, email_id: int, *, for_update: bool = False) -> Email | None:
    query = select(Email).where(Email.id == email_id)
    if for_update:
        query = query.with_for_update()
    return session.execute(query).scalar_one_or_none()


def counts_by_state(session: Session) -> dict[str, int]:
    rows = session.execute(select(Email.state, func.count()).group_by(Email.state)).all()
    return {state: n for state, n in rows}
