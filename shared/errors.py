"""One error shape for every service, localized, naming the field:

    {"error": {"code": "error.validation", "message": "...",
               "fields": {"document_number": {"code": "document.format", "message": "..."}}}}

Validators raise `marshmallow.ValidationError("document.format")` (a catalogue key) and routes
raise `ApiError(409, "account.exists", field="document_number", masked="H12*****78")`.
"""

from __future__ import annotations

import logging
import re

from flask import Flask, g, jsonify, request
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException

from shared.i18n import negotiate

log = logging.getLogger("hs.errors")

# marshmallow's built-in English messages, mapped to catalogue keys; a named group is a
# placeholder of the message (the limit it names, e.g. "at most {max} characters").
def _pattern(text: str) -> re.Pattern:
    """"Longer than maximum length {max}." -> a regex capturing the number as `max`."""
    return re.compile(re.sub(r"\\\{(\w+)\\\}", r"(?P<\1>-?\\d+)", re.escape(text)))


_MARSHMALLOW_MESSAGES = tuple((_pattern(text), key) for text, key in (
    ("Missing data for required field", "field.required"),
    ("Field may not be null", "field.required"),
    ("Unknown field", "field.unknown"),
    ("Not a valid date", "field.invalid_date"),
    ("Not a valid datetime", "field.invalid_date"),
    ("Must be one of", "field.one_of"),
    ("Length must be between {min} and {max}.", "field.length_between"),
    ("Length must be {equal}.", "field.length_equal"),
    ("Shorter than minimum length {min}.", "field.length_min"),
    ("Longer than maximum length {max}.", "field.length_max"),
    # shared.schemas.ItemCount: the same limits for lists, counted in items
    ("Number of items must be between {min} and {max}.", "field.count_between"),
    ("Number of items must be {equal}.", "field.count_equal"),
    ("Too few items: at least {min}.", "field.count_min"),
    ("Too many items: at most {max}.", "field.count_max"),
    ("Must be greater than or equal to {min} and less than or equal to {max}.",
     "field.range_between"),
    ("Must be greater than or equal to {min}.", "field.range_min"),
    ("Must be less than or equal to {max}.", "field.range_max"),
    ("Must be greater", "field.range"),
    ("Must be less", "field.range"),
    ("Not a valid email", "field.email"),
))


class ApiError(Exception):
    def __init__(self, status: int, code: str, field: str | None = None, **params):
        super().__init__(code)
        self.status = status
        self.code = code
        self.field = field
        self.params = params


def language() -> str:
    if "lang" not in g:
        g.lang = negotiate(request.headers.get("X-Lang") or request.headers.get("Accept-Language"))
    return g.lang


def _catalog():
    from flask import current_app

    return current_app.extensions["hs"].catalog


def message_key(raw: str) -> tuple[str, dict[str, int]]:
    """A validator's message is a catalogue key; marshmallow's own are mapped, with the
    limits they name as the key's placeholders."""
    if _catalog().knows(raw):
        return raw, {}
    for pattern, key in _MARSHMALLOW_MESSAGES:
        if match := pattern.match(raw):
            return key, {name: int(value) for name, value in match.groupdict().items()}
    return "field.invalid", {}


def flatten_field_errors(messages, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested {field: [msg]} / {field: {0: {sub: [msg]}}} -> {"a.0.b": raw}."""
    flat: dict[str, str] = {}
    if isinstance(messages, dict):
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "_schema":
                name = prefix or "_schema"
            flat.update(flatten_field_errors(value, name))
    elif isinstance(messages, list):
        if messages and all(isinstance(m, str) for m in messages):
            flat[prefix] = messages[0]
        else:
            for item in messages:
                flat.update(flatten_field_errors(item, prefix))
    elif isinstance(messages, str):
        flat[prefix] = messages
    return flat


def _submitted_value(path: str):
    """The value the request's JSON body gave at a flattened field path ("items.0.date")."""
    value = request.get_json(silent=True) if request else None
    for part in path.split("."):
        if isinstance(value, dict):
            value = value.get(part)
        elif isinstance(value, list) and part.isdigit() and int(part) < len(value):
            value = value[int(part)]
        else:
            return None
    return value


def _left_empty(key: str, params: dict, name: str) -> bool:
    """A length of at least one refused for an empty text means the field was not filled in:
    "required" says so better than "1 to 20 characters"."""
    return (key in ("field.length_between", "field.length_min") and params.get("min") == 1
            and _submitted_value(name) == "")


def validation_response(messages, status: int = 400):
    catalog, lang = _catalog(), language()
    fields = {}
    for name, raw in flatten_field_errors(messages).items():
        key, params = message_key(raw)
        if _left_empty(key, params, name):
            key, params = "field.required", {}
        fields[name] = {"code": key, "message": catalog.translate(key, lang, **params)}
        if params:
            fields[name]["params"] = params
    body = {"error": {"code": "error.validation",
                      "message": catalog.translate("error.validation", lang), "fields": fields}}
    return jsonify(body), status


def error_response(status: int, code: str, field: str | None = None, **params):
    catalog, lang = _catalog(), language()
    message = catalog.translate(code, lang, **params)
    body: dict = {"code": code, "message": message}
    if params:
        body["params"] = params
    if field:
        body["field"] = field
        body["fields"] = {field: {"code": code, "message": message}}
    return jsonify({"error": body}), status


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.field, **exc.params)

    @app.errorhandler(ValidationError)
    def _validation(exc: ValidationError):
        return validation_response(exc.messages)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):
        # flask-smorest puts schema errors in exc.data["messages"] ({"json": {...}})
        data = getattr(exc, "data", None) or {}
        messages = data.get("messages")
        if exc.code in (400, 422) and messages:
            merged = {}
            for location in messages.values():
                if isinstance(location, dict):
                    merged.update(location)
            return validation_response(merged or messages, exc.code)
        code = {404: "error.not_found", 405: "error.method_not_allowed",
                429: "error.rate_limited", 401: "auth.required",
                403: "auth.forbidden"}.get(exc.code, "error.bad_request")
        if exc.code >= 500:
            code = "error.internal"
        return error_response(exc.code, code)

    @app.errorhandler(OperationalError)
    def _database_down(exc):
        log.warning("database unavailable: %s", exc.__class__.__name__)
        return error_response(503, "error.unavailable")

    @app.errorhandler(DBAPIError)
    def _database_error(exc: DBAPIError):
        if exc.connection_invalidated:
            return error_response(503, "error.unavailable")
        log.exception("database error")
        return error_response(500, "error.internal")

    @app.errorhandler(Exception)
    def _unexpected(exc):
        log.exception("unhandled error on %s %s", request.method, request.path)
        return error_response(500, "error.internal")
