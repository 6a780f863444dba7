"""R6.3's gap through the gateway: profile locks the cohabitants only when booking's
booking.application.submitted arrives, so an edit sent right after a successful application is
still accepted. Profile then puts the party back as booking applied with it, tells the applicant
(a notice in the API and on the cohabitant page), and booking's copy agrees again; the lock
still ends at the publication of that draw's results.

The profile consumer is paused (SIGSTOP) while the application and the edit are made, so the
edit lands in the gap every time rather than when the relay happens to be slow."""

from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest

from shared.clock import BEIJING
from tests.e2e.helpers import Gateway, at, digits, staff_token, wait_for
from tests.e2e.system import processes_below
from tests.e2e.test_booking_api import approved_applicant
from tests.e2e.test_profile_web import sign_in

pytestmark = pytest.mark.e2e

CONSUMER = b"services.profile.entrypoints.consumer"


@contextmanager
def profile_consumer_paused(system):
    pids = processes_below(system.process.pid, CONSUMER)
    assert pids, "the profile consumer of the test system"
    for pid in pids:
        os.kill(pid, signal.SIGSTOP)
    try:
        yield
    finally:
        for pid in pids:
            os.kill(pid, signal.SIGCONT)


def test_R6_3_an_edit_right_after_applying_is_undone_and_the_applicant_told(
        system, gateway_url, system_clock, page):
    gateway = Gateway(gateway_url)
    period = datetime.now(BEIJING).date() + timedelta(days=70)  # no other test's period
    day = period + timedelta(days=2)
    system_clock.set(at(period, 10, 0))
    operator = staff_token(system, gateway, "operator")
    mother = {"document_number": "H" + digits(8), "name": "陈老太", "date_of_birth": "1945-03-03"}
    sessions = []
    token = approved_applicant(gateway, operator, "陈大文", mother, tokens=sessions)
    assert gateway.call("PUT", "/api/booking/capacities", operator, json={
        "items": [{"date": day.isoformat(), "places": 10}]}).status_code == 200
    [applied] = gateway.call("GET", "/api/profile/me/cohabitants", token).json()["cohabitants"]
    edited = {k: applied[k] for k in ("sex", "nationality", "document_type", "document_number",
                                      "document_expiry", "date_of_birth", "relation",
                                      "category")} | {"name": "陈老太太"}

    def booking_sees_the_applied_party():
        confirmation = gateway.call("GET", "/api/booking/applications/confirmation", token,
                                    params={"dates": day.isoformat()}).json()
        return [c["name"] for c in confirmation.get("cohabitants", [])] == ["陈老太"]
    # booking reads the party from profile's events: until its copy has the mother, it would
    # accept the application for the applicant alone, and profile would rightly put the party
    # back as applied for, without her (the cause of this test's rare failures until now)
    wait_for(booking_sees_the_applied_party, what="booking's party read model with the mother")

    with profile_consumer_paused(system):
        answer = gateway.apply(token, [day])
        assert answer.status_code == 201, answer.text
        number = answer.json()["applications"][0]["application_number"]
        edit = gateway.call("PUT", f"/api/profile/me/cohabitants/{applied['cohabitant_id']}",
                            token, json=edited)
        assert edit.status_code == 200, edit.text  # the gap: no lock yet
        assert edit.json()["name"] == "陈老太太"

    def restored():
        lock = gateway.call("GET", "/api/profile/me", token, lang="zh-Hant").json()["lock"]
        return lock["locked"] and lock["restored"]
    notice = wait_for(restored, what="profile to undo the edit that raced the application")
    assert notice["application_number"] == number
    assert number in notice["message"] and "已撤銷" in notice["message"]
    [now] = gateway.call("GET", "/api/profile/me/cohabitants", token).json()["cohabitants"]
    assert (now["cohabitant_id"], now["name"], now["review_state"]) == (
        applied["cohabitant_id"], "陈老太", "approved")
    again = gateway.call("PUT", f"/api/profile/me/cohabitants/{applied['cohabitant_id']}", token,
                         json=edited)
    assert again.status_code == 409 and again.json()["error"]["code"] == "cohabitants.locked"

    # booking's copy of the party is the applied one again
    wait_for(booking_sees_the_applied_party, what="booking's party read model restored")

    # the applicant sees why, on the cohabitant page (繁體)
    sign_in(page, sessions[0], "zh-Hant")
    page.goto("/cohabitants")
    banner = page.locator('[data-test="restored-banner"]')
    banner.wait_for()
    assert number in banner.inner_text()
    assert page.locator('[data-test="lock-banner"]').is_visible()

    # the other end of R6.3: the results of that draw are published, the cohabitants are free
    def period_dates(state):
        periods = gateway.call("GET", "/api/lottery/operator/periods", operator).json()
        mine = next((p for p in periods["periods"] if p["period"] == period.isoformat()), None)
        return bool(mine and mine["dates"] and all(d["state"] == state for d in mine["dates"]))
    system_clock.set(at(period, 18, 0))
    wait_for(lambda: period_dates("ready"), timeout=60, what="the period closed for the draw")
    system_clock.set(at(period, 18, 30))
    wait_for(lambda: period_dates("drawn"), timeout=60, what="the draw")
    system_clock.set(at(period, 20, 0))
    wait_for(lambda: not gateway.call("GET", "/api/profile/me", token).json()["lock"]["locked"],
             timeout=60, what="the R6.3 unlock at publication")
    assert gateway.call("GET", "/api/profile/me", token).json()["lock"]["restored"] is None
    free = gateway.call("PUT", f"/api/profile/me/cohabitants/{applied['cohabitant_id']}", token,
                        json=edited)
    assert free.status_code == 200, free.text
