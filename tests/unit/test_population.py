from datetime import date

from tools.population import Population, ric_check_character


def test_identity_card_check_character_matches_the_published_example():
    # GB 11643 example number 11010519491231002X
    assert ric_check_character("11010519491231002") == "X"


def test_population_is_reproducible_and_documents_are_unique():
    first = [p.applicant.document_number for p in (Population(seed=3).party() for _ in range(1))]
    again = [p.applicant.document_number for p in (Population(seed=3).party() for _ in range(1))]
    assert first == again
    pop = Population(seed=5)
    parties = [pop.party() for _ in range(2000)]
    keys = [person.key for party in parties for person in party.people]
    assert len(keys) == len(set(keys))
    assert {party.size for party in parties} == {1, 2, 3, 4}


def test_children_are_fourteen_or_under_and_parents_seventy_or_over():
    pop = Population(seed=9, today=date(2026, 12, 3))
    for _ in range(500):
        for person in pop.party().cohabitants:
            age = (date(2026, 12, 3) - person.date_of_birth).days // 365
            if person.relation == "child":
                assert age <= 14
            if person.relation == "parent":
                assert age >= 70


def test_applicants_documents_conform_to_identitys_rules_of_every_type():
    """R2.2 / Appendix A: every generated applicant could register today (identity's own
    check), so an imported demo account is never a legacy-update account (R3.1)."""
    from services.identity.domain import documents

    pop = Population(seed=4, today=date(2026, 12, 3))
    parties = [pop.party() for _ in range(3000)]
    for party in parties:
        person = party.applicant
        assert documents.conforms(person.nationality, person.document_type,
                                  person.document_number), person
    assert {p.applicant.document_type for p in parties} == {
        "hk_macao_resident_permit", "mainland_travel_permit", "taiwan_resident_permit",
        "cn_passport", "passport"}
    numbers = {p.applicant.document_number for p in parties}
    assert any(n.startswith("HA") for n in numbers) and any(n.startswith("M") for n in numbers)


def test_cohabitants_pass_profiles_checks_r6_1_r6_2_r6_5():
    """Profile's own validation accepts every generated cohabitant: relation and age category
    agree (R6.1/R6.2), a 往来港澳通行证 holder brings a valid identity card (R6.5), identity
    cards (cn_id_card) agree with birth date and sex."""
    from services.profile.domain import cohabitants as rules

    today = date(2026, 12, 3)
    pop = Population(seed=6, today=today)
    seen_types = set()
    for _ in range(2000):
        party = pop.party()
        applicant = rules.Applicant(party.applicant.document_type,
                                    party.applicant.document_number,
                                    party.applicant.date_of_birth)
        others: list = []
        for c in party.cohabitants:
            seen_types.add(c.document_type)
            given = rules.CohabitantInput(
                name=c.name, sex=c.sex, nationality=c.nationality, document_type=c.document_type,
                document_number=c.document_number, document_expiry=date(2031, 1, 1),
                date_of_birth=c.date_of_birth, relation=c.relation,
                category=category_of(c.relation), mainland_id_number=c.id_card_number)
            assert rules.validate_cohabitant(given, today, applicant, others) == {}, c
            others.append(rules.Existing(str(len(others)), c.document_type, c.document_number,
                                         c.relation))
    assert "cn_id_card" in seen_types and "mainland_travel_permit" in seen_types


def category_of(relation: str) -> str:
    return {"spouse": "married_couple", "child": "child_14_under",
            "parent": "elderly_70_plus"}[relation]


def test_the_same_seed_gives_the_same_documents_on_another_day():
    """The demo run again later (another `today`) finds the same accounts and skips them."""
    def documents(today):
        pop = Population(seed=8, today=today)
        return [person.key for _ in range(300) for person in pop.party().people
                if person.document_type != "cn_id_card"]
    assert documents(date(2026, 12, 3)) == documents(date(2028, 2, 29))
