"""Only tokens signed with identity's private key pass another service's verification
(architecture.md, Security): alg "none", HS256 keyed with the public key, another RSA key,
an expired token, a tampered role, a wrong issuer or audience are all refused."""

import base64
import hashlib
import hmac
import json

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from shared.app import create_service_app
from shared.auth import requires
from shared.config import load_settings
from shared.testing import make_token


@pytest.fixture(scope="module")
def client():
    app, _api = create_service_app("profile")  # a verifier: it holds only the public key

    @app.get("/api/profile/probe")
    @requires("applicant")
    def probe():
        return {"ok": True}

    @app.get("/api/profile/admin-probe")
    @requires("admin")
    def admin_probe():
        return {"ok": True}

    assert app.config["JWT_PRIVATE_KEY"] is None
    yield app.test_client()
    app.extensions["hs"].engine.dispose()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(token: str) -> dict:
    return pyjwt.decode(token, options={"verify_signature": False})


def _get(client, token, path="/api/profile/probe"):
    return client.get(path, headers={"Authorization": f"Bearer {token}"})


def test_correctly_signed_token_accepted(client):
    assert _get(client, make_token("42")).status_code == 200


def test_alg_none_refused(client):
    token = pyjwt.encode(_claims(make_token("42")), key=None, algorithm="none")
    response = _get(client, token)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "auth.invalid"


def test_hs256_signed_with_the_public_key_refused(client):
    public_pem = load_settings("identity").jwt_public_key_path.read_bytes()
    header = _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(_claims(make_token("42")), default=str).encode())
    signature = hmac.new(public_pem, f"{header}.{payload}".encode(), hashlib.sha256).digest()
    response = _get(client, f"{header}.{payload}.{_b64(signature)}")
    assert response.status_code == 401


def test_token_signed_by_another_rsa_key_refused(client):
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = other.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                              serialization.NoEncryption())
    token = pyjwt.encode(_claims(make_token("42")), pem, algorithm="RS256")
    assert _get(client, token).status_code == 401


def test_expired_token_refused(client):
    response = _get(client, make_token("42", minutes=-1))
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "auth.expired"


def test_tampered_role_claim_refused(client):
    header, payload, signature = make_token("42", ["applicant"]).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["roles"] = ["admin"]
    forged = ".".join([header, _b64(json.dumps(claims).encode()), signature])
    assert _get(client, forged, "/api/profile/admin-probe").status_code == 401
    # and the genuine applicant token does not open the admin route
    assert _get(client, make_token("42"), "/api/profile/admin-probe").status_code == 403


@pytest.mark.parametrize("claim", [{"iss": "someone-else"}, {"aud": "another-system"}])
def test_wrong_issuer_or_audience_refused(client, claim):
    assert _get(client, make_token("42", **claim)).status_code == 401


def test_missing_token_refused(client):
    assert client.get("/api/profile/probe").status_code == 401


def test_a_remembered_token_is_refused_once_it_expires(client, monkeypatch):
    """The verifier remembers verified tokens (shared.auth.CachingJWTManager) only until their
    `exp`: the same token accepted a moment ago is refused as expired afterwards."""
    import time

    token = make_token("42", minutes=1)
    assert _get(client, token).status_code == 200
    assert _get(client, token).status_code == 200  # answered from the remembered verification
    later = time.time() + 120
    monkeypatch.setattr(time, "time", lambda: later)
    monkeypatch.setattr(pyjwt.api_jwt, "datetime", _FrozenDatetime(later), raising=False)
    response = _get(client, token)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "auth.expired"


def test_a_remembered_token_does_not_make_a_tampered_copy_pass(client):
    token = make_token("42")
    assert _get(client, token).status_code == 200
    header, payload, signature = token.split(".")
    claims = _claims(token) | {"roles": ["admin"]}
    forged = f"{header}.{_b64(json.dumps(claims).encode())}.{signature}"
    assert _get(client, forged, "/api/profile/admin-probe").status_code == 401


class _FrozenDatetime:
    """Stands in for the `datetime` class PyJWT reads the time from."""

    def __init__(self, timestamp: float):
        import datetime as dt

        self._now = dt.datetime.fromtimestamp(timestamp, dt.UTC)
        self._real = dt.datetime

    def now(self, tz=None):
        return self._now

    def __getattr__(self, name):
        return getattr(self._real, name)
