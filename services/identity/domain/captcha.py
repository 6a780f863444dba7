"""Image captcha challenges (R2.2.6, R7.4): single use, expiring, compared case-insensitively."""

from __future__ import annotations

import base64
import secrets
from datetime import datetime, timedelta

from shared.captcha_token import normalize_answer

LIFETIME = timedelta(minutes=5)
LENGTH = 4
# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: letters people confuse on a distorted image.
ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"


def new_answer() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def answers_match(expected: str, given: str | None) -> bool:
    """Compared as booking compares a captcha token's answer (shared/captcha_token.py)."""
    return secrets.compare_digest(normalize_answer(expected).encode(),
                                  normalize_answer(given).encode())


def render_data_url(answer: str) -> str:
    from captcha.image import ImageCaptcha

    png = ImageCaptcha(width=160, height=60).generate(answer, format="png").getvalue()
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def check(answer: str | None, given: str | None, expires_at: datetime, used: bool,
          now: datetime) -> str | None:
    """Catalogue key of why the captcha does not pass, or None when it does."""
    if answer is None:
        return "captcha.unknown"
    if used:
        return "captcha.used"
    if now >= expires_at:
        return "captcha.expired"
    if not answers_match(answer, given):
        return "captcha.wrong"
    return None
