"""Test data builders (no servers)."""

from __future__ import annotations

from datetime import date

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_card(born: date, region: str = "440305", sequence: str = "123") -> str:
    """An 18-character identity card number with a correct check character; the last digit of
    `sequence` is odd for a man."""
    body = f"{region}{born:%Y%m%d}{sequence}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)
