"""Asymmetric JWT (RS256): identity signs with the private key, every service verifies with the
public key. Every view declares who may call it with `@requires(...)` or `@public`;
`endpoints_without_access_rule(app)` lets each service's tests prove none is forgotten.

Token claims: `sub` (account id, a string), `roles` (list), `iss`, `aud`, `exp`, `type`.
Roles: applicant, reviewer, operator, admin (admin may do what reviewers and operators do).
A legacy account that must update its documents (R3.1) gets only the role `legacy-update`.
"""

from __future__ import annotations

import functools
import time
from dataclasses import dataclass
from datetime import timedelta

from cryptography.hazmat.primitives.serialization import (
    load_pem_private_key,
    load_pem_public_key,
)
from flask import Flask
from flask_jwt_extended import JWTManager, get_jwt, get_jwt_identity, verify_jwt_in_request

from shared.errors import error_response

ROLES = ("applicant", "reviewer", "operator", "admin", "legacy-update")
STAFF_ROLES = ("reviewer", "operator", "admin")
_IMPLIED = {"admin": {"reviewer", "operator"}}
ACCESS_ATTRIBUTE = "_hs_access"


@dataclass(frozen=True)
class Principal:
    account_id: str
    roles: frozenset[str]

    def has(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_staff(self) -> bool:
        return bool(self.roles & set(STAFF_ROLES))


def effective_roles(roles) -> frozenset[str]:
    result = set(roles or ())
    for role in list(result):
        result |= _IMPLIED.get(role, set())
    return frozenset(result)


class CachingJWTManager(JWTManager):
    """Remembers the tokens it has verified, until they expire: PyJWT checks each character of
    a token in Python, three times per request (about 1 ms of CPU, a third of a cheap
    endpoint). A token is immutable and signed, so once its signature, issuer and audience
    passed they pass again; only time-bound claims change, and a remembered token is used only
    while `nbf <= now < exp` (after that the full check runs and gives its usual answer)."""

    MAX_REMEMBERED = 20_000  # a replica's applicants within one token lifetime; cleared if full

    def __init__(self, app: Flask | None = None, add_context_processor: bool = False) -> None:
        self._verified: dict[str, dict] = {}
        super().__init__(app, add_context_processor)

    def _decode_jwt_from_config(self, encoded_token: str, csrf_value=None,
                                allow_expired: bool = False) -> dict:
        payload = self._verified.get(encoded_token)
        if payload is not None and csrf_value is None:
            now = time.time()
            if payload.get("nbf", now) <= now < payload["exp"]:
                return dict(payload)
        payload = super()._decode_jwt_from_config(encoded_token, csrf_value, allow_expired)
        if csrf_value is None and not allow_expired and "exp" in payload:
            if len(self._verified) >= self.MAX_REMEMBERED:
                self._verified.clear()
            self._verified[encoded_token] = dict(payload)
        return payload


def init_jwt(app: Flask, settings, can_sign: bool = False) -> JWTManager:
    app.config.update(
        JWT_ALGORITHM="RS256",
        JWT_DECODE_ALGORITHMS=["RS256"],
        # key objects, not PEM text: PyJWT would parse the PEM again on every request
        JWT_PUBLIC_KEY=load_pem_public_key(settings.jwt_public_key_path.read_bytes()),
        JWT_ENCODE_ISSUER=settings.jwt_issuer,
        JWT_DECODE_ISSUER=settings.jwt_issuer,
        JWT_ENCODE_AUDIENCE=settings.jwt_audience,
        JWT_DECODE_AUDIENCE=settings.jwt_audience,
        JWT_TOKEN_LOCATION=["headers"],
        JWT_ACCESS_TOKEN_EXPIRES=timedelta(minutes=settings.access_token_minutes),
        JWT_REFRESH_TOKEN_EXPIRES=timedelta(days=settings.refresh_token_days),
    )
    if can_sign:
        app.config["JWT_PRIVATE_KEY"] = load_pem_private_key(
            settings.jwt_private_key_path.read_bytes(), None)
    else:
        app.config["JWT_PRIVATE_KEY"] = None  # only identity holds the signing key
    jwt = CachingJWTManager(app)

    @jwt.unauthorized_loader
    def _missing(_reason):
        return error_response(401, "auth.required")

    @jwt.invalid_token_loader
    def _invalid(_reason):
        return error_response(401, "auth.invalid")

    @jwt.expired_token_loader
    def _expired(_header, _payload):
        return error_response(401, "auth.expired")

    @jwt.revoked_token_loader
    def _revoked(_header, _payload):
        return error_response(401, "auth.invalid")

    @jwt.needs_fresh_token_loader
    def _not_fresh(_header, _payload):
        return error_response(401, "auth.invalid")

    @jwt.user_lookup_error_loader
    def _lookup(_header, _payload):
        return error_response(401, "auth.invalid")

    return jwt


def current_principal() -> Principal:
    return Principal(account_id=str(get_jwt_identity()),
                     roles=effective_roles(get_jwt().get("roles", [])))


def requires(*roles: str):
    """Only callers holding one of `roles` (after admin's implied roles) may call the view."""
    def decorator(view):
        @functools.wraps(view)
        def wrapper(*args, **kwargs):
            verify_jwt_in_request()
            principal = current_principal()
            if not principal.roles & set(roles):
                if principal.has("legacy-update"):
                    return error_response(403, "auth.update_required")
                return error_response(403, "auth.forbidden")
            return view(*args, **kwargs)
        setattr(wrapper, ACCESS_ATTRIBUTE, tuple(roles))
        return wrapper
    return decorator


def public(view):
    """Anyone may call the view, logged in or not."""
    setattr(view, ACCESS_ATTRIBUTE, ("public",))
    return view


def access_rule(view) -> tuple[str, ...] | None:
    seen = set()
    while view is not None and id(view) not in seen:
        seen.add(id(view))
        rule = getattr(view, ACCESS_ATTRIBUTE, None)
        if rule:
            return rule
        view = getattr(view, "__wrapped__", None) or getattr(view, "view_class", None)
    return None


def endpoints_without_access_rule(app: Flask) -> list[str]:
    """Endpoints whose view (or every method of a MethodView) does not declare who may call it."""
    missing = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static",) or rule.endpoint.startswith(("api-docs", "health.")):
            continue
        view = app.view_functions[rule.endpoint]
        view_class = getattr(view, "view_class", None)
        if view_class is not None:
            methods = [getattr(view_class, m.lower()) for m in rule.methods
                       if m not in ("HEAD", "OPTIONS") and hasattr(view_class, m.lower())]
            if not methods or any(access_rule(m) is None for m in methods):
                missing.append(rule.rule)
        elif access_rule(view) is None:
            missing.append(rule.rule)
    return missing


def is_own_or_staff(account_id: str) -> bool:
    principal = current_principal()
    return principal.account_id == str(account_id) or principal.is_staff


__all__ = ["Principal", "requires", "public", "current_principal", "init_jwt",
           "endpoints_without_access_rule", "is_own_or_staff"]
