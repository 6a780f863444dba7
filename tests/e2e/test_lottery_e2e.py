"""The lottery through the gateway, with the processes of the Procfile (issue 5).

Booking's events are published on the system's broker as booking would; the system clock is
moved to 18:30 and 20:00 of the period. Before 20:00 no applicant call and no public file shows
a result (R9.1); after it, nginx serves the public list (公示) and the audit bundle as static
files, `verify` recomputes the draw from the bundle's URL (R8.4), the applicant sees their own
result, and the audit page shows the seed and the winners on a phone-sized screen.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import jwt as pyjwt
import pika
import pytest
import requests

from services.lottery.domain.draw import entries_digest
from services.lottery.domain.schedule import draw_time, publication_time
from shared.config import REPO_ROOT
from shared.events import Event
from shared.events.broker import connect, declare_exchanges
from tests.e2e.test_profile_web import client_text

pytestmark = pytest.mark.e2e


def token(system, account_id: str, roles=("applicant",)) -> dict[str, str]:
    key = (Path(system.env["JWT_KEY_DIR"]) / "jwt_private.pem").read_text()
    now = dt.datetime.now(dt.UTC)
    claims = {"sub": account_id, "roles": list(roles), "iss": "hs-identity",
              "aud": "hs-services", "iat": now, "nbf": now, "exp": now + timedelta(minutes=30),
              "type": "access", "jti": secrets.token_hex(8), "fresh": False}
    return {"Authorization": f"Bearer {pyjwt.encode(claims, key, algorithm='RS256')}"}


def publish(system, events: list[Event]) -> None:
    connection = connect(system.env.get("AMQP_URL", "amqp://guest:guest@127.0.0.1:5672/%2F"))
    channel = connection.channel()
    channel.confirm_delivery()
    exchange = f"{system.env['BROKER_PREFIX']}hs.events"

    declare_exchanges(channel, SimpleNamespace(
        exchange=exchange, dead_letter_exchange=f"{system.env['BROKER_PREFIX']}hs.dead"))
    for event in events:
        channel.basic_publish(exchange, event.type, event.to_json(),
                              properties=pika.BasicProperties(delivery_mode=2),
                              mandatory=True)
    connection.close()


def booking_events(period: str, dates: list[str]) -> tuple[list[Event], Event, Event]:
    opened = Event("booking.period.opened", {"period": period, "dates": dates}, "booking")
    submitted = []
    for d_index, day in enumerate(dates):
        for i in range(12):
            person = (i + d_index * 5) % 30  # people apply for several dates (R8.2)
            submitted.append(Event("booking.application.submitted", {
                "application_number": hashlib.sha256(f"{period}{day}{i}".encode())
                .hexdigest()[:12].upper(),
                "period": period, "date": day, "account_id": f"e2e-{period}-{person}",
                "party": [{"document_type": "hk_macao_permit",
                           "document_number": f"H{person:08d}"}],
                "party_size": 1, "submitted_at": f"{period}T10:00:00+08:00"}, "booking"))
    closed = Event("booking.period.closed", {"period": period, "dates": {
        day: {"places": 4, "count": 12,
              "digest": entries_digest(e.body["application_number"] for e in submitted
                                       if e.body["date"] == day)} for day in dates}}, "booking")
    return [opened], submitted, closed


def zh(key: str) -> str:
    """A text of the client's lottery area in zh-Hans (the pages' default language)."""
    return client_text("zh-Hans", f"lottery.{key}")


def wait_for(check, seconds=60.0, what="condition"):
    deadline = time.monotonic() + seconds
    while True:
        value = check()
        if value:
            return value
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


def test_draw_publication_and_verification_through_the_gateway(system, system_clock, page,
                                                               browser):
    base = system.gateway_url
    period = "2031-03-01"
    dates = [(dt.date(2031, 3, 1) + timedelta(days=i)).isoformat() for i in range(1, 4)]
    opened, submitted, closed = booking_events(period, dates)
    system_clock.set(draw_time(period) - timedelta(hours=10))  # 08:30: the window opens soon
    publish(system, opened + submitted)

    audit_url = f"{base}/api/lottery/public/periods/{period}"
    audit = wait_for(lambda: (r := requests.get(audit_url, timeout=5)).ok
                     and [d.get("received") for d in r.json()["dates"]] == [12] * 3 and r.json(),
                     what="the seed commitment and the applications so far")
    assert len(audit["seed_hash"]) == 64 and audit["seed"] is None

    # while the window is open the count column says how many numbers it lists, not "—"
    page.goto(f"/lottery/audit/{period}?date={dates[0]}")
    cell = page.locator(f'[data-test="applications-{dates[0]}"]')
    cell.wait_for()
    assert cell.inner_text().strip() == zh("audit.receivedSoFar").format(n=12)
    assert page.inner_text('[data-test="entries-heading"]') == zh("audit.entriesSoFar").format(n=12)
    assert len(page.inner_text('[data-test="entries"]').split(" · ")) == 12
    # plain words first; the command only for technical readers, and only once published
    how = page.inner_text('[data-test="how-to-check"]')
    assert zh("audit.howCheck") in how and "python" not in how
    assert page.locator('[data-test="files-later"]').is_visible()
    assert page.locator('[data-test="verify-command"]').count() == 0
    publish(system, [closed])

    operator = token(system, "op-e2e", ["operator"])
    overview_url = f"{base}/api/lottery/operator/periods"

    def states():
        periods = requests.get(overview_url, headers=operator, timeout=5).json()["periods"]
        mine = next((p for p in periods if p["period"] == period), None)
        return mine and [d["state"] for d in mine["dates"]]

    wait_for(lambda: states() == ["ready"] * 3, what="all entries to arrive")
    system_clock.set(draw_time(period))
    wait_for(lambda: states() == ["drawn"] * 3, what="the 18:30 draw")

    # 19:59: drawn, but nothing is revealed to anyone (R9.1)
    system_clock.set(publication_time(period) - timedelta(minutes=1))
    applicant = submitted[0].body["account_id"]
    mine = requests.get(f"{base}/api/lottery/me/results", headers=token(system, applicant),
                        timeout=5).json()["results"]
    assert mine and {r["result"] for r in mine} == {"pending"}
    assert requests.get(f"{base}/public/lottery/{period}/winners.json", timeout=5).status_code \
        == 404
    day = requests.get(f"{audit_url}/dates/{dates[0]}", timeout=5).json()
    assert day["winners"] is None and day["seed"] is None

    system_clock.set(publication_time(period))
    winners_file = f"{base}/public/lottery/{period}/winners.json"
    public_list = wait_for(lambda: (r := requests.get(winners_file, timeout=5)).ok and r.json(),
                           what="the public list (公示)")
    winners = {n for d in public_list["dates"].values() for n in d["winners"]}
    assert 0 < len(winners) <= 12
    verified = subprocess.run(
        [sys.executable, "-m", "services.lottery.verify",
         f"{base}/public/lottery/{period}/audit.json"],
        cwd=REPO_ROOT, env=system.env, capture_output=True, text=True, timeout=60)
    assert verified.returncode == 0 and "MATCHES" in verified.stdout, verified.stdout

    mine = requests.get(f"{base}/api/lottery/me/results", headers=token(system, applicant),
                        timeout=5).json()["results"]
    assert {r["result"] for r in mine} <= {"won", "not_won"}
    assert {r["application_number"] for r in mine if r["result"] == "won"} == \
        {r["application_number"] for r in mine} & winners

    # the operators' monitor says when it was published in Beijing time, whatever the
    # browser's zone: 20:00 in Beijing is 12:00 UTC and 07:00 in New York
    published = requests.get(overview_url, headers=operator, timeout=5).json()["periods"]
    published_at = next(p for p in published if p["period"] == period)["published_at"]
    beijing = dt.datetime.fromisoformat(published_at).astimezone(dt.timezone(timedelta(hours=8)))
    elsewhere = browser.new_context(viewport={"width": 390, "height": 844}, base_url=base,
                                    timezone_id="America/New_York")
    try:
        monitor = elsewhere.new_page()
        monitor.goto("/guide")
        monitor.evaluate("(s) => localStorage.setItem('hs.session', s)", json.dumps({
            "account": {"id": "op-e2e", "roles": ["operator"]}, "refreshToken": None,
            "accessToken": operator["Authorization"].split()[1], "updateRequired": False}))
        monitor.goto("/lottery/operator")
        shown = monitor.locator(f'[data-test="published-at-{period}"]').inner_text()
        assert f"2031年3月1日 {beijing:%H:%M}" in shown and beijing.hour == 20, shown
        assert "北京时间" in shown and published_at not in shown
        # who drew: the scheduled draw in words; no host or process id on the page (only in
        # the tooltip); the draw time is the shared clock's (moved to 18:30 of 2031-03-01
        # above), not the machine's real time
        drawn_by = monitor.locator(f'[data-test="drawn-by-{dates[0]}"]')
        drawer = drawn_by.locator('[data-test="drawer"]')
        assert drawer.inner_text() == zh("drawer.scheduler")
        shown_by = drawn_by.inner_text()
        host = zh("drawer.host").split(" ")[0]
        assert host not in shown_by and "scheduler" not in shown_by, shown_by
        assert not re.search(r"\S+:\d{3,}", shown_by), shown_by  # no host:pid
        assert host in drawer.get_attribute("title")
        detail = drawn_by.locator('[data-test="drawer-detail"]').inner_text()
        assert re.fullmatch(r"2031年3月1日 18:3\d", detail.strip()), detail  # the clock's, not ISO
        assert monitor.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
        shots = Path(os.environ.get("HS_SCREENSHOTS") or system.var_dir)
        shots.mkdir(parents=True, exist_ok=True)
        monitor.screenshot(path=str(shots / "display-lottery-operator.png"), full_page=True)
    finally:
        elsewhere.close()

    page.goto(f"/lottery/audit/{period}?date={dates[0]}")
    page.wait_for_selector('[data-test="seed"]')
    assert page.inner_text('[data-test="seed"]') == public_list["seed"]
    shown = page.inner_text('[data-test="winners"]')
    assert set(public_list["dates"][dates[0]]["winners"]) == set(shown.split(" · "))
    assert page.inner_text(f'[data-test="applications-{dates[0]}"]').strip() == "12"
    # the published data as downloads, served by the gateway
    for kind, published in (("winners", public_list), ("audit", None)):
        link = page.locator(f'[data-test="{kind}-file"]')
        assert link.get_attribute("download") == f"lottery-{period}-{kind}.json"
        fetched = requests.get(base + link.get_attribute("href"), timeout=5)
        assert fetched.ok and (published is None or fetched.json() == published)
    # the verify command is there for technical readers, collapsed, with the file's full URL
    technical = page.locator('[data-test="technical"]')
    assert technical.get_attribute("open") is None
    assert not page.locator('[data-test="verify-command"]').is_visible()
    technical.locator("summary").click()
    assert page.inner_text('[data-test="verify-command"]') == (
        f"python -m services.lottery.verify {base}/public/lottery/{period}/audit.json")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375 + 1  # fits the phone
    page.screenshot(path=str(Path(os.environ.get("HS_SCREENSHOTS") or system.var_dir)
                             / "display-lottery-audit.png"), full_page=True)

    # the applicant's lottery records (R10.1), signed in as that applicant
    session = {"account": {"id": applicant, "roles": ["applicant"]},
               "accessToken": token(system, applicant)["Authorization"].split()[1],
               "refreshToken": None, "updateRequired": False}
    page.evaluate("(s) => localStorage.setItem('hs.session', s)", json.dumps(session))
    page.goto("/lottery/records")
    page.wait_for_selector('[data-test="lottery-records-page"] table')
    texts = json.loads((REPO_ROOT / "gateway/web/src/areas/lottery/locales/zh-Hans.json")
                       .read_text())["lottery"]["records"]["results"]
    for record in mine:
        shown = page.inner_text(f'[data-test="result-{record["application_number"]}"]')
        assert shown == texts[record["result"]]
        # not won says why it may be: places ran out, or a person had won another date (R8.2)
        why = page.locator(f'[data-test="not-won-why-{record["application_number"]}"]')
        if record["result"] == "not_won":
            assert why.inner_text() == client_text("zh-Hans", "lottery.records.notWonWhy")
        else:
            assert why.count() == 0
