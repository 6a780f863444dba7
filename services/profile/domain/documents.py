"""Document types and number formats (rules.md Appendix A).

The account holder's document comes from identity's events; cohabitants' documents are entered
in this service, so their numbers are normalized and checked here. Codes are identity's
(docs/events.md, "Document types"), plus the identity card, which only cohabitants give.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

HK_MACAU_PERMIT = "hk_macao_resident_permit"  # 港澳居民来往内地通行证 (回乡证)
EXIT_ENTRY_PERMIT = "mainland_travel_permit"  # 往来港澳通行证 (mainland residents)
TAIWAN_PERMIT = "taiwan_resident_permit"      # 台湾居民来往大陆通行证 (台胞证)
CN_PASSPORT = "cn_passport"                   # 中华人民共和国护照
FOREIGN_PASSPORT = "passport"                 # a foreign passport
CN_ID_CARD = "cn_id_card"                     # 中华人民共和国居民身份证

DOCUMENT_TYPES = (HK_MACAU_PERMIT, EXIT_ENTRY_PERMIT, TAIWAN_PERMIT, CN_PASSPORT,
                  FOREIGN_PASSPORT, CN_ID_CARD)

# Which document types a nationality (region) may hold. Any other ISO 3166 alpha-2 code is a
# foreign nationality: a passport, or the 回乡证 non-Chinese permanent residents get (HA/MA).
TYPES_BY_NATIONALITY = {
    "CN": (EXIT_ENTRY_PERMIT, CN_PASSPORT, CN_ID_CARD),
    "HK": (HK_MACAU_PERMIT,),
    "MO": (HK_MACAU_PERMIT,),
    "TW": (TAIWAN_PERMIT,),
}

FOREIGN_TYPES = (FOREIGN_PASSPORT, HK_MACAU_PERMIT)

_FORMATS = {
    # H/M + 8 digits; + 2 digits of renewal count (older); HA/MA + 7 digits (non-Chinese PR)
    HK_MACAU_PERMIT: re.compile(r"^(?:[HM]\d{8}(?:\d{2})?|[HM]A\d{7})$"),
    # C + 8 digits; C + letter (not I, O) + 7 digits; booklet W + 8 digits
    EXIT_ENTRY_PERMIT: re.compile(r"^(?:C\d{8}|C[A-HJ-NP-Z]\d{7}|W\d{8})$"),
    # 8 digits; older: + 2-digit issue count, optionally + authority letter (brackets removed)
    TAIWAN_PERMIT: re.compile(r"^\d{8}(?:\d{2}[A-Z]?)?$"),
    # E + 8 digits, E + letter + 7 digits, G + 8 digits, PE/SE/DE + 7 digits
    CN_PASSPORT: re.compile(r"^(?:E\d{8}|E[A-HJ-NP-Z]\d{7}|G\d{8}|[PSD]E\d{7})$"),
    FOREIGN_PASSPORT: re.compile(r"^(?=[A-Z]*\d)[A-Z0-9]{5,20}$"),  # with a digit, as identity
    CN_ID_CARD: re.compile(r"^\d{17}[\dX]$"),
}

_HINTS = (  # a number shaped like another type: tell the user which type it looks like
    (EXIT_ENTRY_PERMIT, re.compile(r"^(?:C\d{8}|C[A-HJ-NP-Z]\d{7}|W\d{8})$")),
    (HK_MACAU_PERMIT, re.compile(r"^[HM]\d{8}$")),
    (CN_ID_CARD, re.compile(r"^\d{17}[\dX]$")),
    (CN_PASSPORT, re.compile(r"^E[A-HJ-NP-Z\d]\d{7}$")),
)

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def normalize_number(raw: str) -> str:
    """Trim, full-width to ASCII, drop inner spaces, brackets and hyphens, upper-case."""
    text = unicodedata.normalize("NFKC", raw or "")
    return re.sub(r"[\s()\[\]\-]", "", text).upper()


def nationality_allows(nationality: str, document_type: str) -> bool:
    allowed = TYPES_BY_NATIONALITY.get(nationality)
    if allowed is None:
        return document_type in FOREIGN_TYPES
    return document_type in allowed


def number_problem(document_type: str, number: str) -> str | None:
    """None when `number` (normalized) fits `document_type`, else a catalogue key."""
    pattern = _FORMATS.get(document_type)
    if pattern is None:
        return "document.type_unknown"
    if document_type == CN_ID_CARD:
        return None if id_card_is_valid(number) else "document.id_card_invalid"
    if pattern.match(number):
        return None
    for other, hint in _HINTS:
        if other != document_type and hint.match(number):
            return f"document.looks_like.{other}"
    return "document.number_format"


def id_card_is_valid(number: str) -> bool:
    """18-character identity card: check character, birth date and (where known) region.

    python-stdnum 2.2 raises KeyError instead of answering for some region codes
    (e.g. 34052419800101001X); then we fall back to the check character and the birth date,
    which are what the card itself proves (Appendix A: accept the wider form).
    """
    if not _FORMATS[CN_ID_CARD].match(number or ""):
        return False
    from stdnum.cn import ric

    try:
        return bool(ric.is_valid(number))
    except KeyError:
        return _id_check_character(number) == number[17] and id_card_birth_date(number) is not None


def _id_check_character(number: str) -> str:
    total = sum(int(d) * w for d, w in zip(number[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def id_card_birth_date(number: str) -> date | None:
    """The birth date the card encodes (characters 7-14), or None."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except (ValueError, IndexError):
        return None


def id_card_sex(number: str) -> str:
    """The 17th digit is odd for a man."""
    return "male" if int(number[16]) % 2 == 1 else "female"


def encoded_birth_date(document_type: str, number: str) -> date | None:
    """Only the identity card encodes a birth date; never derive one from any other document."""
    if document_type == CN_ID_CARD and id_card_is_valid(number):
        return id_card_birth_date(number)
    return None


def encoded_sex(document_type: str, number: str) -> str | None:
    if document_type == CN_ID_CARD and id_card_is_valid(number):
        return id_card_sex(number)
    return None
