"""The operator API and the dev mailbox, on the real database, sink and sender."""

from __future__ import annotations

import dataclasses
import uuid

import pytest

from services.notification.adapters.mailbox import store_message
from services.notification.entrypoints.app import create_app
from services.notification.tests.integration.conftest import email_rows, wait_for
from shared.auth import endpoints_without_access_rule
from shared.config import load_settings
from shared.events import Event
from shared.testing import auth_header

pytestmark = pytest.mark.integration

OPERATOR = auth_header("op-1", ["operator"])


@pytest.fixture(scope="module")
def app(database_url):
    app = create_app(load_settings("notification"))
    app.config["TESTING"] = True
    return app


@pytest.fixture
def client(app):
    return app.test_client()


def test_every_endpoint_declares_who_may_call_it(app):
    assert endpoints_without_access_rule(app) == []


def test_only_operators_see_emails(client, clean_emails):
    assert client.get("/api/notification/emails").status_code == 401
    refused = client.get("/api/notification/emails", headers={
        **auth_header("acc-1", ["applicant"]), "X-Lang": "en"})
    assert refused.status_code == 403
    assert refused.get_json()["error"]["message"] == "You are not allowed to do this"
    assert client.get("/api/notification/emails", headers=OPERATOR).status_code == 200
    assert client.get("/api/notification/emails",
                      headers=auth_header("admin-1", ["admin"])).status_code == 200


def test_bad_query_gets_a_localized_error_naming_the_field(client):
    response = client.get("/api/notification/emails?state=lost&limit=0",
                          headers={**OPERATOR, "X-Lang": "zh-Hant"})
    assert response.status_code == 400
    fields = response.get_json()["error"]["fields"]
    assert set(fields) == {"state", "limit"}
    assert fields["state"]["message"] == "請從列表中選擇"


def test_a_refused_email_is_failed_visible_to_operators_and_resent_once_fixed(
        client, consumer, sink, start_sender, publish, engine):
    sink.stop()
    sink.env["SMTP_SINK_REFUSE"] = "^bounce-"
    sink.start()
    start_sender()
    user = f"bounce-{uuid.uuid4().hex[:6]}@users.test"
    event = publish(Event(type="identity.support.requested", producer="identity", body={
        "request_id": str(uuid.uuid4()), "kind": "problem", "contact_email": user,
        "message": "cannot log in", "lang": "en", "masked_document": "E12*****34"}))
    wait_for(lambda: [r for r in email_rows(engine, [event.id]) if r["state"] == "failed"],
             what="the refused email to be failed")
    page = client.get("/api/notification/emails?state=failed", headers=OPERATOR).get_json()
    (failed,) = page["items"]
    assert failed["kind"] == "support_ack" and failed["attempts"] == 1
    assert "550" in failed["last_error"]
    assert failed["recipient"].startswith("bo***@") and user not in str(page)
    assert page["counts"]["failed"] == 1 and page["counts"]["sent"] == 1  # staff copy went out

    sent_id = next(r["id"] for r in email_rows(engine, [event.id]) if r["state"] == "sent")
    again = client.post(f"/api/notification/emails/{sent_id}/resend",
                        headers={**OPERATOR, "X-Lang": "en"})
    assert again.status_code == 409
    assert again.get_json()["error"]["code"] == "email.not_resendable"
    assert client.post("/api/notification/emails/999999/resend",
                       headers=OPERATOR).status_code == 404

    sink.stop()
    del sink.env["SMTP_SINK_REFUSE"]
    sink.start()
    resent = client.post(f"/api/notification/emails/{failed['id']}/resend", headers=OPERATOR)
    assert resent.status_code == 200 and resent.get_json()["state"] == "queued"
    wait_for(lambda: sink.messages(user), what="the resent email")
    wait_for(lambda: email_rows(engine, [event.id])[-1]["state"] == "sent", what="sent")
    detail = client.get(f"/api/notification/emails/{failed['id']}", headers=OPERATOR).get_json()
    assert detail["state"] == "sent" and detail["resent_count"] == 1
    assert "cannot log in" not in detail["body_text"]  # the ack does not echo the message
    assert len(sink.messages(user)) == 1


def test_dev_mailbox_shows_what_the_sink_kept(client, tmp_path, monkeypatch):
    monkeypatch.setenv("SMTP_SINK_DIR", str(tmp_path))
    raw = (b"From: a@hs.test\r\nTo: support@hs.test\r\nSubject: =?utf-8?b?5rWL6K+V?=\r\n"
           b"Message-ID: <m1@hs.test>\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
           b"<script>x</script> hello\r\n")
    store_message(tmp_path, raw, "a@hs.test", ["support@hs.test"])
    listing = client.get("/api/notification/dev/mailbox").get_json()
    assert listing["count"] == 1
    assert listing["messages"][0]["subject"] == "测试"
    assert listing["messages"][0]["from"] == "a@hs.test"
    assert client.get("/api/notification/dev/mailbox?to=other@hs.test").get_json()["count"] == 0
    page = client.get("/api/notification/dev/mailbox.html")
    assert page.status_code == 200 and page.mimetype == "text/html"
    body = page.get_data(as_text=True)
    assert "测试" in body and "&lt;script&gt;" in body and "<script>" not in body
    message_id = listing["messages"][0]["id"]
    assert client.get(f"/api/notification/dev/mailbox/{message_id}.html").status_code == 200
    assert client.get("/api/notification/dev/mailbox/..%2Fetc.html").status_code == 404


def test_dev_mailbox_does_not_exist_in_production(database_url):
    settings = dataclasses.replace(load_settings("notification"), mode="production")
    production = create_app(settings).test_client()
    assert production.get("/api/notification/dev/mailbox").status_code == 404
    assert production.get("/api/notification/dev/mailbox.html").status_code == 404
    assert production.get("/api/notification/emails", headers=OPERATOR).status_code == 200
