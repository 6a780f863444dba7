"""Booking's app factory: `create_app(settings=None)`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine

from services.booking.adapters import repository
from services.booking.adapters.rate_limit import AccountRateLimiter
from services.booking.entrypoints.api import blp
from services.booking.service_layer.handlers import ViewCache
from shared.app import create_service_app
from shared.db import make_engine
from shared.keys import hmac_key

HERE = Path(__file__).resolve().parent.parent


@dataclass
class BookingContext:
    captcha_key: bytes  # identity signs captcha tokens with it (shared/captcha_token.py)
    slip_key: bytes
    view_cache: ViewCache
    submission_limiter: AccountRateLimiter
    # AUTOCOMMIT, no pre-ping: a submission is two statements, each its own round trip; one
    # connection per gunicorn thread, so none is opened and closed per request
    submissions: Engine


def create_app(settings=None, view_cache_seconds: float = 1.0,
               submissions_per_minute: int | None = None):
    app, api = create_service_app("booking", settings, messages_dir=HERE / "messages")
    ctx = app.extensions["hs"]
    app.extensions["booking"] = BookingContext(
        captcha_key=hmac_key(ctx.settings, "captcha"),
        slip_key=hmac_key(ctx.settings, "booking_slip"), view_cache=ViewCache(view_cache_seconds),
        submission_limiter=AccountRateLimiter(
            per_minute=submissions_per_minute
            or int(os.environ.get("BOOKING_SUBMISSIONS_PER_MINUTE", "12"))),
        submissions=make_engine(ctx.settings.database_url, pool_pre_ping=False,
                                pool_size=int(os.environ.get("BOOKING_THREADS", "8")),
                                max_overflow=2, isolation_level="AUTOCOMMIT"))
    for engine in (ctx.engine, app.extensions["booking"].submissions):
        event.listen(engine, "connect", repository.prepare_statements)
    api.register_blueprint(blp)
    return app
