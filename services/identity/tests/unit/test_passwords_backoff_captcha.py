"""Pure rules: password (R2.2.4/5), login back-off (R2.1), captcha (R2.2.6), the schema's
field errors (R2.2)."""

from datetime import datetime, timedelta

import pytest
from marshmallow import ValidationError

from services.identity.domain import backoff, captcha, passwords
from services.identity.schemas import RegistrationSchema

T0 = datetime(2026, 12, 3, 10, 0)


@pytest.mark.parametrize("password,key", [
    ("abc123", "password.too_short"),
    ("", "password.too_short"),
    ("abcdefgh", "password.needs_letters_and_digits"),
    ("12345678", "password.needs_letters_and_digits"),
    ("密码密码密码12", "password.needs_letters_and_digits"),  # CJK letters are not English ones
    ("a1" * 65, "password.too_long"),
])
def test_r2_2_4_password_rule_refusals(password, key):
    assert passwords.password_error(password) == key


@pytest.mark.parametrize("password", ["abcd1234", "A1bcdefg", "pass word 9"])
def test_r2_2_4_password_rule_accepts_digits_and_letters(password):
    assert passwords.password_error(password) is None


def test_passwords_hashed_with_argon2_and_verified():
    hashed = passwords.hash_password("abcd1234")
    assert hashed.startswith("$argon2id$")
    assert passwords.verify_password(hashed, "abcd1234")
    assert not passwords.verify_password(hashed, "abcd1235")
    assert not passwords.verify_password("not a hash", "abcd1234")


def test_production_hasher_is_memory_hard(monkeypatch):
    """Outside test mode the hash is argon2id with 64 MiB of memory (architecture.md)."""
    import importlib

    monkeypatch.setenv("HS_MODE", "production")
    module = importlib.reload(passwords)
    try:
        assert module._hasher.memory_cost == 65536
        assert module._hasher.type.name == "ID"
    finally:
        monkeypatch.setenv("HS_MODE", "test")
        importlib.reload(passwords)


def test_r14_1_generated_password_meets_the_rule():
    for _ in range(20):
        assert passwords.password_error(passwords.generate_password()) is None


def test_r2_1_first_five_failures_cost_nothing():
    for n in range(5):
        assert backoff.wait_after(n) == timedelta(0)
        assert backoff.retry_after_seconds(n, T0, T0) == 0


def test_r2_1_wait_doubles_after_five_failures_up_to_fifteen_minutes():
    assert [backoff.wait_after(n).total_seconds() for n in range(5, 12)] == \
        [1, 2, 4, 8, 16, 32, 64]
    assert backoff.wait_after(20) == timedelta(minutes=15)
    assert backoff.wait_after(1000) == timedelta(minutes=15)


def test_r2_1_twentieth_failure_blocks_the_next_attempt_until_the_wait_passes():
    assert backoff.retry_after_seconds(20, T0, T0 + timedelta(seconds=10)) == 890
    assert backoff.retry_after_seconds(20, T0, T0 + timedelta(minutes=15)) == 0


def test_r2_2_6_captcha_check():
    expires = T0 + captcha.LIFETIME
    assert captcha.check("K7RT", "k7rt", expires, False, T0) is None
    assert captcha.check("K7RT", " K7RT ", expires, False, T0) is None
    assert captcha.check("K7RT", "K7RX", expires, False, T0) == "captcha.wrong"
    assert captcha.check("K7RT", "", expires, False, T0) == "captcha.wrong"
    assert captcha.check("K7RT", "K7RT", expires, True, T0) == "captcha.used"
    assert captcha.check("K7RT", "K7RT", expires, False, expires) == "captcha.expired"
    assert captcha.check(None, "K7RT", expires, False, T0) == "captcha.unknown"


def test_r2_2_6_captcha_answers_avoid_confusable_characters():
    for _ in range(50):
        answer = captcha.new_answer()
        assert len(answer) == captcha.LENGTH
        assert not set(answer) & set("0O1IL2Z5S8B")


def test_r2_2_6_captcha_image_is_a_png_data_url():
    assert captcha.render_data_url("K7RT").startswith("data:image/png;base64,iVBOR")


VALID = {"nationality": "HK", "document_type": "hk_macao_resident_permit",
         "document_number": "H12345678", "password": "abcd1234",
         "password_confirmation": "abcd1234", "captcha_id": "x", "captcha_answer": "K7RT",
         "consent": True}


def _errors(**changes):
    data = {**VALID, **changes}
    data = {k: v for k, v in data.items() if v is not ...}
    with pytest.raises(ValidationError) as caught:
        RegistrationSchema().load(data)
    return caught.value.messages


def test_r2_2_valid_registration_loads():
    assert RegistrationSchema().load(VALID)["document_number"] == "H12345678"


def test_r2_2_every_field_required():
    messages = _errors(**{name: ... for name in VALID})
    assert set(messages) == set(VALID)


def test_r2_2_all_rule_errors_reported_together():
    messages = _errors(document_number="C12345678", password="short1",
                       password_confirmation="other", consent=False)
    assert messages == {
        "document_number": ["document.looks_like.mainland_travel_permit"],
        "password": ["password.too_short"],
        "password_confirmation": ["password_confirmation.mismatch"],
        "consent": ["consent.required"],
    }


def test_r2_2_empty_password_is_required():
    assert _errors(password="", password_confirmation="") == {
        "password": ["field.required"], "password_confirmation": ["field.required"]}


def test_r2_2_5_empty_confirmation_is_required_not_a_mismatch():
    assert _errors(password_confirmation="") == {"password_confirmation": ["field.required"]}


def test_r2_2_5_confirmation_must_equal_password():
    assert _errors(password_confirmation="abcd12345") == {
        "password_confirmation": ["password_confirmation.mismatch"]}


def test_r2_2_unknown_fields_refused():
    assert "role" in _errors(role="admin")
