from datetime import datetime

import pytest

from shared.clock import BEIJING, Clock, ClockNotSettable


def test_clock_is_in_beijing_time_whatever_the_server_zone(tmp_path, monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    clock = Clock(tmp_path / "clock.json", settable=True)
    assert clock.now().utcoffset().total_seconds() == 8 * 3600


def test_set_clock_is_seen_by_another_clock_reading_the_same_file(tmp_path):
    writer = Clock(tmp_path / "clock.json", settable=True)
    reader = Clock(tmp_path / "clock.json", settable=True)
    writer.set(datetime(2026, 12, 4, 8, 59, 30))
    seen = reader.now()
    assert seen.tzinfo is not None
    assert datetime(2026, 12, 4, 8, 59, 29, tzinfo=BEIJING) <= seen
    assert seen < datetime(2026, 12, 4, 9, 0, 30, tzinfo=BEIJING)


def test_frozen_clock_does_not_move(tmp_path):
    clock = Clock(tmp_path / "clock.json", settable=True)
    clock.set(datetime(2026, 12, 4, 18, 30), frozen=True)
    assert clock.now() == datetime(2026, 12, 4, 18, 30, tzinfo=BEIJING)
    assert clock.today().isoformat() == "2026-12-04"


def test_production_clock_cannot_be_set_and_ignores_the_file(tmp_path):
    dev = Clock(tmp_path / "clock.json", settable=True)
    dev.set(datetime(2030, 1, 1), frozen=True)
    production = Clock(tmp_path / "clock.json", settable=False)
    assert production.now().year < 2030
    with pytest.raises(ClockNotSettable):
        production.set(datetime(2030, 1, 1))
