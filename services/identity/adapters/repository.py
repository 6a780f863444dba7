"""Small persistence layer over the identity tables."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from services.identity.adapters.models import (
    Account,
    Captcha,
    LoginFailure,
    RefreshToken,
    SessionFamily,
)


def account_by_id(session: Session, account_id: str) -> Account | None:
    return session.get(Account, str(account_id))


def account_by_document(session: Session, document_type: str, number: str,
                        for_update: bool = False) -> Account | None:
    query = select(Account).where(Account.document_type == document_type,
                                  Account.document_number == number)
    if for_update:
        query = query.with_for_update()
    return session.scalars(query).first()


def captcha_for_update(session: Session, captcha_id: str) -> Captcha | None:
    return session.scalars(select(Captcha).where(Captcha.id == captcha_id)
                           .with_for_update()).first()


def delete_expired_captchas(session: Session, before: datetime) -> None:
    session.query(Captcha).filter(Captcha.expires_at < before).delete()


def login_failure_for_update(session: Session, document_type: str, number: str) -> LoginFailure:
    """The failure counter of a document, locked for this transaction (created if missing)."""
    session.execute(insert(LoginFailure).values(
        document_type=document_type, document_number=number, consecutive_failures=0)
        .on_conflict_do_nothing())
    return session.scalars(select(LoginFailure).where(
        LoginFailure.document_type == document_type, LoginFailure.document_number == number)
        .with_for_update().execution_options(populate_existing=True)).one()


def refresh_token_for_update(session: Session, jti: str) -> RefreshToken | None:
    return session.scalars(select(RefreshToken).where(RefreshToken.jti == jti)
                           .with_for_update()).first()


def family(session: Session, family_id: str) -> SessionFamily | None:
    return session.get(SessionFamily, family_id)


def family_is_revoked(session: Session, family_id: str) -> bool:
    revoked = session.execute(select(SessionFamily.revoked_at)
                              .where(SessionFamily.id == family_id)).first()
    return revoked is not None and revoked[0] is not None


def revoke_family(session: Session, family_id: str, now: datetime) -> None:
    session.execute(update(SessionFamily).where(SessionFamily.id == family_id,
                                                SessionFamily.revoked_at.is_(None))
                    .values(revoked_at=now))


def revoke_all_sessions(session: Session, account_id: str, now: datetime) -> None:
    session.execute(update(SessionFamily).where(SessionFamily.account_id == account_id,
                                                SessionFamily.revoked_at.is_(None))
                    .values(revoked_at=now))
