"""R7.6 application numbers: random (secrets), unguessable (60 bits), with a check character so
a mistyped number is recognised before any lookup. Uniqueness is the database's UNIQUE key.

Format: 12 characters of Crockford's base32 (no I, L, O, U) and one check character from the
same alphabet: the position-weighted sum of the values mod 31 (a prime), which catches every
single substitution and adjacent transposition except between `0` and `Z`.
"""

from __future__ import annotations

import hashlib
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
BODY_LENGTH = 12


def _check_character(body: str) -> str:
    weighted = sum((i + 1) * ALPHABET.index(char) for i, char in enumerate(body))
    return ALPHABET[weighted % 31]


def new_application_number() -> str:
    value = secrets.randbits(5 * BODY_LENGTH)  # one read of the system's random source
    body = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in range(BODY_LENGTH))
    return body + _check_character(body)


def is_well_formed(number: str) -> bool:
    if len(number) != BODY_LENGTH + 1:
        return False
    body, check = number[:-1], number[-1]
    if any(c not in ALPHABET for c in body):
        return False
    return _check_character(body) == check


def digest(application_numbers) -> str:
    """docs/events.md: sha256 hex of the sorted application numbers joined by a newline."""
    return hashlib.sha256("\n".join(sorted(application_numbers)).encode()).hexdigest()
