"""R12.1 the confirmation slip's code: a compact payload signed with booking's own HMAC key.

    code = base64url(json payload) + "." + base64url(HMAC-SHA256(key, payload))

The payload names the reservation (its application number), the reserved date and the party
size, so staff can check the code offline against the date and online against the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import date


class SlipCodeInvalid(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # catalogue key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_slip(key: bytes, application_number: str, reserved_day: date, party_size: int) -> str:
    payload = json.dumps({"n": application_number, "d": reserved_day.isoformat(),
                          "p": party_size}, separators=(",", ":"), sort_keys=True).encode()
    signature = hmac.new(key, payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(signature)}"


def read_slip(key: bytes, code: str, today: date) -> dict:
    """The payload of a genuine code for today; SlipCodeInvalid(reason) otherwise."""
    try:
        payload_part, signature_part = code.strip().split(".")
        payload = _unb64(payload_part)
        signature = _unb64(signature_part)
    except (ValueError, TypeError) as exc:
        raise SlipCodeInvalid("booking.slip_code_malformed") from exc
    expected = hmac.new(key, payload, hashlib.sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise SlipCodeInvalid("booking.slip_code_forged")
    try:
        data = json.loads(payload)
        reserved_day = date.fromisoformat(data["d"])
    except (ValueError, KeyError, TypeError) as exc:
        raise SlipCodeInvalid("booking.slip_code_malformed") from exc
    if reserved_day != today:
        raise SlipCodeInvalid("booking.slip_code_wrong_day")
    return {"application_number": data["n"], "date": reserved_day, "party_size": data["p"]}
