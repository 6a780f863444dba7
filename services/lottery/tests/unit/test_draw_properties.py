"""Property tests of the draw over random periods (R8.1-R8.3), and a literal reimplementation of
docs/draw-algorithm.md to check the reference implementation against."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from services.lottery.domain.draw import MAX_OVERFLOW, DateBatch, Entry, draw_period, rank_key

pytestmark = pytest.mark.slow  # hypothesis: a few seconds each


@st.composite
def periods(draw):
    people = [f"person{i}" for i in range(draw(st.integers(1, 40)))]
    dates = sorted(draw(st.sets(st.sampled_from(
        [f"2026-12-{d:02d}" for d in range(4, 10)]), min_size=1, max_size=6)))
    batches, number = [], 0
    for date in dates:
        entries = []
        for _ in range(draw(st.integers(0, 18))):
            persons = tuple(draw(st.lists(st.sampled_from(people), min_size=1, max_size=4,
                                          unique=True)))
            number += 1
            entries.append(Entry(f"{draw(st.sampled_from('ABCXYZ'))}{number:06d}", persons))
        batches.append(DateBatch(date, draw(st.integers(0, 30)), entries))
    seed = draw(st.binary(min_size=32, max_size=32))
    return seed, batches


def literal_draw(seed, batches):
    """The pseudo-code of docs/draw-algorithm.md, written as plainly as possible."""
    won, out = set(), {}
    for batch in sorted(batches, key=lambda b: b.date):
        order = sorted(batch.entries, key=lambda e: (
            int.from_bytes(rank_key(seed, batch.date, e.application_number), "big"),
            e.application_number))
        filled, winners = 0, []
        for entry in order:
            if filled >= batch.places:
                break
            if any(p in won for p in entry.persons):
                continue
            winners.append(entry.application_number)
            filled += len(entry.persons)
            won.update(entry.persons)
        out[batch.date] = (winners, filled)
    return out


@settings(max_examples=120, deadline=None)
@given(periods())
def test_overflow_never_exceeds_three_people_R8_3(period):
    seed, batches = period
    for result in draw_period(seed, batches):
        assert result.winners_people - result.places <= MAX_OVERFLOW
        assert result.overflow <= 3


@settings(max_examples=120, deadline=None)
@given(periods())
def test_a_person_wins_at_most_once_per_period_R8_2(period):
    seed, batches = period
    entries = {e.application_number: e for b in batches for e in b.entries}
    seen = []
    for result in draw_period(seed, batches):
        for number in result.winners:
            seen.extend(entries[number].persons)
    assert len(seen) == len(set(seen))


@settings(max_examples=120, deadline=None)
@given(periods())
def test_places_are_used_unless_only_skipped_entries_remain_R8_3(period):
    seed, batches = period
    results = draw_period(seed, batches)
    for batch, result in zip(sorted(batches, key=lambda b: b.date), results, strict=True):
        entries = {e.application_number: e for e in batch.entries}
        # every winner was accepted while the date was not yet full
        filled = 0
        for number in result.winners:
            assert filled < batch.places
            filled += entries[number].people
        assert filled == result.winners_people
        if result.winners_people < batch.places:
            losers = set(entries) - set(result.winners)
            assert losers == set(result.skipped)


@settings(max_examples=120, deadline=None)
@given(periods())
def test_matches_the_documented_algorithm_and_ignores_input_order_R8_1(period):
    seed, batches = period
    expected = literal_draw(seed, batches)
    shuffled = [DateBatch(b.date, b.places, random.Random(7).sample(list(b.entries),
                                                                    len(b.entries)))
                for b in reversed(batches)]
    for results in (draw_period(seed, batches), draw_period(seed, shuffled)):
        assert {r.date: (r.winners, r.winners_people) for r in results} == expected
