"""Login, back-off, refresh and logout against real PostgreSQL (R2.1)."""

from datetime import timedelta

import pytest

from services.identity.tests.integration.conftest import bearer, random_digits

pytestmark = pytest.mark.integration

HRP = "hk_macao_resident_permit"


def _registered(api, password="abcd1234"):
    number = "H" + random_digits(8)
    response = api.register(document_number=number, password=password,
                            password_confirmation=password)
    assert response.status_code == 201, response.get_json()
    return number, response.get_json()


def test_r2_1_login_by_type_number_and_password(api, client):
    number, registered = _registered(api)
    response = api.login(HRP, f" {number.lower()} ", "abcd1234")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["update_required"] is False
    assert body["account"]["id"] == registered["account"]["id"]
    assert body["account"]["roles"] == ["applicant"]
    me = client.get("/api/identity/accounts/me", headers=bearer(body["access_token"]))
    assert me.get_json()["id"] == registered["account"]["id"]


@pytest.mark.parametrize("lang,message", [("zh-Hans", "证件号码或密码错误"),
                                          ("zh-Hant", "證件號碼或密碼錯誤"),
                                          ("en", "Wrong document number or password")])
def test_r2_1_wrong_password_or_unknown_account_same_answer(api, lang, message):
    number, _ = _registered(api)
    wrong = api.login(HRP, number, "abcd9999", lang=lang)
    unknown = api.login(HRP, "H" + random_digits(8), "abcd1234", lang=lang)
    other_type = api.login("mainland_travel_permit", number, "abcd1234", lang=lang)
    for response in (wrong, unknown, other_type):
        assert response.status_code == 401
        error = response.get_json()["error"]
        assert (error["code"], error["field"], error["message"]) == (
            "login.invalid", "password", message)


def test_r2_1_twenty_wrong_passwords_hold_back_the_21st_even_if_right(api, clock):
    """After 5 failures every further attempt waits (doubling, at most 15 min); after 20 wrong
    in a row the 21st, with the right password, is refused with 429 until the wait passes."""
    number, _ = _registered(api)
    clock.set(clock.now(), frozen=True)
    for attempt in range(1, 21):
        response = api.login(HRP, number, "wrong-pass-1")
        assert response.status_code == 401, (attempt, response.get_json())
        clock.set(clock.now() + timedelta(minutes=15))  # wait out whatever back-off applies
    clock.set(clock.now() - timedelta(minutes=15))  # back to the moment of the 20th failure
    for lang, text in [("zh-Hans", "密码错误次数过多，请900秒后再试"),
                       ("en", "Too many wrong passwords; please try again in 900 seconds")]:
        refused = api.login(HRP, number, "abcd1234", lang=lang)
        assert refused.status_code == 429
        error = refused.get_json()["error"]
        assert error["code"] == "login.locked"
        assert error["params"]["retry_after"] == 900
        assert error["message"] == text
    clock.set(clock.now() + timedelta(minutes=14, seconds=59))
    assert api.login(HRP, number, "abcd1234").status_code == 429
    clock.set(clock.now() + timedelta(seconds=1))
    assert api.login(HRP, number, "abcd1234").status_code == 200
    # success resets the count: the next failure costs nothing
    assert api.login(HRP, number, "wrong-pass-1").status_code == 401
    assert api.login(HRP, number, "abcd1234").status_code == 200


def test_r2_1_rapid_attempts_are_not_at_full_speed(api, clock):
    """Fired without waiting, only the first 5 guesses are checked at all."""
    number, _ = _registered(api)
    clock.set(clock.now(), frozen=True)
    codes = [api.login(HRP, number, "wrong-pass-1").status_code for _ in range(21)]
    assert codes == [401] * 5 + [429] * 16
    assert api.login(HRP, number, "abcd1234").status_code == 429
    clock.set(clock.now() + timedelta(seconds=1))
    assert api.login(HRP, number, "abcd1234").status_code == 200


def test_r2_1_back_off_per_document_leaves_others_alone(api, clock):
    victim, _ = _registered(api)
    other, _ = _registered(api)
    clock.set(clock.now(), frozen=True)
    for _ in range(6):
        api.login(HRP, victim, "wrong-pass-1")
    assert api.login(HRP, victim, "abcd1234").status_code == 429
    assert api.login(HRP, other, "abcd1234").status_code == 200


def test_refresh_rotates_and_a_replayed_token_revokes_the_family(api, client):
    _, registered = _registered(api)
    first = registered["refresh_token"]
    rotated = client.post("/api/identity/sessions/refresh", json={"refresh_token": first})
    assert rotated.status_code == 200, rotated.get_json()
    second = rotated.get_json()
    assert second["account"]["roles"] == ["applicant"]
    assert second["refresh_token"] != first
    replay = client.post("/api/identity/sessions/refresh", json={"refresh_token": first})
    assert replay.status_code == 401
    # the replay revoked the family: the newer token and its access token are dead too
    assert client.post("/api/identity/sessions/refresh",
                       json={"refresh_token": second["refresh_token"]}).status_code == 401
    assert client.get("/api/identity/accounts/me",
                      headers=bearer(second["access_token"])).status_code == 401


def test_refresh_token_may_come_as_bearer_header(api, client):
    _, registered = _registered(api)
    response = client.post("/api/identity/sessions/refresh",
                           headers=bearer(registered["refresh_token"]))
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["access_token"]
    assert client.post("/api/identity/sessions/refresh").status_code == 401


def test_refresh_refuses_access_tokens_and_garbage(api, client):
    _, registered = _registered(api)
    for token in (registered["access_token"], "not.a.token", ""):
        response = client.post("/api/identity/sessions/refresh", json={"refresh_token": token})
        assert response.status_code in (400, 401)
        assert response.status_code != 500


def test_logout_revokes_the_session(api, client):
    _, registered = _registered(api)
    headers = bearer(registered["access_token"])
    assert client.delete("/api/identity/sessions/current", headers=headers).status_code == 204
    assert client.get("/api/identity/accounts/me", headers=headers).status_code == 401
    assert client.post("/api/identity/sessions/refresh",
                       json={"refresh_token": registered["refresh_token"]}).status_code == 401


def test_logout_and_me_need_a_token(client):
    assert client.delete("/api/identity/sessions/current").status_code == 401
    response = client.get("/api/identity/accounts/me", headers={"X-Lang": "en"})
    assert response.status_code == 401
    assert response.get_json()["error"]["message"] == "Please log in first"
