"""Document numbers (rules.md Appendix A) for cohabitants' documents."""

from datetime import date

import pytest

from services.profile.domain import documents as docs
from services.profile.tests.helpers import id_card


@pytest.mark.parametrize("raw, expected", [
    (" h1234 5678 ", "H12345678"),
    ("Ｃ１２３４５６７８", "C12345678"),   # full-width
    ("1234567801(B)", "1234567801B"),      # 台胞证 authority letter in brackets
])
def test_appendix_a_normalization(raw, expected):
    assert docs.normalize_number(raw) == expected


@pytest.mark.parametrize("document_type, number", [
    (docs.HK_MACAU_PERMIT, "H12345678"), (docs.HK_MACAU_PERMIT, "M1234567801"),
    (docs.HK_MACAU_PERMIT, "HA1234567"),
    (docs.EXIT_ENTRY_PERMIT, "C12345678"), (docs.EXIT_ENTRY_PERMIT, "CA1234567"),
    (docs.EXIT_ENTRY_PERMIT, "W12345678"),
    (docs.TAIWAN_PERMIT, "12345678"), (docs.TAIWAN_PERMIT, "1234567801B"),
    (docs.CN_PASSPORT, "E12345678"), (docs.CN_PASSPORT, "EA1234567"),
    (docs.CN_PASSPORT, "G12345678"), (docs.CN_PASSPORT, "PE1234567"),
    (docs.FOREIGN_PASSPORT, "X1234567"),
])
def test_appendix_a_accepted_formats(document_type, number):
    assert docs.number_problem(document_type, number) is None


@pytest.mark.parametrize("document_type, number, problem", [
    (docs.EXIT_ENTRY_PERMIT, "CI1234567", "document.number_format"),   # I is not used
    (docs.EXIT_ENTRY_PERMIT, "C1234567", "document.number_format"),
    (docs.HK_MACAU_PERMIT, "C12345678", "document.looks_like.mainland_travel_permit"),
    (docs.EXIT_ENTRY_PERMIT, "H12345678", "document.looks_like.hk_macao_resident_permit"),
    (docs.CN_ID_CARD, "440305201801011231", "document.id_card_invalid"),
    (docs.FOREIGN_PASSPORT, "X12", "document.number_format"),
    (docs.FOREIGN_PASSPORT, "ABCDE", "document.number_format"),  # identity's rule: a digit
    ("library_card", "123", "document.type_unknown"),
])
def test_appendix_a_refused_numbers_say_why(document_type, number, problem):
    assert docs.number_problem(document_type, number) == problem


def test_identity_card_check_character_and_encoded_facts():
    number = id_card(date(2015, 6, 1), sequence="124")
    assert docs.id_card_is_valid(number)
    assert docs.encoded_birth_date(docs.CN_ID_CARD, number) == date(2015, 6, 1)
    assert docs.encoded_sex(docs.CN_ID_CARD, number) == "female"
    assert docs.encoded_sex(docs.CN_ID_CARD, id_card(date(2015, 6, 1), sequence="123")) == "male"
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    assert not docs.id_card_is_valid(wrong)


def test_identity_card_region_that_crashes_stdnum_2_2_is_answered():
    """Appendix A: stdnum.cn.ric 2.2 raises KeyError for 34052419800101001X; we answer."""
    assert docs.id_card_is_valid("34052419800101001X")
    assert docs.encoded_birth_date(docs.CN_ID_CARD, "34052419800101001X") == date(1980, 1, 1)
    assert not docs.id_card_is_valid("340524198001010010")  # wrong check character


def test_identity_card_with_impossible_birth_date_is_refused():
    assert not docs.id_card_is_valid(id_card(date(2015, 6, 1)).replace("20150601", "20151301"))


def test_no_birth_date_or_sex_derived_from_documents_that_do_not_encode_them():
    assert docs.encoded_birth_date(docs.TAIWAN_PERMIT, "19800101") is None
    assert docs.encoded_sex(docs.HK_MACAU_PERMIT, "H12345678") is None


@pytest.mark.parametrize("nationality, document_type, allowed", [
    ("HK", docs.HK_MACAU_PERMIT, True), ("MO", docs.HK_MACAU_PERMIT, True),
    ("CN", docs.EXIT_ENTRY_PERMIT, True), ("CN", docs.CN_ID_CARD, True),
    ("TW", docs.TAIWAN_PERMIT, True), ("GB", docs.FOREIGN_PASSPORT, True),
    ("HK", docs.EXIT_ENTRY_PERMIT, False), ("GB", docs.CN_PASSPORT, False),
    ("CN", docs.FOREIGN_PASSPORT, False), ("GB", docs.HK_MACAU_PERMIT, True),
])
def test_r2_2_2_document_types_depend_on_nationality(nationality, document_type, allowed):
    assert docs.nationality_allows(nationality, document_type) is allowed
