"""Schemas every service shares: the error body (documented as every operation's `default`
response, so the OpenAPI documents describe each 4xx/5xx the services can answer)."""

from __future__ import annotations

import marshmallow as ma


class FieldErrorSchema(ma.Schema):
    code = ma.fields.String(required=True)
    message = ma.fields.String(required=True)


class ErrorBodySchema(ma.Schema):
    code = ma.fields.String(required=True, metadata={"example": "error.validation"})
    message = ma.fields.String(required=True)
    field = ma.fields.String()
    fields = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Nested(FieldErrorSchema))
    params = ma.fields.Dict()


class ErrorSchema(ma.Schema):
    error = ma.fields.Nested(ErrorBodySchema, required=True)
