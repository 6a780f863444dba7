"""The demo (issue 7, section 2) against the e2e system: a small population lives through two
days, and what the demo says it did is found in the system through the gateway.

It runs on days of its own far in the future (`--start`), so the periods it opens, closes and
draws do not meet the other e2e tests' days; the clock is reset afterwards."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from datetime import date, datetime, timedelta

import pytest
import requests

from shared.clock import BEIJING
from shared.config import REPO_ROOT
from tests.e2e.helpers import wait_for

pytestmark = pytest.mark.e2e


def call(gateway_url, method, path, token=None, **kwargs):
    headers = {"X-Lang": "en"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    return requests.request(method, gateway_url + path, headers=headers, timeout=30, **kwargs)


def test_demo_fills_the_system_and_lives_through_two_days(system, gateway_url, system_clock,
                                                         tmp_path):
    """R2.1 (its printed accounts log in, as ordinary applicants: not R3.1 legacy-update ones),
    R7.2 (the six-day view counts the final morning's applications), R9.1 (both days' draws
    published), R11.1 (reservations exist for a printed account)."""
    start = datetime.now(BEIJING).date() + timedelta(days=random.randint(400, 3000))
    summary_path = tmp_path / "demo.json"
    done = subprocess.run(
        [sys.executable, "-m", "tools.demo", "--url", gateway_url, "--applicants", "60",
         "--days", "2", "--capacity", "8-15", "--share", "0.6", "--seed", "5",
         "--start", start.isoformat(), "--workers", "8", "--summary-json", str(summary_path)],
        env=system.env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    summary = json.loads(summary_path.read_text())
    output = done.stdout
    assert "What the demo did:" in output and "demo1234" in output

    # the final morning's window is open and the view counts its applications (R7.2)
    final = date.fromisoformat(summary["final_day"])
    assert final == start + timedelta(days=2)
    def counted_view():  # the view is cached up to ~2 s (per replica, then nginx)
        answer = call(gateway_url, "GET", "/api/booking/periods/current").json()
        counted = sum(d["applications"] for d in answer["dates"]) == summary["final_applications"]
        return answer if counted and answer["period"] == final.isoformat() else None

    view = wait_for(counted_view, timeout=10, what="the six-day view to count the applications")
    assert view["window"]["open"] and summary["final_applications"] > 0
    assert all(d["capacity"] >= 8 for d in view["dates"])

    # both days drawn and published (R9.1)
    assert summary["published"] == [start.isoformat(), (start + timedelta(days=1)).isoformat()]
    for period in summary["published"]:
        audit = call(gateway_url, "GET", f"/api/lottery/public/periods/{period}").json()
        assert audit["published"] and audit["seed"]
    assert summary["reservations"] > 0

    # every printed account logs in with the printed password, as an ordinary applicant whom
    # profile knows (identity's registered event for imported accounts)
    accounts = summary["accounts"]
    assert len({a["document_type"] for a in accounts}) == 5
    for account in accounts:
        assert account["document_number"] in output
        login = call(gateway_url, "POST", "/api/identity/sessions", json={
            "document_type": account["document_type"],
            "document_number": account["document_number"], "password": account["password"]})
        assert login.status_code == 200, login.text
        assert login.json()["update_required"] is False
        assert login.json()["account"]["roles"] == ["applicant"]
        assert account["profile_knows"]

    # the account printed with a reservation has it, seen through booking (R11.1)
    holder = next(a for a in accounts if a["label"].startswith("reservation"))
    token = call(gateway_url, "POST", "/api/identity/sessions", json={
        "document_type": holder["document_type"], "document_number": holder["document_number"],
        "password": holder["password"]}).json()["access_token"]
    items = call(gateway_url, "GET", "/api/booking/reservations", token).json()["items"]
    assert items, holder

    # the printed staff log in
    for staff in summary["staff"]:
        login = call(gateway_url, "POST", "/api/identity/sessions", json={
            "document_type": "staff", "document_number": staff["username"],
            "password": staff["password"]})
        assert login.status_code == 200 and staff["role"] in login.json()["account"]["roles"]

    # a second run skips what exists and does not crash
    again = subprocess.run(
        [sys.executable, "-m", "tools.demo", "--url", gateway_url, "--applicants", "60",
         "--days", "1", "--capacity", "8-15", "--seed", "5", "--workers", "8"],
        env=system.env, cwd=REPO_ROOT, capture_output=True, text=True, timeout=240)
    assert again.returncode == 0, again.stdout[-3000:] + again.stderr[-3000:]
    assert "duplicates 60" in again.stdout
