"""Who may call what: an applicant sees and changes only their own data (ids guessed or taken
from another account change nothing), and cannot call reviewer or operator endpoints."""

import uuid

import pytest

from services.profile.entrypoints.app import create_app
from services.profile.tests.integration import payloads
from shared.auth import endpoints_without_access_rule
from shared.testing import auth_header

pytestmark = pytest.mark.integration


def test_every_endpoint_declares_who_may_call_it(app):
    assert endpoints_without_access_rule(app) == []
    assert endpoints_without_access_rule(create_app(verification_source="reference_list")) == []


def test_an_applicant_cannot_read_or_change_another_applicants_cohabitants(registered, client):
    owner, intruder = registered(), registered()
    for applicant in (owner, intruder):
        assert applicant.call("put", "/me/personal-info",
                              json=payloads.personal_info()).status_code == 200
    created = owner.call("post", "/me/cohabitants", json=payloads.spouse()).json
    target = created["cohabitant_id"]

    assert intruder.call("put", f"/me/cohabitants/{target}",
                         json=payloads.spouse(name="冒名")).status_code == 404
    assert intruder.call("delete", f"/me/cohabitants/{target}").status_code == 404
    assert intruder.call("delete", f"/me/cohabitants/{uuid.uuid4()}").status_code == 404
    assert intruder.me()["cohabitants"] == []
    theirs = owner.me()["cohabitants"]
    assert [(c["cohabitant_id"], c["name"]) for c in theirs] == [(target, "李美玲")]


def test_the_account_comes_from_the_token_never_from_the_body(registered):
    owner, intruder = registered(), registered()
    response = intruder.call("put", "/me/personal-info",
                             json={**payloads.personal_info(), "account_id": owner.account_id})
    assert response.status_code == 400
    assert "account_id" in response.json["error"]["fields"]
    assert owner.me()["person"] is None


def test_applicants_cannot_call_reviewer_or_operator_endpoints(registered, client):
    applicant = registered()
    headers = applicant.headers
    case = str(uuid.uuid4())
    for method, path in (("get", "/review/cases"), ("get", f"/review/cases/{case}"),
                         ("post", f"/review/cases/{case}/approve"),
                         ("post", f"/review/cases/{case}/reject"),
                         ("post", "/reference-documents"), ("get", "/reference-documents")):
        response = getattr(client, method)(f"/api/profile{path}", headers=headers, json={})
        assert response.status_code == 403, (method, path)
        assert response.json["error"]["code"] == "auth.forbidden"


def test_without_a_token_nothing_but_the_options(client):
    assert client.get("/api/profile/me").status_code == 401
    assert client.get("/api/profile/review/cases").status_code == 401
    options = client.get("/api/profile/options", headers={"X-Lang": "en"}).json
    assert len([p for p in options["origins"] if p["region"] == "HK"]) == 18
    assert {p["region"] for p in options["origins"]} == {"HK", "MO"}
    assert all(p["region"] == "SZ" for p in options["destinations"])
    assert options["consent_text"]["zh-Hans"] == options["consent_text_zh_hans"]


def test_reviewers_do_not_get_applicant_endpoints(client):
    headers = auth_header("staff-1", ["reviewer"])
    assert client.get("/api/profile/me", headers=headers).status_code == 403


def test_the_options_answer_is_the_one_its_openapi_document_describes(app):
    """Found by tests/e2e/test_api_contracts.py: GET /options documented no 200 response, so its
    answer was checked against the error schema. The browser client relies on this contract."""
    import schemathesis
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

    schema = schemathesis.openapi.from_wsgi("/api/profile/openapi.json", app)
    operation = schema["/api/profile/options"]["GET"]
    assert "200" in operation.definition.raw["responses"]
    for lang in ("zh-Hans", "zh-Hant", "en"):
        case = operation.Case(headers={"X-Lang": lang})
        case.call_and_validate(checks=[not_a_server_error, status_code_conformance,
                                       response_schema_conformance])
