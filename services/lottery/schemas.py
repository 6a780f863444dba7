"""Request schemas of the lottery API (validation = documentation = contract)."""

from __future__ import annotations

import re

from marshmallow import INCLUDE, Schema, ValidationError, fields, validate

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


# Answers of the read endpoints (documented with `alt_response`: the views return the query
# layer's dicts as they are; tests/e2e/test_api_contracts.py checks every answer conforms).
# Nested rows of the audit documents are free-form objects here; their fields are the
# verification bundle's (docs/ of the lottery).

class PublicPeriodOut(Schema):
    period = fields.String(required=True)
    seed_hash = fields.String(allow_none=True)
    closed = fields.Boolean()
    published = fields.Boolean()


class PublicPeriodsOut(Schema):
    periods = fields.List(fields.Nested(PublicPeriodOut), required=True)


class PeriodAuditOut(Schema):
    period = fields.String(required=True)
    seed_hash = fields.String(allow_none=True)
    seed = fields.String(allow_none=True, metadata={"description": "hex, once published (R8.4)"})
    closed = fields.Boolean()
    published = fields.Boolean()
    draw_time = fields.String()
    publication_time = fields.String()
    dates = fields.List(fields.Dict())
    files = fields.Dict(allow_none=True)


class DateAuditOut(Schema):
    class Meta:
        # the period's row for this date (date, places, applications, …) plus the entries page
        unknown = INCLUDE

    date = fields.String(required=True)
    period = fields.String(required=True)
    seed_hash = fields.String(allow_none=True)
    seed = fields.String(allow_none=True)
    published = fields.Boolean()
    entries = fields.Dict()
    winners = fields.List(fields.Raw(), allow_none=True)


class MyResultOut(Schema):
    application_number = fields.String()
    period = fields.String()
    date = fields.String()
    party_size = fields.Integer()
    result = fields.String(metadata={"description": "pending / won / not_won (R10.1)"})


class MyResultsOut(Schema):
    results = fields.List(fields.Nested(MyResultOut), required=True)


class OperatorPeriodsOut(Schema):
    periods = fields.List(fields.Dict(), required=True)
