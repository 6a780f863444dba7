"""Schemas every service shares: the error body (documented as every operation's `default`
response, so the OpenAPI documents describe each 4xx/5xx the services can answer), and the
strict fields of JSON bodies."""

from __future__ import annotations

import marshmallow as ma


class StrictBoolean(ma.fields.Boolean):
    """A JSON `true` or `false` only: marshmallow's Boolean also takes "yes", "on", 1 or "1",
    which would let a consent be given by accident."""

    default_error_messages = {"invalid": "field.boolean"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


class StrictInteger(ma.fields.Integer):
    """A JSON integer only: not "10" (a string), 1.5 (marshmallow would truncate it to 1) or
    `true` (a bool is an int in Python). Query strings keep plain Integer: they are text."""

    default_error_messages = {"invalid": "field.integer"}

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


class ItemCount(ma.validate.Length):
    """validate.Length for lists: the same limits, but its messages count items, not
    characters (shared/errors.py maps both to catalogue keys naming the limit)."""

    message_min = "Too few items: at least {min}."
    message_max = "Too many items: at most {max}."
    message_all = "Number of items must be between {min} and {max}."
    message_equal = "Number of items must be {equal}."


class FieldErrorSchema(ma.Schema):
    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)
    params = ma.fields.Dict(metadata={"description": "the limits a message names, e.g. max"})


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"example": "error.validation"})
    message = ma.fields.String(required=True)
    field = ma.fields.String()
    fields = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(FieldErrorSchema))
    params = ma.fields.Dict()
    # a file refused row by row (booking's CSV import): every refused row with its line, column
    # (code and label) and why
    rows = ma.fields.List(ma.fields.Dict())


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorBodySchema, required=True)
