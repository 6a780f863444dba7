"""Personal information (R4.1, R4.2): the fields, their normalization and their rules.

Nationality, document type and number are not part of the form: they come from identity's
events. Validation returns {field: catalogue key}, empty when everything is acceptable.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date

from services.profile.domain import places
from services.profile.domain.documents import encoded_birth_date, encoded_sex

# R2.2.7, the consent the user gives again on this form (R4.1).
CONSENT_TEXT = ("我已阅知申报所列事项，同意授权采集相关信息用于疫情联防联控，"
                "承诺为填报信息的真实性负责")
SEXES = ("male", "female")
MAX_AGE = 120  # decided: an older date of birth is a typing error, not a person
NAME_MAX = 60

_HK_MOBILE = re.compile(r"^[4-9]\d{7}$")
_MAINLAND_MOBILE = re.compile(r"^1\d{10}$")
_NAME_PUNCTUATION = set(" ·・.'-")


@dataclass(frozen=True)
class PersonalInfo:
    name: str
    sex: str
    date_of_birth: date
    hk_mobile: str | None
    mainland_mobile: str | None
    document_expiry: date
    origin: str
    destination: str
    consent: bool


def normalize_name(raw: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", raw or "")).strip()


def normalize_mobile(raw: str | None, country_code: str) -> str | None:
    """Drop spaces and hyphens and an optional +852 / +86 prefix; '' means not given."""
    if raw is None:
        return None
    text = re.sub(r"[\s\-]", "", unicodedata.normalize("NFKC", raw))
    if text.startswith("+" + country_code):
        text = text[len(country_code) + 1:]
    return text or None


def name_problem(name: str) -> str | None:
    if not name:
        return "field.required"
    if len(name) > NAME_MAX:
        return "person.name_too_long"
    for char in name:
        if char not in _NAME_PUNCTUATION and unicodedata.category(char)[0] not in "LM":
            return "person.name_characters"
    return None


def age_on(date_of_birth: date, day: date) -> int:
    """Full years (周岁) on `day`; a 29 February birthday counts from 1 March in common years."""
    years = day.year - date_of_birth.year
    if (day.month, day.day) < (date_of_birth.month, date_of_birth.day):
        years -= 1
    return years


def birth_date_problem(date_of_birth: date, today: date) -> str | None:
    """Plausible: not in the future and not more than MAX_AGE years ago (R4.3)."""
    if date_of_birth > today:
        return "person.birth_date_future"
    if age_on(date_of_birth, today) > MAX_AGE:
        return "person.birth_date_implausible"
    return None


def expiry_problem(expiry: date, today: date) -> str | None:
    """R4.3: an expiry before today is refused (a document expiring today is still valid)."""
    return "document.expired" if expiry < today else None


def document_consistency(document_type: str | None, document_number: str | None,
                         date_of_birth: date, sex: str) -> dict[str, str]:
    """Where the document encodes birth date and sex (the identity card), they must agree."""
    errors: dict[str, str] = {}
    if not document_type or not document_number:
        return errors
    encoded = encoded_birth_date(document_type, document_number)
    if encoded is not None and encoded != date_of_birth:
        errors["date_of_birth"] = "person.birth_date_mismatch"
    encoded_s = encoded_sex(document_type, document_number)
    if encoded_s is not None and sex in SEXES and encoded_s != sex:
        errors["sex"] = "person.sex_mismatch"
    return errors


def mobile_errors(hk_mobile: str | None, mainland_mobile: str | None) -> dict[str, str]:
    """R4.1 formats; R4.2 at least one of the two (both fields are named)."""
    errors: dict[str, str] = {}
    if hk_mobile is not None and not _HK_MOBILE.match(hk_mobile):
        errors["hk_mobile"] = "person.hk_mobile_format"
    if mainland_mobile is not None and not _MAINLAND_MOBILE.match(mainland_mobile):
        errors["mainland_mobile"] = "person.mainland_mobile_format"
    if hk_mobile is None and mainland_mobile is None:
        errors["hk_mobile"] = errors["mainland_mobile"] = "person.mobile_one_required"
    return errors


def field_errors(values: Mapping, today: date) -> dict[str, str]:
    """The rules of R4.1/R4.2 on the fields in `values` (a form whose other fields were refused
    for their type still gets these checked, so the user sees every problem at once)."""
    errors: dict[str, str] = {}
    if "name" in values and (problem := name_problem(values["name"])):
        errors["name"] = problem
    if "sex" in values and values["sex"] not in SEXES:
        errors["sex"] = "field.one_of"
    if "date_of_birth" in values and (problem := birth_date_problem(values["date_of_birth"],
                                                                    today)):
        errors["date_of_birth"] = problem
    if {"hk_mobile", "mainland_mobile"} <= values.keys():
        errors.update(mobile_errors(values["hk_mobile"], values["mainland_mobile"]))
    if "document_expiry" in values and (problem := expiry_problem(values["document_expiry"],
                                                                  today)):
        errors["document_expiry"] = problem
    if "origin" in values and values["origin"] not in places.ORIGIN_CODES:
        errors["origin"] = "person.origin_unknown"
    if "destination" in values and values["destination"] not in places.DESTINATION_CODES:
        errors["destination"] = "person.destination_unknown"
    if "consent" in values and values["consent"] is not True:
        errors["consent"] = "person.consent_required"
    return errors


def validate_personal_info(info: PersonalInfo, today: date, document_type: str | None = None,
                           document_number: str | None = None) -> dict[str, str]:
    """Every rule of R4.1/R4.2 that the form can break; {} when the form is acceptable."""
    errors = field_errors(asdict(info), today)
    for name, key in document_consistency(document_type, document_number,
                                          info.date_of_birth, info.sex).items():
        errors.setdefault(name, key)
    return errors
