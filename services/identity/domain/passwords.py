"""Password rule (R2.2.4: digits and letters, at least 8 characters) and argon2 hashing."""

from __future__ import annotations

import os
import secrets
import string

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

MIN_LENGTH = 8
MAX_LENGTH = 128  # argon2 copes with more, but a bound keeps requests cheap

# argon2id with the RFC 9106 low-memory profile (64 MiB, 3 passes). Test mode only (the test
# suite runs hundreds of logins on a 2-core machine) uses argon2's cheapest parameters: still
# argon2id, the same code path, only fast.
_hasher = (PasswordHasher.from_parameters(profiles.CHEAPEST)
           if os.environ.get("HS_MODE") == "test" else PasswordHasher())


def password_error(password: str | None) -> str | None:
    """Catalogue key of what is wrong with a new password, or None."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return "password.too_short"
    if len(password) > MAX_LENGTH:
        return "password.too_long"
    has_letter = any(c.isascii() and c.isalpha() for c in password)
    has_digit = any(c.isascii() and c.isdigit() for c in password)
    if not (has_letter and has_digit):
        return "password.needs_letters_and_digits"
    return None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    try:
        return _hasher.check_needs_rehash(password_hash)
    except InvalidHashError:
        return True


def is_argon2_hash(value: str) -> bool:
    return value.startswith("$argon2")


def generate_password(length: int = 12) -> str:
    """A random password that satisfies the rule (for a reviewer's reset, R14.1)."""
    alphabet = "".join(c for c in string.ascii_letters + string.digits if c not in "0O1lI")
    while True:
        candidate = "".join(secrets.choice(alphabet) for _ in range(length))
        if password_error(candidate) is None:
            return candidate
