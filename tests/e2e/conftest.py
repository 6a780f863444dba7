"""Fixtures of the end-to-end suite: the running system, its gateway URL, its clock, a browser.

`system` starts everything once per test session (nginx, every service under gunicorn, the
consumers, relays, schedulers and the SMTP sink) and stops it at the end.
"""

from __future__ import annotations

import os
import shutil

import pytest

from shared.testing import RUN_ID
from tests.e2e.system import (
    delete_system_broker_objects,
    drop_system_databases,
    prepare_system,
    start_system,
    stop_system,
)

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]


@pytest.fixture(scope="session")
def system():
    running = prepare_system(RUN_ID)
    try:
        # Three lottery schedulers race for every draw: each date must still be drawn once.
        # Each under a honcho of its own, so test_lottery_kill can kill one mid-draw.
        start_system(running, concurrency="lottery-scheduler=3", isolated=("lottery-scheduler",))
        yield running
    finally:
        stop_system(running)
        if not os.environ.get("HS_KEEP_TEST_RESOURCES"):
            drop_system_databases(running)
            delete_system_broker_objects(running)
            shutil.rmtree(running.var_dir, ignore_errors=True)


@pytest.fixture(scope="session")
def gateway_url(system) -> str:
    return system.gateway_url


@pytest.fixture
def system_clock(system):
    clock = system.clock
    yield clock
    clock.reset()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                              args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, gateway_url, system):
    """A phone-sized page (375 px wide) with a fresh profile."""
    context = browser.new_context(viewport={"width": 375, "height": 812}, base_url=gateway_url,
                                  device_scale_factor=2, is_mobile=True, has_touch=True)
    context.set_default_timeout(15000)
    context.hs_var_dir = str(system.var_dir)  # where tests may leave screenshots
    page = context.new_page()
    yield page
    context.close()


def pytest_collection_modifyitems(session, config, items):
    """Run the contract fuzzing last but one: as an admin it may change operator settings such
    as capacities and the disable policy that the journeys rely on. Last, the check that every
    draw the run published verifies."""
    def rank(item):
        return {"test_api_contracts.py": 1,
                "test_every_draw_verifies.py": 2}.get(item.fspath.basename, 0)
    items.sort(key=rank)  # stable: the order within each group is kept
