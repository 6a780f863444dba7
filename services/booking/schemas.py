"""Booking's marshmallow schemas: validation, documentation and the client's contract."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates, validates_schema
from webargs.fields import DelimitedList

from services.booking.domain import rules
from shared.app import service_context
from shared.schemas import ItemCount, StrictInteger


def _today():
    return service_context().clock.today()


def _dates_once(dates) -> None:
    """R7.3: each date once (pure Python: the submission's hot path has no query for this)."""
    if rules.repeated_positions(dates):
        raise ValidationError("booking.dates_duplicate")


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
    places = StrictInteger(required=True, validate=validate.Range(min=0, max=100000))


class CapacityListSchema(Strict):
    items = fields.List(fields.Nested(CapacitySchema), required=True,
                        validate=ItemCount(min=1, max=366))

    @validates_schema(skip_on_field_errors=False)
    def _dates(self, data, **_):
        """Each date once, and none before today (Beijing time, the shared clock)."""
        # an item whose date was refused above has none here: its own error stands
        dates = [item.get("date") for item in data.get("items") or []]
        today = _today()
        errors = {position: {"date": ["field.duplicate"]}
                  for position in rules.repeated_positions(dates) if dates[position]}
        for position, day in enumerate(dates):
            if day and (problem := rules.capacity_date_problem(day, today)):
                errors[position] = {"date": [problem]}
        if errors:
            raise ValidationError({"items": errors})


class CapacityQuerySchema(Strict):
    start = fields.Date(data_key="from", required=True)
    end = fields.Date(data_key="to", required=True)


class DatesQuerySchema(Strict):
    dates = DelimitedList(fields.Date(), required=True,
                          validate=[ItemCount(min=1, max=6), _dates_once])


class ApplicationSchema(Strict):
    dates = fields.List(fields.Date(), required=True,
                        validate=[ItemCount(min=1, max=6), _dates_once])
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
    # identity's code (hk_macao_resident_permit), not a document's name: entries are matched
    # by code and number, so a name would match nobody
    document_type = fields.String(required=True, validate=[
        validate.Length(min=1, max=40),
        validate.Regexp(r"^[a-z][a-z0-9_]*$", error="booking.document_type_code")])
    document_number = fields.String(required=True, validate=validate.Length(min=1, max=40))
    entry_date = fields.Date(required=True)

    @validates("entry_date")
    def _not_in_the_future(self, value, **_):
        if problem := rules.entry_date_problem(value, _today()):
            raise ValidationError(problem)


class EntryImportSchema(Strict):
    records = fields.List(fields.Nested(EntryRecordSchema), required=True,
                          validate=ItemCount(min=1, max=50000))


class DisablePolicySchema(Strict):
    threshold = StrictInteger(required=True, validate=validate.Range(min=1, max=100))
    window_days = StrictInteger(required=True, validate=validate.Range(min=1, max=365))


class ReinstateSchema(Strict):
    note = fields.String(load_default=None, validate=validate.Length(max=500))


# Answers (documented with `alt_response`: the views build these dicts themselves, so the
# schemas describe them without re-serializing; tests/e2e/test_api_contracts.py checks that
# every answer conforms).

class CapacityItemOut(Schema):
    date = fields.String(required=True)
    places = fields.Integer(required=True)
    held = fields.Integer(metadata={"description": "places held by active reservations (GET)"})


class CapacitiesOut(Schema):
    items = fields.List(fields.Nested(CapacityItemOut), required=True)


class EligibilityOut(Schema):
    ok = fields.Boolean(required=True)
    code = fields.String()
    params = fields.Dict()
    message = fields.String()


class ConfirmationCohabitantOut(Schema):
    name = fields.String(allow_none=True)
    relation = fields.String(allow_none=True)
    document_type = fields.String()
    document_number_masked = fields.String()


class ConfirmationOut(Schema):
    name = fields.String(allow_none=True)
    document_type = fields.String()
    document_number_masked = fields.String()
    dates = fields.List(fields.String())
    party_size = fields.Integer()
    cohabitants = fields.List(fields.Nested(ConfirmationCohabitantOut))
    eligibility = fields.Nested(EligibilityOut, required=True)


class LotteryRecordOut(Schema):
    period = fields.String()
    application_number = fields.String()
    date = fields.String()
    party_size = fields.Integer()
    submitted_at = fields.String()
    result = fields.String(metadata={"description": "pending / won / not_won"})
    not_won_reason = fields.String(allow_none=True, metadata={
        "description": "when not_won: already_won (R8.2: a person of the party won another "
                       "date of the period, so this one was not drawn) / places (no place "
                       "left); null otherwise, and for results published without the reason"})


class LotteryRecordsOut(Schema):
    items = fields.List(fields.Nested(LotteryRecordOut), required=True)


class ReservationOut(Schema):
    application_number = fields.String()
    period = fields.String()
    date = fields.String()
    party_size = fields.Integer()
    state = fields.String()
    cancelled_on = fields.String(allow_none=True)
    can_cancel = fields.Boolean()
    last_cancellation_day = fields.String()
    slip_available = fields.Boolean()


class ReservationsOut(Schema):
    items = fields.List(fields.Nested(ReservationOut), required=True)


class CancelledOut(Schema):
    application_number = fields.String()
    state = fields.String()
    account_disabled = fields.Boolean()


class SlipCohabitantOut(Schema):
    name = fields.String(allow_none=True)
    relation = fields.String(allow_none=True)
    document_type = fields.String()
    document_number = fields.String()
    date_of_birth = fields.String(allow_none=True)


class SlipOut(Schema):
    application_number = fields.String()
    name = fields.String(allow_none=True)
    document_type = fields.String()
    document_number = fields.String()
    date = fields.String()
    cohabitant_count = fields.Integer()
    cohabitants = fields.List(fields.Nested(SlipCohabitantOut))
    destination = fields.String(allow_none=True)
    code = fields.String()
    qr_svg = fields.String()


class SlipCheckCohabitantOut(Schema):
    name = fields.String(allow_none=True)
    document_number_masked = fields.String()


class SlipCheckOut(Schema):
    valid = fields.Boolean(required=True)
    reason = fields.String()
    message = fields.String()
    application_number = fields.String()
    date = fields.String()
    party_size = fields.Integer()
    name = fields.String(allow_none=True)
    document_type = fields.String()
    document_number_masked = fields.String()
    cohabitants = fields.List(fields.Nested(SlipCheckCohabitantOut))


class EntryImportOut(Schema):
    received = fields.Integer()
    inserted = fields.Integer()
    duplicates = fields.Integer()
    reservations_used = fields.Integer()


class DisablePolicyOut(Schema):
    threshold = fields.Integer()
    window_days = fields.Integer()


class CancellationStandingOut(Schema):
    threshold = fields.Integer(required=True, metadata={
        "description": "R12.4: this many cancellations within window_days disable the account"})
    window_days = fields.Integer(required=True)
    cancellations = fields.Integer(required=True, metadata={
        "description": "the caller's cancellations that count now (within the window, since "
                       "any reinstatement)"})


class DisabledAccountOut(Schema):
    account_id = fields.String()
    reason = fields.String(allow_none=True)
    message = fields.String()
    disabled_at = fields.String(allow_none=True)
    name = fields.String(allow_none=True, metadata={"description": "from the party read model"})
    document_type = fields.String(allow_none=True)
    document_number_masked = fields.String(allow_none=True)


class DisabledAccountsOut(Schema):
    items = fields.List(fields.Nested(DisabledAccountOut), required=True)


class ReinstatedOut(Schema):
    account_id = fields.String()
    reinstated = fields.Boolean()


class MyStatusOut(Schema):
    may_apply = fields.Boolean(required=True)
    code = fields.String()
    params = fields.Dict()
    message = fields.String()
