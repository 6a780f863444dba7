"""Events in, emails out, on the real PostgreSQL, RabbitMQ and SMTP sink: exactly one email per
event through redelivery, SMTP outages and a sender killed mid-send."""

from __future__ import annotations

import time
import uuid
from types import SimpleNamespace

import pytest

from services.notification.tests.integration.conftest import (
    OPERATORS,
    SUPPORT,
    email_rows,
    wait_for,
)
from shared.events import Event
from shared.i18n import readable_day

pytestmark = pytest.mark.integration


def manual_review_event(**overrides) -> Event:
    case_id = str(uuid.uuid4())
    body = {"case_id": case_id, "account_id": "acc-" + uuid.uuid4().hex[:8],
            "subject": "cohabitant", "reason": "r6_5_child_permit_without_id_card",
            "case_url": f"http://hs.test/review/cases/{case_id}"}
    body.update(overrides)
    return Event(type="profile.manual_review.requested", body=body, producer="profile")


def for_events(messages, events) -> list:
    ids = {e.id for e in events}
    return [m for m in messages if m.event_id in ids]


def settle(sink, engine, events, expected: int, seconds: float = 1.5):
    """All rows sent, then a few sender polls more: proves no late duplicate follows."""
    wait_for(lambda: all(r["state"] == "sent" for r in email_rows(engine, [e.id for e in events]))
             and len(email_rows(engine, [e.id for e in events])) == expected,
             what="every email recorded as sent")
    time.sleep(seconds)
    return for_events(sink.messages(), events)


def test_R6_5_manual_review_request_gives_exactly_one_support_email_with_the_case_link(
        consumer, sink, start_sender, publish, engine):
    start_sender()
    event = publish(manual_review_event())
    wait_for(lambda: sink.messages(SUPPORT), what="the support email")
    messages = settle(sink, engine, [event], expected=1)
    assert len(messages) == 1
    (mail,) = messages
    case_link = f"http://hs.test/review/cases/{event.body['case_id']}"
    assert mail.envelope_to == [SUPPORT]
    assert case_link in mail.text and f'href="{case_link}"' in mail.html
    assert "同住人" in mail.subject  # support staff read Simplified Chinese by default
    assert "Shenzhen Health Station Room Reservation System" in mail.text
    # No more personal data than needed: not even the internal account id.
    assert event.body["account_id"] not in mail.text + mail.html
    (row,) = email_rows(engine, [event.id])
    assert (row["state"], row["attempts"], row["kind"]) == ("sent", 1, "manual_review")
    assert row["message_id"] == mail.message_id == f"<hs-notification-{row['id']}@localhost>"


def test_a_redelivered_event_does_not_produce_a_second_email(
        consumer, sink, start_sender, publish, engine):
    start_sender()
    event = manual_review_event()
    publish(event)
    publish(event)  # the same event id again, as after a lost ack
    marker = publish(manual_review_event())  # one consumer, FIFO: handled after both copies
    wait_for(lambda: for_events(sink.messages(), [marker]), what="the marker's email")
    messages = settle(sink, engine, [event, marker], expected=2)
    assert len(for_events(messages, [event])) == 1
    assert len(for_events(messages, [marker])) == 1


def test_smtp_server_down_while_three_events_arrive_gives_exactly_three_after_it_returns(
        consumer, sink, start_sender, publish, engine):
    start_sender()
    sink.stop()
    events = [publish(manual_review_event()) for _ in range(3)]
    # The sender keeps trying with back-off while the server is away.
    wait_for(lambda: len(rows := email_rows(engine, [e.id for e in events])) == 3
             and all(r["state"] == "queued" for r in rows)
             and max(r["attempts"] for r in rows) >= 2,
             what="three queued emails retried while the server is down")
    assert all("Connection refused" in (r["last_error"] or "") or r["attempts"] == 0
               for r in email_rows(engine, [e.id for e in events]))
    assert sink.messages() == []
    sink.start()
    wait_for(lambda: len(for_events(sink.messages(), events)) >= 3, what="three emails")
    messages = settle(sink, engine, events, expected=3)
    assert len(messages) == 3
    assert sorted(m.event_id for m in messages) == sorted(e.id for e in events)
    assert len({m.message_id for m in messages}) == 3


def test_sender_killed_mid_send_and_restarted_still_gives_exactly_three(
        consumer, sink, start_sender, publish, engine):
    first = start_sender(SMTP_TIMEOUT_SECONDS="60")
    sink.freeze()  # accepts the TCP connection, never answers: the send hangs
    events = [publish(manual_review_event()) for _ in range(3)]
    wait_for(lambda: [r for r in email_rows(engine, [e.id for e in events])
                      if r["state"] == "sending"], what="an email in state sending")
    first.kill()
    sink.thaw()
    start_sender()
    wait_for(lambda: len(for_events(sink.messages(), events)) >= 3, what="three emails")
    messages = settle(sink, engine, events, expected=3)
    assert len(messages) == 3
    assert sorted(m.event_id for m in messages) == sorted(e.id for e in events)
    rows = email_rows(engine, [e.id for e in events])
    recovered = [r for r in rows if "previous sender stopped mid-send" in (r["last_error"] or "")]
    assert len(recovered) == 1 and recovered[0]["attempts"] == 2


def test_draw_report_figures_equal_the_published_results_and_winners_with_email_are_told(
        consumer, sink, start_sender, publish, engine):
    start_sender()
    account_with_email, account_without = "acc-" + uuid.uuid4().hex[:8], "acc-" + uuid.uuid4().hex[:8]
    winner_mailbox = f"{account_with_email}@users.test"
    publish(Event(type="profile.party.changed", producer="profile", body={
        "account_id": account_with_email, "revision": 3, "lang": "en", "email": winner_mailbox,
        "person": {}, "cohabitants": [], "eligible": True}))
    dates = {"2026-12-05": {"places": 30, "applications": 117, "winners_people": 32, "overflow": 2},
             "2026-12-06": {"places": 25, "applications": 98, "winners_people": 25, "overflow": 0},
             "2026-12-07": {"places": 0, "applications": 14, "winners_people": 0, "overflow": 0}}
    event = publish(Event(type="lottery.results.published", producer="lottery", body={
        "period": "2026-12-04", "seed": "9f" * 32, "dates": dates,
        "winners": [{"application_number": "A7K2Q9", "account_id": account_with_email,
                     "date": "2026-12-05"},
                    {"application_number": "B3M8Z1", "account_id": account_without,
                     "date": "2026-12-06"}]}))
    wait_for(lambda: len(for_events(sink.messages(), [event])) >= 2, what="report and notice")
    messages = settle(sink, engine, [event], expected=2)
    (report,) = [m for m in messages if m.envelope_to == [OPERATORS]]
    rows = {}
    for line in report.text.splitlines():
        cells = [c.strip() for c in line.split("|")]
        if len(cells) == 5 and cells[0].startswith("2026年"):  # operators read zh-Hans dates
            rows[cells[0]] = dict(zip(("places", "applications", "winners_people", "overflow"),
                                      map(int, cells[1:]), strict=True))
    assert rows == {readable_day(day, "zh-Hans"): figures for day, figures in dates.items()}
    assert list(rows) == ["2026年12月5日", "2026年12月6日", "2026年12月7日"]
    total_line = next(line for line in report.text.splitlines() if line.startswith("合计"))
    assert [int(c) for c in total_line.split("|")[1:]] == [55, 229, 57, 2]
    assert "期次：2026年12月4日" in report.text and ">2026年12月5日</td>" in report.html
    assert "9f" * 32 in report.text
    assert "http://hs.test/lottery/audit/2026-12-04" in report.text  # a link keeps its address
    (notice,) = [m for m in messages if m.envelope_to == [winner_mailbox]]
    assert notice.lang == "en" and "A7K2Q9" in notice.text and "5 December 2026" in notice.subject
    assert "for 5 December 2026." in notice.text and "for 5 December 2026." in notice.html


def test_failed_draw_and_dead_lettered_event_alert_operators_without_the_event_body(
        consumer, sink, start_sender, publish, engine):
    start_sender()
    failed = publish(Event(type="lottery.draw.failed", producer="lottery", body={
        "period": "2026-12-04", "date": "2026-12-06", "reason": "database unavailable"}))
    # A poison message: the handler cannot read it, the queue gives up after its delivery limit.
    poison = publish(Event(type="profile.manual_review.requested", producer="profile",
                           body={"note": "H12345678 private"}))
    # (Other services' tests of the same run may dead-letter too: pick the poison's alert.)
    alert_id = wait_for(lambda: [r["event_id"] for r in email_rows(engine)
                                 if r["kind"] == "dead_letter" and poison.id in r["body_text"]],
                        timeout=40, what="the dead-letter alert")[0]
    alert = SimpleNamespace(id=alert_id)
    wait_for(lambda: len(for_events(sink.messages(), [failed, alert])) >= 2, what="two alerts")
    messages = settle(sink, engine, [failed, alert], expected=2)
    by_kind = {m.kind: m for m in messages}
    assert set(by_kind) == {"draw_failed", "dead_letter"}
    assert all(m.envelope_to == [OPERATORS] for m in messages)
    assert "2026年12月6日" in by_kind["draw_failed"].subject  # dates as the reader writes them
    assert "database unavailable" in by_kind["draw_failed"].text
    assert "日期：2026年12月6日" in by_kind["draw_failed"].text
    dead = by_kind["dead_letter"]
    assert poison.id in dead.text and "profile.manual_review.requested" in dead.text
    assert "notification.main" in dead.text
    assert "H12345678" not in dead.text + dead.html


def test_R14_1_support_request_reaches_support_with_reply_to_and_the_user_gets_a_notice(
        consumer, sink, start_sender, publish, engine):
    start_sender()
    user_mailbox = f"user-{uuid.uuid4().hex[:6]}@users.test"
    event = publish(Event(type="identity.support.requested", producer="identity", body={
        "request_id": str(uuid.uuid4()), "kind": "forgot_password",
        "contact_email": user_mailbox, "message": "我忘记了密码 <b>请帮忙</b>",
        "lang": "zh-Hant", "document_type": "hk_macao_resident_permit",
        "masked_document": "H12*****78"}))
    wait_for(lambda: len(for_events(sink.messages(), [event])) >= 2, what="two emails")
    messages = settle(sink, engine, [event], expected=2)
    (staff,) = [m for m in messages if m.envelope_to == [SUPPORT]]
    (ack,) = [m for m in messages if m.envelope_to == [user_mailbox]]
    assert staff.reply_to == user_mailbox
    assert "忘记密码" in staff.subject and "H12*****78" in staff.text
    assert "港澳居民来往内地通行证" in staff.text
    assert "我忘记了密码 <b>请帮忙</b>" in staff.text
    assert "&lt;b&gt;请帮忙&lt;/b&gt;" in staff.html and "<b>请帮忙" not in staff.html
    assert ack.lang == "zh-Hant" and "收到" in ack.subject and "您的請求" in ack.text


def test_consumer_killed_while_three_events_arrive_and_restarted_still_gives_exactly_three(
        consumer, sink, start_sender, publish, engine):
    start_sender()
    events = []
    for n in range(3):
        events.append(publish(manual_review_event()))
        if n == 1:
            consumer.kill()  # SIGKILL: unacked deliveries return to the queue
    consumer.start()
    wait_for(lambda: len(for_events(sink.messages(), events)) >= 3, what="three emails")
    messages = settle(sink, engine, events, expected=3)
    assert sorted(m.event_id for m in messages) == sorted(e.id for e in events)


def test_two_senders_at_once_share_the_work_without_sending_anything_twice(
        consumer, sink, start_sender, publish, engine):
    start_sender()
    start_sender()
    events = [publish(manual_review_event()) for _ in range(8)]
    wait_for(lambda: len(for_events(sink.messages(), events)) >= 8, what="eight emails")
    messages = settle(sink, engine, events, expected=8)
    assert sorted(m.event_id for m in messages) == sorted(e.id for e in events)
    assert all(r["attempts"] == 1 for r in email_rows(engine, [e.id for e in events]))
