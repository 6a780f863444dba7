"""Registration through the API against real PostgreSQL (R2.2–R2.4, R1.2)."""

import dataclasses

import pytest

from services.identity.entrypoints.app import create_app
from services.identity.tests.integration.conftest import (
    WRONG_CAPTCHA_ANSWER,
    bearer,
    outbox_events,
    random_digits,
)
from shared.auth import endpoints_without_access_rule
from shared.config import load_settings

pytestmark = pytest.mark.integration

LANGS = ("zh-Hans", "zh-Hant", "en")


def _field_error(response, field):
    body = response.get_json()
    assert response.status_code == 400, body
    assert body["error"]["code"] == "error.validation"
    return body["error"]["fields"][field]


def test_every_endpoint_declares_who_may_call_it(app):
    assert endpoints_without_access_rule(app) == []


def test_r2_3_registration_logs_the_user_in(api, client, sessions):
    number = "H" + random_digits(8)
    response = api.register(document_number=number)
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["account"]["roles"] == ["applicant"]
    assert body["account"]["document_type"] == "hk_macao_resident_permit"
    assert body["account"]["masked_document"] == number[:3] + "****" + number[-2:]
    assert body["refresh_token"]
    me = client.get("/api/identity/accounts/me", headers=bearer(body["access_token"]))
    assert me.status_code == 200
    assert me.get_json()["document_number"] == number
    assert me.get_json()["update_required"] is False
    events = [e for e in outbox_events(sessions, "identity.account.registered")
              if e["account_id"] == body["account"]["id"]]
    assert len(events) == 1
    assert events[0]["document_number"] == number
    assert events[0]["nationality"] == "HK"
    assert events[0]["lang"] == "zh-Hans"
    assert events[0]["registered_at"]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("changes,field,code", [
    ({"document_number": "H1234567"}, "document_number",
     "document.format.hk_macao_resident_permit"),
    ({"document_number": "C12345678"}, "document_number",
     "document.looks_like.mainland_travel_permit"),
    ({"document_number": "H1234567801"}, "document_number", "document.renewal_count"),
    ({"nationality": "CN", "document_type": "mainland_travel_permit",
      "document_number": "CI1234567"}, "document_number",
     "document.format.mainland_travel_permit"),
    ({"nationality": "TW", "document_type": "taiwan_resident_permit",
      "document_number": "1234567801(B)"}, "document_number", "document.issue_count"),
    ({"nationality": "CN", "document_type": "cn_passport", "document_number": "E1234567"},
     "document_number", "document.format.cn_passport"),
    ({"nationality": "US", "document_type": "passport", "document_number": "ABCDEFG"},
     "document_number", "document.format.passport"),
    ({"nationality": "HK", "document_type": "passport"}, "document_type",
     "document_type.not_for_nationality"),
    ({"password": "abc123", "password_confirmation": "abc123"}, "password",
     "password.too_short"),
    ({"password": "abcdefghij", "password_confirmation": "abcdefghij"}, "password",
     "password.needs_letters_and_digits"),
    ({"password_confirmation": "abcd12345"}, "password_confirmation",
     "password_confirmation.mismatch"),
    ({"password_confirmation": ""}, "password_confirmation", "field.required"),
    ({"consent": False}, "consent", "consent.required"),
    ({"consent": "yes"}, "consent", "field.boolean"),  # only a JSON true consents
    ({"consent": 1}, "consent", "field.boolean"),
    ({"document_number": ""}, "document_number", "field.required"),
    ({"document_number": "   "}, "document_number", "field.required"),
    ({"nationality": ""}, "nationality", "field.required"),
    ({"nationality": "ZZ"}, "nationality", "nationality.unknown"),
    ({"document_type": ""}, "document_type", "field.required"),
])
def test_r2_2_field_errors_named_and_localized(api, app, lang, changes, field, code):
    """R2.2.3–R2.2.7, R1.2: each wrong field gives its own error in the chosen language."""
    error = _field_error(api.register(lang=lang, **changes), field)
    assert error["code"] == code
    assert error["message"] == app.extensions["hs"].catalog.translate(code, lang)
    assert error["message"] != code


def test_r1_2_messages_differ_per_language(api):
    messages = {lang: _field_error(api.register(lang=lang, consent=False), "consent")["message"]
                for lang in LANGS}
    assert messages == {"zh-Hans": "请阅读并勾选知悉承诺", "zh-Hant": "請閲讀並勾選知悉承諾",
                        "en": "Please read and tick the declaration"}


@pytest.mark.parametrize("lang", LANGS)
def test_r2_2_missing_consent_field_is_required(api, client, lang):
    body = api.registration()
    del body["consent"]
    response = client.post("/api/identity/registrations", json=body, headers={"X-Lang": lang})
    error = _field_error(response, "consent")
    assert error["code"] == "field.required"
    assert error["message"] == {"zh-Hans": "此项为必填项", "zh-Hant": "此項為必填項",
                                "en": "This field is required"}[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_r2_2_6_wrong_captcha(api, app, lang):
    error = _field_error(api.register(lang=lang, captcha_answer=WRONG_CAPTCHA_ANSWER), "captcha_answer")
    assert error["code"] == "captcha.wrong"
    assert error["message"] == app.extensions["hs"].catalog.translate("captcha.wrong", lang)


@pytest.mark.parametrize("lang", LANGS)
def test_r2_2_6_captcha_is_single_use(api, client, lang):
    body = api.registration()
    assert client.post("/api/identity/registrations", json=body).status_code == 201
    again = dict(body, document_number="H" + random_digits(8))
    error = _field_error(client.post("/api/identity/registrations", json=again,
                                     headers={"X-Lang": lang}), "captcha_answer")
    assert error["code"] == "captcha.used"


def test_r2_2_6_wrong_answer_spends_the_captcha(api, client):
    body = api.registration()
    right = body["captcha_answer"]
    wrong = client.post("/api/identity/registrations", json=dict(body, captcha_answer=WRONG_CAPTCHA_ANSWER))
    assert _field_error(wrong, "captcha_answer")["code"] == "captcha.wrong"
    retry = client.post("/api/identity/registrations", json=dict(body, captcha_answer=right))
    assert _field_error(retry, "captcha_answer")["code"] == "captcha.used"


@pytest.mark.parametrize("lang", LANGS)
def test_r2_2_6_captcha_expires_after_five_minutes(api, client, clock, lang):
    clock.set(clock.now())
    body = api.registration()
    clock.set(clock.now().replace(microsecond=0) + __import__("datetime").timedelta(minutes=5,
                                                                                 seconds=1))
    error = _field_error(client.post("/api/identity/registrations", json=body,
                                     headers={"X-Lang": lang}), "captcha_answer")
    assert error["code"] == "captcha.expired"


def test_r2_2_6_unknown_captcha(api, client):
    body = api.registration(captcha_id="not-a-captcha")
    error = _field_error(client.post("/api/identity/registrations", json=body),
                         "captcha_answer")
    assert error["code"] == "captcha.unknown"


def test_r2_2_6_captcha_answer_only_outside_production(identity_database):
    test_mode = create_app().test_client().post("/api/identity/captchas").get_json()
    assert test_mode["answer"]
    production = dataclasses.replace(load_settings("identity"), mode="production")
    app = create_app(production)
    body = app.test_client().post("/api/identity/captchas").get_json()
    assert "answer" not in body
    assert body["image"].startswith("data:image/png;base64,")
    assert body["expires_in"] == 300
    assert body["captcha_id"]
    app.extensions["hs"].engine.dispose()


@pytest.mark.parametrize("lang", LANGS)
def test_r2_4_duplicate_document_after_normalization(api, app, lang):
    digits = random_digits(8)
    assert api.register(document_number=f"H{digits}").status_code == 201
    spaced = f"h {digits[:4]} {digits[4:]}"
    response = api.register(lang=lang, document_number=spaced)
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["field"] == "document_number"
    assert error["fields"]["document_number"]["code"] == "account.document_exists"
    assert error["message"] == app.extensions["hs"].catalog.translate(
        "account.document_exists", lang)
    full_width = "ｈ" + "".join(chr(ord(c) + 0xFEE0) for c in digits)
    assert api.register(document_number=full_width).status_code == 409


def test_r2_4_same_number_under_another_type_is_another_document(api):
    digits = random_digits(8)
    assert api.register(nationality="TW", document_type="taiwan_resident_permit",
                        document_number=digits).status_code == 201
    assert api.register(nationality="TW", document_type="taiwan_resident_permit",
                        document_number=digits).status_code == 409


def test_r2_2_catalogue_lists_regions_types_and_consent(client):
    body = client.get("/api/identity/catalogue").get_json()
    regions = {n["code"]: n for n in body["nationalities"]}
    assert regions["HK"]["names"] == {"zh-Hans": "中国香港", "zh-Hant": "中國香港",
                                      "en": "Hong Kong, China"}
    assert [t["code"] for t in regions["CN"]["document_types"]] == [
        "mainland_travel_permit", "cn_passport"]
    assert "passport" in [t["code"] for t in regions["PH"]["document_types"]]
    nested = regions["HK"]["document_types"][0]
    assert nested["names"]["zh-Hant"] == "港澳居民來往內地通行證"
    assert nested["example"] == "H12345678"
    types = {t["code"]: t for t in body["document_types"]}
    assert types["hk_macao_resident_permit"]["names"]["zh-Hans"] == "港澳居民来往内地通行证"
    assert set(types["passport"]["format_hint"]) == set(LANGS)
    assert body["consent_text"]["zh-Hans"] == (
        "我已阅知申报所列事项，同意授权采集相关信息用于疫情联防联控，承诺为填报信息的真实性负责")


def test_bad_json_is_a_400_not_a_500(client):
    response = client.post("/api/identity/registrations", data="{not json",
                           content_type="application/json")
    assert response.status_code == 400


def test_openapi_document_describes_the_endpoints(client):
    spec = client.get("/api/identity/openapi.json").get_json()
    assert "/api/identity/registrations" in spec["paths"]
    assert "400" in spec["paths"]["/api/identity/registrations"]["post"]["responses"]


def test_r7_4_captcha_id_is_a_token_another_service_can_check(api):
    """Booking checks identity's captchas itself (shared/captcha_token.py), with the shared key:
    the id identity hands out verifies with the shown answer, in any case, and only with it."""
    from datetime import UTC, datetime

    from shared import captcha_token
    from shared.config import load_settings
    from shared.keys import hmac_key

    key = hmac_key(load_settings("identity"), "captcha")
    challenge = api.captcha()
    now = datetime.now(UTC)
    verdict = captcha_token.check(key, challenge["captcha_id"], challenge["answer"].lower(), now)
    assert verdict.problem is None and verdict.challenge_id in challenge["captcha_id"]
    assert captcha_token.check(key, challenge["captcha_id"], WRONG_CAPTCHA_ANSWER, now).problem == \
        "captcha.wrong"
