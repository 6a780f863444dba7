"""中华人民共和国居民身份证 (resident identity card) numbers, rules.md Appendix A.

`stdnum.cn.ric` checks the ISO 7064 MOD 11-2 check character, the birth date and the region
code. Version 2.2 raises `KeyError` instead of answering for some region codes missing from its
table (e.g. `34052419800101001X`); then we fall back to the check character and the birth date
alone (the wider form, as Appendix A asks where a source is weak).
"""

from __future__ import annotations

from datetime import date

from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import ric
from stdnum.iso7064 import mod_11_2

from services.identity.domain.documents import normalize_number


def _birth_date(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def is_valid_identity_card(raw: str, today: date | None = None) -> bool:
    """An 18-character identity card number (the 15-digit first generation is not accepted:
    it has no check character and has not been valid since 2013). With `today` (from the
    shared clock), a birth date after it is refused too."""
    number = normalize_number(raw)
    if len(number) != 18:
        return False
    try:
        ric.validate(number)
    except stdnum_exceptions.ValidationError:
        return False
    except KeyError:
        # stdnum 2.2's region lookup fails on some codes: check what it could not
        if not number[:17].isdigit() or not mod_11_2.is_valid(number):
            return False
        if _birth_date(number) is None:
            return False
    if today is not None:
        born = _birth_date(number)
        if born is None or born > today:
            return False
    return True


def identity_card_birth_date(raw: str) -> date | None:
    """The birth date an identity card encodes (characters 7–14), or None if it is not valid."""
    number = normalize_number(raw)
    return _birth_date(number) if is_valid_identity_card(number) else None


def identity_card_sex(raw: str) -> str | None:
    """'male' when the 17th digit is odd, 'female' when even; None if the number is not valid."""
    number = normalize_number(raw)
    if not is_valid_identity_card(number):
        return None
    return "male" if int(number[16]) % 2 else "female"
