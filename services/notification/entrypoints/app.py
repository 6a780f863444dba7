"""`create_app()`: the notification API (operators) and, outside production, the dev mailbox."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from services.notification.config import SERVICE
from shared.app import create_service_app
from shared.config import Settings

MESSAGES_DIR = Path(__file__).resolve().parent.parent / "messages"


def create_app(settings: Settings | None = None) -> Flask:
    from services.notification.entrypoints.api import dev_mailbox, emails

    app, api = create_service_app(SERVICE, settings, messages_dir=MESSAGES_DIR,
                                  title="Health stations: notification")
    api.register_blueprint(emails)
    if not app.extensions["hs"].settings.is_production:
        api.register_blueprint(dev_mailbox)
    return app
