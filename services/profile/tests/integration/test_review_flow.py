"""R4.3 with the reference-list verification source: what the list confirms is approved, the
rest waits for a reviewer; a rejection carries a reason in the user's language, the user
corrects and resubmits, and every state change is recorded with who and when."""

import subprocess
import sys

import pytest

from services.profile.entrypoints.app import create_app
from services.profile.tests.integration import payloads
from services.profile.tests.integration.conftest import Applicant, reviewer_headers
from shared.config import REPO_ROOT
from shared.testing import auth_header

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def listed_client(settings, frozen_clock):
    return create_app(settings, verification_source="reference_list").test_client()


def open_case_of(client, account_id):
    queue = client.get("/api/profile/review/cases?state=open&limit=200",
                       headers=reviewer_headers()).json["cases"]
    mine = [c for c in queue if c["account_id"] == account_id]
    assert len(mine) == 1, mine
    return mine[0]


def test_rejected_with_a_reason_corrected_and_approved_by_the_reference_list(
        registered, listed_client):
    applicant = registered()
    applicant = Applicant(listed_client, applicant.account_id)
    response = applicant.call("put", "/me/personal-info",
                              json=payloads.personal_info(name="陈大问"))
    assert response.json["person"]["review_state"] == "in_review"  # not on the list
    case = open_case_of(listed_client, applicant.account_id)
    assert case["case_reason"] == "reference_not_found"
    assert "*" in case["masked_document"]

    response = listed_client.post(f"/api/profile/review/cases/{case['case_id']}/reject",
                                  headers=reviewer_headers(),
                                  json={"reason_code": "name_mismatch", "note": "见证件"})
    assert response.status_code == 200
    for lang, start in (("zh-Hans", "姓名与证件不符"), ("zh-Hant", "姓名與證件不符"),
                        ("en", "The name does not match")):
        person = applicant.call("get", "/me", lang=lang).json["person"]
        assert person["review_state"] == "rejected"
        assert person["rejection"]["message"].startswith(start)
        assert person["rejection"]["note"] == "见证件"

    # an operator imports the reference list; the user corrects the name and resubmits
    number = applicant.me()["account"]["document_number"]
    csv = ("document_type,document_number,name,date_of_birth\n"
           f"hk_macao_resident_permit,{number},陈大文,1985-03-02\n")
    imported = listed_client.post("/api/profile/reference-documents", data=csv,
                                  headers=auth_header("op-1", ["operator"]),
                                  content_type="text/csv")
    assert imported.status_code == 200 and imported.json["imported"] == 1
    response = applicant.call("put", "/me/personal-info", json=payloads.personal_info())
    assert response.json["person"]["review_state"] == "approved"
    assert response.json["person"]["rejection"] is None

    detail = listed_client.get(f"/api/profile/review/cases/{case['case_id']}",
                               headers=reviewer_headers()).json
    steps = [(h["to_state"], h["actor"].split(":")[0]) for h in detail["history"]]
    assert steps == [("submitted", "applicant"), ("in_review", "system"),
                     ("rejected", "reviewer"), ("submitted", "applicant"),
                     ("approved", "system")]
    assert all(h["at"] for h in detail["history"])
    assert detail["history"][2]["reason_code"] == "name_mismatch"
    # who, readably (the review page shows it): the applicant by name, the others by kind
    assert [(h["actor_kind"], h["actor_name"]) for h in detail["history"]] == [
        ("applicant", "陈大文"), ("system", None), ("reviewer", None), ("applicant", "陈大文"),
        ("system", None)]
    assert detail["history"][1]["actor_id"] == "reference_list"


def test_reject_needs_a_reason_from_the_list(registered, listed_client):
    applicant = Applicant(listed_client, registered().account_id)
    applicant.call("put", "/me/personal-info", json=payloads.personal_info(name="王五"))
    case = open_case_of(listed_client, applicant.account_id)
    response = listed_client.post(f"/api/profile/review/cases/{case['case_id']}/reject",
                                  headers=reviewer_headers("en"), json={"reason_code": "rude"})
    assert response.status_code == 400
    assert "reason_code" in response.json["error"]["fields"]
    assert applicant.me()["person"]["review_state"] == "in_review"


def test_editing_only_contact_fields_keeps_the_approval(registered):
    applicant = registered()
    applicant.call("put", "/me/personal-info", json=payloads.personal_info())
    response = applicant.call("put", "/me/personal-info", json=payloads.personal_info(
        hk_mobile=None, mainland_mobile="13812345678", destination="SZ-NS"))
    assert response.json["person"]["review_state"] == "approved"
    assert response.json["person"]["mainland_mobile"] == "13812345678"


def test_deleting_a_cohabitant_in_review_withdraws_its_case(registered, client):
    applicant = registered()
    applicant.call("put", "/me/personal-info", json=payloads.personal_info())
    child = applicant.call("post", "/me/cohabitants",
                           json=payloads.permit_child_without_id_card()).json
    case = open_case_of(client, applicant.account_id)
    assert applicant.call("delete", f"/me/cohabitants/{child['cohabitant_id']}").status_code == 204
    detail = client.get(f"/api/profile/review/cases/{case['case_id']}",
                        headers=reviewer_headers()).json
    assert detail["state"] == "withdrawn"
    approve = client.post(f"/api/profile/review/cases/{case['case_id']}/approve",
                          headers=reviewer_headers(), json={})
    assert approve.status_code == 409
    assert applicant.me()["cohabitants"] == []


def test_operator_cli_imports_the_reference_list(tmp_path, settings):
    path = tmp_path / "refs.csv"
    path.write_text("document_type,document_number,name,date_of_birth\n"
                    "taiwan_resident_permit,87654321,林小华,1990-01-01\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "services.profile.entrypoints.cli",
                          "import-references", str(path)], cwd=REPO_ROOT,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("imported 1 documents")
    path.write_text("document_type,document_number,name\ntaiwan_resident_permit,1,x\n", encoding="utf-8")
    bad = subprocess.run([sys.executable, "-m", "services.profile.entrypoints.cli",
                          "import-references", str(path)], cwd=REPO_ROOT,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode == 1 and ":2:" in bad.stderr
