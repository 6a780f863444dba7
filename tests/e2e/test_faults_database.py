"""PostgreSQL restarted under load (architecture.md: "bad input gets a clear, localized 4xx error,
never a 500"; the same holds for a database outage: a clear 503 in our error shape).

Three clients keep calling every service's database-backed endpoints through the gateway (a
registration, the applicant's own account and profile, the operator's email list) while the
PostgreSQL cluster restarts (`pg_ctlcluster … restart`: every connection is terminated). Meanwhile
each answer is a success or a 503 `error.unavailable` in the one error shape, never a 500 or a
gateway error, and none hangs; after the restart the requests succeed again within seconds,
without restarting any service, and the registrations accepted meanwhile still reach profile
through the outbox relay and the consumer.
"""

from __future__ import annotations

import itertools
import threading
import time
from collections import Counter

import pytest
import requests

from tests.e2e.accounts import body_with_captcha, create_staff, random_hk_permit, register_applicant
from tests.e2e.faults import RequestStream, restart_postgres, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.faults]

LONGEST_ANSWER_SECONDS = 12  # far below gunicorn's worker timeout and nginx's 30 s
RECOVERY_SECONDS = 10


def _requests(gateway: str, applicant, operator):
    applicant_auth = {"Authorization": f"Bearer {applicant.access_token}"}
    operator_auth = {"Authorization": f"Bearer {operator.access_token}"}
    lock = threading.Lock()
    kinds = itertools.cycle(["identity.me", "profile.me", "register", "notification.emails"])

    def make_request(session: requests.Session):
        with lock:
            kind = next(kinds)
        if kind == "identity.me":
            return kind, session.get(f"{gateway}/api/identity/accounts/me", headers=applicant_auth,
                                     timeout=20)
        if kind == "profile.me":
            return kind, session.get(f"{gateway}/api/profile/me", headers=applicant_auth, timeout=20)
        if kind == "notification.emails":
            return kind, session.get(f"{gateway}/api/notification/emails", headers=operator_auth,
                                     timeout=20)
        captcha = session.post(f"{gateway}/api/identity/captchas", timeout=20)
        if captcha.status_code != 201:
            return "captcha", captcha
        body = body_with_captcha(captcha.json(), random_hk_permit())
        return kind, session.post(f"{gateway}/api/identity/registrations", json=body, timeout=20)

    return make_request


def _is_clear_unavailable(answer) -> bool:
    error = answer.body.get("error") if isinstance(answer.body, dict) else None
    return (answer.status == 503 and isinstance(error, dict)
            and error.get("code") == "error.unavailable" and bool(error.get("message")))


def test_postgres_restart_gives_clear_503s_then_recovers_without_restarting_services(system):
    gateway = system.gateway_url
    applicant = register_applicant(gateway)
    operator = create_staff(system, "operator")
    kinds = {"identity.me", "profile.me", "register", "notification.emails"}
    stream = RequestStream(_requests(gateway, applicant, operator), workers=3).start()
    try:
        wait_until(lambda: stream.count(lambda a: a.status in (200, 201)) >= 12, 60,
                   what="the load to run")
        restart_started = time.monotonic()
        restart_postgres()
        restarted = time.monotonic()

        def every_kind_succeeds_again() -> bool:
            recent = [a for a in list(stream.answers) if a.started >= time.monotonic() - 2]
            good = {a.name for a in recent if a.status in (200, 201)}
            return kinds <= good and all(a.status in (200, 201) for a in recent
                                         if a.started > time.monotonic() - 1)

        wait_until(every_kind_succeeds_again, RECOVERY_SECONDS + 2, interval=0.2,
                   what="every kind of request to succeed again")
        recovered = time.monotonic()
        time.sleep(2)
    finally:
        answers = stream.stop()

    outage = [a for a in answers if restart_started <= a.started <= recovered]
    print(f"restart {restarted - restart_started:.1f}s, recovery {recovered - restarted:.1f}s; "
          f"{len(answers)} answers, around the restart: {Counter((a.name, a.status) for a in outage)}")
    assert system.process.poll() is None, "a process of the system stopped:\n" + system.log_tail()
    unclear = [(a.name, a.status, a.body, a.error) for a in answers
               if a.status not in (200, 201) and not _is_clear_unavailable(a)]
    assert unclear == [], "during the restart every failure must be a clear 503 error.unavailable"
    slow = [(a.name, round(a.seconds, 1)) for a in answers if a.seconds > LONGEST_ANSWER_SECONDS]
    assert slow == [], "no request may hang"
    assert [a for a in answers if restart_started <= a.started <= restarted], \
        "requests must arrive while the database restarts"
    assert recovered - restarted <= RECOVERY_SECONDS
    late = [(a.name, a.status) for a in answers if a.started >= recovered]
    assert late and all(status in (200, 201) for _, status in late)

    # The relays and consumers recovered too: registrations accepted around the restart reach profile.
    tokens = [a.body["access_token"] for a in answers if a.name == "register" and a.status == 201]
    assert tokens
    http = requests.Session()

    def profile_knows_them_all() -> bool:
        for token in list(tokens):
            me = http.get(f"{gateway}/api/profile/me", timeout=10,
                          headers={"Authorization": f"Bearer {token}"})
            assert me.status_code == 200, me.text
            if me.json()["account"]["known"]:
                tokens.remove(token)
        return not tokens

    wait_until(profile_knows_them_all, 60, interval=1, what="profile to learn every registration")
