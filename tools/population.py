"""A realistic, reproducible population for the demo and the benchmarks: people with valid
document numbers of every type, parties of 1–4 (applicant + up to 3 cohabitants related as R6.2
allows), and their choice of 1–6 dates.

    from tools.population import Population
    pop = Population(seed=7)
    party = pop.party()          # Party(applicant=Person(...), cohabitants=[...])
"""

from __future__ import annotations

import random
import string
from dataclasses import dataclass, field
from datetime import date, timedelta

SURNAMES = ("陈林黄张李王吴刘蔡杨许郑谢郭洪曾邱廖赖徐周叶苏庄"
            "吕江何萧罗高潘简朱钟彭游詹胡施沈余卢梁赵颜柯翁魏孙戴")
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红文辉建国志宏嘉欣子轩浩然梓涵一诺雨桐思远"
REGION_CODES = ("440304", "440305", "440306", "440307", "440308", "440309", "110101", "310101",
                "440103", "440106", "450102", "350203")
_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RIC_CHECK = "10X98765432"
_PERMIT_LETTERS = [c for c in string.ascii_uppercase if c not in "IO"]


def ric_check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a mainland identity card (rules.md Appendix A)."""
    return _RIC_CHECK[sum(int(d) * w for d, w in zip(first17, _RIC_WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class Person:
    name: str
    sex: str  # "M" / "F"
    date_of_birth: date
    nationality: str
    document_type: str
    document_number: str
    relation: str | None = None  # for cohabitants: spouse / child / parent / ...

    @property
    def key(self) -> tuple[str, str]:
        return (self.document_type, self.document_number)


@dataclass
class Party:
    applicant: Person
    cohabitants: list[Person] = field(default_factory=list)

    @property
    def size(self) -> int:
        return 1 + len(self.cohabitants)

    @property
    def people(self) -> list[Person]:
        return [self.applicant, *self.cohabitants]


class Population:
    # (nationality, document type, share of applicants): most are Hong Kong residents.
    MIX = (("HK", "hk_macau_permit", 0.62), ("MO", "hk_macau_permit", 0.05),
           ("CN", "mainland_travel_permit", 0.18), ("TW", "taiwan_permit", 0.05),
           ("CN", "cn_passport", 0.04), ("US", "foreign_passport", 0.02),
           ("GB", "foreign_passport", 0.02), ("PH", "foreign_passport", 0.02))

    def __init__(self, seed: int = 1, today: date | None = None):
        self.random = random.Random(seed)
        self.today = today or date(2026, 12, 3)
        self._used: set[tuple[str, str]] = set()

    # -- documents -------------------------------------------------------------------------
    def document_number(self, document_type: str, nationality: str) -> str:
        r = self.random
        while True:
            if document_type == "hk_macau_permit":
                number = ("H" if nationality == "HK" else "M") + f"{r.randrange(10**8):08d}"
            elif document_type == "mainland_travel_permit":
                number = "C" + r.choice(_PERMIT_LETTERS) + f"{r.randrange(10**7):07d}"
            elif document_type == "taiwan_permit":
                number = f"{r.randrange(10**8):08d}"
            elif document_type == "cn_passport":
                number = "E" + f"{r.randrange(10**8):08d}"
            elif document_type == "foreign_passport":
                number = "".join(r.choice(string.ascii_uppercase) for _ in range(2)) + \
                    f"{r.randrange(10**7):07d}"
            else:
                raise ValueError(document_type)
            if (document_type, number) not in self._used:
                self._used.add((document_type, number))
                return number

    def identity_card(self, born: date, sex: str) -> str:
        while True:
            sequence = self.random.randrange(100) * 10 + self.random.choice(
                (1, 3, 5, 7, 9) if sex == "M" else (0, 2, 4, 6, 8))
            first17 = f"{self.random.choice(REGION_CODES)}{born:%Y%m%d}{sequence:03d}"
            number = first17 + ric_check_character(first17)
            if ("mainland_id_card", number) not in self._used:
                self._used.add(("mainland_id_card", number))
                return number

    # -- people ----------------------------------------------------------------------------
    def name(self) -> str:
        return self.random.choice(SURNAMES) + "".join(
            self.random.choice(GIVEN) for _ in range(self.random.choice((1, 2))))

    def birth_date(self, min_age: int, max_age: int) -> date:
        days = self.random.randrange(min_age * 365 + 1, max_age * 365 + 300)
        return self.today - timedelta(days=days)

    def person(self, min_age: int = 18, max_age: int = 69, nationality: str | None = None,
               document_type: str | None = None, relation: str | None = None,
               sex: str | None = None) -> Person:
        if nationality is None:
            nationality, document_type = self._pick_mix()
        sex = sex or self.random.choice("MF")
        return Person(name=self.name(), sex=sex, date_of_birth=self.birth_date(min_age, max_age),
                      nationality=nationality, document_type=document_type,
                      document_number=self.document_number(document_type, nationality),
                      relation=relation)

    def _pick_mix(self) -> tuple[str, str]:
        roll, total = self.random.random(), 0.0
        for nationality, document_type, share in self.MIX:
            total += share
            if roll <= total:
                return nationality, document_type
        return self.MIX[0][0], self.MIX[0][1]

    def party(self) -> Party:
        """Sizes 1–4 in proportions like the real system's (most travel alone)."""
        size = self.random.choices((1, 2, 3, 4), weights=(55, 25, 12, 8))[0]
        applicant = self.person(25, 60)
        party = Party(applicant)
        kind = dict(nationality=applicant.nationality, document_type=applicant.document_type)
        if size >= 2:
            spouse_sex = "F" if applicant.sex == "M" else "M"
            party.cohabitants.append(self.person(25, 60, relation="spouse", sex=spouse_sex, **kind))
        while party.size < size:
            if self.random.random() < 0.8:
                party.cohabitants.append(self.person(1, 14, relation="child", **kind))
            else:
                party.cohabitants.append(self.person(70, 90, relation="parent", **kind))
        return party

    def chosen_dates(self, dates: list[date]) -> list[date]:
        count = self.random.choices((1, 2, 3, 4, 5, 6), weights=(20, 15, 15, 15, 15, 20))[0]
        return sorted(self.random.sample(dates, count))
