"""Review, R4.3 / R6.4 / R6.5: automatic checks, then a verification source, then the queue."""

from datetime import date

from services.profile.domain import documents as docs
from services.profile.domain import review
from services.profile.domain.party import eligible
from services.profile.tests.helpers import id_card

TODAY = date(2026, 12, 4)
SUBJECT = review.Subject(kind="person", nationality="HK", document_type=docs.HK_MACAU_PERMIT,
                         document_number="H12345678", name="陈大文", sex="male",
                         date_of_birth=date(1985, 3, 2), document_expiry=date(2030, 1, 1))


def with_(**changes):
    from dataclasses import replace
    return replace(SUBJECT, **changes)


def test_r4_3_default_source_approves_what_passes_the_checks():
    decision = review.decide(SUBJECT, TODAY, review.ApproveWhatPasses())
    assert decision.state == review.APPROVED and decision.actor == "system:checks"


def test_r4_3_expired_document_is_rejected_with_a_reason():
    decision = review.decide(with_(document_expiry=date(2026, 12, 3)), TODAY,
                             review.ApproveWhatPasses())
    assert (decision.state, decision.reason_code) == (review.REJECTED, "document_expired")


def test_r4_3_nonconforming_document_from_identity_is_rejected():
    decision = review.decide(with_(document_number="H1234567801X"), TODAY,
                             review.ApproveWhatPasses())
    assert decision.reason_code == "document_format"
    decision = review.decide(with_(nationality="TW"), TODAY, review.ApproveWhatPasses())
    assert decision.reason_code == "document_type_nationality"


def test_r4_3_implausible_age_and_identity_card_mismatch():
    assert review.automatic_checks(with_(date_of_birth=date(1890, 1, 1)), TODAY) == [
        "birth_date_implausible"]
    card = id_card(date(1985, 3, 2), sequence="124")
    found = review.automatic_checks(with_(nationality="CN", document_type=docs.CN_ID_CARD,
                                          document_number=card), TODAY)
    assert found == ["sex_mismatch"]


def test_r6_5_manual_case_goes_to_the_queue_even_with_an_approving_source():
    decision = review.decide(with_(manual_case=review.CASE_R6_5), TODAY,
                             review.ApproveWhatPasses())
    assert (decision.state, decision.case_reason) == (review.IN_REVIEW, review.CASE_R6_5)


def test_r6_5_failing_checks_still_reject_before_manual_review():
    decision = review.decide(with_(manual_case=review.CASE_R6_5,
                                   document_expiry=date(2020, 1, 1)), TODAY,
                             review.ApproveWhatPasses())
    assert decision.state == review.REJECTED


def test_unknown_document_type_from_identity_goes_to_a_reviewer():
    decision = review.decide(with_(document_type="military_id"), TODAY,
                             review.ApproveWhatPasses())
    assert (decision.state, decision.case_reason) == (review.IN_REVIEW,
                                                      review.CASE_UNKNOWN_DOCUMENT)


def test_r4_3_reference_list_source():
    entries = {(docs.HK_MACAU_PERMIT, "H12345678"): review.ReferenceEntry("陈大文",
                                                                            date(1985, 3, 2))}
    source = review.ReferenceList(lambda t, n: entries.get((t, n)))
    assert review.decide(SUBJECT, TODAY, source).state == review.APPROVED
    assert review.decide(SUBJECT, TODAY, source).actor == "system:reference_list"
    missing = review.decide(with_(document_number="H00000000"), TODAY, source)
    assert (missing.state, missing.case_reason) == (review.IN_REVIEW,
                                                    review.CASE_REFERENCE_MISSING)
    mismatch = review.decide(with_(name="陈小文"), TODAY, source)
    assert (mismatch.state, mismatch.case_reason, mismatch.note) == (
        review.IN_REVIEW, review.CASE_REFERENCE_MISMATCH, "name")


def test_r6_4_r7_1_eligible_only_when_everyone_is_approved():
    assert eligible("approved", [])
    assert eligible("approved", ["approved", "approved"])
    assert not eligible("approved", ["approved", "in_review"])
    assert not eligible("rejected", [])
    assert not eligible(None, [])


def test_r4_3_history_actor_is_split_into_kind_and_who():
    assert review.actor_parts("reviewer:3f2a") == ("reviewer", "3f2a")
    assert review.actor_parts("system:reference_list") == ("system", "reference_list")
    assert review.actor_parts("legacy-import") == ("", "legacy-import")
