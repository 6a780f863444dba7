"""Nationalities, document types and document-number formats (R2.2, R2.4, rules.md Appendix A).

Pure functions: no Flask, no SQL. Every refusal is a message-catalogue key, so the API can
answer in the user's language and name the field.

Decided (see docs/identity.md): older forms still seen in the wild (回乡证 with its 2-digit
renewal count, 台胞证 with its issue count and authority letter) are legacy only: the CSV import
keeps them, login flags them as nonconforming (R3.1), a new registration is refused with a hint.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from shared import nationalities

HK_MACAO_RESIDENT_PERMIT = "hk_macao_resident_permit"  # 港澳居民来往内地通行证 (回乡证)
MAINLAND_TRAVEL_PERMIT = "mainland_travel_permit"  # 往来港澳通行证
TAIWAN_RESIDENT_PERMIT = "taiwan_resident_permit"  # 台湾居民来往大陆通行证 (台胞证)
CN_PASSPORT = "cn_passport"  # 中华人民共和国护照
PASSPORT = "passport"  # foreign passport
STAFF = "staff"  # staff login: the "number" is the username

# The letter after C in the new 往来港澳通行证 and after E in the new passport: not I or O.
_LETTER_NOT_I_O = "[A-HJ-NP-Z]"

# Formats accepted for new registrations (today's numbers).
_CURRENT_FORMATS: dict[str, tuple[re.Pattern, ...]] = {
    HK_MACAO_RESIDENT_PERMIT: (re.compile(r"[HM]\d{8}"), re.compile(r"[HM]A\d{7}")),
    MAINLAND_TRAVEL_PERMIT: (re.compile(r"C\d{8}"), re.compile(rf"C{_LETTER_NOT_I_O}\d{{7}}"),
                             re.compile(r"W\d{8}")),
    TAIWAN_RESIDENT_PERMIT: (re.compile(r"\d{8}"),),
    CN_PASSPORT: (re.compile(r"E\d{8}"), re.compile(rf"E{_LETTER_NOT_I_O}\d{{7}}"),
                  re.compile(r"G\d{8}"), re.compile(r"(PE|SE|DE)\d{7}")),
    # Varies by country; the wide form of Appendix A, but at least one digit.
    PASSPORT: (re.compile(r"(?=[A-Z]*\d)[A-Z0-9]{5,20}"),),
}

# Older forms: accepted by the legacy import only, refused for new registrations with a hint.
_RENEWAL_COUNT_FORM = re.compile(r"[HM]\d{10}")  # 回乡证 + 2-digit renewal count (11 chars)
_ISSUE_COUNT_FORM = re.compile(r"\d{10}[A-Z]?")  # 台胞证 + issue count [+ authority letter]

_RESIDENT_ID_SHAPE = re.compile(r"\d{17}[\dX]|\d{15}")

# Types whose shape is distinctive enough to suggest "you probably meant this type".
_HINT_ORDER = (HK_MACAO_RESIDENT_PERMIT, MAINLAND_TRAVEL_PERMIT, CN_PASSPORT,
               TAIWAN_RESIDENT_PERMIT)

_SPACES_AND_BRACKETS = re.compile(r"[\s()\[\]]+")


@dataclass(frozen=True)
class DocumentType:
    code: str
    names: dict[str, str]  # zh-Hans, en (zh-Hant is derived: shared.i18n.to_traditional)
    example: str
    format_hint: dict[str, str]


@dataclass(frozen=True)
class Nationality:
    code: str
    names: dict[str, str]
    document_types: tuple[str, ...]


DOCUMENT_TYPES: dict[str, DocumentType] = {d.code: d for d in (
    DocumentType(HK_MACAO_RESIDENT_PERMIT,
                 {"zh-Hans": "港澳居民来往内地通行证", "en": "Mainland Travel Permit for Hong Kong "
                  "and Macao Residents (Home Return Permit)"},
                 "H12345678",
                 {"zh-Hans": "H或M加8位数字（如H12345678）；非中国籍永久性居民为HA或MA加7位数字",
                  "en": "H or M followed by 8 digits (e.g. H12345678); non-Chinese permanent "
                        "residents: HA or MA followed by 7 digits"}),
    DocumentType(MAINLAND_TRAVEL_PERMIT,
                 {"zh-Hans": "往来港澳通行证",
                  "en": "Exit-Entry Permit for Travelling to and from Hong Kong and Macao"},
                 "C12345678",
                 {"zh-Hans": "C加8位数字，或C加1个字母加7位数字；旧版为W加8位数字",
                  "en": "C followed by 8 digits, or C, a letter and 7 digits; booklets: W "
                        "followed by 8 digits"}),
    DocumentType(TAIWAN_RESIDENT_PERMIT,
                 {"zh-Hans": "台湾居民来往大陆通行证",
                  "en": "Mainland Travel Permit for Taiwan Residents"},
                 "12345678",
                 {"zh-Hans": "8位数字（终身号码，不含换证次数）",
                  "en": "8 digits (the lifelong number, without the issue count)"}),
    DocumentType(CN_PASSPORT,
                 {"zh-Hans": "中华人民共和国护照",
                  "en": "Passport of the People's Republic of China"},
                 "E12345678",
                 {"zh-Hans": "E加8位数字，或E加1个字母加7位数字；旧版G加8位数字；"
                             "公务护照PE、SE、DE加7位数字",
                  "en": "E followed by 8 digits, or E, a letter and 7 digits; older: G followed "
                        "by 8 digits; official passports: PE, SE or DE followed by 7 digits"}),
    DocumentType(PASSPORT,
                 {"zh-Hans": "护照", "en": "Passport"},
                 "K1234567",
                 {"zh-Hans": "5至20位字母和数字", "en": "5 to 20 letters and digits"}),
)}

_FOREIGN_DOCUMENTS = (PASSPORT, HK_MACAO_RESIDENT_PERMIT)

_REGION_DOCUMENTS = {
    "HK": (HK_MACAO_RESIDENT_PERMIT,),
    "MO": (HK_MACAO_RESIDENT_PERMIT,),
    "TW": (TAIWAN_RESIDENT_PERMIT,),
    "CN": (MAINLAND_TRAVEL_PERMIT, CN_PASSPORT),
}

# The list is shared with profile's cohabitants (shared/nationalities.py).
NATIONALITIES: dict[str, Nationality] = {code: Nationality(
    code, {"zh-Hans": zh, "en": en}, _REGION_DOCUMENTS.get(code, _FOREIGN_DOCUMENTS))
    for code, zh, en in (*nationalities.CHINESE_REGIONS, *nationalities.FOREIGN)}

# The 回乡证 prefix tells the region: H for Hong Kong, M for Macau; HA/MA for non-Chinese
# permanent residents, who register with their own nationality.
_PERMIT_PREFIX_FOR_NATIONALITY = {"HK": re.compile(r"H\d{8}"), "MO": re.compile(r"M\d{8}")}
_FOREIGN_PERMIT = re.compile(r"[HM]A\d{7}")


def normalize_number(raw: str | None) -> str:
    """Appendix A: full-width → ASCII (NFKC), trim, no spaces or brackets, upper case (R2.4)."""
    text = unicodedata.normalize("NFKC", raw or "")
    return _SPACES_AND_BRACKETS.sub("", text).upper()


def normalize_username(raw: str | None) -> str:
    return unicodedata.normalize("NFKC", raw or "").strip().lower()


def normalize(document_type: str, raw: str | None) -> str:
    return normalize_username(raw) if document_type == STAFF else normalize_number(raw)


def matches_current_format(document_type: str, number: str) -> bool:
    return any(p.fullmatch(number) for p in _CURRENT_FORMATS.get(document_type, ()))


def format_error(document_type: str, number: str) -> str | None:
    """Catalogue key of what is wrong with `number` (normalized) as `document_type`, or None.

    A number in an older form or in another type's shape gets a hint instead of a bare refusal.
    """
    if document_type not in _CURRENT_FORMATS:
        return "document_type.unknown"
    if matches_current_format(document_type, number):
        return None
    if document_type == HK_MACAO_RESIDENT_PERMIT and _RENEWAL_COUNT_FORM.fullmatch(number):
        return "document.renewal_count"
    if document_type == TAIWAN_RESIDENT_PERMIT and _ISSUE_COUNT_FORM.fullmatch(number):
        return "document.issue_count"
    for other in _HINT_ORDER:
        if other != document_type and matches_current_format(other, number):
            return f"document.looks_like.{other}"
    if _RESIDENT_ID_SHAPE.fullmatch(number):
        return "document.looks_like.resident_id_card"
    return f"document.format.{document_type}"


def document_errors(nationality: str | None, document_type: str | None,
                    raw_number: str | None) -> dict[str, str]:
    """Field → catalogue key for a document offered at registration or update (R2.2.1–3)."""
    errors: dict[str, str] = {}
    region = NATIONALITIES.get(nationality or "")
    if region is None:
        errors["nationality"] = "nationality.unknown"
    if document_type not in DOCUMENT_TYPES:
        errors["document_type"] = "document_type.unknown"
    elif region is not None and document_type not in region.document_types:
        errors["document_type"] = "document_type.not_for_nationality"
    if errors.get("document_type") == "document_type.unknown":
        return errors
    number = normalize_number(raw_number)
    if not number:
        errors["document_number"] = "field.required"
        return errors
    problem = format_error(document_type, number)
    if problem is None and region is not None and document_type == HK_MACAO_RESIDENT_PERMIT:
        problem = _region_problem(region.code, number)
    if problem:
        errors["document_number"] = problem
    return errors


def _region_problem(nationality: str, number: str) -> str | None:
    expected = _PERMIT_PREFIX_FOR_NATIONALITY.get(nationality)
    if expected is not None:
        return None if expected.fullmatch(number) else "document.region_mismatch"
    return None if _FOREIGN_PERMIT.fullmatch(number) else "document.region_mismatch"


def conforms(nationality: str | None, document_type: str | None, number: str | None) -> bool:
    """Whether a stored account satisfies today's document rules (R3.1 asks those that do not
    to update)."""
    if document_type == STAFF:
        return True
    return not document_errors(nationality, document_type, number)


def display_names(names: dict[str, str]) -> dict[str, str]:
    from shared.i18n import to_traditional

    return {"zh-Hans": names["zh-Hans"], "zh-Hant": to_traditional(names["zh-Hans"]),
            "en": names["en"]}
