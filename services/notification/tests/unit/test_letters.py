"""Templates: three languages, the system's English name, escaping, complete catalogues."""

from __future__ import annotations

import dataclasses
import json
from html import escape

import pytest

from services.notification.adapters.mailbox import read_messages, store_message
from services.notification.domain import compose
from services.notification.domain.letters import Fields, Letter, Msg, Para, render
from services.notification.entrypoints.app import MESSAGES_DIR
from shared.i18n import Catalog

CATALOG = Catalog([MESSAGES_DIR])
AUDIENCE = compose.Audience("support@hs.test", "zh-Hans", "ops@hs.test", "zh-Hans",
                            "http://hs.test")

SAMPLES = {
    "manual_review": lambda: compose.manual_review_requested(
        {"case_id": "c-1", "account_id": "acc-9", "subject": "cohabitant",
         "reason": "r6_5_child_permit_without_id_card", "case_url": "/review/cases/c-1"}, AUDIENCE),
    "support": lambda: compose.support_requested(
        {"request_id": "r-1", "kind": "forgot_password", "contact_email": "u@hs.test",
         "message": "help", "lang": "en", "masked_document": "H12*****78"}, AUDIENCE),
    "results": lambda: compose.results_published(
        {"period": "2026-12-04", "seed": "ab",
         "dates": {"2026-12-05": {"places": 3, "applications": 9, "winners_people": 4,
                                  "overflow": 1}},
         "winners": [{"application_number": "N1", "account_id": "a", "date": "2026-12-05"}]},
        AUDIENCE, {"a": ("a@hs.test", "zh-Hant")}),
    "draw_failed": lambda: compose.draw_failed(
        {"period": "2026-12-04", "date": "2026-12-05", "reason": "x"}, AUDIENCE),
    "dead_letter": lambda: compose.dead_lettered(
        {"event_id": "e", "event_type": "t", "queue": "q", "reason": "delivery_limit",
         "count": 5}, AUDIENCE),
    "disabled": lambda: compose.account_disabled(
        {"account_id": "a", "reason": "frequent_cancellations", "lang": "en"},
        ("a@hs.test", "zh-Hans")),
}


def every_letter():
    return [letter for make in SAMPLES.values() for letter in make()]


def keys_of(letter: Letter) -> set[str]:
    keys = {letter.subject_key, "mail.greeting", "mail.footer", "mail.colon"}
    values = list(letter.subject_params.values())
    for block in letter.blocks:
        for name in ("key", "label_key"):
            if hasattr(block, name):
                keys.add(getattr(block, name))
        keys.update(getattr(block, "header_keys", ()))
        values += list(getattr(block, "params", {}).values())
        for row in getattr(block, "rows", ()):
            values += list(row)
        values += list(getattr(block, "footer", None) or ())
    for value in values:
        if isinstance(value, Msg) and value.fallback is None:
            keys.add(value.key)
        if isinstance(value, str) and value.startswith("mail."):
            keys.add(value)
    return keys


@pytest.mark.parametrize("lang", ["zh-Hans", "en"])
def test_every_key_the_letters_use_is_in_the_authored_catalogues(lang):
    authored = json.loads((MESSAGES_DIR / f"{lang}.json").read_text(encoding="utf-8"))
    missing = set().union(*(keys_of(letter) for letter in every_letter())) - set(authored)
    assert missing == set()


def test_known_reason_codes_are_translated_and_unknown_ones_shown_as_given():
    (letter,) = SAMPLES["manual_review"]()
    text = render(letter, CATALOG.translate, CATALOG.knows).text
    assert "往来港澳通行证" in text
    (odd,) = compose.manual_review_requested(
        {"case_id": "c", "subject": "person", "reason": "new_reason_code", "case_url": "/c"},
        AUDIENCE)
    assert "new_reason_code" in render(odd, CATALOG.translate, CATALOG.knows).text


@pytest.mark.parametrize("lang,expected", [
    ("zh-Hans", "此邮件由深圳市健康驿站房间预约系统"),
    ("zh-Hant", "此電郵由深圳市健康驛站房間預約系統"),
    ("en", "This email was sent automatically by the Shenzhen Health Station"),
])
def test_each_language_has_its_words_and_the_systems_english_name(lang, expected):
    letter = Letter(kind="k", recipient="r", lang=lang, subject_key="mail.support_ack.subject",
                    subject_params={"ref": "ab12"}, blocks=(Para("mail.support_ack.no_password"),))
    rendered = render(letter, CATALOG.translate, CATALOG.knows)
    for body in (rendered.text, rendered.html):
        assert expected in body
        assert "Shenzhen Health Station Room Reservation System" in body
    assert "ab12" in rendered.subject


def test_traditional_catalogue_is_generated_from_the_simplified_one():
    from tools.gen_hant import expected_traditional

    simplified = MESSAGES_DIR / "zh-Hans.json"
    assert (MESSAGES_DIR / "zh-Hant.json").read_text(encoding="utf-8") == \
        expected_traditional(simplified)


def test_values_from_events_are_escaped_in_html_but_kept_in_text():
    (staff, _ack) = compose.support_requested(
        {"request_id": "r", "kind": "problem", "contact_email": "u@hs.test",
         "message": '<img src=x onerror="alert(1)">', "lang": "en"}, AUDIENCE)
    rendered = render(staff, CATALOG.translate, CATALOG.knows)
    assert '<img src=x onerror="alert(1)">' in rendered.text
    assert "<img" not in rendered.html and "&lt;img" in rendered.html


def test_html_and_text_carry_the_same_figures():
    (report, _notice) = SAMPLES["results"]()
    rendered = render(report, CATALOG.translate, CATALOG.knows)
    assert "2026年12月5日 | 3 | 9 | 4 | 1" in rendered.text
    assert "<td " in rendered.html and ">9</td>" in rendered.html and ">4</td>" in rendered.html
    assert ">2026年12月5日</td>" in rendered.html


@pytest.mark.parametrize("lang,period,day", [
    ("zh-Hans", "2026年12月4日", "2026年12月5日"),
    ("zh-Hant", "2026年12月4日", "2026年12月5日"),
    ("en", "4 December 2026", "5 December 2026"),
])
def test_dates_read_as_the_reader_writes_them_in_fields_tables_and_both_bodies(lang, period, day):
    (report, _notice) = SAMPLES["results"]()
    rendered = render(dataclasses.replace(report, lang=lang), CATALOG.translate, CATALOG.knows)
    colon = CATALOG.translate("mail.colon", lang)
    period_label = CATALOG.translate("mail.field.period", lang)
    assert f"{period_label}{colon}{period}" in rendered.text
    assert f"{day} | 3 | 9 | 4 | 1" in rendered.text
    assert f"<td>{period}</td>" in rendered.html and f">{day}</td>" in rendered.html
    intro = CATALOG.translate("mail.draw_report.intro", lang, period="2026-12-04", count=1)
    assert period in intro and intro in rendered.text and escape(intro) in rendered.html


def test_a_time_reads_in_beijing_time_whatever_offset_the_event_wrote():
    letter = Letter(kind="k", recipient="r", lang="zh-Hans", subject_key="mail.greeting",
                    subject_params={}, blocks=(Fields((("mail.field.date",
                                                        "2026-12-04T12:00:00+00:00"),)),))
    rendered = render(letter, CATALOG.translate, CATALOG.knows)
    assert "日期：2026年12月4日 20:00" in rendered.text
    assert "<td>2026年12月4日 20:00</td>" in rendered.html


def test_a_failed_draws_reason_reads_in_the_operators_words_with_the_detail_below():
    (letter,) = compose.draw_failed(
        {"period": "2026-12-04", "date": "2026-12-05",
         "reason": "not_drawn: dates 2026-12-05, 2026-12-06 not drawn at publication time"},
        AUDIENCE)
    text = render(letter, CATALOG.translate, CATALOG.knows).text
    assert "原因：结果公示时仍有日期未摇号" in text
    assert "详情：dates 2026年12月5日, 2026年12月6日 not drawn at publication time" in text
    (odd,) = compose.draw_failed({"period": "2026-12-04", "date": "2026-12-05",
                                  "reason": "database unavailable"}, AUDIENCE)
    assert "原因：database unavailable" in render(odd, CATALOG.translate, CATALOG.knows).text


def test_mailbox_files_are_read_back_in_arrival_order_and_filtered_by_recipient(tmp_path):
    for n, to in enumerate(["a@x", "b@x", "a@x"]):
        store_message(tmp_path, f"Subject: m{n}\r\n\r\nbody\r\n".encode(), "s@x", [to])
    assert [m.subject for m in read_messages(tmp_path)] == ["m0", "m1", "m2"]
    assert [m.subject for m in read_messages(tmp_path, "A@x")] == ["m0", "m2"]
    assert list((tmp_path / "tmp").iterdir()) == []
