"""Staff accounts, support requests and the reviewer's password reset (R14.1)."""

import pytest

from services.identity.entrypoints.cli import main as cli_main
from services.identity.tests.integration.conftest import (
    WRONG_CAPTCHA_ANSWER,
    bearer,
    outbox_events,
    random_digits,
)
from shared.testing import auth_header

pytestmark = pytest.mark.integration

HRP = "hk_macao_resident_permit"


def test_create_staff_and_log_in_with_document_type_staff(api, identity_database, capsys):
    username = f"Reviewer.{random_digits(6)}"
    assert cli_main(["create-staff", "--role", "reviewer", "--username", username,
                     "--password", "review123"]) == 0
    assert "staff" in capsys.readouterr().out
    body = api.login("staff", f"  {username.upper()} ", "review123").get_json()
    assert body["account"]["roles"] == ["reviewer"]
    assert body["update_required"] is False
    assert cli_main(["create-staff", "--role", "admin", "--username", "x" + username,
                     "--password", "weak"]) == 2


@pytest.mark.parametrize("lang,message", [("zh-Hans", "用户名或密码错误"),
                                          ("zh-Hant", "用戶名或密碼錯誤"),
                                          ("en", "Wrong username or password")])
def test_staff_wrong_password_names_the_username_not_a_document(api, identity_database,
                                                                  capsys, lang, message):
    """The staff form asks for a username: its refusal must not speak of a document number."""
    username = f"operator.{random_digits(6)}"
    assert cli_main(["create-staff", "--role", "operator", "--username", username,
                     "--password", "operate123"]) == 0
    capsys.readouterr()
    for attempt in (api.login("staff", username, "wrong9999", lang=lang),
                    api.login("staff", "nobody" + random_digits(6), "operate123", lang=lang)):
        assert attempt.status_code == 401
        error = attempt.get_json()["error"]
        assert (error["code"], error["field"], error["message"]) == (
            "login.invalid_staff", "password", message)


def test_r14_1_support_request_stored_and_published(api, client, sessions):
    challenge = api.captcha()
    number = "H" + random_digits(8)
    response = client.post("/api/identity/support-requests", headers={"X-Lang": "en"}, json={
        "kind": "forgot_password", "contact_email": "chan@example.com",
        "message": "I forgot my password", "document_type": HRP, "document_number": number,
        "captcha_id": challenge["captcha_id"], "captcha_answer": challenge["answer"]})
    assert response.status_code == 201, response.get_json()
    request_id = response.get_json()["request_id"]
    events = [e for e in outbox_events(sessions, "identity.support.requested")
              if e["request_id"] == request_id]
    assert len(events) == 1
    event = events[0]
    assert (event["kind"], event["contact_email"], event["message"], event["lang"]) == (
        "forgot_password", "chan@example.com", "I forgot my password", "en")
    assert event["masked_document"] == number[:3] + "****" + number[-2:]
    assert number not in str(event)


@pytest.mark.parametrize("changes,field,code", [
    ({"kind": "complaint"}, "kind", "field.one_of"),
    ({"contact_email": "not-an-email"}, "contact_email", "field.email"),
    ({"message": "   "}, "message", "field.required"),
    ({"captcha_answer": WRONG_CAPTCHA_ANSWER}, "captcha_answer", "captcha.wrong"),
])
def test_r14_1_support_request_field_errors(api, client, changes, field, code):
    challenge = api.captcha()
    body = {"kind": "problem", "contact_email": "a@example.com", "message": "help",
            "captcha_id": challenge["captcha_id"], "captcha_answer": challenge["answer"]}
    body.update(changes)
    response = client.post("/api/identity/support-requests", json=body)
    assert response.status_code == 400
    assert response.get_json()["error"]["fields"][field]["code"] == code


def test_r14_1_reviewer_resets_a_password_after_checking_identity(api, client):
    number = "H" + random_digits(8)
    registered = api.register(document_number=number).get_json()
    account_id = registered["account"]["id"]
    reviewer = auth_header("reviewer-1", ["reviewer"])
    found = client.get(f"/api/identity/staff/accounts?document_type={HRP}"
                       f"&document_number={number.lower()}", headers=reviewer)
    assert found.status_code == 200
    assert found.get_json()["id"] == account_id
    assert found.get_json()["document_number"] == number
    reset = client.post(f"/api/identity/staff/accounts/{account_id}/password", json={},
                        headers=reviewer)
    assert reset.status_code == 200
    temporary = reset.get_json()["temporary_password"]
    assert api.login(HRP, number, "abcd1234").status_code == 401
    assert api.login(HRP, number, temporary).status_code == 200
    # the old session is revoked
    assert client.get("/api/identity/accounts/me",
                      headers=bearer(registered["access_token"])).status_code == 401
    chosen = client.post(f"/api/identity/staff/accounts/{account_id}/password",
                         json={"new_password": "short"}, headers=reviewer)
    assert chosen.status_code == 400
    assert chosen.get_json()["error"]["fields"]["new_password"]["code"] == "password.too_short"


def test_r14_1_only_reviewers_reset_passwords(api, client):
    registered = api.register().get_json()
    account_id = registered["account"]["id"]
    for headers, status in [({}, 401), (bearer(registered["access_token"]), 403),
                            (auth_header("op", ["operator"]), 403)]:
        response = client.post(f"/api/identity/staff/accounts/{account_id}/password", json={},
                               headers=headers)
        assert response.status_code == status
    admin = client.post(f"/api/identity/staff/accounts/{account_id}/password", json={},
                        headers=auth_header("admin-1", ["admin"]))
    assert admin.status_code == 200  # admin implies reviewer
    missing = client.post("/api/identity/staff/accounts/no-such-id/password", json={},
                          headers=auth_header("admin-1", ["admin"]))
    assert missing.status_code == 404
