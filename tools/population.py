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
# Residence codes of identity cards; profile checks a card with python-stdnum, which knows when
# each code existed (Shenzhen's districts are younger than many of their residents), so a code
# is used only if it was valid in the birth year, else one that always was (STABLE_REGIONS).
REGION_CODES = ("440303", "440304", "440305", "440306", "440307", "440308", "440309", "440104",
                "440106", "450103", "350203", "110101", "310101")
STABLE_REGIONS = ("110101", "110102", "110105", "110108", "310101", "310104", "310105",
                  "120101")
_RIC_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_RIC_CHECK = "10X98765432"
_PERMIT_LETTERS = [c for c in string.ascii_uppercase if c not in "IO"]


def ric_check_character(first17: str) -> str:
    """ISO 7064 MOD 11-2 check character of a mainland identity card (rules.md Appendix A)."""
    return _RIC_CHECK[sum(int(d) * w for d, w in zip(first17, _RIC_WEIGHTS, strict=True)) % 11]


def _region_valid(number: str) -> bool:
    from stdnum.cn import ric

    try:
        return bool(ric.is_valid(number))
    except KeyError:  # stdnum 2.2 raises for some codes
        return False


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


@dataclass(frozen=True)
class Person:
    name: str
    sex: str  # "male" / "female" (profile's codes)
    date_of_birth: date
    nationality: str
    document_type: str
    document_number: str
    relation: str | None = None  # for cohabitants: spouse / child / parent / ...
    # a mainland resident on a 往来港澳通行证 also has an identity card (profile asks for it, R6.5)
    id_card_number: str | None = None

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


# identity's document type codes (docs/identity.md); cn_id_card only for cohabitants
HK_MACAO_PERMIT = "hk_macao_resident_permit"
MAINLAND_TRAVEL_PERMIT = "mainland_travel_permit"
TAIWAN_PERMIT = "taiwan_resident_permit"
CN_PASSPORT = "cn_passport"
PASSPORT = "passport"
CN_ID_CARD = "cn_id_card"
DOCUMENT_TYPES = (HK_MACAO_PERMIT, MAINLAND_TRAVEL_PERMIT, TAIWAN_PERMIT, CN_PASSPORT, PASSPORT)


class Population:
    # (nationality, document type, share of applicants): most are Hong Kong residents; a few
    # foreign permanent residents of Hong Kong hold the HA form of the 回乡证.
    MIX = (("HK", HK_MACAO_PERMIT, 0.61), ("MO", HK_MACAO_PERMIT, 0.05),
           ("CN", MAINLAND_TRAVEL_PERMIT, 0.18), ("TW", TAIWAN_PERMIT, 0.05),
           ("CN", CN_PASSPORT, 0.04), ("US", PASSPORT, 0.02),
           ("GB", PASSPORT, 0.02), ("PH", PASSPORT, 0.02), ("IN", HK_MACAO_PERMIT, 0.01))

    def __init__(self, seed: int = 1, today: date | None = None):
        self.random = random.Random(seed)
        self.today = today or date(2026, 12, 3)
        self._used: set[tuple[str, str]] = set()

    # -- documents -------------------------------------------------------------------------
    def document_number(self, document_type: str, nationality: str) -> str:
        """A number of today's format (rules.md Appendix A), unique in this population."""
        r = self.random
        while True:
            if document_type == HK_MACAO_PERMIT:
                letter = "M" if nationality == "MO" else "H"
                if nationality in ("HK", "MO"):
                    number = letter + f"{r.randrange(10**8):08d}"
                else:  # non-Chinese permanent resident: HA/MA + 7 digits
                    number = letter + "A" + f"{r.randrange(10**7):07d}"
            elif document_type == MAINLAND_TRAVEL_PERMIT:
                form = r.random()
                if form < 0.6:
                    number = "C" + r.choice(_PERMIT_LETTERS) + f"{r.randrange(10**7):07d}"
                elif form < 0.9:
                    number = "C" + f"{r.randrange(10**8):08d}"
                else:
                    number = "W" + f"{r.randrange(10**8):08d}"
            elif document_type == TAIWAN_PERMIT:
                number = f"{r.randrange(10**8):08d}"
            elif document_type == CN_PASSPORT:
                form = r.random()
                if form < 0.5:
                    number = "E" + r.choice(_PERMIT_LETTERS) + f"{r.randrange(10**7):07d}"
                elif form < 0.8:
                    number = "E" + f"{r.randrange(10**8):08d}"
                elif form < 0.95:
                    number = "G" + f"{r.randrange(10**8):08d}"
                else:
                    number = r.choice(("PE", "SE", "DE")) + f"{r.randrange(10**7):07d}"
            elif document_type == PASSPORT:
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
                (1, 3, 5, 7, 9) if sex == "male" else (0, 2, 4, 6, 8))
            first17 = f"{self.random.choice(REGION_CODES)}{born:%Y%m%d}{sequence:03d}"
            number = first17 + ric_check_character(first17)
            if not _region_valid(number):
                first17 = f"{STABLE_REGIONS[sequence % len(STABLE_REGIONS)]}{first17[6:]}"
                number = first17 + ric_check_character(first17)
            if (CN_ID_CARD, number) not in self._used:
                self._used.add((CN_ID_CARD, number))
                return number

    # -- people ----------------------------------------------------------------------------
    def name(self) -> str:
        return self.random.choice(SURNAMES) + "".join(
            self.random.choice(GIVEN) for _ in range(self.random.choice((1, 2))))

    def birth_date(self, min_age: int, max_age: int) -> date:
        """Someone of min_age..max_age full years on `today` (calendar years, not 365 days:
        a parent of "70" must really be 70 for R6.1)."""
        age = self.random.randint(min_age, max_age)
        latest = _years_before(self.today, age)            # turns `age` today
        earliest = _years_before(self.today, age + 1) + timedelta(days=1)
        # one float whatever the span, so the stream (and so every document number) does not
        # depend on `today`: the demo run again on another day finds the same people
        span = (latest - earliest).days + 1
        return earliest + timedelta(days=min(int(self.random.random() * span), span - 1))

    def person(self, min_age: int = 18, max_age: int = 69, nationality: str | None = None,
               document_type: str | None = None, relation: str | None = None,
               sex: str | None = None) -> Person:
        if nationality is None:
            nationality, document_type = self._pick_mix()
        sex = sex or self.random.choice(("male", "female"))
        born = self.birth_date(min_age, max_age)
        if document_type == CN_ID_CARD:
            number = self.identity_card(born, sex)
            return Person(name=self.name(), sex=sex, date_of_birth=born, nationality=nationality,
                          document_type=CN_ID_CARD, document_number=number, relation=relation)
        id_card = self.identity_card(born, sex) if document_type == MAINLAND_TRAVEL_PERMIT else None
        return Person(name=self.name(), sex=sex, date_of_birth=born,
                      nationality=nationality, document_type=document_type,
                      document_number=self.document_number(document_type, nationality),
                      relation=relation, id_card_number=id_card)

    def _pick_mix(self) -> tuple[str, str]:
        roll, total = self.random.random(), 0.0
        for nationality, document_type, share in self.MIX:
            total += share
            if roll <= total:
                return nationality, document_type
        return self.MIX[0][0], self.MIX[0][1]

    def party(self) -> Party:
        """Sizes 1–4 in proportions like the real system's (most travel alone). Cohabitants are
        the applicant's spouse, children of 14 or under and parents of 70 or over (R6.1, R6.2),
        with documents of the applicant's kind; a mainland family's child may be on an
        identity card (cn_id_card, cohabitants only)."""
        size = self.random.choices((1, 2, 3, 4), weights=(55, 25, 12, 8))[0]
        applicant = self.person(25, 60)
        party = Party(applicant)
        kind = dict(nationality=applicant.nationality, document_type=applicant.document_type)
        if size >= 2:
            spouse_sex = "female" if applicant.sex == "male" else "male"
            party.cohabitants.append(self.person(25, 60, relation="spouse", sex=spouse_sex, **kind))
        while party.size < size:
            if self.random.random() < 0.8:
                child_kind = kind
                if applicant.nationality == "CN" and self.random.random() < 0.5:
                    child_kind = dict(nationality="CN", document_type=CN_ID_CARD)
                party.cohabitants.append(self.person(1, 14, relation="child", **child_kind))
            else:
                party.cohabitants.append(self.person(70, 90, relation="parent", **kind))
        return party

    def chosen_dates(self, dates: list[date]) -> list[date]:
        count = self.random.choices((1, 2, 3, 4, 5, 6), weights=(20, 15, 15, 15, 15, 20))[0]
        return sorted(self.random.sample(dates, count))
