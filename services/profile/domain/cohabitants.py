"""Cohabitants (同住人), R6.1-R6.6: who may share the room, and the checks on what is declared.

Decided here (rules.md leaves it open):
- The age categories of R6.1 (70 and over, 14 and under) are the reason the *party* shares a
  room, so they hold when either the cohabitant or the applicant is of that age (a 75-year-old
  may bring an adult child). Ages are full years on today's date in Beijing time.
- "married_couple" needs the relation "spouse"; a party has at most one spouse.
- A cohabitant on a 往来港澳通行证 is a mainland resident and gives the identity card number;
  only a child under 16 (the age from which the card is compulsory) may state that they have
  none, and that is the R6.5 case: manual review.
- R6.6: the other categories are recorded as declared; hotel staff decide on arrival.
- R6.2 relations against the birth dates: only what no real family breaks is checked. A child
  or grandchild is not older than the applicant, a parent or grandparent not younger (the same
  birthday is let through). Age *gaps* are not checked (adoptive and step families have small
  ones), nor a spouse's age (marriage ages differ between countries), nor a grandparent against
  a parent (the system does not know the applicant's parents).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from services.profile.domain import documents as docs
from services.profile.domain.person import (
    SEXES,
    age_on,
    birth_date_problem,
    document_consistency,
    expiry_problem,
    name_problem,
)
from shared.nationalities import NATIONALITY_CODES

MAX_COHABITANTS = 3  # R6.2
ELDERLY_AGE = 70     # R6.1
CHILD_MAX_AGE = 14   # R6.1 "14周岁及以下"
ID_CARD_COMPULSORY_AGE = 16

# R6.2: direct relatives only, as the cohabitant is related to the applicant.
RELATIONS = ("spouse", "parent", "child", "paternal_grandparent", "maternal_grandparent",
             "grandchild_via_son", "grandchild_via_daughter")
ANCESTORS = ("parent", "paternal_grandparent", "maternal_grandparent")
DESCENDANTS = ("child", "grandchild_via_son", "grandchild_via_daughter")
# R6.1
ELDERLY, CHILD, MARRIED = "elderly_70_plus", "child_14_under", "married_couple"
CATEGORIES = (ELDERLY, CHILD, "pregnant_or_postpartum", "underlying_illness",
              "psychologist_unfit", "sudden_illness_history", "police_unfit", MARRIED)


@dataclass(frozen=True)
class CohabitantInput:
    name: str
    sex: str
    nationality: str
    document_type: str
    document_number: str          # normalized
    document_expiry: date
    date_of_birth: date
    relation: str
    category: str
    mainland_id_number: str | None = None   # normalized; only with a 往来港澳通行证
    no_mainland_id: bool = False


@dataclass(frozen=True)
class Applicant:
    """What the cohabitant rules need to know about the account holder."""
    document_type: str | None
    document_number: str | None
    date_of_birth: date | None


@dataclass(frozen=True)
class Existing:
    cohabitant_id: str
    document_type: str
    document_number: str
    relation: str


def room_left(existing_count: int) -> str | None:
    """R6.2: at most 3 cohabitants."""
    return "cohabitants.too_many" if existing_count >= MAX_COHABITANTS else None


def category_problem(category: str, cohabitant_age: int, applicant_age: int | None) -> str | None:
    ages = [cohabitant_age] + ([applicant_age] if applicant_age is not None else [])
    if category == ELDERLY and max(ages) < ELDERLY_AGE:
        return "cohabitant.category_elderly_age"
    if category == CHILD and min(ages) > CHILD_MAX_AGE:
        return "cohabitant.category_child_age"
    return None


def relation_age_problem(relation: str, cohabitant_born: date,
                         applicant_born: date | None) -> str | None:
    """R6.2: a descendant born before the applicant, or an ancestor after, cannot be right."""
    if applicant_born is None:
        return None
    if relation in DESCENDANTS and cohabitant_born < applicant_born:
        return "cohabitant.descendant_older"
    if relation in ANCESTORS and cohabitant_born > applicant_born:
        return "cohabitant.ancestor_younger"
    return None


def is_manual_review_case(c: CohabitantInput, today: date) -> bool:
    """R6.5: a child on a 往来港澳通行证 with no mainland identity card."""
    return (c.document_type == docs.EXIT_ENTRY_PERMIT and c.no_mainland_id
            and not c.mainland_id_number
            and age_on(c.date_of_birth, today) < ID_CARD_COMPULSORY_AGE)


def validate_cohabitant(c: CohabitantInput, today: date, applicant: Applicant,
                        others: list[Existing]) -> dict[str, str]:
    """Every rule of R6.1/R6.2 (and R4.3's checks, R6.4) the form can break. `others` are the
    account's other cohabitants (the one being edited excluded)."""
    errors: dict[str, str] = {}
    if problem := name_problem(c.name):
        errors["name"] = problem
    if c.sex not in SEXES:
        errors["sex"] = "field.one_of"
    if c.nationality not in NATIONALITY_CODES:
        errors["nationality"] = "cohabitant.nationality_unknown"
    if c.relation not in RELATIONS:
        errors["relation"] = "cohabitant.relation_not_allowed"
    if c.category not in CATEGORIES:
        errors["category"] = "field.one_of"
    if c.document_type not in docs.DOCUMENT_TYPES:
        errors["document_type"] = "field.one_of"
    elif not docs.nationality_allows(c.nationality, c.document_type):
        errors["document_type"] = "document.type_not_for_nationality"
    elif problem := docs.number_problem(c.document_type, c.document_number):
        errors["document_number"] = problem
    if problem := expiry_problem(c.document_expiry, today):
        errors["document_expiry"] = problem
    if problem := birth_date_problem(c.date_of_birth, today):
        errors["date_of_birth"] = problem

    if "document_number" not in errors and "document_type" not in errors:
        for name, key in document_consistency(c.document_type, c.document_number,
                                              c.date_of_birth, c.sex).items():
            errors.setdefault(name, key)
        if (c.document_type, c.document_number) == (applicant.document_type,
                                                     applicant.document_number):
            errors["document_number"] = "cohabitant.is_applicant"
        elif any((o.document_type, o.document_number) == (c.document_type, c.document_number)
                 for o in others):
            errors["document_number"] = "cohabitant.duplicate"

    if "date_of_birth" not in errors:
        age = age_on(c.date_of_birth, today)
        applicant_age = (age_on(applicant.date_of_birth, today)
                         if applicant.date_of_birth else None)
        if c.category in CATEGORIES and (problem := category_problem(c.category, age,
                                                                    applicant_age)):
            errors["category"] = problem
        if c.document_type == docs.EXIT_ENTRY_PERMIT:
            errors.update(_mainland_id_errors(c, age))
        if c.relation in RELATIONS and (problem := relation_age_problem(
                c.relation, c.date_of_birth, applicant.date_of_birth)):
            errors.setdefault("relation", problem)

    if c.category == MARRIED and c.relation in RELATIONS and c.relation != "spouse":
        errors.setdefault("category", "cohabitant.married_needs_spouse")
    if c.relation == "spouse" and any(o.relation == "spouse" for o in others):
        errors.setdefault("relation", "cohabitant.one_spouse")
    return errors


def _mainland_id_errors(c: CohabitantInput, age: int) -> dict[str, str]:
    if c.mainland_id_number:
        if not docs.id_card_is_valid(c.mainland_id_number):
            return {"mainland_id_number": "document.id_card_invalid"}
        found = document_consistency(docs.CN_ID_CARD, c.mainland_id_number,
                                     c.date_of_birth, c.sex)
        return {("mainland_id_number" if k == "date_of_birth" else k): v
                for k, v in found.items()}
    if c.no_mainland_id and age < ID_CARD_COMPULSORY_AGE:
        return {}
    return {"mainland_id_number": "cohabitant.id_card_required"}
