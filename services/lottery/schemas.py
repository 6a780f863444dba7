"""Request schemas of the lottery API (validation = documentation = contract)."""

from __future__ import annotations

import re

from marshmallow import Schema, ValidationError, fields, validate

DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def check_day(value: str, key: str) -> str:
    from datetime import date

    try:
        if not DAY.match(value or ""):
            raise ValueError
        date.fromisoformat(value)
    except ValueError:
        raise ValidationError(key) from None
    return value


class EntriesPageArgs(Schema):
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=1000))


class DrawReportSchema(Schema):
    period = fields.String()
    outcome = fields.String()
    drawn_now = fields.List(fields.String())
    detail = fields.String()
