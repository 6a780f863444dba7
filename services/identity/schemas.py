"""Marshmallow schemas: the validation, the documentation and the contract (docs/identity.md).

Validators give catalogue keys; shared.errors turns them into localized field errors.
"""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from services.identity.domain import documents
from services.identity.service_layer.handlers import new_document_errors, password_errors
from shared.schemas import StrictBoolean


def _text(max_length: int):
    """A required text field: an empty string counts as missing (a form's untouched select)."""
    return [validate.Length(min=1, error="field.required"), validate.Length(max=max_length)]


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise ValidationError({field: [key] for field, key in errors.items()})


class _DocumentFields(Schema):
    class Meta:
        unknown = RAISE

    nationality = fields.String(required=True, validate=_text(60))
    document_type = fields.String(required=True, validate=_text(60))
    document_number = fields.String(required=True, validate=_text(80))


class DocumentSchema(_DocumentFields):
    @validates_schema(skip_on_field_errors=False)
    def _document(self, data, **_):
        if {"nationality", "document_type", "document_number"} <= data.keys():
            _raise(new_document_errors(data["nationality"], data["document_type"],
                                       data["document_number"]))


class RegistrationSchema(_DocumentFields):
    password = fields.String(required=True, validate=validate.Length(max=128))
    password_confirmation = fields.String(required=True, validate=validate.Length(max=128))
    captcha_id = fields.String(required=True, validate=_text(100))
    captcha_answer = fields.String(required=True, validate=_text(12))
    consent = StrictBoolean(required=True)  # a JSON true, not "yes" or 1 (R2.2.7)

    @validates_schema(skip_on_field_errors=False)
    def _rules(self, data, **_):
        errors: dict[str, str] = {}
        if {"nationality", "document_type", "document_number"} <= data.keys():
            errors.update(new_document_errors(data["nationality"], data["document_type"],
                                              data["document_number"]))
        if "password" in data:
            errors.update(password_errors(data["password"],
                                          data.get("password_confirmation")))
        if "consent" in data and data["consent"] is not True:
            errors["consent"] = "consent.required"  # R2.2.7
        _raise(errors)


class AccountSchema(Schema):
    id = fields.String()
    roles = fields.List(fields.String())
    nationality = fields.String(allow_none=True)
    document_type = fields.String()
    masked_document = fields.String()


class AccountDetailSchema(AccountSchema):
    document_number = fields.String()
    update_required = fields.Boolean()
    document_update_available = fields.Boolean()
    status = fields.String()
    created_at = fields.DateTime()


class TokensSchema(Schema):
    access_token = fields.String()
    refresh_token = fields.String()
    update_required = fields.Boolean()
    message = fields.String()
    account = fields.Nested(AccountSchema)


class LoginSchema(Schema):
    class Meta:
        unknown = RAISE

    document_type = fields.String(required=True, validate=_text(60))
    document_number = fields.String(required=True, validate=_text(80))
    password = fields.String(required=True, validate=_text(128))


class RefreshSchema(Schema):
    class Meta:
        unknown = RAISE

    # optional: the token may come as `Authorization: Bearer ...` instead
    refresh_token = fields.String(load_default=None, validate=_text(4096))


class CaptchaSchema(Schema):
    captcha_id = fields.String()
    image = fields.String()
    expires_in = fields.Integer()
    answer = fields.String()


class DocumentUpdateResultSchema(Schema):
    relogin_required = fields.Boolean()


class SupportRequestSchema(Schema):
    class Meta:
        unknown = RAISE

    kind = fields.String(required=True, validate=validate.OneOf(["forgot_password", "problem"]))
    contact_email = fields.Email(required=True, validate=validate.Length(max=254))
    message = fields.String(required=True, validate=_text(2000))
    document_type = fields.String(load_default=None, allow_none=True,
                                  validate=validate.OneOf([*documents.DOCUMENT_TYPES]))
    document_number = fields.String(load_default=None, allow_none=True,
                                    validate=validate.Length(max=80))
    captcha_id = fields.String(required=True, validate=_text(100))
    captcha_answer = fields.String(required=True, validate=_text(12))

    @validates_schema(skip_on_field_errors=False)
    def _message_not_blank(self, data, **_):
        if "message" in data and not data["message"].strip():
            raise ValidationError({"message": ["field.required"]})


class SupportCreatedSchema(Schema):
    request_id = fields.String()


class AccountLookupSchema(Schema):
    class Meta:
        unknown = RAISE

    document_type = fields.String(required=True)
    document_number = fields.String(required=True)


class StaffAccountSchema(Schema):
    id = fields.String()
    roles = fields.List(fields.String())
    nationality = fields.String(allow_none=True)
    document_type = fields.String()
    document_number = fields.String()
    status = fields.String()
    disabled_reason = fields.String(allow_none=True)
    imported = fields.Boolean()
    created_at = fields.DateTime()


class PasswordResetSchema(Schema):
    class Meta:
        unknown = RAISE

    new_password = fields.String(load_default=None, allow_none=True,
                                 validate=validate.Length(max=128))


class PasswordResetResultSchema(Schema):
    account_id = fields.String()
    temporary_password = fields.String()
