import json
import logging

from shared.i18n import Catalog, negotiate
from shared.logs import JsonFormatter, mask_document, mask_documents_in


def test_mask_document_keeps_only_the_ends():
    assert mask_document("H12345678") == "H12****78"
    assert mask_document("E12345678") != "E12345678"
    assert "345" not in mask_document("110101199003074477")


def test_logs_never_show_a_document_number_in_full():
    record = logging.LogRecord("x", logging.INFO, __file__, 1,
                               "login failed for H12345678 and 110101199003074477", None, None)
    line = json.loads(JsonFormatter("test").format(record))
    assert "H12345678" not in line["message"]
    assert "110101199003074477" not in line["message"]
    assert mask_documents_in("amount 42") == "amount 42"


def test_language_negotiation():
    assert negotiate("zh-HK,zh;q=0.9") == "zh-Hant"
    assert negotiate("zh-Hant") == "zh-Hant"
    assert negotiate("en-GB") == "en"
    assert negotiate(None) == "zh-Hans"
    assert negotiate("zh-CN") == "zh-Hans"


def test_traditional_catalogue_comes_from_the_simplified_one():
    catalog = Catalog([])
    assert catalog.translate("error.internal", "zh-Hans") == "系统繁忙，请稍后再试"
    assert catalog.translate("error.internal", "zh-Hant") == "系統繁忙，請稍後再試"
    assert catalog.translate("error.internal", "en").startswith("The system is busy")
    assert catalog.translate("no.such.key", "en") == "no.such.key"


def test_dates_in_messages_read_as_dates_in_the_readers_language(tmp_path):
    from shared.i18n import Catalog, readable_day

    assert readable_day("2026-12-06", "zh-Hans") == "2026年12月6日"
    assert readable_day("2026-12-06 09:00", "zh-Hant") == "2026年12月6日 09:00"
    assert readable_day("2026-01-02", "en") == "2 January 2026"
    assert readable_day("H12345678", "en") == "H12345678"  # not a date: as it is
    assert readable_day("2026-13-45", "en") == "2026-13-45"  # shaped like one, but none
    (tmp_path / "zh-Hans.json").write_text('{"x.d": "{name}：{date}"}', encoding="utf-8")
    (tmp_path / "en.json").write_text('{"x.d": "{name}: {date}"}', encoding="utf-8")
    catalog = Catalog([tmp_path])
    assert catalog.translate("x.d", "zh-Hans", name="2026-12-06x", date="2026-12-06") == (
        "2026-12-06x：2026年12月6日")
    assert catalog.translate("x.d", "en", name="A", date="2026-12-06") == "A: 6 December 2026"


def test_times_read_in_beijing_time_whatever_offset_they_were_written_with():
    from datetime import UTC, date, datetime

    from shared.clock import BEIJING
    from shared.i18n import readable_dates_in, readable_day

    for written in ("2026-12-04T12:00:00+00:00", "2026-12-04T12:00:00.25Z",
                    "2026-12-04T20:00:00+08:00", "2026-12-04 20:00"):
        assert readable_day(written, "zh-Hans") == "2026年12月4日 20:00", written
        assert readable_day(written, "en") == "4 December 2026 20:00", written
    assert readable_day("2026-12-04T16:30:00+00:00", "zh-Hant") == "2026年12月5日 00:30"
    assert readable_day(datetime(2026, 12, 4, 12, tzinfo=UTC), "en") == "4 December 2026 20:00"
    assert readable_day(datetime(2026, 12, 4, 20, tzinfo=BEIJING), "zh-Hans") == (
        "2026年12月4日 20:00")
    assert readable_day(date(2026, 12, 4), "en") == "4 December 2026"
    assert readable_dates_in("dates 2026-12-05, 2026-12-06 not drawn; ref X2026-12-055",
                             "zh-Hans") == "dates 2026年12月5日, 2026年12月6日 not drawn; ref X2026-12-055"


def test_count_messages_take_the_form_their_number_needs():
    """"try again in 1 second", not "1 seconds": a count message has "one | many" (or
    "none | one | many") forms, chosen by its first integer placeholder, as vue-i18n does."""
    from shared.config import REPO_ROOT

    identity = Catalog([REPO_ROOT / "services" / "identity" / "messages"])
    assert identity.translate("login.locked", "en", retry_after=1).endswith("in 1 second")
    assert identity.translate("login.locked", "en", retry_after=900).endswith("in 900 seconds")
    assert "|" not in identity.translate("login.locked", "zh-Hans", retry_after=1)
    notification = Catalog([REPO_ROOT / "services" / "notification" / "messages"])
    assert "(1 date)" in notification.translate("mail.draw_report.intro", "en",
                                                period="2026-12-04", count=1)
    assert "(6 dates)" in notification.translate("mail.draw_report.intro", "en",
                                                 period="2026-12-04", count=6)


def test_every_english_count_message_has_its_singular():
    """Every English text of the client and the services that counts something with a noun
    ("{n} people", "{n} seconds") has a form for one."""
    import re

    from tools import gen_hant

    counted = re.compile(r"\{(n|count|retry_after|seconds|days)\} ?\)? ?"
                         r"(people|persons|applications|seconds|minutes|days|dates|times|"
                         r"cases|records|reservations)\b")
    # staff pages (the operator's emails, the review queue) are another branch's (fix-staff)
    staff_pages = {"resent {n} times", "{n} cases"}
    missing = []
    for simplified in gen_hant.simplified_catalogues():
        english = json.loads(simplified.with_name("en.json").read_text(encoding="utf-8"))
        stack = [english]
        while stack:
            value = stack.pop()
            if isinstance(value, dict):
                stack.extend(value.values())
            elif isinstance(value, list):
                stack.extend(value)
            elif isinstance(value, str) and counted.search(value) and " | " not in value \
                    and value not in staff_pages:
                missing.append(value)
    assert missing == []
