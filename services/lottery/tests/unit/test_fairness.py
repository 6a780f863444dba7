"""Statistical fairness of the draw (R8.1, R8.4): the chance of winning does not depend on when or
in which order an application was submitted, on the shape of its number, or on the date's
position; and a date's ranking says nothing about another date's.

Seeds are fixed (sha256 of a label), so the tests are reproducible; the significance level is
0.001. Each test also runs a deliberately biased ranking through the same statistic and asserts it
is detected (p < 1e-6), which shows the test can fail.
"""

import hashlib
import hmac

from services.lottery.domain.draw import DateBatch, Entry, draw_date, draw_period, rank_key
from services.lottery.tests.unit.stats import chi_square_homogeneity, chi_square_uniform

ALPHA = 0.001
DETECTED = 1e-6
DATE = "2026-12-04"


def seeds(label: str, n: int):
    return [hashlib.sha256(f"{label}-{i}".encode()).digest() for i in range(n)]


def numbers(n: int, label: str):
    """Random-looking application numbers, listed in submission order."""
    return [hashlib.sha256(f"{label}{i}".encode()).hexdigest()[:12].upper() for i in range(n)]


def wins_by_submission_decile(rank, trials=300, applications=400, places=100):
    ordered = numbers(applications, "order")
    entries = [Entry(n, (f"p{i}",)) for i, n in enumerate(ordered)]
    counts = [0] * 10
    for seed in seeds("order", trials):
        for number in draw_date(seed, DateBatch(DATE, places, entries), set(), rank).winners:
            counts[ordered.index(number) * 10 // applications] += 1
    return counts


def test_winning_does_not_depend_on_submission_order_R8_1():
    assert chi_square_uniform(wins_by_submission_decile(rank_key)) > ALPHA


def test_a_ranking_biased_by_submission_order_is_detected():
    # the flaw of a coarse random value with ties broken by submission time
    position = {n: i for i, n in enumerate(numbers(400, "order"))}

    def coarse_then_first_come(seed, date, number):
        return bytes([rank_key(seed, date, number)[0] >> 4]) + position[number].to_bytes(4, "big")

    assert chi_square_uniform(wins_by_submission_decile(coarse_then_first_come)) < DETECTED


SHAPES = {  # prefixes of differently shaped application numbers
    "letter": lambda i: f"A{i:09d}",
    "digit": lambda i: f"9{i:09d}",
    "short": lambda i: f"{i:x}",
    "long": lambda i: f"Z{i:020d}",
    "lower": lambda i: f"zz{i:07d}",
}


def wins_by_shape(rank, trials=200, per_shape=80, places=100):
    entries, shape_of = [], {}
    for shape, make in SHAPES.items():
        for i in range(per_shape):
            number = make(i * 7919 + len(shape))
            shape_of[number] = shape
            entries.append(Entry(number, (f"{shape}{i}",)))
    wins = dict.fromkeys(SHAPES, 0)
    for seed in seeds("shape", trials):
        for number in draw_date(seed, DateBatch(DATE, places, entries), set(), rank).winners:
            wins[shape_of[number]] += 1
    return list(wins.values()), [per_shape * trials] * len(SHAPES)


def test_winning_does_not_depend_on_the_application_number_shape_R8_4():
    assert chi_square_homogeneity(*wins_by_shape(rank_key)) > ALPHA


def test_a_ranking_that_favours_a_number_shape_is_detected():
    def lexicographic_first(seed, date, number):  # e.g. sorting numbers before shuffling
        return number[:1].encode() + rank_key(seed, date, number)

    assert chi_square_homogeneity(*wins_by_shape(lexicographic_first)) < DETECTED


def test_winning_does_not_depend_on_the_date_position_R8_1():
    # six dates with equal places and equal, separate pools: each date's entries win alike
    dates = [f"2026-12-{d:02d}" for d in range(4, 10)]
    batches = [DateBatch(date, 40, [Entry(f"{date}-{i}", (f"{date}/p{i}",)) for i in range(160)])
               for date in dates]
    counts = [0] * len(dates)
    for seed in seeds("date", 200):
        for index, result in enumerate(draw_period(seed, batches)):
            counts[index] += result.winners_people
    assert chi_square_uniform(counts) > ALPHA


def top_half_on_both_dates(rank, trials=200, parties=200):
    """2x2 table: is a party in the top half of date 1 and of date 2 (it applied to both)?"""
    table = [[0, 0], [0, 0]]
    for seed in seeds("independent", trials):
        halves = []
        for date in ("2026-12-04", "2026-12-05"):
            order = sorted(range(parties), key=lambda p, d=date: rank(seed, d, f"{d}:{p}"))
            top = set(order[: parties // 2])
            halves.append([p in top for p in range(parties)])
        for p in range(parties):
            table[halves[0][p]][halves[1][p]] += 1
    # independence with halves fixed at 1/2 each: the four cells are equally likely
    return [table[0][0], table[0][1], table[1][0], table[1][1]]


def test_a_date_ranking_is_independent_of_another_dates_ranking_R8_1():
    assert chi_square_uniform(top_half_on_both_dates(rank_key)) > ALPHA


def test_a_ranking_keyed_by_party_instead_of_date_and_number_is_detected():
    def same_luck_every_day(seed, date, number):  # the party's luck carries over to all dates
        return hmac.digest(seed, number.split(":")[1].encode(), "sha256")

    assert chi_square_uniform(top_half_on_both_dates(same_luck_every_day)) < DETECTED
