"""The claim protocol and the persistence layer on the real PostgreSQL, without timing: a live
sender's email is never taken over; a dead sender's is, at once; an event's email exists once."""

from __future__ import annotations

import uuid

import pytest

from services.notification.adapters import repository
from services.notification.adapters.outgoing import OutgoingStore
from services.notification.domain.letters import Letter, Rendered
from services.notification.tests.integration.conftest import email_rows

pytestmark = pytest.mark.integration


def queue_one(sessions, event_id=None, recipient="s@hs.test") -> str:
    event_id = event_id or str(uuid.uuid4())
    letter = Letter(kind="manual_review", recipient=recipient, lang="zh-Hans",
                    subject_key="k", subject_params={}, blocks=())
    with sessions() as session:
        created = repository.enqueue(session, event_id=event_id, event_type="t", letter=letter,
                                     rendered=Rendered("s", "t", "<p>h</p>"))
        session.commit()
    return event_id if created else ""


def test_an_events_email_is_recorded_once_whatever_the_number_of_deliveries(
        sessions, engine, clean_emails):
    event_id = queue_one(sessions)
    assert queue_one(sessions, event_id) == ""  # the unique key, behind processed_event
    assert queue_one(sessions, event_id, recipient="other@hs.test") == event_id
    assert len(email_rows(engine, [event_id])) == 2


def test_a_live_senders_email_is_never_taken_over_and_a_dead_senders_is_taken_at_once(
        engine, sessions, clean_emails):
    first_event, second_event = queue_one(sessions), queue_one(sessions)
    alive, other = OutgoingStore(engine), OutgoingStore(engine)
    try:
        mine = alive.claim_next()
        assert mine.event_id == first_event and not mine.recovered
        theirs = other.claim_next()
        assert theirs.event_id == second_event  # skipped the row `alive` is sending
        other.mark_sent(theirs.id, "<x@hs.test>")
        assert other.claim_next() is None  # `alive` still holds its row: not abandoned
        alive.drop_connection()  # the sender's death, as PostgreSQL sees it
        recovered = other.claim_next()
        assert recovered.id == mine.id and recovered.recovered and recovered.attempts == 2
        other.mark_sent(recovered.id, "<y@hs.test>")
        states = {r["event_id"]: r["state"] for r in email_rows(engine)}
        assert states == {first_event: "sent", second_event: "sent"}
    finally:
        alive.close()
        other.close()


def test_retry_waits_out_its_back_off_and_a_failure_is_final(engine, sessions, clean_emails):
    queue_one(sessions)
    store = OutgoingStore(engine)
    try:
        email = store.claim_next()
        store.mark_retry(email.id, "Connection refused", delay_seconds=3600)
        assert store.claim_next() is None  # not due for an hour
        assert store.make_waiting_due() == 1
        again = store.claim_next()
        assert again.id == email.id and again.attempts == 2
        store.mark_failed(again.id, "550 refused")
        assert store.claim_next() is None
        (row,) = email_rows(engine)
        assert (row["state"], row["last_error"]) == ("failed", "550 refused")
    finally:
        store.close()


def test_a_stale_contact_update_does_not_overwrite_a_newer_one(sessions):
    account = "acc-" + uuid.uuid4().hex[:8]
    with sessions() as session:
        repository.save_contact(session, account_id=account, email="new@hs.test", lang="en",
                                revision=5)
        repository.save_contact(session, account_id=account, email="old@hs.test", lang="zh-Hans",
                                revision=4)
        session.commit()
        assert repository.contacts_for(session, [account]) == {account: ("new@hs.test", "en")}
        repository.save_contact(session, account_id=account, email=None, lang="en", revision=6)
        session.commit()
        assert repository.contacts_for(session, [account]) == {}  # the address was removed
