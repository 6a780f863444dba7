"""The guide's own example end to end, through the real consumer, PostgreSQL and RabbitMQ:
a registered user (R2.3) fills in the form (R4.1), is approved (R4.3), adds a spouse and two
children under 14 (R6.2), one on a 往来港澳通行证 without an identity card (R6.5) who waits for a
reviewer while profile.manual_review.requested is on the broker; a reviewer approves."""

import pytest

from services.profile.tests.integration import payloads
from services.profile.tests.integration.conftest import reviewer_headers, wait_for

pytestmark = pytest.mark.integration


def test_guide_example_couple_and_two_children_one_in_manual_review(registered, client,
                                                                     broker, settings):
    applicant = registered()
    assert applicant.me()["person"] is None
    assert applicant.me()["account"]["document_number"] == applicant.document["document_number"]

    response = applicant.call("put", "/me/personal-info", json=payloads.personal_info())
    assert response.status_code == 200, response.json
    assert response.json["person"]["review_state"] == "approved"

    states = []
    for body in (payloads.spouse(), payloads.child(), payloads.permit_child_without_id_card()):
        response = applicant.call("post", "/me/cohabitants", json=body)
        assert response.status_code == 201, response.json
        states.append(response.json["review_state"])
    assert states == ["approved", "approved", "in_review"]
    me = applicant.me()
    assert me["eligible"] is False  # R6.4: everyone approved before applying
    waiting = me["cohabitants"][2]

    # R6.5: support staff are told; the event names the case and links to it
    requested = broker.wait_event("profile.manual_review.requested",
                                  account_id=applicant.account_id)
    assert len(requested) == 1
    event = requested[0]["body"]
    assert event["subject"] == "cohabitant"
    assert event["reason"] == "r6_5_child_permit_without_id_card"
    assert event["case_url"] == f"{settings.public_base_url}/review/cases/{event['case_id']}"

    reviewer = reviewer_headers("en")
    queue = client.get("/api/profile/review/cases?state=open&limit=200", headers=reviewer).json
    assert event["case_id"] in [c["case_id"] for c in queue["cases"]]
    case = client.get(f"/api/profile/review/cases/{event['case_id']}", headers=reviewer).json
    assert case["subject_id"] == waiting["cohabitant_id"]
    assert case["snapshot"]["document_number"] == waiting["document_number"]
    assert [h["to_state"] for h in case["history"]] == ["submitted", "in_review"]

    response = client.post(f"/api/profile/review/cases/{event['case_id']}/approve",
                           headers=reviewer, json={"note": "permit checked"})
    assert response.status_code == 200, response.json
    assert response.json["state"] == "approved"
    history = response.json["history"]
    assert [h["to_state"] for h in history] == ["submitted", "in_review", "approved"]
    assert history[-1]["actor"].startswith("reviewer:") and history[-1]["at"]

    me = applicant.me()
    assert [c["review_state"] for c in me["cohabitants"]] == ["approved"] * 3
    assert me["eligible"] is True
    # a decided case cannot be decided again
    again = client.post(f"/api/profile/review/cases/{event['case_id']}/reject",
                        headers=reviewer, json={"reason_code": "other"})
    assert again.status_code == 409

    # booking learns the whole party from the event, newest revision eligible
    def latest_party():
        changes = broker.events("profile.party.changed", account_id=applicant.account_id)
        newest = max(changes, key=lambda e: e["body"]["revision"]) if changes else None
        return newest if newest and newest["body"]["eligible"] else None
    party = wait_for(latest_party)["body"]
    assert party["person"]["review_state"] == "approved"
    assert party["person"]["document_number"] == applicant.document["document_number"]
    assert [c["relation"] for c in party["cohabitants"]] == ["spouse", "child", "child"]
    assert {c["category"] for c in party["cohabitants"]} == {"married_couple", "child_14_under"}
    revisions = [e["body"]["revision"] for e in broker.events(
        "profile.party.changed", account_id=applicant.account_id)]
    assert len(revisions) == len(set(revisions))  # one revision per change
    assert max(revisions) == party["revision"]
