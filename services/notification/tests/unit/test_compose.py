"""Which emails an event causes (R6.5, R14.1, the draw report, alerts), without servers."""

from __future__ import annotations

from services.notification.adapters.deadletters import DEAD_LETTER_TYPE, describe_dead_letter
from services.notification.domain import compose
from services.notification.entrypoints.api import mask_address
from services.notification.service_layer.delivery import retry_delay

AUDIENCE = compose.Audience("support@hs.test", "zh-Hans", "ops@hs.test", "en", "http://hs.test/")


def test_R6_5_manual_review_goes_to_support_in_their_language_with_an_absolute_case_link():
    (letter,) = compose.manual_review_requested(
        {"case_id": "c-1", "account_id": "acc-9", "subject": "cohabitant", "reason": "r",
         "case_url": "/review/cases/c-1"}, AUDIENCE)
    assert (letter.recipient, letter.lang, letter.kind) == ("support@hs.test", "zh-Hans",
                                                           "manual_review")
    links = [b.url for b in letter.blocks if hasattr(b, "url")]
    assert links == ["http://hs.test/review/cases/c-1"]
    assert "acc-9" not in repr(letter)  # not needed by the reviewer, so not in the email


def test_R14_1_support_request_without_contact_address_only_tells_support():
    letters = compose.support_requested({"request_id": "r", "kind": "problem", "message": "m",
                                         "lang": "en"}, AUDIENCE)
    assert [x.kind for x in letters] == ["support_request"]
    assert letters[0].reply_to is None


def test_R14_1_user_acknowledgement_is_in_the_users_language_and_unknown_languages_fall_back():
    letters = compose.support_requested({"request_id": "r", "kind": "problem", "message": "m",
                                         "contact_email": "u@hs.test", "lang": "fr"}, AUDIENCE)
    assert [(x.kind, x.recipient, x.lang) for x in letters] == [
        ("support_request", "support@hs.test", "zh-Hans"), ("support_ack", "u@hs.test", "zh-Hans")]
    assert letters[0].reply_to == "u@hs.test"


def test_draw_report_sums_the_published_figures_and_only_winners_with_email_get_notices():
    body = {"period": "P", "seed": "s", "winners": [
        {"application_number": "N1", "account_id": "a", "date": "2026-12-06"},
        {"application_number": "N2", "account_id": "b", "date": "2026-12-05"}],
        "dates": {"2026-12-06": {"places": 5, "applications": 2, "winners_people": 2, "overflow": 0},
                  "2026-12-05": {"places": 10, "applications": 30, "winners_people": 12,
                                 "overflow": 2}}}
    report, *notices = compose.results_published(body, AUDIENCE, {"a": ("a@hs.test", "en")})
    table = next(b for b in report.blocks if hasattr(b, "header_keys"))
    assert table.rows == (("2026-12-05", 10, 30, 12, 2), ("2026-12-06", 5, 2, 2, 0))
    assert table.footer[1:] == (15, 32, 14, 2)
    assert report.recipient == "ops@hs.test" and report.lang == "en"
    assert [(n.recipient, n.ref) for n in notices] == [("a@hs.test", "N1")]


def test_two_winners_sharing_a_mailbox_get_one_notice_each():
    body = {"period": "P", "dates": {}, "winners": [
        {"application_number": "N1", "account_id": "a", "date": "D"},
        {"application_number": "N2", "account_id": "b", "date": "D"}]}
    _, *notices = compose.results_published(body, AUDIENCE, {"a": ("f@hs.test", "en"),
                                                             "b": ("f@hs.test", "en")})
    assert sorted(n.ref for n in notices) == ["N1", "N2"]  # refs keep the unique key apart


def test_R12_4_disabled_account_is_told_only_when_an_address_is_known():
    assert compose.account_disabled({"account_id": "a", "reason": "x"}, None) == []
    (letter,) = compose.account_disabled({"account_id": "a", "reason": "x", "lang": "en"},
                                         ("a@hs.test", "zh-Hans"))
    assert letter.lang == "en"


def test_dead_letter_alert_names_the_event_and_where_it_died_but_not_its_body():
    body = b'{"id": "11111111-1111-1111-1111-111111111111", "type": "booking.x", ' \
           b'"occurred_at": "t", "body": {"document_number": "H12345678"}}'
    headers = {"x-death": [{"queue": "booking.main", "reason": "delivery_limit", "count": 5}]}
    alert = describe_dead_letter(body, headers, "booking.main")
    assert alert.type == DEAD_LETTER_TYPE
    assert alert.body == {"event_id": "11111111-1111-1111-1111-111111111111",
                          "event_type": "booking.x", "queue": "booking.main",
                          "reason": "delivery_limit", "count": 5}
    # The same dead letter seen twice is one alert; the same event dead in another queue is not.
    assert describe_dead_letter(body, headers, "booking.main").id == alert.id
    other = {"x-death": [{"queue": "profile.main", "reason": "rejected", "count": 1}]}
    assert describe_dead_letter(body, other, "profile.main").id != alert.id
    assert len(alert.id) == 36


def test_an_unreadable_dead_letter_still_alerts():
    alert = describe_dead_letter(b"\xff not json", None, "lottery.main")
    assert alert.body["event_type"] == "(unreadable)" and alert.body["queue"] == "lottery.main"


def test_back_off_doubles_up_to_the_cap():
    assert [retry_delay(n, 2, 30) for n in range(1, 7)] == [2, 4, 8, 16, 30, 30]


def test_users_addresses_are_masked_for_operators():
    assert mask_address("someone@example.com") == "so***@example.com"
    assert mask_address("ab@x.cn") == "a***@x.cn"
    assert mask_address("broken") == "******"
