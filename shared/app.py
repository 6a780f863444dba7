"""The common part of every service's app factory.

    def create_app(settings=None):
        app, api = create_service_app("booking", settings, messages_dir=HERE / "messages")
        api.register_blueprint(applications_blueprint)
        return app

`app.extensions["hs"]` holds the service's context (settings, engine, sessions, clock, catalog);
`service_context()` returns it inside a request.
"""

from __future__ import annotations

import functools
import json
import logging
from dataclasses import dataclass
from pathlib import Path

import flask_smorest
from flask import Flask, current_app, g, request
from flask_smorest import Api
from flask_smorest.arguments import ArgumentsMixin
from marshmallow import ValidationError
from sqlalchemy.engine import Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from shared.auth import init_jwt
from shared.clock import Clock, clock_from_settings
from shared.config import Settings, load_settings
from shared.db import make_engine, make_session_factory
from shared.errors import register_error_handlers
from shared.health import health_blueprint
from shared.i18n import Catalog
from shared.schemas import ErrorSchema


@dataclass
class ServiceContext:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    clock: Clock
    catalog: Catalog


# Schema errors answer 400 in every service, and the OpenAPI documents say so; every operation's
# `default` response documents the one error shape of shared/errors.py.
ArgumentsMixin.ARGUMENTS_PARSER.DEFAULT_VALIDATION_STATUS = 400
Api.ERROR_SCHEMA = ErrorSchema


class Blueprint(flask_smorest.Blueprint):
    """flask-smorest's Blueprint, parsing with one schema instance per endpoint: given a class,
    webargs would build a schema (deep-copying its fields) on every request."""

    def arguments(self, schema, *args, **kwargs):
        return super().arguments(schema() if isinstance(schema, type) else schema,
                                 *args, **kwargs)

    def json_body(self, schema):
        """`arguments(schema)` for a JSON body, documented the same way, loaded by the schema
        directly: on the 09:00 endpoint webargs' location machinery cost as much as the load.
        Answers as webargs did: no JSON body loads as {}, malformed JSON is an error of "json"."""
        schema = schema() if isinstance(schema, type) else schema
        documented = self.arguments(schema)

        def decorator(view):
            @functools.wraps(view)
            def wrapper(*args, **kwargs):
                return view(*args, schema.load(_json_body()), **kwargs)
            wrapper._apidoc = documented(view)._apidoc  # flask-smorest reads the doc from here
            return wrapper
        return decorator


def _json_body():
    if not request.is_json:
        return {}
    raw = request.get_data(cache=True)
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except ValueError:
        raise ValidationError({"json": ["Invalid JSON body."]}) from None


def create_service_app(service: str, settings: Settings | None = None, *,
                       messages_dir: Path | None = None, can_sign_tokens: bool = False,
                       title: str | None = None) -> tuple[Flask, Api]:
    settings = settings or load_settings(service)
    app = Flask(service)
    app.config.update(
        API_TITLE=title or f"Health stations: {service}",
        API_VERSION="1",
        OPENAPI_VERSION="3.0.3",
        OPENAPI_URL_PREFIX=f"/api/{service}",
        OPENAPI_JSON_PATH="openapi.json",
        MAX_CONTENT_LENGTH=2 * 1024 * 1024,
        JSON_AS_ASCII=False,
    )
    app.json.ensure_ascii = False
    engine = make_engine(settings.database_url)
    app.extensions["hs"] = ServiceContext(
        settings=settings, engine=engine, sessions=make_session_factory(engine),
        clock=clock_from_settings(settings),
        catalog=Catalog([messages_dir] if messages_dir else []))
    init_jwt(app, settings, can_sign=can_sign_tokens)
    api = Api(app, spec_kwargs={"components": {"securitySchemes": {
        "bearer": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}}}})
    register_error_handlers(app)  # after Api(), which registers its own HTTP error handler
    app.register_blueprint(health_blueprint(service))

    @app.teardown_appcontext
    def _close_session(_exc):
        session = g.pop("db_session", None)
        if session is not None:
            try:
                session.close()
            except DBAPIError:
                # The database went away during the request (a restart): the answer is made
                # already (a 503). The rollback failing here must not become gunicorn's bare 500.
                session.invalidate()

    logging.getLogger(service).debug("app created in %s mode", settings.mode)
    return app, api


def service_context() -> ServiceContext:
    return current_app.extensions["hs"]


def db_session() -> Session:
    """The request's session; closed when the request ends. Routes commit explicitly."""
    if "db_session" not in g:
        g.db_session = service_context().sessions()
    return g.db_session
