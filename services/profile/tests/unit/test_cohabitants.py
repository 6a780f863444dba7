"""Cohabitants, R6.1-R6.5."""

from dataclasses import replace
from datetime import date

import pytest

from services.profile.domain import cohabitants as rules
from services.profile.domain import documents as docs
from services.profile.tests.helpers import id_card, years_before

TODAY = date(2026, 12, 4)
APPLICANT = rules.Applicant(docs.HK_MACAU_PERMIT, "H12345678", date(1985, 3, 2))
SPOUSE = rules.CohabitantInput(
    name="李美玲", sex="female", nationality="HK", document_type=docs.HK_MACAU_PERMIT,
    document_number="H87654321", document_expiry=date(2030, 1, 1),
    date_of_birth=date(1987, 5, 6), relation="spouse", category=rules.MARRIED)
CHILD = rules.CohabitantInput(
    name="陈小明", sex="male", nationality="HK", document_type=docs.HK_MACAU_PERMIT,
    document_number="H11112222", document_expiry=date(2030, 1, 1),
    date_of_birth=date(2016, 8, 1), relation="child", category=rules.CHILD)
PERMIT_CHILD = rules.CohabitantInput(
    name="陈小红", sex="female", nationality="CN", document_type=docs.EXIT_ENTRY_PERMIT,
    document_number="CA1234567", document_expiry=date(2029, 1, 1),
    date_of_birth=date(2018, 2, 3), relation="child", category=rules.CHILD, no_mainland_id=True)


def check(c, others=(), applicant=APPLICANT):
    return rules.validate_cohabitant(c, TODAY, applicant, list(others))


def test_r6_2_the_guides_example_a_couple_and_two_children_is_accepted():
    assert check(SPOUSE) == {}
    assert check(CHILD) == {}
    assert check(PERMIT_CHILD) == {}


def test_r6_2_at_most_three():
    assert rules.room_left(2) is None
    assert rules.room_left(3) == "cohabitants.too_many"


def _born_for(relation: str) -> date:
    """A birth date that fits the relation to the applicant (born 1985-03-02)."""
    if relation in rules.ANCESTORS:
        return date(1950, 1, 1)
    return date(2010, 1, 1) if relation in rules.DESCENDANTS else SPOUSE.date_of_birth


@pytest.mark.parametrize("relation", rules.RELATIONS)
def test_r6_2_every_direct_relation_is_accepted(relation):
    c = replace(SPOUSE, relation=relation, category="underlying_illness",
                date_of_birth=_born_for(relation))
    assert check(c) == {}


@pytest.mark.parametrize("relation", rules.DESCENDANTS)
def test_r6_2_a_descendant_is_not_older_than_the_applicant(relation):
    c = replace(SPOUSE, relation=relation, category="underlying_illness",
                date_of_birth=date(1985, 3, 1))
    assert check(c) == {"relation": "cohabitant.descendant_older"}
    assert check(replace(c, date_of_birth=APPLICANT.date_of_birth)) == {}  # same day: let be


@pytest.mark.parametrize("relation", rules.ANCESTORS)
def test_r6_2_an_ancestor_is_not_younger_than_the_applicant(relation):
    c = replace(SPOUSE, relation=relation, category="underlying_illness",
                date_of_birth=date(1985, 3, 3))
    assert check(c) == {"relation": "cohabitant.ancestor_younger"}
    assert check(replace(c, date_of_birth=APPLICANT.date_of_birth)) == {}


def test_r6_2_a_spouse_of_any_age_and_an_applicant_without_birth_date_are_not_judged():
    assert check(replace(SPOUSE, date_of_birth=date(1950, 1, 1),
                         category="underlying_illness")) == {}
    no_birth_date = replace(APPLICANT, date_of_birth=None)
    assert check(replace(CHILD, date_of_birth=date(1960, 1, 1), category="underlying_illness"),
                 applicant=no_birth_date) == {}


@pytest.mark.parametrize("relation", ["cousin", "sibling", "friend", "uncle"])
def test_r6_2_other_relations_refused(relation):
    assert check(replace(SPOUSE, relation=relation, category="underlying_illness")) == {
        "relation": "cohabitant.relation_not_allowed"}


def test_r6_1_child_category_needs_14_or_under():
    thirty = replace(CHILD, date_of_birth=years_before(TODAY, 30))
    assert check(thirty) == {"category": "cohabitant.category_child_age"}
    fourteen = replace(CHILD, date_of_birth=years_before(TODAY, 15).replace(day=5))
    assert check(fourteen) == {}  # 15th birthday tomorrow: still 14 today
    fifteen = replace(CHILD, date_of_birth=years_before(TODAY, 15))
    assert check(fifteen) == {"category": "cohabitant.category_child_age"}


def test_r6_1_elderly_category_needs_70_or_over_either_person():
    parent = replace(SPOUSE, relation="parent", category=rules.ELDERLY)
    assert check(replace(parent, date_of_birth=years_before(TODAY, 70))) == {}
    young = replace(parent, date_of_birth=years_before(TODAY, 69))
    assert check(young) == {"category": "cohabitant.category_elderly_age"}
    # decided: a 75-year-old applicant may bring an adult child under the elderly category
    old_applicant = replace(APPLICANT, date_of_birth=years_before(TODAY, 75))
    assert check(replace(young, relation="child"), applicant=old_applicant) == {}


def test_r6_1_married_couple_only_with_spouse_and_one_spouse():
    assert check(replace(SPOUSE, relation="parent", date_of_birth=date(1950, 1, 1))) == {
        "category": "cohabitant.married_needs_spouse"}
    other = rules.Existing("x", docs.HK_MACAU_PERMIT, "H99998888", "spouse")
    assert check(SPOUSE, [other]) == {"relation": "cohabitant.one_spouse"}


def test_r4_3_cohabitant_expired_document_refused():
    assert check(replace(CHILD, document_expiry=date(2026, 12, 3))) == {
        "document_expiry": "document.expired"}


def test_r7_7_not_the_applicant_nor_twice():
    assert check(replace(SPOUSE, document_number="H12345678")) == {
        "document_number": "cohabitant.is_applicant"}
    twin = rules.Existing("x", docs.HK_MACAU_PERMIT, "H87654321", "child")
    assert check(SPOUSE, [twin]) == {"document_number": "cohabitant.duplicate"}


def test_cohabitant_document_must_fit_type_and_nationality():
    assert check(replace(SPOUSE, document_number="C12345678")) == {
        "document_number": "document.looks_like.mainland_travel_permit"}
    assert check(replace(SPOUSE, nationality="TW")) == {
        "document_type": "document.type_not_for_nationality"}


def test_r6_5_child_with_permit_and_no_identity_card_goes_to_manual_review():
    assert rules.is_manual_review_case(PERMIT_CHILD, TODAY)
    with_card = replace(PERMIT_CHILD, no_mainland_id=False,
                        mainland_id_number=id_card(date(2018, 2, 3), sequence="124"))
    assert check(with_card) == {}
    assert not rules.is_manual_review_case(with_card, TODAY)
    assert not rules.is_manual_review_case(CHILD, TODAY)


def test_r6_5_permit_holder_old_enough_for_an_identity_card_must_give_it():
    adult = replace(PERMIT_CHILD, relation="parent", category="underlying_illness",
                    date_of_birth=date(1960, 1, 1))
    assert check(adult) == {"mainland_id_number": "cohabitant.id_card_required"}
    assert not rules.is_manual_review_case(adult, TODAY)
    assert check(replace(PERMIT_CHILD, no_mainland_id=False)) == {
        "mainland_id_number": "cohabitant.id_card_required"}


def test_identity_card_given_must_agree_with_birth_date_and_sex():
    card = id_card(date(2018, 2, 4), sequence="124")
    assert check(replace(PERMIT_CHILD, no_mainland_id=False, mainland_id_number=card)) == {
        "mainland_id_number": "person.birth_date_mismatch"}
    assert check(replace(PERMIT_CHILD, no_mainland_id=False,
                         mainland_id_number="44030520180203124")) == {
        "mainland_id_number": "document.id_card_invalid"}


def test_identity_card_as_the_cohabitants_document():
    born = date(2019, 9, 9)
    c = replace(PERMIT_CHILD, document_type=docs.CN_ID_CARD, document_number=id_card(born),
                date_of_birth=born, sex="male", no_mainland_id=False)
    assert check(c) == {}
    assert check(replace(c, sex="female")) == {"sex": "person.sex_mismatch"}
