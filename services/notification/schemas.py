"""Marshmallow schemas of the notification API (validation = documentation = contract)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from services.notification.adapters.models import EMAIL_STATES

USER_KINDS = ("support_ack", "lottery_won", "account_disabled")


class EmailQuery(Schema):
    state = fields.String(validate=validate.OneOf(EMAIL_STATES))
    kind = fields.String(validate=validate.Length(min=1, max=40))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class EmailSummary(Schema):
    id = fields.Integer()
    kind = fields.String()
    event_type = fields.String()
    event_id = fields.String()
    recipient = fields.String(metadata={"description": "users' addresses are masked"})
    lang = fields.String()
    subject = fields.String()
    state = fields.String(metadata={"description": "queued / sending / sent / failed"})
    attempts = fields.Integer()
    last_error = fields.String(allow_none=True)
    message_id = fields.String(allow_none=True)
    created_at = fields.DateTime()
    next_attempt_at = fields.DateTime()
    claimed_at = fields.DateTime(allow_none=True)
    sent_at = fields.DateTime(allow_none=True)
    resent_count = fields.Integer()


class EmailDetail(EmailSummary):
    body_text = fields.String()


class EmailPage(Schema):
    items = fields.List(fields.Nested(EmailSummary))
    total = fields.Integer()
    counts = fields.Dict(keys=fields.String(), values=fields.Integer(),
                         metadata={"description": "emails per state, all kinds"})


class MailboxQuery(Schema):
    to = fields.String(validate=validate.Length(min=1, max=254))


class MailboxMessageSchema(Schema):
    id = fields.String()
    received_at = fields.Float()
    envelope_from = fields.String()
    envelope_to = fields.List(fields.String())
    message_id = fields.String()
    sender = fields.String(data_key="from")
    to = fields.String()
    reply_to = fields.String()
    subject = fields.String()
    lang = fields.String()
    kind = fields.String()
    event_id = fields.String()
    text = fields.String()


class MailboxPage(Schema):
    messages = fields.List(fields.Nested(MailboxMessageSchema))
    count = fields.Integer()
