"""Booking's marshmallow schemas: validation, documentation and the client's contract."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate
from webargs.fields import DelimitedList


class Strict(Schema):
    class Meta:
        unknown = RAISE


class WindowSchema(Schema):
    open = fields.Boolean()
    opens_at = fields.String()
    closes_at = fields.String()
    next_opening = fields.String()


class DayViewSchema(Schema):
    date = fields.String()
    capacity = fields.Integer()
    available = fields.Integer()
    applications = fields.Integer()
    applicants = fields.Integer()


class PeriodViewSchema(Schema):
    period = fields.String()
    window = fields.Nested(WindowSchema)
    dates = fields.List(fields.Nested(DayViewSchema))


class CapacitySchema(Strict):
    date = fields.Date(required=True)
    places = fields.Integer(required=True, validate=validate.Range(min=0, max=100000))


class CapacityListSchema(Strict):
    items = fields.List(fields.Nested(CapacitySchema), required=True,
                        validate=validate.Length(min=1, max=366))


class CapacityQuerySchema(Strict):
    start = fields.Date(data_key="from", required=True)
    end = fields.Date(data_key="to", required=True)


class DatesQuerySchema(Strict):
    dates = DelimitedList(fields.Date(), required=True,
                                 validate=validate.Length(min=1, max=6))


class ApplicationSchema(Strict):
    dates = fields.List(fields.Date(), required=True, validate=validate.Length(min=1, max=6))
    captcha_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    captcha_answer = fields.String(required=True, validate=validate.Length(min=1, max=20))


class SubmittedSchema(Schema):
    date = fields.String()
    application_number = fields.String()


class SubmittedListSchema(Schema):
    period = fields.String()
    applications = fields.List(fields.Nested(SubmittedSchema))


class SlipVerifySchema(Strict):
    code = fields.String(required=True, validate=validate.Length(min=10, max=2000))


class EntryRecordSchema(Strict):
    document_type = fields.String(required=True, validate=validate.Length(min=1, max=40))
    document_number = fields.String(required=True, validate=validate.Length(min=1, max=40))
    entry_date = fields.Date(required=True)


class EntryImportSchema(Strict):
    records = fields.List(fields.Nested(EntryRecordSchema), required=True,
                          validate=validate.Length(min=1, max=50000))


class DisablePolicySchema(Strict):
    threshold = fields.Integer(required=True, validate=validate.Range(min=1, max=100))
    window_days = fields.Integer(required=True, validate=validate.Range(min=1, max=365))


class ReinstateSchema(Strict):
    note = fields.String(load_default=None, validate=validate.Length(max=500))
