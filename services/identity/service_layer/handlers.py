"""Use cases of the identity service: plain functions taking a session (the unit of work).

They never commit: the caller (a route, the CLI, the consumer) commits, so a change and its
outbox event are stored together or not at all. Refusals are `ApiError`s or marshmallow
`ValidationError`s carrying catalogue keys.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from marshmallow import ValidationError
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from services.identity.adapters import repository
from services.identity.adapters.models import (
    Account,
    Captcha,
    RefreshToken,
    SessionFamily,
    SupportRequest,
)
from services.identity.domain import backoff, captcha, documents, passwords
from shared import captcha_token
from shared.auth import STAFF_ROLES
from shared.errors import ApiError
from shared.events import record_event
from shared.logs import mask_document

APPLICANT = "applicant"
LEGACY_UPDATE = "legacy-update"


# --- captcha (R2.2.6, R7.4) ---------------------------------------------------------------

def create_captcha(session: Session, now: datetime) -> Captcha:
    repository.delete_expired_captchas(session, now - timedelta(hours=1))
    challenge = Captcha(id=str(uuid.uuid4()), answer=captcha.new_answer(),
                        expires_at=now + captcha.LIFETIME)
    session.add(challenge)
    return challenge


def consume_captcha(session: Session, captcha_id: str | None, given: str | None,
                    now: datetime) -> str | None:
    """Check a captcha and spend it, right or wrong. Returns the refusal's key or None.
    The caller commits before acting on the answer, so a refused request cannot un-spend it."""
    key = captcha_token.challenge_id_of(captcha_id)
    if key is None:
        return "captcha.unknown"
    challenge = repository.captcha_for_update(session, key)
    if challenge is None:
        return "captcha.unknown"
    problem = captcha.check(challenge.answer, given, challenge.expires_at,
                            challenge.used_at is not None, now)
    if challenge.used_at is None:
        challenge.used_at = now
    return problem


# --- registration (R2.2–R2.4) -------------------------------------------------------------

def new_document_errors(nationality, document_type, document_number) -> dict[str, str]:
    return documents.document_errors(nationality, document_type, document_number)


def password_errors(password: str | None, confirmation: str | None,
                    field: str = "password") -> dict[str, str]:
    errors = {}
    problem = "field.required" if not password else passwords.password_error(password)
    if problem:
        errors[field] = problem
    if confirmation is not None:  # R2.2.5: required, and equal to the password
        if not confirmation:
            errors[f"{field}_confirmation"] = "field.required"
        elif confirmation != password:
            errors[f"{field}_confirmation"] = "password_confirmation.mismatch"
    return errors


@dataclass(frozen=True)
class NewAccount:
    nationality: str
    document_type: str
    document_number: str
    password: str
    lang: str


def register(session: Session, new: NewAccount, now: datetime) -> Account:
    """Create an applicant account (fields already validated) and its registered event."""
    number = documents.normalize_number(new.document_number)
    if repository.account_by_document(session, new.document_type, number) is not None:
        raise ApiError(409, "account.document_exists", field="document_number")
    account = Account(id=str(uuid.uuid4()), nationality=new.nationality,
                      document_type=new.document_type, document_number=number,
                      password_hash=passwords.hash_password(new.password), roles=[APPLICANT],
                      lang=new.lang, status="active", imported=False, created_at=now)
    session.add(account)
    try:
        session.flush()
    except IntegrityError as exc:  # a concurrent registration of the same document won
        session.rollback()
        raise ApiError(409, "account.document_exists", field="document_number") from exc
    _record_registered(session, account, now)
    return account


def _record_registered(session: Session, account: Account, now: datetime) -> None:
    record_event(session, "identity.account.registered", {
        "account_id": account.id, "nationality": account.nationality,
        "document_type": account.document_type, "document_number": account.document_number,
        "lang": account.lang, "registered_at": now.isoformat()})


# --- roles, sessions, tokens ----------------------------------------------------------------

def needs_document_update(account: Account) -> bool:
    """R3.1: a nonconforming account that has not yet used its one update (R3.2)."""
    return (not documents.conforms(account.nationality, account.document_type,
                                   account.document_number)
            and account.document_updated_at is None)


def token_roles(account: Account) -> list[str]:
    if needs_document_update(account):
        return [LEGACY_UPDATE]  # nothing else until the document is fixed (R3.1)
    return list(account.roles)


@dataclass(frozen=True)
class SessionStart:
    account: Account
    family_id: str
    refresh_jti: str
    roles: list[str]
    update_required: bool


def start_session(session: Session, account: Account, now: datetime,
                  refresh_lifetime: timedelta) -> SessionStart:
    family = SessionFamily(id=str(uuid.uuid4()), account_id=account.id, created_at=now)
    session.add(family)
    session.flush()
    jti = _new_refresh_token(session, family.id, now, refresh_lifetime)
    return SessionStart(account, family.id, jti, token_roles(account),
                        needs_document_update(account))


def _new_refresh_token(session: Session, family_id: str, now: datetime,
                       lifetime: timedelta) -> str:
    token = RefreshToken(jti=str(uuid.uuid4()), family_id=family_id, expires_at=now + lifetime)
    session.add(token)
    return token.jti


def disabled_error(account: Account) -> ApiError:
    return ApiError(403, "account.disabled", reason_code=account.disabled_reason or "")


@dataclass(frozen=True)
class LoginOutcome:
    started: SessionStart | None = None
    error: ApiError | None = None


def login(session: Session, document_type: str | None, raw_number: str | None,
          password: str | None, now: datetime, refresh_lifetime: timedelta) -> LoginOutcome:
    """R2.1 with back-off. Returns the refusal instead of raising it, so the caller can commit
    the failure counter before answering."""
    document_type = (document_type or "").strip()
    number = documents.normalize(document_type, raw_number)
    counter = repository.login_failure_for_update(session, document_type, number)
    wait = backoff.retry_after_seconds(counter.consecutive_failures, counter.last_failure_at, now)
    if wait > 0:
        return LoginOutcome(error=ApiError(429, "login.locked", field="password",
                                           retry_after=wait))
    account = repository.account_by_document(session, document_type, number)
    # Always run one argon2 verification so timing does not tell whether the account exists.
    stored_hash = account.password_hash if account is not None else _DUMMY_HASH
    if not passwords.verify_password(stored_hash, password or "") or account is None:
        counter.consecutive_failures += 1
        counter.last_failure_at = now
        wait = backoff.retry_after_seconds(counter.consecutive_failures, now, now)
        params = {"retry_after": wait} if wait else {}
        # staff type a username, not a document number: the refusal names what they typed
        code = "login.invalid_staff" if document_type == documents.STAFF else "login.invalid"
        return LoginOutcome(error=ApiError(401, code, field="password", **params))
    session.delete(counter)  # a success forgets the failures (and keeps the table small)
    if account.status == "disabled":
        return LoginOutcome(error=disabled_error(account))
    if passwords.needs_rehash(account.password_hash):
        account.password_hash = passwords.hash_password(password or "")
    return LoginOutcome(started=start_session(session, account, now, refresh_lifetime))


_DUMMY_HASH = passwords.hash_password("not-a-real-password-0")


def refresh(session: Session, jti: str | None, family_id: str | None, now: datetime,
            refresh_lifetime: timedelta) -> SessionStart:
    """Rotate a refresh token. A spent one presented again revokes its whole family (it has
    been copied), and so does a revoked family."""
    token = repository.refresh_token_for_update(session, str(jti or ""))
    if token is None or token.family_id != family_id:
        raise ApiError(401, "auth.invalid")
    family = repository.family(session, token.family_id)
    if family is None or family.revoked_at is not None:
        raise ApiError(401, "auth.invalid")
    if token.used_at is not None:
        repository.revoke_family(session, family.id, now)
        raise _RevokeAndRefuse()
    if token.expires_at <= now:
        raise ApiError(401, "auth.expired")
    account = repository.account_by_id(session, family.account_id)
    if account is None:
        raise ApiError(401, "auth.invalid")
    if account.status == "disabled":
        raise disabled_error(account)
    token.used_at = now
    new_jti = _new_refresh_token(session, family.id, now, refresh_lifetime)
    return SessionStart(account, family.id, new_jti, token_roles(account),
                        needs_document_update(account))


class _RevokeAndRefuse(ApiError):
    """Refused, but the revocation it caused must be committed."""

    def __init__(self):
        super().__init__(401, "auth.invalid")


RevokeAndRefuse = _RevokeAndRefuse


def logout(session: Session, family_id: str | None, now: datetime) -> None:
    if family_id:
        repository.revoke_family(session, family_id, now)


# --- legacy accounts (R3) -----------------------------------------------------------------

def update_document(session: Session, account_id: str, nationality: str, document_type: str,
                    raw_number: str, now: datetime) -> Account:
    """R3.2–R3.4: the one change of a nonconforming account's document; revokes its sessions
    so the user logs in again with the new document and the same password."""
    account = session.get(Account, account_id, with_for_update=True)
    if account is None:
        raise ApiError(401, "auth.invalid")
    if account.document_updated_at is not None:
        raise ApiError(409, "account.update_used")
    if not needs_document_update(account):
        raise ApiError(409, "account.update_not_needed")
    errors = new_document_errors(nationality, document_type, raw_number)
    if errors:
        raise ValidationError({field: [key] for field, key in errors.items()})
    number = documents.normalize_number(raw_number)
    existing = repository.account_by_document(session, document_type, number)
    if existing is not None and existing.id != account.id:
        raise ApiError(409, "account.document_taken", field="document_number",
                       masked=mask_document(existing.document_number))
    account.nationality = nationality
    account.document_type = document_type
    account.document_number = number
    account.document_updated_at = now
    try:
        session.flush()
    except IntegrityError as exc:
        session.rollback()
        raise ApiError(409, "account.document_taken", field="document_number",
                       masked=mask_document(number)) from exc
    repository.revoke_all_sessions(session, account.id, now)
    record_event(session, "identity.account.document_changed", {
        "account_id": account.id, "nationality": nationality, "document_type": document_type,
        "document_number": number})
    return account


# Chinese names still found in old data, mapped to today's codes.
_LEGACY_TYPE_NAMES = {
    "港澳居民来往内地通行证": documents.HK_MACAO_RESIDENT_PERMIT,
    "回乡证": documents.HK_MACAO_RESIDENT_PERMIT,
    "往来港澳通行证": documents.MAINLAND_TRAVEL_PERMIT,
    "台湾居民来往大陆通行证": documents.TAIWAN_RESIDENT_PERMIT,
    "台胞证": documents.TAIWAN_RESIDENT_PERMIT,
    "中华人民共和国护照": documents.CN_PASSPORT,
    "中国护照": documents.CN_PASSPORT,
    "护照": documents.PASSPORT,
}


def _legacy_nationality(raw: str) -> str:
    value = (raw or "").strip()
    for code, region in documents.NATIONALITIES.items():
        if value in (code, code.lower(), region.names["zh-Hans"], region.names["en"]):
            return code
    return value


@dataclass(frozen=True)
class LegacyRow:
    nationality: str
    document_type: str
    document_number: str
    password_hash_or_password: str
    registered_at: datetime | None = None


def import_legacy_account(session: Session, row: LegacyRow, now: datetime) -> Account | None:
    """One legacy account, kept as it was (nonconforming documents allowed, R3.1). Returns
    None when its document already has an account."""
    document_type = _LEGACY_TYPE_NAMES.get(row.document_type.strip(), row.document_type.strip())
    number = documents.normalize_number(row.document_number)
    if not number or not document_type or document_type == documents.STAFF:
        raise ValueError("document type and number are required")
    if repository.account_by_document(session, document_type, number) is not None:
        return None
    secret = row.password_hash_or_password
    if not secret:
        raise ValueError("password is required")
    password_hash = secret if passwords.is_argon2_hash(secret) else passwords.hash_password(secret)
    created = row.registered_at or now
    account = Account(id=str(uuid.uuid4()), nationality=_legacy_nationality(row.nationality),
                      document_type=document_type, document_number=number,
                      password_hash=password_hash, roles=[APPLICANT], lang="zh-Hans",
                      status="active", imported=True, created_at=created)
    session.add(account)
    session.flush()
    _record_registered(session, account, created)
    return account


# --- staff and support (R14.1) ------------------------------------------------------------

def create_staff(session: Session, role: str, username: str, password: str,
                 now: datetime) -> Account:
    if role not in STAFF_ROLES:
        raise ValueError(f"role must be one of {STAFF_ROLES}")
    problem = passwords.password_error(password)
    if problem:
        raise ValueError(f"password refused: {problem}")
    name = documents.normalize_username(username)
    if not name:
        raise ValueError("username is required")
    existing = repository.account_by_document(session, documents.STAFF, name, for_update=True)
    if existing is not None:
        existing.roles = sorted(set(existing.roles) | {role})
        existing.password_hash = passwords.hash_password(password)
        return existing
    account = Account(id=str(uuid.uuid4()), nationality=None, document_type=documents.STAFF,
                      document_number=name, password_hash=passwords.hash_password(password),
                      roles=[role], lang="zh-Hans", status="active", imported=False,
                      created_at=now)
    session.add(account)
    session.flush()
    return account


def reset_password(session: Session, account_id: str, new_password: str | None,
                   now: datetime) -> str:
    """A reviewer sets a password after checking the person's identity (R14.1)."""
    account = repository.account_by_id(session, account_id)
    if account is None or account.document_type == documents.STAFF:
        raise ApiError(404, "account.not_found")
    password = new_password or passwords.generate_password()
    problem = passwords.password_error(password)
    if problem:
        raise ValidationError({"new_password": [problem]})
    account.password_hash = passwords.hash_password(password)
    repository.revoke_all_sessions(session, account.id, now)
    # The user asked for help: let them in at once, without waiting out an old back-off.
    counter = repository.login_failure_for_update(session, account.document_type,
                                                  account.document_number)
    counter.consecutive_failures = 0
    counter.last_failure_at = None
    return password


@dataclass(frozen=True)
class SupportRequestCommand:
    kind: str
    contact_email: str
    message: str
    document_type: str | None
    document_number: str | None
    lang: str


def request_support(session: Session, cmd: SupportRequestCommand, now: datetime) -> str:
    number = (documents.normalize(cmd.document_type or "", cmd.document_number)
              if cmd.document_number else None)
    request = SupportRequest(id=str(uuid.uuid4()), kind=cmd.kind,
                             contact_email=cmd.contact_email.strip(), message=cmd.message,
                             document_type=cmd.document_type or None, document_number=number,
                             lang=cmd.lang, created_at=now)
    session.add(request)
    record_event(session, "identity.support.requested", {
        "request_id": request.id, "kind": cmd.kind, "contact_email": request.contact_email,
        "message": cmd.message, "lang": cmd.lang,
        "document_type": request.document_type,
        "masked_document": mask_document(number) if number else None})
    return request.id


# --- events in (R12.4) --------------------------------------------------------------------

def _is_stale(account: Account, occurred_at: datetime) -> bool:
    return account.status_changed_at is not None and occurred_at < account.status_changed_at


def disable_account(session: Session, account_id: str, reason: str | None,
                    occurred_at: datetime) -> None:
    account = session.get(Account, str(account_id), with_for_update=True)
    if account is None or _is_stale(account, occurred_at):
        return
    account.status = "disabled"
    account.disabled_reason = (reason or "")[:200] or None
    account.status_changed_at = occurred_at
    repository.revoke_all_sessions(session, account.id, occurred_at)


def reinstate_account(session: Session, account_id: str, occurred_at: datetime) -> None:
    account = session.get(Account, str(account_id), with_for_update=True)
    if account is None or _is_stale(account, occurred_at):
        return
    account.status = "active"
    account.disabled_reason = None
    account.status_changed_at = occurred_at
