"""Events in: identity's account events (local table of nationality and document), the lock of
R6.3 driven by booking's and lottery's events; a redelivered event changes nothing."""

import uuid

import pytest

from services.profile.adapters.models import Account
from services.profile.tests.integration import payloads
from services.profile.tests.integration.conftest import (
    Applicant,
    account_known,
    register,
    wait_for,
)
from shared.i18n import readable_day

pytestmark = pytest.mark.integration


def account_row(app, account_id):
    with app.extensions["hs"].sessions() as session:
        return session.get(Account, account_id)


def processed_count(app, event_id):
    from sqlalchemy import text
    with app.extensions["hs"].sessions() as session:
        return session.execute(text("SELECT count(*) FROM processed_event WHERE event_id = :i"),
                               {"i": event_id}).scalar()


def test_a_redelivered_event_does_not_change_the_result(broker, settings, app, client):
    account_id = str(uuid.uuid4())
    event_id = str(uuid.uuid4())
    register(broker, settings, account_id, event_id=event_id)
    wait_for(account_known(app, account_id))
    revision = account_row(app, account_id).revision
    # the same event again (a redelivery), then a marker event to know the queue got past it
    register(broker, settings, account_id, document_number="H99999999", event_id=event_id)
    marker = str(uuid.uuid4())
    register(broker, settings, marker)
    wait_for(account_known(app, marker))
    row = account_row(app, account_id)
    assert row.revision == revision
    assert row.document_number != "H99999999"
    assert processed_count(app, event_id) == 1
    assert len(broker.events("profile.party.changed", account_id=account_id)) <= 1


def test_nationality_and_document_come_from_identity_not_the_form(broker, settings, app, client):
    account_id = str(uuid.uuid4())
    applicant = Applicant(client, account_id)
    # the form may arrive before identity's event: the review waits for it (R4.3)
    response = applicant.call("put", "/me/personal-info", json=payloads.personal_info())
    assert response.status_code == 200
    assert response.json["person"]["review_state"] == "pending"
    assert response.json["account"]["known"] is False
    register(broker, settings, account_id, nationality="HK", document_number="H10203040")
    wait_for(lambda: applicant.me()["person"]["review_state"] == "approved")
    assert applicant.me()["account"]["document_number"] == "H10203040"


def test_r3_document_change_reviews_the_person_again(registered, broker, app):
    applicant = registered()
    applicant.call("put", "/me/personal-info", json=payloads.personal_info())
    assert applicant.me()["person"]["review_state"] == "approved"
    # identity accepted a new document whose type does not fit the nationality: rejected
    broker.publish("identity.account.document_changed", {
        "account_id": applicant.account_id, "nationality": "TW",
        "document_type": "hk_macao_resident_permit", "document_number": "H55556666"})
    wait_for(lambda: applicant.me()["person"]["review_state"] == "rejected")
    person = applicant.call("get", "/me", lang="en").json["person"]
    assert person["rejection"]["code"] == "document_type_nationality"
    assert person["rejection"]["message"] == (
        "The document type does not fit the nationality (region)")


def test_r6_3_application_locks_cohabitants_until_its_results_are_published(registered, broker,
                                                                            app):
    applicant = registered()
    applicant.call("put", "/me/personal-info", json=payloads.personal_info())
    spouse = applicant.call("post", "/me/cohabitants", json=payloads.spouse()).json
    period = "2026-12-04"
    broker.publish("booking.application.submitted", {
        "application_number": uuid.uuid4().hex, "period": period, "date": "2026-12-05",
        "account_id": applicant.account_id, "party": [], "party_size": 2,
        "submitted_at": "2026-12-04T10:00:00+08:00"})
    wait_for(lambda: applicant.me()["lock"]["locked"])
    me = applicant.call("get", "/me", lang="zh-Hant").json
    assert me["lock"]["periods"] == [period]
    assert readable_day(period, "zh-Hant") in me["lock"]["message"]

    for method, path, body in (
            ("post", "/me/cohabitants", payloads.child()),
            ("put", f"/me/cohabitants/{spouse['cohabitant_id']}", payloads.spouse(name="李美")),
            ("delete", f"/me/cohabitants/{spouse['cohabitant_id']}", None)):
        response = applicant.call(method, path, lang="en", json=body)
        assert response.status_code == 409, (method, response.json)
        assert response.json["error"]["code"] == "cohabitants.locked"
        assert response.json["error"]["message"].startswith(f"You applied on {readable_day(period, 'en')}")
    assert [c["name"] for c in applicant.me()["cohabitants"]] == ["李美玲"]

    broker.publish("lottery.results.published", {"period": period, "seed": "x", "dates": {},
                                                 "winners": []})
    wait_for(lambda: not applicant.me()["lock"]["locked"])
    assert applicant.call("post", "/me/cohabitants", json=payloads.child()).status_code == 201

    # a late application event for a published period locks nothing
    broker.publish("booking.application.submitted", {
        "application_number": uuid.uuid4().hex, "period": period, "date": "2026-12-06",
        "account_id": applicant.account_id, "party": [], "party_size": 1,
        "submitted_at": "2026-12-04T10:00:00+08:00"})
    marker = str(uuid.uuid4())
    register(broker, applicant_settings(app), marker)
    wait_for(account_known(app, marker))
    assert applicant.me()["lock"]["locked"] is False


def applicant_settings(app):
    return app.extensions["hs"].settings
