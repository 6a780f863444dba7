"""Every email the service writes reads its days and times as the recipient's language writes
them (2026年12月4日, 4 December 2026, Beijing time), never as ISO codes: in the subject, the
plain-text and the HTML body, in sentences, fields and tables.

The events go through the service's own handlers (the consumer's and the dead-letter
consumer's), with bodies as their producers write them, so a new event or template without a
sample here fails the coverage tests below. Two things keep their ISO form on purpose: links
(an address must stay an address) and a person's own words quoted in a support request."""

from __future__ import annotations

import dataclasses
import json
import re
import uuid

import pytest

from services.notification.adapters import repository
from services.notification.adapters.deadletters import describe_dead_letter
from services.notification.config import load_config
from services.notification.entrypoints.app import MESSAGES_DIR
from services.notification.service_layer import handlers
from shared.events import Event
from shared.i18n import LANGUAGES, Catalog, readable_day

CATALOG = Catalog([MESSAGES_DIR])
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
LINK = re.compile(r"https?://[^\s\"<>]+")
PERIOD, DAYS = "2026-12-04", ["2026-12-05", "2026-12-06", "2026-12-07"]
WINNER, OTHER_WINNER = "acc-7f3c2a10", "acc-19be44d2"


def realistic_events(lang: str) -> list[Event]:
    """One event of each kind the service handles, with dates and times wherever the producers
    put them; `lang` is the user's language where the event carries one."""
    case_id, request_id = str(uuid.uuid4()), str(uuid.uuid4())
    dead = json.dumps({"id": str(uuid.uuid4()), "type": "booking.application.submitted",
                       "occurred_at": "2026-12-04T02:15:07.120000+00:00",
                       "body": {"period": PERIOD, "date": DAYS[0],
                                "submitted_at": "2026-12-04T10:15:07+08:00"}}).encode()
    return [
        Event("profile.party.changed", {
            "account_id": WINNER, "revision": 4, "lang": lang, "email": "winner@users.test",
            "person": {"document_type": "hk_macao_resident_permit",
                       "document_number": "H12345678", "name": "陈大文", "sex": "M",
                       "date_of_birth": "1980-05-17", "destination": "福田区",
                       "review_state": "approved"},
            "cohabitants": [], "eligible": True}, producer="profile"),
        Event("profile.manual_review.requested", {
            "case_id": case_id, "account_id": WINNER, "subject": "cohabitant",
            "reason": "r6_5_child_permit_without_id_card",
            "case_url": f"http://hs.test/review/cases/{case_id}"}, producer="profile"),
        Event("identity.support.requested", {
            "request_id": request_id, "kind": "forgot_password",
            "contact_email": "someone@users.test", "message": "我忘记了密码，请帮忙重置。",
            "lang": lang, "document_type": "hk_macao_resident_permit",
            "masked_document": "H12*****78"}, producer="identity"),
        Event("lottery.results.published", {
            "period": PERIOD, "seed": "9f" * 32,
            "dates": {DAYS[0]: {"places": 30, "applications": 117, "winners_people": 32,
                                "overflow": 2},
                      DAYS[1]: {"places": 25, "applications": 98, "winners_people": 25,
                                "overflow": 0},
                      DAYS[2]: {"places": 0, "applications": 14, "winners_people": 0,
                                "overflow": 0}},
            "winners": [{"application_number": "A7K2Q9MX", "account_id": WINNER,
                         "date": DAYS[0]},
                        {"application_number": "B3M8Z1QA", "account_id": OTHER_WINNER,
                         "date": DAYS[1]}]}, producer="lottery"),
        # The lottery's three refusals, with their details as the lottery writes them.
        Event("lottery.draw.failed", {
            "period": PERIOD, "date": DAYS[0],
            "reason": "entries_mismatch: the lottery holds 999 entries (digest 3f2a9c1b0d4e), "
                      "booking closed with 1000 (digest 8c1d2e3f4a5b)"}, producer="lottery"),
        Event("lottery.draw.failed", {
            "period": PERIOD, "date": DAYS[1],
            "reason": f"not_drawn: dates {DAYS[1]}, {DAYS[2]} not drawn at publication time"},
            producer="lottery"),
        Event("lottery.draw.failed", {
            "period": PERIOD, "date": DAYS[0],
            "reason": f"replay_differs: a replay from the seed differs on {[DAYS[0]]}"},
            producer="lottery"),
        Event("booking.account.disabled", {
            "account_id": WINNER, "reason": "frequent_cancellations", "lang": lang,
            "email": "winner@users.test"}, producer="booking"),
        describe_dead_letter(dead, {"x-death": [{"queue": "lottery.main", "count": 5,
                                                 "reason": "delivery_limit"}]}, "lottery.main"),
    ]


def emails_in(lang: str, monkeypatch) -> list[dict]:
    """Every email the handlers queue for the realistic events, staff reading `lang` too."""
    queued, contacts = [], {}
    monkeypatch.setattr(repository, "enqueue",
                        lambda session, **row: queued.append(row) or True)
    monkeypatch.setattr(repository, "save_contact",
                        lambda session, **c: contacts.__setitem__(c["account_id"],
                                                                  (c["email"], c["lang"])))
    monkeypatch.setattr(repository, "contacts_for",
                        lambda session, ids: {i: contacts[i] for i in ids if i in contacts})
    config = dataclasses.replace(load_config(), support_lang=lang, operator_lang=lang)
    by_type = {**handlers.make_handlers(config, CATALOG),
               **handlers.make_dead_letter_handlers(config, CATALOG)}
    for event in realistic_events(lang):
        by_type[event.type](None, event)
    return queued


def test_every_event_the_service_handles_has_a_realistic_sample():
    config = load_config()
    handled = {*handlers.make_handlers(config, CATALOG),
               *handlers.make_dead_letter_handlers(config, CATALOG)}
    assert {event.type for event in realistic_events("zh-Hans")} == handled


def test_the_samples_give_every_template_the_catalogue_has(monkeypatch):
    """A template is a subject key (`mail.<template>.subject`, not the field label
    `mail.field.subject`): the samples write every one."""
    templates = {key for key in CATALOG.messages["zh-Hans"]
                 if re.fullmatch(r"mail\.(?!field\.)[a-z_]+\.subject", key)}
    written = {row["letter"].subject_key for row in emails_in("zh-Hans", monkeypatch)}
    assert written == templates


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_iso_date_is_left_in_any_email_of_any_template(lang, monkeypatch):
    emails = emails_in(lang, monkeypatch)
    assert {row["letter"].lang for row in emails} == {lang}
    for row in emails:
        rendered = row["rendered"]
        for part, body in (("subject", rendered.subject), ("text", rendered.text),
                           ("html", rendered.html)):
            left = ISO_DAY.findall(LINK.sub("<link>", body))
            assert left == [], f"{row['letter'].kind} {part} in {lang} still has {left}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_dates_are_there_in_the_readers_form(lang, monkeypatch):
    by_kind = {}
    for row in emails_in(lang, monkeypatch):
        by_kind.setdefault(row["letter"].kind, []).append(row["rendered"])
    (report,) = by_kind["draw_report"]
    for day in DAYS:
        assert f"{readable_day(day, lang)} | " in report.text
        assert f">{readable_day(day, lang)}</td>" in report.html
    assert f"<td>{readable_day(PERIOD, lang)}</td>" in report.html
    (notice,) = by_kind["lottery_won"]  # only the winner whose address is known
    assert readable_day(DAYS[0], lang) in notice.text and readable_day(DAYS[0], lang) in notice.html
    not_drawn = next(m for m in by_kind["draw_failed"] if readable_day(DAYS[2], lang) in m.text)
    assert f"<td>{readable_day(DAYS[1], lang)}</td>" in not_drawn.html
