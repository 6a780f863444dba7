"""`create_app()`: the profile service's Flask app (gunicorn entry)."""

from __future__ import annotations

from pathlib import Path

from services.profile.entrypoints.api import blp
from services.profile.service_layer.handlers import FieldErrors, Refused
from services.profile.service_layer.sources import source_factory
from shared.app import create_service_app
from shared.errors import error_response, validation_response

HERE = Path(__file__).resolve().parent.parent


def create_app(settings=None, verification_source: str | None = None):
    app, api = create_service_app("profile", settings, messages_dir=HERE / "messages",
                                  title="Health stations: profile")
    app.config["PROFILE_SOURCE"] = source_factory(verification_source)
    api.register_blueprint(blp)

    @app.errorhandler(Refused)
    def _refused(exc: Refused):
        return error_response(exc.status, exc.code, exc.field, **exc.params)

    @app.errorhandler(FieldErrors)
    def _field_errors(exc: FieldErrors):
        return validation_response({name: [key] for name, key in exc.errors.items()})

    return app
