"""R7.4: the captcha id as a signed token (shared/captcha_token.py), checked without identity."""

from datetime import UTC, datetime, timedelta

from shared import captcha_token

KEY = bytes(range(32))
NOW = datetime(2030, 6, 1, 1, 0, tzinfo=UTC)
CHALLENGE = "5a0b7c1e-2f4d-4e6a-9b3c-1d2e3f4a5b6c"


def token(answer="K7RT", expires=NOW + timedelta(minutes=5), key=KEY):
    return captcha_token.sign(key, CHALLENGE, expires, answer)


def test_the_shown_answer_passes_in_any_case_and_with_blanks():
    for typed in ("K7RT", "k7rt", " K7rt "):
        assert captcha_token.check(KEY, token(), typed, NOW) == captcha_token.Verdict(
            CHALLENGE, None)


def test_a_wrong_answer_is_wrong_and_names_the_challenge_to_spend():
    assert captcha_token.check(KEY, token(), "K7RX", NOW) == captcha_token.Verdict(
        CHALLENGE, "captcha.wrong")
    assert captcha_token.check(KEY, token(), None, NOW).problem == "captcha.wrong"


def test_expired_at_its_expiry():
    expires = NOW + timedelta(minutes=5)
    assert captcha_token.check(KEY, token(expires=expires), "K7RT",
                               expires - timedelta(seconds=1)).problem is None
    assert captcha_token.check(KEY, token(expires=expires), "K7RT",
                               expires).problem == "captcha.expired"


def test_another_key_or_any_changed_part_fails():
    assert captcha_token.check(KEY, token(key=b"other"), "K7RT", NOW).problem == "captcha.wrong"
    challenge, expires, mac = token().split(".")
    later = f"{challenge}.{int(expires) + 3600}.{mac}"
    assert captcha_token.check(KEY, later, "K7RT", NOW).problem == "captcha.wrong"
    other = f"{challenge[:-1]}d.{expires}.{mac}"
    assert captcha_token.check(KEY, other, "K7RT", NOW).problem == "captcha.wrong"
    flipped = f"{challenge}.{expires}.{'A' if mac[0] != 'A' else 'B'}{mac[1:]}"
    assert captcha_token.check(KEY, flipped, "K7RT", NOW).problem == "captcha.wrong"


def test_what_is_not_a_token_is_unknown():
    for bad in (None, "", "c1", CHALLENGE, "x.1.y", f"{CHALLENGE}.soon.mac", "a.b.c.d"):
        assert captcha_token.check(KEY, bad, "K7RT", NOW) == captcha_token.Verdict(
            None, "captcha.unknown")


def test_the_answer_is_not_readable_from_the_token():
    assert "K7RT" not in token() and "k7rt" not in token().lower()


def test_challenge_id_of_reads_tokens_and_bare_ids():
    assert captcha_token.challenge_id_of(token()) == CHALLENGE
    assert captcha_token.challenge_id_of(CHALLENGE.upper()) == CHALLENGE
    assert captcha_token.challenge_id_of("nope") is None
