"""Marshmallow schemas: the validation, the documentation and the contract of the API.
Validators give catalogue keys; the rules behind them are in domain/."""

from __future__ import annotations

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

from services.profile.domain import cohabitants as rules
from services.profile.domain import documents as docs
from services.profile.domain import person, review
from services.profile.domain.person import SEXES, normalize_mobile, normalize_name
from shared.app import service_context
from shared.nationalities import NATIONALITY_CODES
from shared.schemas import StrictBoolean


def _one_of(choices):
    return validate.OneOf(choices, error="field.one_of")


def _not_blank(value: str) -> None:
    if not value or not value.strip():
        raise ValidationError("field.required")


def _normalized_person(data: dict) -> dict:
    """Name and mobiles as stored (only the fields present: the others were refused)."""
    data = dict(data)
    if "name" in data:
        data["name"] = normalize_name(data["name"])
    for field, country_code in (("hk_mobile", "852"), ("mainland_mobile", "86")):
        if field in data:
            data[field] = normalize_mobile(data[field], country_code)
    return data


class PersonalInfoIn(Schema):
    name = fields.String(required=True, validate=[_not_blank, validate.Length(max=200)])
    sex = fields.String(required=True, validate=_one_of(SEXES))
    date_of_birth = fields.Date(required=True)
    hk_mobile = fields.String(load_default=None, allow_none=True,
                              validate=validate.Length(max=30))
    mainland_mobile = fields.String(load_default=None, allow_none=True,
                                    validate=validate.Length(max=30))
    document_expiry = fields.Date(required=True)
    origin = fields.String(required=True, validate=validate.Length(max=20))
    destination = fields.String(required=True, validate=validate.Length(max=20))
    consent = StrictBoolean(required=True)

    @validates_schema(skip_on_field_errors=False)
    def _rules(self, data, **_):
        """R4.1/R4.2 with the schema's own errors, so one submission shows every problem
        (the fields refused above are absent from `data`, their own error stands)."""
        errors = person.field_errors(_normalized_person(data), service_context().clock.today())
        if errors:
            raise ValidationError({field: [key] for field, key in errors.items()})

    @post_load
    def normalize(self, data, **_):
        return _normalized_person(data)


class CohabitantIn(Schema):
    name = fields.String(required=True, validate=[_not_blank, validate.Length(max=200)])
    sex = fields.String(required=True, validate=_one_of(SEXES))
    nationality = fields.String(required=True, validate=validate.OneOf(
        NATIONALITY_CODES, error="cohabitant.nationality_unknown"))
    document_type = fields.String(required=True, validate=_one_of(docs.DOCUMENT_TYPES))
    document_number = fields.String(required=True,
                                    validate=[_not_blank, validate.Length(max=60)])
    document_expiry = fields.Date(required=True)
    date_of_birth = fields.Date(required=True)
    relation = fields.String(required=True, validate=validate.OneOf(
        rules.RELATIONS, error="cohabitant.relation_not_allowed"))
    category = fields.String(required=True, validate=_one_of(rules.CATEGORIES))
    mainland_id_number = fields.String(load_default=None, allow_none=True,
                                       validate=validate.Length(max=60))
    no_mainland_id = StrictBoolean(load_default=False)

    @pre_load
    def upper_nationality(self, data, **_):
        if isinstance(data, dict) and isinstance(data.get("nationality"), str):
            data = dict(data, nationality=data["nationality"].strip().upper())
        return data

    @post_load
    def normalize(self, data, **_):
        data["name"] = normalize_name(data["name"])
        data["document_number"] = docs.normalize_number(data["document_number"])
        data["mainland_id_number"] = (docs.normalize_number(data["mainland_id_number"])
                                      or None) if data["mainland_id_number"] else None
        return data


class RejectIn(Schema):
    reason_code = fields.String(required=True, validate=validate.OneOf(
        review.REVIEWER_REASONS, error="review.reason_required"))
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class ApproveIn(Schema):
    note = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=1000))


class CaseQuery(Schema):
    state = fields.String(load_default="open",
                          validate=_one_of(("open", "approved", "rejected", "withdrawn", "all")))
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class Rejection(Schema):
    code = fields.String()
    message = fields.String()
    note = fields.String(allow_none=True)


class PersonOut(Schema):
    name = fields.String()
    sex = fields.String()
    date_of_birth = fields.Date()
    hk_mobile = fields.String(allow_none=True)
    mainland_mobile = fields.String(allow_none=True)
    document_expiry = fields.Date()
    origin = fields.String()
    destination = fields.String()
    consented_at = fields.DateTime()
    review_state = fields.String()
    rejection = fields.Nested(Rejection, allow_none=True)


class CohabitantOut(Schema):
    cohabitant_id = fields.String()
    name = fields.String()
    sex = fields.String()
    nationality = fields.String()
    document_type = fields.String()
    document_number = fields.String()
    document_expiry = fields.Date()
    date_of_birth = fields.Date()
    relation = fields.String()
    category = fields.String()
    mainland_id_number = fields.String(allow_none=True)
    no_mainland_id = fields.Boolean()
    review_state = fields.String()
    rejection = fields.Nested(Rejection, allow_none=True)


class RestoredChangeOut(Schema):
    name = fields.String()
    action = fields.String(metadata={"description": "restored / removed"})


class RestoredOut(Schema):
    """R6.3: cohabitant changes undone because booking had accepted the application first."""
    period = fields.String()
    application_number = fields.String()
    restored_at = fields.DateTime()
    changes = fields.List(fields.Nested(RestoredChangeOut))
    message = fields.String()


class LockOut(Schema):
    locked = fields.Boolean()
    periods = fields.List(fields.String())
    message = fields.String(allow_none=True)
    restored = fields.Nested(RestoredOut, allow_none=True)


class AccountOut(Schema):
    account_id = fields.String()
    known = fields.Boolean(metadata={"description": "identity's event has arrived"})
    nationality = fields.String(allow_none=True)
    document_type = fields.String(allow_none=True)
    document_number = fields.String(allow_none=True)


class MeOut(Schema):
    account = fields.Nested(AccountOut)
    person = fields.Nested(PersonOut, allow_none=True)
    cohabitants = fields.List(fields.Nested(CohabitantOut))
    lock = fields.Nested(LockOut)
    eligible = fields.Boolean()
    max_cohabitants = fields.Integer()


class CohabitantsOut(Schema):
    cohabitants = fields.List(fields.Nested(CohabitantOut))
    lock = fields.Nested(LockOut)
    max_cohabitants = fields.Integer()


class LabelledOut(Schema):
    code = fields.String(required=True)
    label = fields.String(required=True)


class PlaceOut(Schema):
    code = fields.String(required=True)
    region = fields.String(required=True)
    name = fields.String(required=True, metadata={"description": "in the caller's language"})
    names = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


class OptionsOut(Schema):
    """What the forms choose from (GET /options), labels in the caller's language."""
    origins = fields.List(fields.Nested(PlaceOut), required=True)
    destinations = fields.List(fields.Nested(PlaceOut), required=True)
    relations = fields.List(fields.Nested(LabelledOut), required=True)
    categories = fields.List(fields.Nested(LabelledOut), required=True)
    document_types = fields.List(fields.Nested(LabelledOut), required=True)
    types_by_nationality = fields.Dict(keys=fields.String(), values=fields.List(fields.String()),
                                       required=True)
    foreign_document_types = fields.List(fields.String(), required=True)
    reviewer_reasons = fields.List(fields.Nested(LabelledOut), required=True)
    consent_text = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    consent_text_zh_hans = fields.String(required=True)
    max_cohabitants = fields.Integer(required=True)


class HistoryEntry(Schema):
    at = fields.DateTime()
    actor = fields.String()
    actor_kind = fields.String(metadata={"description": "applicant, reviewer or system"})
    actor_id = fields.String(metadata={"description": "account id, or the verification source"})
    actor_name = fields.String(allow_none=True,
                               metadata={"description": "an applicant's name, when known"})
    from_state = fields.String(allow_none=True)
    to_state = fields.String()
    reason_code = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    case_id = fields.String(allow_none=True)


class CaseSummary(Schema):
    case_id = fields.String()
    account_id = fields.String()
    subject_kind = fields.String()
    subject_id = fields.String()
    state = fields.String()
    case_reason = fields.String(allow_none=True)
    case_reason_text = fields.String(allow_none=True)
    name = fields.String(allow_none=True)
    masked_document = fields.String(allow_none=True)
    document_type = fields.String(allow_none=True)
    opened_at = fields.DateTime()
    closed_at = fields.DateTime(allow_none=True)


class CaseList(Schema):
    cases = fields.List(fields.Nested(CaseSummary))
    total = fields.Integer()


class CaseDetail(CaseSummary):
    finding = fields.String(allow_none=True)
    snapshot = fields.Dict()
    current = fields.Dict(allow_none=True)
    decided_by = fields.String(allow_none=True)
    reason_code = fields.String(allow_none=True)
    note = fields.String(allow_none=True)
    history = fields.List(fields.Nested(HistoryEntry))
    reasons = fields.List(fields.Dict())


class ImportOut(Schema):
    imported = fields.Integer()
    total = fields.Integer()
