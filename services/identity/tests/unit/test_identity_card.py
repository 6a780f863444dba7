"""Resident identity card numbers (rules.md Appendix A) via stdnum.cn.ric, guarded."""

from datetime import date

from services.identity.domain.identity_card import (
    identity_card_birth_date,
    identity_card_sex,
    is_valid_identity_card,
)


def test_appendix_a_valid_identity_card():
    assert is_valid_identity_card("11010519491231002X")
    assert is_valid_identity_card("11010519491231002x")  # upper-cased first
    assert identity_card_birth_date("11010519491231002X") == date(1949, 12, 31)
    assert identity_card_sex("11010519491231002X") == "female"  # 17th digit 2 is even


def test_appendix_a_wrong_check_character_refused():
    assert not is_valid_identity_card("110105194912310021")


def test_appendix_a_impossible_birth_date_refused():
    # same region and sequence, 1949-02-30: stdnum refuses the date
    assert not is_valid_identity_card("110105194902300020")


def test_appendix_a_fifteen_digit_first_generation_not_accepted():
    assert not is_valid_identity_card("110105491231002")


def test_appendix_a_stdnum_keyerror_guarded():
    """stdnum 2.2 raises KeyError for region 340524; we answer from check char and date."""
    assert is_valid_identity_card("34052419800101001X")
    assert identity_card_birth_date("34052419800101001X") == date(1980, 1, 1)
    assert not is_valid_identity_card("340524198001010010")  # wrong check character


def test_appendix_a_birth_after_today_refused():
    assert not is_valid_identity_card("11010519491231002X", today=date(1940, 1, 1))
    assert is_valid_identity_card("11010519491231002X", today=date(2026, 1, 1))
