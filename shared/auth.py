"""Asymmetric JWT (RS256): identity signs with the private key, every service verifies with the
public key. Every view declares who may call it with `@requires(...)` or `@public`;
`endpoints_without_access_rule(app)` lets each service's tests prove none is forgotten.

Token claims: `sub` (account id, a string), `roles` (list), `iss`, `aud`, `exp`, `type`.
Roles: applicant, reviewer, operator, admin (admin may do what reviewers and operators do).
A legacy account that must update its documents (R3.1) gets only the role `legacy-update`.
"""

from __future__ import annotations

import base64
import binascii
import functools
import json
import re
import time
from dataclasses import dataclass
from datetime import timedelta

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicKey
from cryptography.hazmat.primitives.hashes import SHA256
from cryptography.hazmat.primitives.serialization import (
    load_pem_private_key,
    load_pem_public_key,
)
from flask import Flask
from flask_jwt_extended import JWTManager, get_jwt, get_jwt_identity, verify_jwt_in_request
from flask_jwt_extended import view_decorators as jwt_view_decorators
from flask_jwt_extended.config import config as jwt_config

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


_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")  # base64url without padding, checked in C
_PLAIN_HEADERS = ({"alg": "RS256", "typ": "JWT"}, {"alg": "RS256"})


def _segment(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _whole_number(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def verify_rs256_quickly(token: str, public_key, *, issuer: str, audience: str,
                         now: float) -> dict | None:
    """The claims of a token that certainly passes the full check, or None.

    A first sight of a token costs PyJWT about 0.5 ms of CPU, mostly a Python loop over every
    character, run three times. This accepts only the plain tokens identity issues: a JSON
    header of exactly RS256, a signature by `public_key`, whole-number times with
    `iat, nbf <= now < exp`, the issuer, the audience and a string `sub` (and `jti`). Anything
    else returns None, and the caller runs PyJWT, which gives its precise answer (expired,
    invalid...), so this can refuse nothing on its own and accept nothing PyJWT would not."""
    if not isinstance(public_key, RSAPublicKey):
        return None
    parts = token.split(".")
    if len(parts) != 3 or not all(_SEGMENT.fullmatch(part) for part in parts):
        return None
    try:
        if json.loads(_segment(parts[0])) not in _PLAIN_HEADERS:
            return None
        public_key.verify(_segment(parts[2]), f"{parts[0]}.{parts[1]}".encode("ascii"),
                          PKCS1v15(), SHA256())
        claims = json.loads(_segment(parts[1]))
    except (ValueError, binascii.Error, InvalidSignature):
        return None
    if not isinstance(claims, dict):
        return None
    exp, nbf, iat = claims.get("exp"), claims.get("nbf", 0), claims.get("iat", 0)
    if not (_whole_number(exp) and _whole_number(nbf) and _whole_number(iat)):
        return None
    audiences = claims.get("aud")
    if isinstance(audiences, str):
        audiences = [audiences]
    if not (max(nbf, iat) <= now < exp and claims.get("iss") == issuer
            and isinstance(audiences, list) and audience in audiences
            and all(isinstance(a, str) for a in audiences)
            and isinstance(claims.get("sub"), str)
            and isinstance(claims.get("jti", ""), str)):
        return None
    return claims | {"type": claims.get("type", "access"), "fresh": claims.get("fresh", False),
                     "jti": claims.get("jti")}


_library_header_reader = jwt_view_decorators.get_unverified_jwt_headers


def _header_of_verified_token(encoded_token: str) -> dict:
    """Flask-JWT-Extended reads the header again right after verifying the whole token, and
    PyJWT re-checks every character of all three segments to do it (about 0.2 ms a request,
    remembered tokens included). The token was just verified, so decoding the header segment
    is enough; an unusual header goes the library's way."""
    head = encoded_token.split(".", 1)[0]
    try:
        header = json.loads(_segment(head)) if _SEGMENT.fullmatch(head) else None
    except (ValueError, binascii.Error):
        header = None
    return dict(header) if header in _PLAIN_HEADERS else _library_header_reader(encoded_token)


jwt_view_decorators.get_unverified_jwt_headers = _header_of_verified_token


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
        payload = None
        if (csrf_value is None and not allow_expired and jwt_config.leeway == 0
                and jwt_config.identity_claim_key == "sub"):
            payload = verify_rs256_quickly(
                encoded_token, jwt_config.decode_key, issuer=jwt_config.decode_issuer,
                audience=jwt_config.decode_audience, now=time.time())
        if payload is None:
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
