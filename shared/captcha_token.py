"""The captcha id as a signed token, so a service other than identity can check an answer
without calling identity (R7.4 at the 09:00 rush; booking keeps accepting applications while
identity is slow or down).

    token = "<challenge uuid>.<expires, unix seconds>.<mac>"
    mac   = base64url(HMAC-SHA256(key, "<uuid>.<expires>." + ANSWER)[:16])

Identity signs when it issues the image; whoever checks recomputes the mac with the answer the
person typed. The answer is not in the token, and without the key it cannot be searched offline.
Each service that accepts a captcha records the uuid as spent (booking: table spent_captcha), so a
token is good for one use in each.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

MAC_BYTES = 16


def normalize_answer(answer: str | None) -> str:
    """Compared case-insensitively, surrounding blanks ignored (as identity compares)."""
    return (answer or "").strip().upper()


def _mac(key: bytes, challenge_id: str, expires: int, answer: str) -> str:
    message = f"{challenge_id}.{expires}.{normalize_answer(answer)}".encode()
    digest = hmac.new(key, message, hashlib.sha256).digest()[:MAC_BYTES]
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def sign(key: bytes, challenge_id: str, expires_at: datetime, answer: str) -> str:
    expires = int(expires_at.timestamp())
    return f"{challenge_id}.{expires}.{_mac(key, challenge_id, expires, answer)}"


def challenge_id_of(token: str | None) -> str | None:
    """The uuid part of a token (or of a bare uuid), None when it is not one."""
    try:
        return str(uuid.UUID(str(token).split(".", 1)[0]))
    except ValueError:
        return None


@dataclass(frozen=True)
class Verdict:
    challenge_id: str | None  # what to record as spent (also when the answer is wrong)
    problem: str | None  # None, or captcha.unknown | captcha.expired | captcha.wrong


def check(key: bytes, token: str | None, answer: str | None, now: datetime) -> Verdict:
    parts = str(token or "").split(".")
    challenge_id = challenge_id_of(parts[0]) if len(parts) == 3 else None
    if challenge_id is None or not parts[1].isdigit():
        return Verdict(None, "captcha.unknown")
    expires = int(parts[1])
    if not hmac.compare_digest(parts[2], _mac(key, challenge_id, expires, answer or "")):
        return Verdict(challenge_id, "captcha.wrong")
    if now >= datetime.fromtimestamp(expires, UTC):
        return Verdict(challenge_id, "captcha.expired")
    return Verdict(challenge_id, None)
