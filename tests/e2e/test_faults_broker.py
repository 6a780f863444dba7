"""RabbitMQ restarted while requests that produce events keep coming (architecture.md, Events:
"no state change without its event"; the outbox relay retries until the broker confirms and the
consumers are idempotent by event id).

Registrations go on through the gateway while the broker is stopped and started again
(`rabbitmqctl stop_app && start_app`: every connection of every relay and consumer drops).
Registering needs no broker, so every request is accepted; afterwards every accepted
registration's `identity.account.registered` event reaches profile (the account becomes known,
R2.3's personal-information form needs it), and none is applied twice: profile answered each
with exactly one `profile.party.changed`, and nothing was dead-lettered.
"""

from __future__ import annotations

import time

import pika
import pytest
import requests

from tests.e2e.accounts import body_with_captcha, random_hk_permit
from tests.e2e.faults import RequestStream, query, restart_broker, wait_until

pytestmark = [pytest.mark.e2e, pytest.mark.faults]


def _register(gateway_url):
    def make_request(session):
        captcha = session.post(f"{gateway_url}/api/identity/captchas", timeout=20)
        if captcha.status_code != 201:
            return "captcha", captcha
        body = body_with_captcha(captcha.json(), random_hk_permit())
        return "register", session.post(f"{gateway_url}/api/identity/registrations", json=body,
                                        timeout=20)
    return make_request


def _dead_letters(system, queue: str) -> int:
    connection = pika.BlockingConnection(pika.URLParameters(system.env.get(
        "AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F")))
    try:
        declared = connection.channel().queue_declare(
            f"{system.env['BROKER_PREFIX']}{queue}.dead", passive=True)
        return declared.method.message_count
    finally:
        connection.close()


def test_broker_restart_mid_stream_loses_no_registration_event_and_applies_none_twice(system):
    gateway = system.gateway_url
    stream = RequestStream(_register(gateway), workers=2).start()
    try:
        wait_until(lambda: stream.count(lambda a: a.status == 201) >= 15, 60,
                   what="registrations before the restart")
        outage_started = time.monotonic()
        restart_broker(down_seconds=4)
        outage_ended = time.monotonic()
        after = stream.count()
        wait_until(lambda: stream.count() >= after + 15, 60, what="registrations after the restart")
    finally:
        answers = stream.stop()

    print(f"{len(answers)} registrations, {sum(outage_started <= a.started <= outage_ended for a in answers)}"
          f" of them while the broker restarted ({outage_ended - outage_started:.1f}s)")
    refused = [(a.status, a.body, a.error) for a in answers if a.status != 201]
    assert refused == [], "registering does not need the broker: every request must succeed"
    accepted = {a.body["account"]["id"]: a.body["access_token"] for a in answers}
    assert len(accepted) == len(answers) >= 30
    during = [a for a in answers if outage_started <= a.started <= outage_ended]
    assert len(during) >= 3, "the stream must go on while the broker is down"

    http = requests.Session()

    def profile_knows(account_id: str) -> bool:
        me = http.get(f"{gateway}/api/profile/me", timeout=10,
                                headers={"Authorization": f"Bearer {accepted[account_id]}"})
        assert me.status_code == 200, me.text
        return me.json()["account"]["known"]

    pending = set(accepted)

    def all_known() -> bool:
        for account_id in list(pending):
            if profile_knows(account_id):
                pending.discard(account_id)
        return not pending

    wait_until(all_known, 90, interval=1, what="profile to learn every accepted registration")

    registered = query(system, "identity", "SELECT body->>'account_id' FROM event_outbox "
                       "WHERE event_type = 'identity.account.registered'")
    assert sorted(r[0] for r in registered if r[0] in accepted) == sorted(accepted)
    answered = query(system, "profile", "SELECT body->>'account_id', count(*) FROM event_outbox "
                     "WHERE event_type = 'profile.party.changed' GROUP BY 1")
    per_account = {account_id: count for account_id, count in answered if account_id in accepted}
    assert per_account == {account_id: 1 for account_id in accepted}, \
        "each registration event must be applied exactly once"
    assert _dead_letters(system, "profile.main") == 0
