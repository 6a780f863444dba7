"""The legacy-account path end to end through the Flask test client (R3.1–R3.4)."""

import csv
import io

import pytest

from services.identity.entrypoints.cli import import_legacy
from services.identity.service_layer import handlers
from services.identity.tests.integration.conftest import bearer, outbox_events, random_digits
from shared.auth import requires

pytestmark = pytest.mark.integration

HRP = "hk_macao_resident_permit"
R3_1 = "您当前登录的账号证件信息格式有误，请按要求更新信息"


def _import(tmp_path, sessions, clock, rows):
    path = tmp_path / "legacy.csv"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["nationality", "document_type", "document_number",
                         "password_hash_or_password", "registered_at"])
        writer.writerows(rows)
    out = io.StringIO()
    counts = import_legacy(str(path), sessions, clock.now(), out=out)
    return counts, out.getvalue()


def test_r3_legacy_account_updates_once_and_logs_in_with_the_new_document(
        api, client, sessions, clock, tmp_path):
    old_digits = random_digits(8)
    legacy_number = f"H{old_digits}03"  # old form: 回乡证 + 2-digit renewal count
    taken_number = "H" + random_digits(8)
    assert api.register(document_number=taken_number).status_code == 201
    counts, report = _import(tmp_path, sessions, clock, [
        ["中国香港", "回乡证", legacy_number, "oldpass1", "2021-02-01T10:00:00"],
        ["HK", HRP, legacy_number, "again123", ""],  # duplicate in the same file
        ["HK", HRP, "", "x", ""],  # unusable row
    ])
    assert counts == {"imported": 1, "duplicate": 1, "invalid": 1}
    assert "line 3" in report and "line 4" in report
    assert legacy_number not in report  # masked in the operator's report too

    # R3.1: on login, the exact notice and a token good only for the update
    login = api.login(HRP, legacy_number, "oldpass1")
    assert login.status_code == 200, login.get_json()
    body = login.get_json()
    assert body["update_required"] is True
    assert body["message"] == R3_1
    assert body["account"]["roles"] == ["legacy-update"]
    en = api.login(HRP, legacy_number, "oldpass1", lang="en").get_json()
    assert en["message"] == ("The document information of the account you logged in with is "
                             "not in the required format; please update it as required")
    token = bearer(body["access_token"])
    me = client.get("/api/identity/accounts/me", headers=token).get_json()
    assert me["update_required"] is True
    assert me["document_number"] == legacy_number
    # every other endpoint answers auth.update_required
    blocked = client.get(f"/api/identity/staff/accounts?document_type={HRP}"
                         f"&document_number={taken_number}", headers=token)
    assert blocked.status_code == 403
    assert blocked.get_json()["error"]["code"] == "auth.update_required"

    # R3.3: a document that already has an account is refused, the account named (masked)
    for lang, text in [("zh-Hans", f"该证件已注册账号 {taken_number[:3]}****"
                                   f"{taken_number[-2:]}，请使用该账号登录"),
                       ("en", f"This document is already registered to the account "
                              f"{taken_number[:3]}****{taken_number[-2:]}; please log in "
                              "with that account")]:
        refused = client.post("/api/identity/accounts/me/document-update", headers={
            **token, "X-Lang": lang}, json={"nationality": "HK", "document_type": HRP,
                                            "document_number": taken_number.lower()})
        assert refused.status_code == 409
        error = refused.get_json()["error"]
        assert error["code"] == "account.document_taken"
        assert error["field"] == "document_number"
        assert error["message"] == text

    # the new document is validated like a registration
    wrong = client.post("/api/identity/accounts/me/document-update", headers=token,
                        json={"nationality": "HK", "document_type": HRP,
                              "document_number": legacy_number})
    assert wrong.status_code == 400
    assert wrong.get_json()["error"]["fields"]["document_number"]["code"] == \
        "document.renewal_count"

    # R3.2: the update, then R3.4: sessions revoked, log in again
    new_number = f"H{old_digits}"
    updated = client.post("/api/identity/accounts/me/document-update", headers=token,
                          json={"nationality": "HK", "document_type": HRP,
                                "document_number": new_number})
    assert updated.status_code == 200, updated.get_json()
    assert updated.get_json() == {"relogin_required": True}
    assert client.get("/api/identity/accounts/me", headers=token).status_code == 401
    assert client.post("/api/identity/sessions/refresh",
                       json={"refresh_token": body["refresh_token"]}).status_code == 401
    assert api.login(HRP, legacy_number, "oldpass1").status_code == 401
    relogin = api.login(HRP, new_number, "oldpass1")
    assert relogin.status_code == 200
    fresh = relogin.get_json()
    assert fresh["update_required"] is False
    assert fresh["account"]["roles"] == ["applicant"]
    assert "message" not in fresh

    # R3.2: a second update is refused
    second = client.post("/api/identity/accounts/me/document-update",
                         headers=bearer(fresh["access_token"]),
                         json={"nationality": "HK", "document_type": HRP,
                               "document_number": "H" + random_digits(8)})
    assert second.status_code == 403
    account_id = fresh["account"]["id"]
    with sessions() as session, pytest.raises(handlers.ApiError) as caught:
        handlers.update_document(session, account_id, "HK", HRP, "H" + random_digits(8),
                                 clock.now())
    assert caught.value.code == "account.update_used"

    changed = [e for e in outbox_events(sessions, "identity.account.document_changed")
               if e["account_id"] == account_id]
    assert changed == [{"account_id": account_id, "nationality": "HK", "document_type": HRP,
                        "document_number": new_number}]
    registered = [e for e in outbox_events(sessions, "identity.account.registered")
                  if e["account_id"] == account_id]
    assert registered[0]["document_number"] == legacy_number


def test_r3_1_imported_conforming_account_logs_in_normally(api, sessions, clock, tmp_path):
    from services.identity.domain.passwords import hash_password

    number = "M" + random_digits(8)
    counts, _ = _import(tmp_path, sessions, clock,
                        [["MO", HRP, number, hash_password("kept1234"), ""]])
    assert counts["imported"] == 1
    body = api.login(HRP, number, "kept1234").get_json()
    assert body["update_required"] is False
    assert body["account"]["roles"] == ["applicant"]


def test_r3_1_number_not_fitting_its_type_is_nonconforming(api, sessions, clock, tmp_path):
    number = "C" + random_digits(8)  # a 往来港澳通行证 number stored as a 回乡证
    _import(tmp_path, sessions, clock, [["HK", HRP, number, "oldpass1", ""]])
    body = api.login(HRP, number, "oldpass1").get_json()
    assert body["update_required"] is True
    assert body["account"]["roles"] == ["legacy-update"]


def test_r3_1_legacy_token_refused_elsewhere_by_shared_auth(api, sessions, clock, tmp_path):
    """Another service's @requires("applicant") route answers 403 auth.update_required."""
    from shared.app import create_service_app

    number = "C" + random_digits(8)
    _import(tmp_path, sessions, clock, [["HK", HRP, number, "oldpass1", ""]])
    token = api.login(HRP, number, "oldpass1").get_json()["access_token"]
    other, _api = create_service_app("profile")

    @other.get("/api/profile/probe")
    @requires("applicant")
    def probe():
        return {"ok": True}

    response = other.test_client().get("/api/profile/probe", headers=bearer(token))
    assert response.status_code == 403
    assert response.get_json()["error"]["code"] == "auth.update_required"
    other.extensions["hs"].engine.dispose()


def test_r3_import_legacy_command(tmp_path, api, capsys):
    """The operator's command: `python -m services.identity.entrypoints.cli import-legacy F`;
    exit 1 when some rows could not be imported, so a script notices."""
    from services.identity.entrypoints.cli import main

    number = "H" + random_digits(10)
    good = tmp_path / "good.csv"
    good.write_text("nationality,document_type,document_number,password_hash_or_password\n"
                    f"HK,{HRP},{number},oldpass1\n", encoding="utf-8")
    assert main(["import-legacy", str(good)]) == 0
    assert "imported 1" in capsys.readouterr().out
    assert api.login(HRP, number, "oldpass1").get_json()["update_required"] is True
    bad = tmp_path / "bad.csv"
    bad.write_text("nationality,document_type,document_number,password_hash_or_password\n"
                   "HK,,H12345678,x\n", encoding="utf-8")
    assert main(["import-legacy", str(bad)]) == 1
    wrong_columns = tmp_path / "wrong.csv"
    wrong_columns.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="missing columns"):
        main(["import-legacy", str(wrong_columns)])
