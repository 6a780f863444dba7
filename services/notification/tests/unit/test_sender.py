"""The sender's decisions (pure logic, fake store and transport): what happens to an email on
success, on a server that is down, on a refused recipient, and after too many attempts."""

from __future__ import annotations

from dataclasses import replace

import pytest

from services.notification.adapters.outgoing import ClaimedEmail
from services.notification.adapters.smtp import Permanent, Transient, build_message
from services.notification.service_layer.delivery import Sender


def claimed(email_id=7, attempts=1) -> ClaimedEmail:
    return ClaimedEmail(id=email_id, event_id="e-1", kind="manual_review", recipient="s@hs.test",
                        reply_to="u@hs.test", lang="zh-Hant", subject="主題", body_text="正文",
                        body_html="<p>正文</p>", attempts=attempts, recovered=False)


class FakeStore:
    def __init__(self, email):
        self.email, self.calls = email, []

    def claim_next(self):
        email, self.email = self.email, None
        return email

    def mark_sent(self, email_id, message_id):
        self.calls.append(("sent", email_id, message_id))

    def mark_retry(self, email_id, error, delay):
        self.calls.append(("retry", email_id, delay))

    def mark_failed(self, email_id, error):
        self.calls.append(("failed", email_id, error))

    def make_waiting_due(self):
        self.calls.append(("due",))


class FakeTransport:
    def __init__(self, failure=None):
        self.failure, self.sent = failure, []

    def send(self, message, recipient):
        if self.failure:
            raise self.failure
        self.sent.append((message, recipient))


def sender(store, transport, max_attempts=5):
    return Sender(store, transport, sender_address="noreply@hs.test",
                  message_id_domain="hs.test", retry_base=2, retry_max=60,
                  max_attempts=max_attempts)


def test_a_sent_email_is_marked_sent_with_its_stable_message_id():
    store, transport = FakeStore(claimed()), FakeTransport()
    outcome = sender(store, transport).send_one()
    assert outcome.state == "sent"
    assert store.calls == [("sent", 7, "<hs-notification-7@hs.test>")]
    (message, recipient), = transport.sent
    assert recipient == "s@hs.test" and message["Message-ID"] == "<hs-notification-7@hs.test>"
    assert message["Reply-To"] == "u@hs.test" and message["Content-Language"] == "zh-Hant"
    assert message["From"].addresses[0].display_name == "深圳健康驛站預約系統"


@pytest.mark.parametrize("lang,name", [("zh-Hans", "深圳健康驿站预约系统"),
                                       ("zh-Hant", "深圳健康驛站預約系統"),
                                       ("en", "Shenzhen Health Stations")])
def test_the_sender_name_is_in_the_recipients_language(lang, name):
    """An operator's Chinese draw report must not come from an English name."""
    email = replace(claimed(), lang=lang)
    message = build_message(email, "noreply@hs.test", "<m@hs.test>")
    sender, = message["From"].addresses
    assert (sender.display_name, sender.addr_spec) == (name, "noreply@hs.test")
    assert "=?utf-8?" in message.as_string().split("From: ", 1)[1].split("\n", 1)[0] or lang == "en"


def test_server_down_requeues_with_back_off_and_pauses_the_sender():
    store = FakeStore(claimed(attempts=3))
    s = sender(store, FakeTransport(Transient("Connection refused")))
    assert s.send_one().state == "queued"
    assert store.calls == [("retry", 7, 8)]  # 2, 4, 8: third attempt
    assert s.server_paused()
    assert s.send_one() is None  # paused: does not even claim


def test_refused_recipient_fails_at_once():
    store = FakeStore(claimed(attempts=1))
    assert sender(store, FakeTransport(Permanent("550 no such user"))).send_one().state == "failed"
    assert store.calls[0][0] == "failed"


def test_after_the_last_attempt_a_transient_failure_is_final():
    store = FakeStore(claimed(attempts=5))
    outcome = sender(store, FakeTransport(Transient("timeout")), max_attempts=5).send_one()
    assert outcome.state == "failed" and "gave up after 5 attempts" in store.calls[0][2]


def test_message_has_text_and_html_alternatives():
    message = build_message(claimed(), "noreply@hs.test", "<m@hs.test>")
    assert message.get_content_type() == "multipart/alternative"
    assert [p.get_content_type() for p in message.iter_parts()] == ["text/plain", "text/html"]


def test_first_success_after_an_outage_makes_the_waiting_emails_due():
    store = FakeStore(claimed(attempts=2))
    s = sender(store, FakeTransport())
    s.server_failures = 3
    assert s.send_one().state == "sent"
    assert store.calls[-1] == ("due",) and not s.server_paused()
    store.email = claimed(email_id=8)
    s.send_one()
    assert store.calls[-1][0] == "sent"  # no outage before: nothing to hurry
