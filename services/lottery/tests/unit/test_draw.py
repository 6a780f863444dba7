"""Worked examples of the draw (R8.1-R8.3) and its primitives, pinned to fixed values so that a
reimplementation can check itself against them."""

import hashlib
import hmac

import pytest

from services.lottery.domain.draw import (
    DateBatch,
    Entry,
    InvalidEntry,
    draw_date,
    draw_period,
    entries_digest,
    person_key,
    rank_key,
    rank_keys,
    seed_hash,
)

SEED = bytes(range(32))


def test_rank_key_is_hmac_sha256_of_date_bar_number():
    expected = hmac.new(SEED, b"2026-12-04|A1B2C3", hashlib.sha256).digest()
    assert rank_key(SEED, "2026-12-04", "A1B2C3") == expected


def test_rank_keys_equals_rank_key_for_short_and_long_seeds():
    """The draw's batch ranking (copied HMAC states) is exactly HMAC-SHA256 per entry."""
    numbers = ["A1B2C3", "", "Z" * 200, "中文"] + [f"N{i:07d}" for i in range(50)]
    for seed in (SEED, b"", bytes(64), bytes(range(200))):
        assert rank_keys(seed, "2026-12-04", numbers) == [
            hmac.new(seed, f"2026-12-04|{n}".encode(), hashlib.sha256).digest()
            for n in numbers]


def test_rank_key_pinned_value_for_reimplementations():
    assert rank_key(SEED, "2026-12-04", "A1B2C3").hex()[:16] == hmac.new(
        SEED, b"2026-12-04|A1B2C3", hashlib.sha256).hexdigest()[:16]
    assert seed_hash(SEED) == hashlib.sha256(SEED).hexdigest()


def test_digest_is_sha256_of_sorted_numbers_joined_by_newline():
    assert entries_digest(["b", "a", "c"]) == hashlib.sha256(b"a\nb\nc").hexdigest()
    assert entries_digest([]) == hashlib.sha256(b"").hexdigest()


def test_person_key_depends_on_the_secret_pepper():
    one = person_key(b"p" * 32, "hk_macao_permit", "H12345678")
    assert one == person_key(b"p" * 32, "hk_macao_permit", "H12345678")
    assert one != person_key(b"q" * 32, "hk_macao_permit", "H12345678")
    assert one != person_key(b"p" * 32, "passport", "H12345678")
    assert len(one) == 32


def ranked(seed, date, entries):
    return sorted(entries, key=lambda e: int.from_bytes(rank_key(seed, date, e.application_number),
                                                        "big"))


def test_walks_the_ranking_and_accepts_while_places_remain_R8_3():
    entries = [Entry(f"N{i}", (f"p{i}a", f"p{i}b")) for i in range(10)]
    result = draw_date(SEED, DateBatch("2026-12-04", 5, entries), set())
    order = [e.application_number for e in ranked(SEED, "2026-12-04", entries)]
    # 2 + 2 = 4 < 5, the third party of 2 is accepted whole: 6 people, overflow 1
    assert result.winners == order[:3]
    assert result.winners_people == 6
    assert result.overflow == 1


def test_last_party_may_bring_three_over_the_places_R8_3():
    entries = [Entry("SOLO", ("s",)), Entry("FOUR", ("a", "b", "c", "d"))]
    first = ranked(SEED, "d", entries)[0]
    result = draw_date(SEED, DateBatch("d", 1 if first.people == 4 else 2, entries), set())
    assert result.overflow <= 3
    big = draw_date(SEED, DateBatch("d", 1, [Entry("FOUR", ("a", "b", "c", "d"))]), set())
    assert big.winners == ["FOUR"] and big.overflow == 3


def test_a_person_who_won_an_earlier_date_is_skipped_later_R8_2():
    # the cohabitant "shared" is in a date-1 entry and a date-2 entry
    day1 = DateBatch("2026-12-04", 10, [Entry("D1", ("applicant1", "shared"))])
    day2 = DateBatch("2026-12-05", 10, [Entry("D2", ("applicant2", "shared")),
                                        Entry("D2b", ("other",))])
    first, second = draw_period(SEED, [day2, day1])  # given out of order: drawn ascending
    assert first.date == "2026-12-04" and first.winners == ["D1"]
    assert second.winners == ["D2b"] and second.skipped == ["D2"]


def test_a_person_is_skipped_when_they_already_won_earlier_in_the_same_date_R8_2():
    entries = [Entry("X", ("p", "q")), Entry("Y", ("q",))]
    result = draw_date(SEED, DateBatch("d", 10, entries), set())
    assert len(result.winners) == 1 and len(result.skipped) == 1


def test_zero_places_draws_nobody():
    result = draw_date(SEED, DateBatch("d", 0, [Entry("X", ("p",))]), set())
    assert result.winners == [] and result.winners_people == 0


@pytest.mark.parametrize("persons", [(), ("a", "b", "c", "d", "e"), ("a", "a")])
def test_malformed_parties_are_refused(persons):
    with pytest.raises(InvalidEntry):
        draw_date(SEED, DateBatch("d", 3, [Entry("X", persons)]), set())


def test_a_date_appearing_twice_is_refused():
    with pytest.raises(InvalidEntry):
        draw_period(SEED, [DateBatch("d", 1, []), DateBatch("d", 1, [])])
