from datetime import date, datetime, timedelta

import pytest

from services.booking.domain import numbers, rules
from services.booking.domain.rules import (
    DisablePolicy,
    Eligibility,
    Party,
    PastReservation,
    Person,
    Refusal,
)
from services.booking.domain.slip import SlipCodeInvalid, read_slip, sign_slip
from shared.clock import BEIJING

P = date(2026, 12, 4)


def at(hour, minute=0, day=P):
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def test_R7_1_window_opens_at_9_and_closes_at_18():
    assert not rules.window_is_open(at(8, 59))
    assert rules.window_is_open(at(9, 0))
    assert rules.window_is_open(at(17, 59))
    assert not rules.window_is_open(at(18, 0))


def test_R7_1_window_uses_beijing_time_whatever_the_zone_of_now():
    # 01:00 UTC is 09:00 in Beijing
    utc_nine_beijing = datetime(2026, 12, 4, 1, 0, tzinfo=__import__("datetime").UTC)
    assert rules.window_is_open(utc_nine_beijing)


def test_R7_1_refusal_says_when_the_window_opens():
    with pytest.raises(Refusal) as before:
        rules.require_window_open(at(8, 59))
    assert before.value.params["opens_at"] == "2026-12-04 09:00"
    with pytest.raises(Refusal) as after:
        rules.require_window_open(at(18, 0))
    assert after.value.params["opens_at"] == "2026-12-05 09:00"
    assert rules.require_window_open(at(9, 0)) == P


def test_R7_1_period_covers_the_six_following_days():
    assert rules.period_dates(P) == [P + timedelta(days=i) for i in range(1, 7)]


def test_R7_3_dates_must_be_of_the_period_and_distinct():
    with pytest.raises(Refusal):
        rules.validate_chosen_dates([], P)
    with pytest.raises(Refusal):
        rules.validate_chosen_dates([P], P)  # the period's own day is not bookable
    with pytest.raises(Refusal):
        rules.validate_chosen_dates([P + timedelta(days=7)], P)
    with pytest.raises(Refusal):
        rules.validate_chosen_dates([P + timedelta(days=1)] * 2, P)
    chosen = [P + timedelta(days=3), P + timedelta(days=1)]
    assert rules.validate_chosen_dates(chosen, P) == sorted(chosen)


def test_R7_2_available_is_capacity_minus_held_places():
    d1 = P + timedelta(days=1)
    view = rules.six_day_view(P, {d1: 100}, {d1: 30}, {d1: 7}, {d1: 12})
    assert len(view) == 6
    assert (view[0].available, view[0].applications, view[0].applicants) == (70, 7, 12)
    assert view[1].available == 0  # no capacity set yet


def approved(doc="H12345678", name="A"):
    return Person("hk_macao_permit", doc, name, "approved")


def party(*cohabitants, person=None):
    return Party("acc", person or approved(), tuple(cohabitants))


def test_R7_5_unapproved_person_or_cohabitant_refused():
    with pytest.raises(Refusal, match="booking.profile_missing"):
        rules.check_party_approved(None)
    with pytest.raises(Refusal, match="booking.person_not_approved"):
        rules.check_party_approved(party(person=Person("t", "n", "A", "pending")))
    with pytest.raises(Refusal, match="booking.cohabitant_not_approved"):
        rules.check_party_approved(party(Person("t", "m", "B", "manual_review")))
    rules.check_party_approved(party(approved("H00000001", "B")))


def test_R7_5_entry_within_14_days_refused_and_older_allowed():
    today = P
    assert rules.entry_blocks(today - timedelta(days=5), today)
    assert rules.entry_blocks(today - timedelta(days=14), today)
    assert not rules.entry_blocks(today - timedelta(days=15), today)
    cohabitant = approved("H00000001", "B")
    entries = {cohabitant.key: [today - timedelta(days=5)]}
    with pytest.raises(Refusal, match="booking.recent_entry") as refused:
        rules.check_recent_entries(party(cohabitant), entries, today)
    assert refused.value.params["name"] == "B"


def test_R12_3_two_no_shows_in_a_row_bar_for_14_days_day_15_accepted():
    second = date(2026, 12, 10)
    history = [PastReservation(date(2026, 12, 1), "no_show"), PastReservation(second, "no_show")]
    assert rules.no_show_ban_ends(history) == second + timedelta(days=14)
    for day_number in range(1, 15):  # day 1 is the day of the second no-show
        with pytest.raises(Refusal, match="booking.no_show_ban"):
            rules.check_no_show_ban(history, second + timedelta(days=day_number - 1))
    rules.check_no_show_ban(history, second + timedelta(days=14))  # day 15


def test_R12_3_a_used_reservation_breaks_the_streak_and_cancelled_ones_are_skipped():
    broken = [PastReservation(date(2026, 12, 1), "no_show"),
              PastReservation(date(2026, 12, 2), "used"),
              PastReservation(date(2026, 12, 3), "no_show")]
    assert rules.no_show_ban_ends(broken) is None
    skipped = [PastReservation(date(2026, 12, 1), "no_show"),
               PastReservation(date(2026, 12, 2), "cancelled"),
               PastReservation(date(2026, 12, 3), "no_show")]
    assert rules.no_show_ban_ends(skipped) == date(2026, 12, 17)
    assert rules.no_show_ban_ends([PastReservation(date(2026, 12, 3), "no_show")]) is None


def test_R12_4_disable_at_threshold_within_window_since_reinstatement():
    today = date(2026, 12, 30)
    policy = DisablePolicy(threshold=3, window_days=30)
    three = [today, today - timedelta(days=10), today - timedelta(days=29)]
    assert rules.should_disable(three, today, policy)
    assert not rules.should_disable(three[:2], today, policy)
    old = [today, today - timedelta(days=10), today - timedelta(days=30)]
    assert not rules.should_disable(old, today, policy)
    assert not rules.should_disable(three, today, policy, since=today - timedelta(days=5))
    assert rules.should_disable(three[:2], today, DisablePolicy(threshold=2))


def test_R12_2_cancel_until_end_of_D_minus_2():
    d = date(2026, 12, 10)
    rules.check_cancellable(d, "active", d - timedelta(days=2))
    with pytest.raises(Refusal, match="booking.cancel_too_late"):
        rules.check_cancellable(d, "active", d - timedelta(days=1))
    with pytest.raises(Refusal, match="booking.reservation_not_active"):
        rules.check_cancellable(d, "cancelled", d - timedelta(days=5))


def test_R12_1_slip_on_the_reserved_day_only():
    d = date(2026, 12, 10)
    rules.check_slip_day(d, "active", d)
    for other in (d - timedelta(days=1), d + timedelta(days=1)):
        with pytest.raises(Refusal, match="booking.slip_not_today"):
            rules.check_slip_day(d, "active", other)
    with pytest.raises(Refusal):
        rules.check_slip_day(d, "cancelled", d)


def test_R12_1_slip_code_verifies_and_fails_when_altered_forged_or_other_day():
    key, d = b"k" * 32, date(2026, 12, 10)
    code = sign_slip(key, "ABC", d, 3)
    assert read_slip(key, code, d)["party_size"] == 3
    with pytest.raises(SlipCodeInvalid, match="wrong_day"):
        read_slip(key, code, d + timedelta(days=1))
    with pytest.raises(SlipCodeInvalid, match="forged"):
        read_slip(b"x" * 32, code, d)
    payload, signature = code.split(".")
    altered = sign_slip(key, "ABC", d, 4).split(".")[0] + "." + signature
    with pytest.raises(SlipCodeInvalid, match="forged"):
        read_slip(key, altered, d)
    with pytest.raises(SlipCodeInvalid, match="malformed"):
        read_slip(key, "garbage", d)


def test_R7_5_eligibility_order_disabled_first_then_ban_then_entries():
    facts = Eligibility(party=party(), disabled_reason="booking.disabled.cancellations")
    with pytest.raises(Refusal, match="booking.account_disabled"):
        rules.check_eligibility(facts, P)
    facts = Eligibility(party=party(), past_reservations=[
        PastReservation(P - timedelta(days=3), "no_show"),
        PastReservation(P - timedelta(days=2), "no_show")])
    with pytest.raises(Refusal, match="booking.no_show_ban"):
        rules.check_eligibility(facts, P)
    assert rules.check_eligibility(Eligibility(party=party()), P).size == 1


def test_R7_6_numbers_are_well_formed_distinct_and_check_character_catches_typos():
    generated = {numbers.new_application_number() for _ in range(2000)}
    assert len(generated) == 2000
    number = next(iter(generated))
    assert numbers.is_well_formed(number)
    body = number[:-1]
    for i, char in enumerate(body):
        for other in numbers.ALPHABET:
            if other != char and {other, char} != {"0", "Z"}:
                typo = body[:i] + other + body[i + 1:] + number[-1]
                assert not numbers.is_well_formed(typo)


def test_period_closed_digest_is_sha256_of_sorted_numbers():
    import hashlib

    assert numbers.digest(["B", "A"]) == hashlib.sha256(b"A\nB").hexdigest()


def test_R7_7_a_person_holding_a_reservation_for_a_date_cannot_enter_its_later_draws():
    mother = approved("H00000009", "Mother")
    d = P + timedelta(days=3)
    with pytest.raises(Refusal, match="booking.already_reserved") as refused:
        rules.check_not_reserved(party(mother), [P + timedelta(days=1), d],
                                 [(d, "H00000009")])
    assert refused.value.params == {"name": "Mother", "date": d.isoformat()}
    rules.check_not_reserved(party(mother), [P + timedelta(days=1)], [(d, "H00000009")])


def test_R6_3_a_later_application_of_the_period_must_name_the_same_people():
    me = rules.Person("hk_macao_resident_permit", "H11111111", "Me")
    mother = rules.Person("hk_macao_resident_permit", "H22222222", "Mother")
    stranger = rules.Person("hk_macao_resident_permit", "H33333333", "Stranger")
    first = [{"document_type": p.document_type, "document_number": p.document_number}
             for p in (me, mother)]
    rules.check_party_as_first_applied(rules.Party("a", me, (mother,)), None)  # none yet
    rules.check_party_as_first_applied(rules.Party("a", me, (mother,)), first)
    for other in (rules.Party("a", me, (stranger,)), rules.Party("a", me, ()),
                  rules.Party("a", me, (mother, stranger))):
        with pytest.raises(rules.Refusal) as refused:
            rules.check_party_as_first_applied(other, first)
        assert refused.value.code == "booking.party_changed_since_applying"
