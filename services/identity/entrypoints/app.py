"""`create_app()`: the identity service's Flask app (gunicorn: services/identity/gunicorn.conf.py).
"""

from __future__ import annotations

from pathlib import Path

from services.identity.adapters import repository
from services.identity.entrypoints.api import blp
from shared.app import create_service_app, db_session
from shared.keys import hmac_key

HERE = Path(__file__).resolve().parent.parent


def create_app(settings=None):
    app, api = create_service_app("identity", settings, messages_dir=HERE / "messages",
                                  can_sign_tokens=True, title="Health stations: identity")
    api.register_blueprint(blp)
    # captcha ids are tokens signed with the key booking shares (shared/captcha_token.py)
    app.extensions["identity_captcha_key"] = hmac_key(app.extensions["hs"].settings, "captcha")
    jwt = app.extensions["flask-jwt-extended"]

    @jwt.token_in_blocklist_loader
    def _session_revoked(_header, payload) -> bool:
        # identity refuses tokens of a logged-out / revoked session at once; other services
        # accept an access token until it expires (docs/identity.md)
        sid = payload.get("sid")
        return bool(sid) and repository.family_is_revoked(db_session(), sid)

    return app
