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
