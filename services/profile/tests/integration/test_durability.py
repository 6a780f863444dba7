"""No event is lost while the broker is away (the outbox keeps it until a relay's publish is
confirmed), and concurrent requests cannot break R6.2's limit."""

import threading
from dataclasses import replace

import pytest
from sqlalchemy import text

from services.profile.tests.integration import payloads
from services.profile.tests.integration.conftest import reviewer_headers, wait_for
from shared.events.relay import OutboxRelay

pytestmark = pytest.mark.integration


def outbox_state(app, event_type, account_id):
    with app.extensions["hs"].sessions() as session:
        return session.execute(text(
            "SELECT state FROM event_outbox WHERE event_type = :t "
            "AND body->>'account_id' = :a"), {"t": event_type, "a": account_id}).scalars().all()


def test_manual_review_event_waits_in_the_outbox_while_the_broker_is_unreachable(
        registered, app, settings, broker, processes):
    # stop the service's own relay for this test: our relays decide when events leave
    relay_process = processes[1]
    relay_process.terminate()
    relay_process.wait(timeout=10)
    try:
        applicant = registered()
        applicant.call("put", "/me/personal-info", json=payloads.personal_info())
        applicant.call("post", "/me/cohabitants", json=payloads.permit_child_without_id_card())
        assert outbox_state(app, "profile.manual_review.requested",
                            applicant.account_id) == ["not-published"]

        unreachable = replace(settings, amqp_url="amqp://guest:guest@127.0.0.1:1/%2F")
        down = OutboxRelay(unreachable, engine=app.extensions["hs"].engine)
        with pytest.raises(Exception):  # noqa: B017 - whatever pika raises, nothing is marked
            down.publish_batch()
        assert outbox_state(app, "profile.manual_review.requested",
                            applicant.account_id) == ["not-published"]

        up = OutboxRelay(settings, engine=app.extensions["hs"].engine)
        while up.publish_batch():
            pass
        up._close_connection()
        assert outbox_state(app, "profile.manual_review.requested",
                            applicant.account_id) == ["published"]
        assert broker.wait_event("profile.manual_review.requested",
                                 account_id=applicant.account_id)
    finally:
        import subprocess
        import sys

        from shared.config import REPO_ROOT
        processes[1] = subprocess.Popen([sys.executable, "-m", "shared.events.relay", "profile"],
                                        cwd=REPO_ROOT, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)


def test_r6_2_concurrent_additions_never_exceed_three(registered, app):
    applicant = registered()
    applicant.call("put", "/me/personal-info", json=payloads.personal_info())
    applicant.call("post", "/me/cohabitants", json=payloads.spouse())
    statuses = []

    def add(name):
        client = app.test_client()
        response = client.post("/api/profile/me/cohabitants", headers=applicant.headers,
                               json=payloads.child(name=name))
        statuses.append(response.status_code)

    threads = [threading.Thread(target=add, args=(f"陈小{c}",)) for c in "甲乙丙丁"]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(statuses) == [201, 201, 409, 409]
    assert len(applicant.me()["cohabitants"]) == 3


def test_r6_4_editing_a_reviewed_field_reviews_again(registered, client):
    applicant = registered()
    applicant.call("put", "/me/personal-info", json=payloads.personal_info())
    child = applicant.call("post", "/me/cohabitants", json=payloads.child()).json
    path = f"/me/cohabitants/{child['cohabitant_id']}"
    same_person = {k: child[k] for k in ("name", "sex", "nationality", "document_type",
                                         "document_number", "document_expiry", "date_of_birth",
                                         "relation")}
    # now on the permit without an identity card: a reviewed field changed, so review again
    edited = applicant.call("put", path, json=payloads.permit_child_without_id_card(
        name=child["name"], date_of_birth=child["date_of_birth"]))
    assert edited.status_code == 200, edited.json
    assert edited.json["review_state"] == "in_review"
    # back to the Hong Kong permit: approved again, the open case withdrawn
    back = applicant.call("put", path, json={**same_person, "category": "child_14_under"})
    assert back.json["review_state"] == "approved"
    assert wait_for(lambda: applicant.me()["eligible"])
    queue = client.get("/api/profile/review/cases?state=withdrawn&limit=200",
                       headers=reviewer_headers()).json["cases"]
    assert [c["subject_id"] for c in queue if c["account_id"] == applicant.account_id] == [
        child["cohabitant_id"]]
