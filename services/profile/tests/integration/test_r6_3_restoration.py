"""R6.3 after the fact: a cohabitant change made between booking's check and profile's lock is
undone when booking.application.submitted arrives (services/profile/domain/lock.py). The events
go through the real consumer handler (with its processed-event record) on PostgreSQL."""

import uuid

import pytest
from sqlalchemy import select

from services.profile.adapters.models import Account, ReviewCase, StateChange
from services.profile.entrypoints.consumer import build_consumer
from services.profile.tests.integration import payloads
from services.profile.tests.integration.conftest import wait_for
from shared.events import Event

pytestmark = pytest.mark.integration

PERIOD = "2026-11-20"  # a period no other test publishes


@pytest.fixture(scope="module")
def consumer(settings):
    return build_consumer(settings)


def revision(app, account_id) -> int:
    with app.extensions["hs"].sessions() as session:
        return session.get(Account, account_id).revision


def submitted(applicant, party_revision, cohabitants, period=PERIOD, day="2026-11-21",
              number=None, version=2) -> Event:
    """booking.application.submitted as booking builds it: the party by document, applicant
    first, and the profile revision its checks read. Version 2 lists the submission's
    applications; version 1 (one event per date) is what a queue may still hold."""
    party = [{"document_type": applicant.document["document_type"],
              "document_number": applicant.document["document_number"]}]
    party += [{"document_type": c["document_type"], "document_number": c["document_number"]}
              for c in cohabitants]
    number = number or uuid.uuid4().hex[:12]
    applications = ({"applications": [{"application_number": number, "date": day}]}
                    if version == 2 else {"application_number": number, "date": day})
    return Event(type="booking.application.submitted", producer="booking", version=version,
                 body={**applications, "period": period, "account_id": applicant.account_id,
                       "party": party, "party_size": len(party),
                       "submitted_at": f"{period}T10:00:00+08:00",
                       "party_revision": party_revision})


def applicant_with_spouse(registered):
    applicant = registered()
    applicant.call("put", "/me/personal-info", json=payloads.personal_info())
    spouse = applicant.call("post", "/me/cohabitants", json=payloads.spouse()).json
    assert spouse["review_state"] == "approved"
    return applicant, spouse


def party_of(applicant) -> list[tuple]:
    return [(c["cohabitant_id"], c["name"], c["document_number"], c["relation"],
             c["review_state"]) for c in applicant.me()["cohabitants"]]


@pytest.mark.parametrize("version", [2, 1])
def test_r6_3_an_edit_racing_the_application_is_undone_and_the_applicant_told(
        registered, consumer, app, broker, version):
    applicant, spouse = applicant_with_spouse(registered)
    applied_party = party_of(applicant)
    checked = revision(app, applicant.account_id)        # what booking's checks read
    # in the gap: the lock is not here yet, so profile accepts the edit
    edit = applicant.call("put", f"/me/cohabitants/{spouse['cohabitant_id']}",
                          json=payloads.spouse(name="李美", document_number=spouse[
                              "document_number"], date_of_birth="1988-01-01"))
    assert edit.status_code == 200
    assert party_of(applicant) != applied_party

    event = submitted(applicant, checked, [spouse], number="A20261205001", version=version)
    assert consumer.process(event)

    assert party_of(applicant) == applied_party
    assert applicant.me()["cohabitants"][0]["date_of_birth"] == "1987-05-06"
    me = applicant.call("get", "/me", lang="en").json
    assert me["lock"]["locked"] is True
    restored = me["lock"]["restored"]
    assert restored["application_number"] == "A20261205001"
    assert restored["changes"] == [{"name": "李美玲", "action": "restored"}]
    assert restored["message"].startswith("Your application A20261205001 was accepted")
    assert "李美玲" in restored["message"]
    for lang, words in (("zh-Hans", "已撤销"), ("zh-Hant", "已撤銷")):
        assert words in applicant.call("get", "/me", lang=lang).json["lock"]["restored"][
            "message"]
    # why, in the cohabitant's history
    with app.extensions["hs"].sessions() as session:
        last = session.scalars(select(StateChange).where(
            StateChange.subject_id == spouse["cohabitant_id"])
            .order_by(StateChange.id.desc())).first()
    assert (last.actor, last.reason_code, last.note) == (
        "system:r6_3", "r6_3_restored", "A20261205001")
    # booking hears the party it applied with again, under a newer revision
    after = revision(app, applicant.account_id)
    assert after == checked + 2
    changed = wait_for(lambda: broker.events("profile.party.changed",
                                             account_id=applicant.account_id, revision=after))
    assert [(c["name"], c["date_of_birth"]) for c in changed[0]["body"]["cohabitants"]] == [
        ("李美玲", "1987-05-06")]

    # a redelivery, and the same submission's event for another date, change nothing
    assert consumer.process(event) is False
    assert consumer.process(submitted(applicant, checked, [spouse], day="2026-11-22"))
    assert revision(app, applicant.account_id) == after


def test_r6_3_a_delete_and_an_add_racing_the_application_are_undone(registered, consumer, app):
    applicant, spouse = applicant_with_spouse(registered)
    applied_party = party_of(applicant)
    checked = revision(app, applicant.account_id)
    assert applicant.call("delete", f"/me/cohabitants/{spouse['cohabitant_id']}"
                          ).status_code == 204
    # the same document again as a new cohabitant, and a child
    again = applicant.call("post", "/me/cohabitants", json=payloads.spouse(
        name="李美", document_number=spouse["document_number"])).json
    child = applicant.call("post", "/me/cohabitants", json=payloads.child()).json

    assert consumer.process(submitted(applicant, checked, [spouse]))

    assert party_of(applicant) == applied_party
    restored = applicant.call("get", "/me", lang="en").json["lock"]["restored"]
    assert sorted((c["name"], c["action"]) for c in restored["changes"]) == [
        ("李美", "removed"), ("李美玲", "restored"), ("陈小明", "removed")]
    # the removed ones are gone for good: the locked API finds them no more
    response = applicant.call("delete", f"/me/cohabitants/{child['cohabitant_id']}", lang="en")
    assert response.status_code == 404
    assert again["cohabitant_id"] not in [c[0] for c in party_of(applicant)]


def test_r6_3_documents_swapped_between_cohabitants_come_back_without_a_collision(
        registered, consumer, app):
    """One live cohabitant per document (a unique index): the put-back must not collide."""
    applicant, spouse = applicant_with_spouse(registered)
    child = applicant.call("post", "/me/cohabitants", json=payloads.child()).json
    applied_party = party_of(applicant)
    checked = revision(app, applicant.account_id)
    for who, number in ((spouse, payloads.hk_number()), (child, spouse["document_number"]),
                        (spouse, child["document_number"])):
        body = (payloads.spouse if who is spouse else payloads.child)(
            document_number=number, date_of_birth=who["date_of_birth"])
        response = applicant.call("put", f"/me/cohabitants/{who['cohabitant_id']}", json=body)
        assert response.status_code == 200, response.json
    assert [c[2] for c in party_of(applicant)] == [child["document_number"],
                                                   spouse["document_number"]]

    assert consumer.process(submitted(applicant, checked, [spouse, child]))

    assert party_of(applicant) == applied_party


def test_r6_3_an_edit_sent_to_review_is_put_back_with_its_case_withdrawn(registered, consumer,
                                                                        app):
    applicant, spouse = applicant_with_spouse(registered)
    checked = revision(app, applicant.account_id)
    # R6.5: a child on a permit without an identity card goes to a reviewer
    applicant.call("put", f"/me/cohabitants/{spouse['cohabitant_id']}",
                   json=payloads.permit_child_without_id_card())
    assert applicant.me()["cohabitants"][0]["review_state"] == "in_review"

    assert consumer.process(submitted(applicant, checked, [spouse]))

    assert applicant.me()["cohabitants"][0]["review_state"] == "approved"
    with app.extensions["hs"].sessions() as session:
        cases = session.scalars(select(ReviewCase).where(
            ReviewCase.subject_id == spouse["cohabitant_id"])).all()
    assert [case.state for case in cases] == ["withdrawn"]
    assert cases[0].decided_by == "system:r6_3"


def test_r6_3_lock_first_then_nothing_to_undo(registered, consumer, app):
    """The other order: the event is here before any change, which the lock refuses."""
    applicant, spouse = applicant_with_spouse(registered)
    checked = revision(app, applicant.account_id)
    assert consumer.process(submitted(applicant, checked, [spouse]))
    response = applicant.call("put", f"/me/cohabitants/{spouse['cohabitant_id']}", lang="en",
                              json=payloads.spouse(name="李美"))
    assert response.status_code == 409
    assert response.json["error"]["code"] == "cohabitants.locked"
    assert revision(app, applicant.account_id) == checked
    assert applicant.me()["lock"]["restored"] is None


def test_r6_3_the_earliest_application_of_the_period_decides_whatever_the_order(
        registered, consumer, app):
    """Two submissions of one period, the second made after a racing edit reached booking:
    profile ends on the first one's party even when its event arrives last."""
    applicant, spouse = applicant_with_spouse(registered)
    first = revision(app, applicant.account_id)
    applicant.call("put", f"/me/cohabitants/{spouse['cohabitant_id']}",
                   json=payloads.spouse(name="李美", document_number=spouse["document_number"]))
    second = revision(app, applicant.account_id)
    assert consumer.process(submitted(applicant, second, [spouse], day="2026-11-23"))
    assert [c[1] for c in party_of(applicant)] == ["李美"]
    assert consumer.process(submitted(applicant, first, [spouse], day="2026-11-21"))
    assert [c[1] for c in party_of(applicant)] == ["李美玲"]


def test_r6_3_the_unlock_at_publication_still_frees_the_cohabitants(registered, consumer, app):
    applicant, spouse = applicant_with_spouse(registered)
    checked = revision(app, applicant.account_id)
    applicant.call("delete", f"/me/cohabitants/{spouse['cohabitant_id']}")
    period = "2026-11-19"
    assert consumer.process(submitted(applicant, checked, [spouse], period=period))
    assert applicant.me()["lock"]["restored"]["period"] == period

    assert consumer.process(Event(type="lottery.results.published", producer="lottery", body={
        "period": period, "seed": "x", "dates": {}, "winners": []}))

    lock = applicant.me()["lock"]
    assert lock["locked"] is False and lock["restored"] is None
    response = applicant.call("put", f"/me/cohabitants/{spouse['cohabitant_id']}",
                              json=payloads.spouse(name="李美",
                                                   document_number=spouse["document_number"]))
    assert response.status_code == 200
    # a late redelivered-looking event of the published period undoes nothing
    assert consumer.process(submitted(applicant, checked, [spouse], period=period))
    assert [c[1] for c in party_of(applicant)] == ["李美"]


def test_r6_3_an_event_without_the_revision_only_locks(registered, consumer, app):
    """Events from before booking named the revision: the lock as before, nothing undone."""
    applicant, spouse = applicant_with_spouse(registered)
    applicant.call("put", f"/me/cohabitants/{spouse['cohabitant_id']}",
                   json=payloads.spouse(name="李美", document_number=spouse["document_number"]))
    event = submitted(applicant, None, [spouse])
    event.body.pop("party_revision")
    assert consumer.process(event)
    assert applicant.me()["lock"]["locked"] is True
    assert [c[1] for c in party_of(applicant)] == ["李美"]
