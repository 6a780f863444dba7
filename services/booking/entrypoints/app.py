"""Booking's app factory: `create_app(settings=None, captcha_verifier=None)`."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from services.booking.adapters.captcha import IdentityCaptchaVerifier
from services.booking.adapters.rate_limit import AccountRateLimiter
from services.booking.entrypoints.api import blp
from services.booking.service_layer.handlers import ViewCache
from shared.app import create_service_app

HERE = Path(__file__).resolve().parent.parent


@dataclass
class BookingContext:
    captcha_verifier: object
    slip_key: bytes
    view_cache: ViewCache
    submission_limiter: AccountRateLimiter


def slip_key(settings) -> bytes:
    """Booking's own HMAC key for slip codes: `BOOKING_SLIP_KEY` (hex) or a key file, created on
    first use outside production (all replicas must share it)."""
    explicit = os.environ.get("BOOKING_SLIP_KEY")
    if explicit:
        return bytes.fromhex(explicit)
    path = Path(os.environ.get("BOOKING_SLIP_KEY_PATH")
                or settings.var_dir / "keys" / "booking_slip.key")
    if not path.exists():
        if settings.is_production:
            raise RuntimeError(f"slip key missing: set BOOKING_SLIP_KEY or create {path}")
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{secrets.token_hex(4)}.tmp")
        tmp.write_text(secrets.token_hex(32))
        os.chmod(tmp, 0o600)
        try:
            os.link(tmp, path)  # atomic create-if-absent: concurrent starts agree on one key
        except FileExistsError:
            pass
        tmp.unlink()
    return bytes.fromhex(path.read_text().strip())


def create_app(settings=None, captcha_verifier=None, view_cache_seconds: float = 1.0,
               submissions_per_minute: int | None = None):
    app, api = create_service_app("booking", settings, messages_dir=HERE / "messages")
    ctx = app.extensions["hs"]
    app.extensions["booking"] = BookingContext(
        captcha_verifier=captcha_verifier or IdentityCaptchaVerifier(),
        slip_key=slip_key(ctx.settings), view_cache=ViewCache(view_cache_seconds),
        submission_limiter=AccountRateLimiter(
            per_minute=submissions_per_minute
            or int(os.environ.get("BOOKING_SUBMISSIONS_PER_MINUTE", "12"))))
    api.register_blueprint(blp)
    return app
