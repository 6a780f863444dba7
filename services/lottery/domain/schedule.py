"""When things happen to a period P (named by its window's date, Beijing time)."""

from __future__ import annotations

from datetime import date, datetime

from shared.clock import at_beijing, beijing

DRAW_HOUR, DRAW_MINUTE = 18, 30  # R8.1
PUBLICATION_HOUR = 20  # R9.1


def period_day(period: str) -> date:
    return date.fromisoformat(period)


def period_of(now: datetime) -> str:
    """The name of the period whose day `now` is in (Beijing time)."""
    return beijing(now).date().isoformat()


def draw_time(period: str) -> datetime:
    return at_beijing(period_day(period), DRAW_HOUR, DRAW_MINUTE)


def publication_time(period: str) -> datetime:
    return at_beijing(period_day(period), PUBLICATION_HOUR)


def is_draw_due(period: str, now: datetime) -> bool:
    return now >= draw_time(period)


def is_publication_due(period: str, now: datetime) -> bool:
    return now >= publication_time(period)


def mask_application_number(number: str) -> str:
    """Keep the first two and last two characters: enough to find one's own number."""
    if len(number) <= 4:
        return "*" * len(number)
    return number[:2] + "*" * (len(number) - 4) + number[-2:]
