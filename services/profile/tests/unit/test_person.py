"""Personal information, R4.1-R4.3."""

from dataclasses import replace
from datetime import date

import pytest

from services.profile.domain import documents as docs
from services.profile.domain.person import (
    PersonalInfo,
    age_on,
    normalize_mobile,
    validate_personal_info,
)
from services.profile.tests.helpers import id_card

TODAY = date(2026, 12, 4)
GOOD = PersonalInfo(name="陈大文", sex="male", date_of_birth=date(1985, 3, 2),
                    hk_mobile="91234567", mainland_mobile=None,
                    document_expiry=date(2030, 1, 1), origin="HK-YTM", destination="SZ-FT",
                    consent=True)


def errors(**changes):
    return validate_personal_info(replace(GOOD, **changes), TODAY, docs.HK_MACAU_PERMIT,
                                  "H12345678")


def test_r4_1_a_complete_form_is_accepted():
    assert errors() == {}


@pytest.mark.parametrize("number", ["9123456", "912345678", "31234567", "0123456a"])
def test_r4_1_hong_kong_mobile_is_8_digits_starting_4_to_9(number):
    assert errors(hk_mobile=number) == {"hk_mobile": "person.hk_mobile_format"}


@pytest.mark.parametrize("number", ["41234567", "51234567", "61234567", "71234567", "81234567"])
def test_r4_1_hong_kong_mobile_accepted_starts(number):
    assert errors(hk_mobile=number) == {}


@pytest.mark.parametrize("number", ["1381234567", "23812345678", "138123456789"])
def test_r4_1_mainland_mobile_is_11_digits_starting_1(number):
    assert errors(hk_mobile=None, mainland_mobile=number) == {
        "mainland_mobile": "person.mainland_mobile_format"}


def test_r4_1_mobile_prefixes_and_separators_are_dropped():
    assert normalize_mobile("+852 9123-4567", "852") == "91234567"
    assert normalize_mobile("+86 138 1234 5678", "86") == "13812345678"
    assert normalize_mobile("  ", "852") is None


def test_r4_2_at_least_one_mobile_both_fields_named():
    assert errors(hk_mobile=None, mainland_mobile=None) == {
        "hk_mobile": "person.mobile_one_required",
        "mainland_mobile": "person.mobile_one_required"}
    assert errors(hk_mobile=None, mainland_mobile="13812345678") == {}


def test_r4_3_expired_document_refused_expiring_today_accepted():
    assert errors(document_expiry=date(2026, 12, 3)) == {"document_expiry": "document.expired"}
    assert errors(document_expiry=TODAY) == {}


def test_r4_3_date_of_birth_plausible():
    assert errors(date_of_birth=date(2026, 12, 5)) == {
        "date_of_birth": "person.birth_date_future"}
    assert errors(date_of_birth=date(1900, 1, 1)) == {
        "date_of_birth": "person.birth_date_implausible"}


def test_r4_3_date_of_birth_and_sex_consistent_with_an_identity_card():
    number = id_card(date(1985, 3, 2), sequence="124")  # a woman's number
    found = validate_personal_info(GOOD, TODAY, docs.CN_ID_CARD, number)
    assert found == {"sex": "person.sex_mismatch"}
    found = validate_personal_info(replace(GOOD, sex="female", date_of_birth=date(1985, 3, 3)),
                                   TODAY, docs.CN_ID_CARD, number)
    assert found == {"date_of_birth": "person.birth_date_mismatch"}


def test_r4_1_origin_and_destination_from_the_service_lists():
    assert errors(origin="SZ-FT", destination="HK-YTM") == {
        "origin": "person.origin_unknown", "destination": "person.destination_unknown"}
    assert errors(origin="MO-SE") == {}


def test_r4_1_r2_2_7_consent_required():
    assert errors(consent=False) == {"consent": "person.consent_required"}


@pytest.mark.parametrize("name, problem", [
    ("", "field.required"), ("陈大文1", "person.name_characters"),
    ("x" * 61, "person.name_too_long")])
def test_r4_1_name(name, problem):
    assert errors(name=name) == {"name": problem}


def test_r4_1_names_in_any_script_with_usual_punctuation():
    assert errors(name="Mary-Jane O'Neil") == {}
    assert errors(name="阿卜杜·热合曼") == {}


def test_age_in_full_years():
    assert age_on(date(2012, 12, 4), TODAY) == 14
    assert age_on(date(2012, 12, 5), TODAY) == 13
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18
