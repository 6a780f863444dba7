"""HTTP API of the identity service (contract: docs/identity.md). Thin: schema in, service
layer, schema out. Every view says who may call it."""

from __future__ import annotations

from datetime import timedelta

import jwt as pyjwt
from flask import current_app, request
from flask.views import MethodView
from flask_jwt_extended import decode_token, get_jwt
from flask_jwt_extended.exceptions import JWTExtendedException
from marshmallow import ValidationError

from services.identity import schemas
from services.identity.adapters import repository
from services.identity.domain import documents
from services.identity.domain.captcha import LIFETIME, render_data_url
from services.identity.entrypoints.tokens import account_view, issue_tokens
from services.identity.service_layer import handlers
from shared import captcha_token
from shared.app import Blueprint, db_session, service_context
from shared.auth import ROLES, current_principal, public, requires
from shared.errors import ApiError, language
from shared.i18n import LANGUAGES
from shared.logs import mask_document

blp = Blueprint("identity", __name__, url_prefix="/api/identity",
                description="Accounts, documents, captcha, sessions (docs/identity.md)")

ANY_ROLE = ROLES  # every logged-in caller, the legacy-update role included


def _now():
    return service_context().clock.now()


def _refresh_lifetime() -> timedelta:
    return timedelta(days=service_context().settings.refresh_token_days)


def _translate(key: str, **params) -> str:
    return service_context().catalog.translate(key, language(), **params)


def _require_captcha(captcha_id, answer, field: str = "captcha_answer") -> None:
    """Spend the captcha in its own committed transaction, then refuse if it did not pass."""
    session = db_session()
    problem = handlers.consume_captcha(session, captcha_id, answer, _now())
    session.commit()
    if problem:
        raise ValidationError({field: [problem]})


def _localized(error: ApiError) -> ApiError:
    """account.disabled carries a reason code from booking (R12.4): say it in the user's
    language when we know it."""
    if error.code != "account.disabled":
        return error
    code = error.params.get("reason_code") or ""
    key = f"disable_reason.{code}"
    reason = _translate(key) if service_context().catalog.knows(key) else _translate(
        "disable_reason.other")
    return ApiError(403, "account.disabled", reason=reason)


def _tokens_answer(start: handlers.SessionStart) -> dict:
    answer = issue_tokens(start)
    answer["update_required"] = start.update_required
    if start.update_required:
        answer["message"] = _translate("login.update_required")  # exact text of R3.1
    return answer


@blp.route("/catalogue")
@public
@blp.response(200)
def catalogue():
    """Nationalities / regions and the document types each may use (R2.2.1–2)."""
    types = {d.code: {"code": d.code, "names": documents.display_names(d.names),
                      "format_hint": documents.display_names(d.format_hint),
                      "example": d.example}
             for d in documents.DOCUMENT_TYPES.values()}
    return {
        "nationalities": [
            {"code": n.code, "names": documents.display_names(n.names),
             "document_types": [types[code] for code in n.document_types]}
            for n in documents.NATIONALITIES.values()],
        "document_types": list(types.values()),
        "consent_text": {lang: service_context().catalog.translate("consent.text", lang)
                         for lang in LANGUAGES},
    }


@blp.route("/captchas", methods=["POST"])
@public
@blp.response(201, schemas.CaptchaSchema)
def create_captcha():
    """A new image captcha; its answer is shown only in development and test mode."""
    session = db_session()
    challenge = handlers.create_captcha(session, _now())
    session.commit()
    token = captcha_token.sign(current_app.extensions["identity_captcha_key"], challenge.id,
                               challenge.expires_at, challenge.answer)
    answer = {"captcha_id": token, "image": render_data_url(challenge.answer),
              "expires_in": int(LIFETIME.total_seconds())}
    if service_context().settings.mode in ("development", "test"):
        answer["answer"] = challenge.answer
    return answer


@blp.route("/registrations", methods=["POST"])
@public
@blp.arguments(schemas.RegistrationSchema)
@blp.response(201, schemas.TokensSchema)
def register(data):
    """R2.2–R2.4: register and log in."""
    _require_captcha(data["captcha_id"], data["captcha_answer"])
    session = db_session()
    now = _now()
    account = handlers.register(session, handlers.NewAccount(
        nationality=data["nationality"], document_type=data["document_type"],
        document_number=data["document_number"], password=data["password"],
        lang=language()), now)
    start = handlers.start_session(session, account, now, _refresh_lifetime())
    session.commit()
    answer = issue_tokens(start)
    return answer


@blp.route("/sessions", methods=["POST"])
@public
@blp.arguments(schemas.LoginSchema)
@blp.response(200, schemas.TokensSchema)
def login(data):
    """R2.1 login, with back-off; a nonconforming legacy account gets only legacy-update."""
    session = db_session()
    outcome = handlers.login(session, data["document_type"], data["document_number"],
                             data["password"], _now(), _refresh_lifetime())
    session.commit()  # the failure counter is kept whatever the answer
    if outcome.error is not None:
        raise _localized(outcome.error)
    return _tokens_answer(outcome.started)


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    return value.strip() if scheme.lower() == "bearer" and value.strip() else None


@blp.route("/sessions/refresh", methods=["POST"])
@public
@blp.arguments(schemas.RefreshSchema)
@blp.response(200, schemas.TokensSchema)
def refresh(data):
    """Rotate a refresh token (the token is the credential, so the route is public). It comes
    in the body or as `Authorization: Bearer <refresh token>`."""
    token = data.get("refresh_token") or _bearer_token()
    if not token:
        raise ApiError(401, "auth.required")
    try:
        claims = decode_token(token)
    except pyjwt.ExpiredSignatureError as exc:
        raise ApiError(401, "auth.expired") from exc
    except (pyjwt.InvalidTokenError, JWTExtendedException) as exc:
        raise ApiError(401, "auth.invalid") from exc
    if claims.get("type") != "refresh":
        raise ApiError(401, "auth.invalid")
    session = db_session()
    try:
        start = handlers.refresh(session, claims.get("jti"), claims.get("sid"), _now(),
                                 _refresh_lifetime())
    except handlers.RevokeAndRefuse:
        session.commit()  # a replayed token revoked its family: keep that
        raise
    except ApiError as error:
        raise _localized(error) from None
    session.commit()
    return _tokens_answer(start)


@blp.route("/sessions/current", methods=["DELETE"])
@requires(*ANY_ROLE)
@blp.response(204)
def logout():
    """Revoke this session's token family."""
    session = db_session()
    handlers.logout(session, get_jwt().get("sid"), _now())
    session.commit()
    return None


def _own_account():
    account = repository.account_by_id(db_session(), current_principal().account_id)
    if account is None:
        raise ApiError(401, "auth.invalid")
    return account


@blp.route("/accounts/me")
@requires(*ANY_ROLE)
@blp.response(200, schemas.AccountDetailSchema)
def me():
    """The caller's own account (the owner sees the full number)."""
    account = _own_account()
    update_required = handlers.needs_document_update(account)
    view = account_view(account, handlers.token_roles(account))
    view.update(document_number=account.document_number, update_required=update_required,
                document_update_available=update_required, status=account.status,
                created_at=account.created_at)
    return view


@blp.route("/accounts/me/document-update", methods=["POST"])
@requires("legacy-update")
@blp.arguments(schemas.DocumentSchema)
@blp.response(200, schemas.DocumentUpdateResultSchema)
def document_update(data):
    """R3.2–R3.4: the one update of a nonconforming account; then log in again."""
    session = db_session()
    handlers.update_document(session, current_principal().account_id, data["nationality"],
                             data["document_type"], data["document_number"], _now())
    session.commit()
    return {"relogin_required": True}


@blp.route("/support-requests", methods=["POST"])
@public
@blp.arguments(schemas.SupportRequestSchema)
@blp.response(201, schemas.SupportCreatedSchema)
def support_request(data):
    """R14.1: forgot password / problem; support staff are told by email (notification)."""
    _require_captcha(data["captcha_id"], data["captcha_answer"])
    session = db_session()
    request_id = handlers.request_support(session, handlers.SupportRequestCommand(
        kind=data["kind"], contact_email=data["contact_email"], message=data["message"],
        document_type=data["document_type"], document_number=data["document_number"],
        lang=language()), _now())
    session.commit()
    return {"request_id": request_id}


@blp.route("/staff/accounts")
class StaffAccountLookup(MethodView):
    @requires("reviewer")
    @blp.arguments(schemas.AccountLookupSchema, location="query")
    @blp.response(200, schemas.StaffAccountSchema)
    def get(self, query):
        """Find an account by its document, to check a person's identity (R14.1)."""
        number = documents.normalize(query["document_type"], query["document_number"])
        account = repository.account_by_document(db_session(), query["document_type"], number)
        if account is None or account.document_type == documents.STAFF:
            raise ApiError(404, "account.not_found", masked=mask_document(number))
        return account


@blp.route("/staff/accounts/<account_id>/password", methods=["POST"])
@requires("reviewer")
@blp.arguments(schemas.PasswordResetSchema)
@blp.response(200, schemas.PasswordResetResultSchema)
def reset_password(data, account_id):
    """R14.1: a reviewer resets a password after checking identity; sessions are revoked."""
    session = db_session()
    password = handlers.reset_password(session, account_id, data.get("new_password"), _now())
    session.commit()
    current_app.logger.info("password of account %s reset by %s", account_id,
                            current_principal().account_id)
    return {"account_id": account_id, "temporary_password": password}
