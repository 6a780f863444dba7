"""shared.auth.verify_rs256_quickly, the first-sight token check in C, against PyJWT's own:
it accepts a token only where PyJWT (with Flask-JWT-Extended's defaults) accepts it, with the
same claims, and it does accept the plain tokens identity issues."""

import base64
import json
import time

import jwt as pyjwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.hashes import SHA256

from shared.auth import verify_rs256_quickly

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
ISSUER, AUDIENCE = "hs-identity", "hs-services"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


# Built when the module is imported: times are a day away, so a long run does not move them
def claims(**changes):
    now = int(time.time())
    base = {"sub": "42", "roles": ["applicant"], "iss": ISSUER, "aud": AUDIENCE, "iat": now - 5,
            "nbf": now - 5, "exp": now + 86_400, "jti": "abc", "type": "access", "fresh": False}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not ...}


def signed(payload, key=KEY, algorithm="RS256", headers=None):
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    return pyjwt.encode(payload, pem, algorithm=algorithm, headers=headers)


def raw(header: dict, payload, signature: str | None = None) -> str:
    """A token built by hand: by default signed with RS256 over its own header and payload."""
    head, body = _b64(json.dumps(header).encode()), _b64(json.dumps(payload).encode())
    if signature is None:
        signature = _b64(KEY.sign(f"{head}.{body}".encode(), PKCS1v15(), SHA256()))
    return f"{head}.{body}.{signature}"


def full_check(token: str):
    """What PyJWT and Flask-JWT-Extended's _decode_jwt answer, or None for a refusal."""
    try:
        decoded = pyjwt.decode(token, KEY.public_key(), algorithms=["RS256"], audience=AUDIENCE,
                               issuer=ISSUER, leeway=0,
                               options={"verify_aud": True, "verify_sub": True})
    except pyjwt.PyJWTError:
        return None
    if "sub" not in decoded:
        return None
    return decoded | {"type": decoded.get("type", "access"),
                      "fresh": decoded.get("fresh", False), "jti": decoded.get("jti")}


def quick(token: str):
    return verify_rs256_quickly(token, KEY.public_key(), issuer=ISSUER, audience=AUDIENCE,
                                now=time.time())


PLAIN = {
    "identity's token": signed(claims()),
    "audience in a list": signed(claims(aud=["x", AUDIENCE])),
    "no nbf, iat, jti, type or fresh": signed(claims(nbf=..., iat=..., jti=..., type=...,
                                                     fresh=...)),
    "header without typ": raw({"alg": "RS256"}, claims()),
}
UNUSUAL_OR_BAD = {
    "expired": signed(claims(exp=int(time.time()) - 86_400)),
    "not yet valid (nbf)": signed(claims(nbf=int(time.time()) + 86_400)),
    "issued in the future (iat)": signed(claims(iat=int(time.time()) + 86_400)),
    "another issuer": signed(claims(iss="someone-else")),
    "another audience": signed(claims(aud="another-system")),
    "audience list with a number": signed(claims(aud=[AUDIENCE, 7])),
    "no audience": signed(claims(aud=...)),
    "no exp": signed(claims(exp=...)),
    "exp as text": raw({"alg": "RS256", "typ": "JWT"}, claims(exp="9999999999")),
    "exp as a fraction": raw({"alg": "RS256", "typ": "JWT"}, claims(exp=time.time() + 86_400)),
    "exp true": raw({"alg": "RS256", "typ": "JWT"}, claims(exp=True)),
    "sub a number": raw({"alg": "RS256", "typ": "JWT"}, claims(sub=42)),
    "no sub": signed(claims(sub=...)),
    "jti a number": raw({"alg": "RS256", "typ": "JWT"}, claims(jti=5)),
    "payload a list": raw({"alg": "RS256", "typ": "JWT"}, [1, 2]),
    "another key": signed(claims(), key=OTHER_KEY),
    "RS512": signed(claims(), algorithm="RS512"),
    "alg none": pyjwt.encode(claims(), key=None, algorithm="none"),
    "HS256 keyed with the public key": raw(
        {"alg": "HS256", "typ": "JWT"}, claims(), signature=_b64(b"x" * 32)),
    "a kid header": signed(claims(), headers={"kid": "k1"}),
    "a crit header": raw({"alg": "RS256", "typ": "JWT", "crit": ["exp"]}, claims()),
    "tampered payload": ".".join([signed(claims()).split(".")[0],
                                  _b64(json.dumps(claims(roles=["admin"])).encode()),
                                  signed(claims()).split(".")[2]]),
    "tampered signature": signed(claims())[:-4] + "AAAA",
    "padding on a segment": signed(claims()).replace(".", "=.", 1),
    "four segments": signed(claims()) + ".e30",
    "junk characters": signed(claims())[:20] + "!" + signed(claims())[21:],
    "empty": "",
}


@pytest.mark.parametrize("name", list(PLAIN))
def test_the_plain_tokens_identity_issues_pass_with_the_same_claims(name):
    token = PLAIN[name]
    assert full_check(token) is not None
    assert quick(token) == full_check(token)


@pytest.mark.parametrize("name", list(UNUSUAL_OR_BAD))
def test_anything_else_is_left_to_pyjwt(name):
    assert quick(UNUSUAL_OR_BAD[name]) is None  # PyJWT then gives its own answer


def test_the_time_bounds_are_pyjwt_s_nbf_and_iat_up_to_now_and_exp_after_it():
    now = int(time.time())
    token = signed(claims(iat=now - 10, nbf=now - 10, exp=now + 10))

    def at(moment):
        return verify_rs256_quickly(token, KEY.public_key(), issuer=ISSUER, audience=AUDIENCE,
                                    now=moment)

    assert at(now - 10) is not None and at(now + 9.99) is not None
    assert at(now - 10.01) is None and at(now + 10) is None  # PyJWT: expired when exp <= now


@pytest.mark.parametrize("token", [PLAIN["identity's token"], PLAIN["header without typ"],
                                   UNUSUAL_OR_BAD["a kid header"]])
def test_the_header_read_after_verification_is_pyjwt_s(token):
    from flask_jwt_extended import view_decorators

    from shared.auth import _header_of_verified_token

    assert view_decorators.get_unverified_jwt_headers is _header_of_verified_token
    assert _header_of_verified_token(token) == pyjwt.get_unverified_header(token)
