"""The one clock of the system, in Beijing time.

In development and test mode the clock can be moved for every process at once: the setting lives
in a small JSON file (`CLOCK_FILE`) that every process reads when it changes. The file says which
Beijing instant corresponded to which real instant, so time keeps running from the set point.
In production mode the file is ignored and setting the clock is refused.
"""

from __future__ import annotations

import json
import os
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

BEIJING = ZoneInfo("Asia/Shanghai")


class ClockNotSettable(RuntimeError):
    pass


class Clock:
    def __init__(self, clock_file: Path, settable: bool):
        self._file = Path(clock_file)
        self._settable = settable
        self._mtime_ns: int | None = None
        self._offset = 0.0
        self._frozen_at: float | None = None

    def _refresh(self) -> None:
        if not self._settable:
            return
        try:
            mtime = os.stat(self._file).st_mtime_ns
        except FileNotFoundError:
            self._mtime_ns, self._offset, self._frozen_at = None, 0.0, None
            return
        if mtime == self._mtime_ns:
            return
        try:
            data = json.loads(self._file.read_text())
        except (OSError, ValueError):
            return  # half-written by a concurrent set: keep the previous reading
        self._mtime_ns = mtime
        self._offset = float(data.get("offset_seconds", 0.0))
        self._frozen_at = data.get("frozen_at")

    def timestamp(self) -> float:
        self._refresh()
        if self._frozen_at is not None:
            return float(self._frozen_at)
        return time.time() + self._offset

    def now(self) -> datetime:
        """Aware datetime in Asia/Shanghai."""
        return datetime.fromtimestamp(self.timestamp(), tz=BEIJING)

    def today(self) -> date:
        return self.now().date()

    def set(self, instant: datetime, frozen: bool = False) -> None:
        if not self._settable:
            raise ClockNotSettable("the clock can only be set in development or test mode")
        if instant.tzinfo is None:
            instant = instant.replace(tzinfo=BEIJING)
        target = instant.timestamp()
        data = {"frozen_at": target} if frozen else {"offset_seconds": target - time.time()}
        data["set_to"] = instant.astimezone(BEIJING).isoformat()
        self._file.parent.mkdir(parents=True, exist_ok=True)
        tmp = self._file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data))
        os.replace(tmp, self._file)  # atomic, so readers never see half a file

    def reset(self) -> None:
        if not self._settable:
            raise ClockNotSettable("the clock can only be set in development or test mode")
        self._file.unlink(missing_ok=True)


def clock_from_settings(settings) -> Clock:
    return Clock(settings.clock_file, settable=not settings.is_production)


def beijing(dt: datetime) -> datetime:
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(BEIJING)


def at_beijing(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=BEIJING)


def main(argv: list[str]) -> int:
    """`python -m shared.clock set 2026-12-04T09:00 [--frozen]`, `reset`, `show`."""
    from shared.config import load_settings

    clock = clock_from_settings(load_settings("clock"))
    if not argv or argv[0] == "show":
        print(clock.now().isoformat())
        return 0
    if argv[0] == "set":
        clock.set(datetime.fromisoformat(argv[1]), frozen="--frozen" in argv)
        print(clock.now().isoformat())
        return 0
    if argv[0] == "advance":
        clock.set(clock.now() + timedelta(seconds=float(argv[1])))
        print(clock.now().isoformat())
        return 0
    if argv[0] == "reset":
        clock.reset()
        return 0
    print("usage: python -m shared.clock show|set ISO [--frozen]|advance SECONDS|reset")
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
