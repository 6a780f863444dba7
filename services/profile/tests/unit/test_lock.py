"""R6.3: undoing a cohabitant change that raced a successful application (domain/lock.py)."""

from services.profile.domain import lock


def state(cohabitant_id, **changes):
    base = {"cohabitant_id": cohabitant_id, "name": "李美玲", "sex": "female",
            "nationality": "HK", "document_type": "hk_macao_resident_permit",
            "document_number": f"H{cohabitant_id[-1] * 8}", "document_expiry": "2030-01-01",
            "date_of_birth": "1987-05-06", "relation": "spouse", "category": "married_couple",
            "mainland_id_number": None, "no_mainland_id": False, "review_state": "approved",
            "rejection_reason": None, "rejection_note": None}
    return base | changes


SPOUSE, CHILD = state("c1"), state("c2", name="陈小明", relation="child",
                                   category="child_14_under", date_of_birth="2016-08-01")


def test_r6_3_the_same_party_needs_nothing():
    plan = lock.restoration([SPOUSE, CHILD], [SPOUSE, CHILD])
    assert not plan.needed
    assert plan == lock.Restoration()


def test_r6_3_an_edit_after_the_application_is_put_back():
    edited = state("c1", name="李美", review_state="in_review")
    plan = lock.restoration([SPOUSE, CHILD], [edited, CHILD])
    assert plan.needed
    assert plan.put_back == (SPOUSE,)
    assert plan.remove == ()


def test_r6_3_a_change_of_review_state_alone_is_put_back():
    plan = lock.restoration([SPOUSE], [state("c1", review_state="rejected",
                                                rejection_reason="other")])
    assert plan.put_back == (SPOUSE,)


def test_r6_3_a_deleted_cohabitant_comes_back_and_an_added_one_goes():
    added = state("c3", name="陈大文", relation="parent", category="elderly_70_plus")
    plan = lock.restoration([SPOUSE, CHILD], [CHILD, added])
    assert plan.put_back == (SPOUSE,)
    assert plan.remove == ("c3",)


def test_r6_3_a_party_applied_alone_loses_every_cohabitant_added_since():
    plan = lock.restoration([], [SPOUSE, CHILD])
    assert plan.remove == ("c1", "c2")
    assert plan.put_back == ()


def test_r6_3_deleting_then_re_adding_the_same_document_is_undone_by_id():
    """The re-added row is another cohabitant (new id): it goes, the original comes back."""
    again = state("c9", document_number=SPOUSE["document_number"])
    plan = lock.restoration([SPOUSE], [again])
    assert plan.remove == ("c9",)
    assert plan.put_back == (SPOUSE,)


def test_r6_3_the_earliest_application_of_the_period_decides_in_either_order():
    assert lock.deciding_revision(None, 7) == 7
    assert lock.deciding_revision(7, 9) == 7
    assert lock.deciding_revision(9, 7) == 7
    assert lock.deciding_revision(7, None) == 7
    assert lock.deciding_revision(None, None) is None


def test_r6_3_the_snapshot_must_name_the_documents_of_the_events_party():
    applicant = {"document_type": "hk_macao_resident_permit", "document_number": "H12345678"}
    party = [applicant, {"document_type": SPOUSE["document_type"],
                         "document_number": SPOUSE["document_number"]}]
    assert lock.documents_agree([SPOUSE], party)
    assert not lock.documents_agree([SPOUSE, CHILD], party)
    assert not lock.documents_agree([], party)
    assert lock.documents_agree([], [applicant])
