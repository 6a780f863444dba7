"""Document numbers: formats per type, normalization, hints (R2.2.3, R2.4, rules.md Appendix A)."""

import pytest

from services.identity.domain import documents as d
from services.identity.domain.documents import (
    CN_PASSPORT,
    HK_MACAO_RESIDENT_PERMIT,
    MAINLAND_TRAVEL_PERMIT,
    PASSPORT,
    TAIWAN_RESIDENT_PERMIT,
    conforms,
    document_errors,
    format_error,
    normalize_number,
)
from shared.i18n import ascii_punctuation_in_chinese


@pytest.mark.parametrize("number", [
    "H12345678", "M87654321",  # lifelong number
    "HA1234567", "MA7654321",  # since 2024, non-Chinese permanent residents (9 chars)
])
def test_appendix_a_home_return_permit_current_forms_accepted(number):
    assert format_error(HK_MACAO_RESIDENT_PERMIT, number) is None


@pytest.mark.parametrize("number,key", [
    ("H1234567", "document.format.hk_macao_resident_permit"),  # 7 digits
    ("H123456789", "document.format.hk_macao_resident_permit"),  # 9 digits
    ("K12345678", "document.format.hk_macao_resident_permit"),
    ("HB1234567", "document.format.hk_macao_resident_permit"),
    ("H1234567801", "document.renewal_count"),  # old form + 2-digit renewal count: legacy only
    ("M1234567803", "document.renewal_count"),
])
def test_appendix_a_home_return_permit_refusals(number, key):
    assert format_error(HK_MACAO_RESIDENT_PERMIT, number) == key


@pytest.mark.parametrize("number", ["C12345678", "CA1234567", "CZ7654321", "W12345678"])
def test_appendix_a_mainland_travel_permit_accepted(number):
    assert format_error(MAINLAND_TRAVEL_PERMIT, number) is None


@pytest.mark.parametrize("number", ["CI1234567", "CO1234567", "C1234567", "W1234567",
                                    "CAB123456", "D12345678"])
def test_appendix_a_mainland_travel_permit_refused(number):
    assert format_error(MAINLAND_TRAVEL_PERMIT, number) == "document.format.mainland_travel_permit"


def test_appendix_a_taiwan_permit_eight_digits_only_for_new_registrations():
    """Decided: the 8-digit lifelong number is accepted; with its issue count (10 digits) or the
    authority letter `(B)` it is legacy only, refused here with a hint."""
    assert format_error(TAIWAN_RESIDENT_PERMIT, "12345678") is None
    assert format_error(TAIWAN_RESIDENT_PERMIT, "1234567801") == "document.issue_count"
    assert format_error(TAIWAN_RESIDENT_PERMIT, normalize_number("1234567801(B)")) == \
        "document.issue_count"
    assert format_error(TAIWAN_RESIDENT_PERMIT, "1234567") == \
        "document.format.taiwan_resident_permit"


@pytest.mark.parametrize("number", ["E12345678", "EA1234567", "G12345678", "PE1234567",
                                    "SE1234567", "DE1234567"])
def test_appendix_a_chinese_passport_accepted(number):
    assert format_error(CN_PASSPORT, number) is None


@pytest.mark.parametrize("number", ["E1234567", "EI1234567", "G1234567", "PE123456",
                                    "XE1234567", "E123456789"])
def test_appendix_a_chinese_passport_refused(number):
    assert format_error(CN_PASSPORT, number) == "document.format.cn_passport"


@pytest.mark.parametrize("number", ["12345", "K1234567", "533380006", "AB1234567890123456CD"])
def test_appendix_a_foreign_passport_letters_and_digits_5_to_20(number):
    assert format_error(PASSPORT, number) is None


@pytest.mark.parametrize("number", ["1234", "AB1234567890123456CDE", "ABCDEFG", "K123-4567"])
def test_appendix_a_foreign_passport_refused(number):
    """Too short, too long, letters only (decided: a passport number has a digit), symbols."""
    assert format_error(PASSPORT, number) == "document.format.passport"


@pytest.mark.parametrize("raw", ["h 1234 5678", " H12345678 ", "ｈ１２３４５６７８",
                                 "H1234\u30005678", "(H12345678)", "h12345678"])
def test_r2_4_normalization_trims_spaces_brackets_case_and_full_width(raw):
    assert normalize_number(raw) == "H12345678"


def test_r2_4_normalization_keeps_the_taiwan_authority_letter():
    assert normalize_number("1234567801（b）") == "1234567801B"


@pytest.mark.parametrize("document_type,number,key", [
    (HK_MACAO_RESIDENT_PERMIT, "C12345678", "document.looks_like.mainland_travel_permit"),
    (HK_MACAO_RESIDENT_PERMIT, "E12345678", "document.looks_like.cn_passport"),
    (HK_MACAO_RESIDENT_PERMIT, "12345678", "document.looks_like.taiwan_resident_permit"),
    (MAINLAND_TRAVEL_PERMIT, "H12345678", "document.looks_like.hk_macao_resident_permit"),
    (CN_PASSPORT, "C12345678", "document.looks_like.mainland_travel_permit"),
    (TAIWAN_RESIDENT_PERMIT, "M12345678", "document.looks_like.hk_macao_resident_permit"),
    (MAINLAND_TRAVEL_PERMIT, "11010519491231002X", "document.looks_like.resident_id_card"),
])
def test_appendix_a_another_types_shape_gets_a_hint(document_type, number, key):
    assert format_error(document_type, number) == key


def test_r2_2_document_type_must_fit_the_nationality():
    assert document_errors("HK", TAIWAN_RESIDENT_PERMIT, "12345678") == {
        "document_type": "document_type.not_for_nationality"}
    assert document_errors("CN", MAINLAND_TRAVEL_PERMIT, "C12345678") == {}
    assert document_errors("CN", CN_PASSPORT, "E12345678") == {}
    assert document_errors("TW", TAIWAN_RESIDENT_PERMIT, "12345678") == {}
    assert document_errors("US", PASSPORT, "533380006") == {}
    assert document_errors("XX", PASSPORT, "533380006") == {"nationality": "nationality.unknown"}
    assert document_errors("US", "driving_licence", "1") == {
        "document_type": "document_type.unknown"}


def test_appendix_a_home_return_permit_prefix_matches_region():
    """H for Hong Kong, M for Macau; HA/MA holders (non-Chinese) choose their nationality."""
    assert document_errors("HK", HK_MACAO_RESIDENT_PERMIT, "H12345678") == {}
    assert document_errors("MO", HK_MACAO_RESIDENT_PERMIT, "M12345678") == {}
    assert document_errors("PH", HK_MACAO_RESIDENT_PERMIT, "HA1234567") == {}
    for nationality, number in [("HK", "M12345678"), ("MO", "H12345678"),
                                ("HK", "HA1234567"), ("PH", "H12345678")]:
        assert document_errors(nationality, HK_MACAO_RESIDENT_PERMIT, number) == {
            "document_number": "document.region_mismatch"}


def test_r2_2_empty_number_is_required():
    assert document_errors("HK", HK_MACAO_RESIDENT_PERMIT, "  ") == {
        "document_number": "field.required"}


def test_r3_1_legacy_forms_do_not_conform():
    assert not conforms("HK", HK_MACAO_RESIDENT_PERMIT, "H1234567801")
    assert not conforms("TW", TAIWAN_RESIDENT_PERMIT, "1234567801B")
    assert not conforms("HK", MAINLAND_TRAVEL_PERMIT, "C12345678")  # type not for region
    assert not conforms("香港", "回乡证", "H12345678")  # old free text
    assert conforms("HK", HK_MACAO_RESIDENT_PERMIT, "H12345678")
    assert conforms(None, d.STAFF, "li.ming")


def test_r2_2_catalogue_covers_the_regions_and_types_of_the_guide():
    assert d.NATIONALITIES["HK"].document_types == (HK_MACAO_RESIDENT_PERMIT,)
    assert d.NATIONALITIES["MO"].document_types == (HK_MACAO_RESIDENT_PERMIT,)
    assert d.NATIONALITIES["TW"].document_types == (TAIWAN_RESIDENT_PERMIT,)
    assert set(d.NATIONALITIES["CN"].document_types) == {MAINLAND_TRAVEL_PERMIT, CN_PASSPORT}
    for code in ("US", "GB", "CA", "AU", "PH", "IN"):
        assert PASSPORT in d.NATIONALITIES[code].document_types
    for item in [*d.NATIONALITIES.values(), *d.DOCUMENT_TYPES.values()]:
        assert item.names["zh-Hans"] and item.names["en"]
    for document_type in d.DOCUMENT_TYPES.values():
        assert format_error(document_type.code, document_type.example) is None


def test_r1_2_names_in_three_languages():
    names = d.display_names(d.DOCUMENT_TYPES[MAINLAND_TRAVEL_PERMIT].names)
    assert names["zh-Hans"] == "往来港澳通行证"
    assert names["zh-Hant"] == "往來港澳通行證"
    assert names["en"].startswith("Exit-Entry Permit")
    assert d.display_names(d.NATIONALITIES["TW"].names)["zh-Hant"] == "中國台灣"
    # Hong Kong's name for Australia, not s2hk's 澳大利亞
    assert d.display_names(d.NATIONALITIES["AU"].names) == {
        "zh-Hans": "澳大利亚", "zh-Hant": "澳洲", "en": "Australia"}


def test_r1_2_chinese_names_and_format_hints_use_full_width_punctuation():
    texts = [item.names for item in [*d.NATIONALITIES.values(), *d.DOCUMENT_TYPES.values()]]
    texts += [document_type.format_hint for document_type in d.DOCUMENT_TYPES.values()]
    for names in texts:
        shown = d.display_names(names)
        for lang in ("zh-Hans", "zh-Hant"):
            assert ascii_punctuation_in_chinese(shown[lang]) == [], shown[lang]
