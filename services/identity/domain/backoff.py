"""Login back-off after repeated failures (R2.1; decided, see docs/identity.md).

Counted per document (type + normalized number), whether the account exists or not, so that
guessing a password costs the same everywhere and says nothing about which accounts exist.
The first FREE_FAILURES consecutive failures cost nothing; after the n-th (n >= FREE_FAILURES)
the next attempt must wait 2^(n - FREE_FAILURES) seconds, at most MAX_WAIT_SECONDS. Attempts
made while waiting are refused without checking the password and do not count.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

FREE_FAILURES = 5
MAX_WAIT_SECONDS = 15 * 60


def wait_after(consecutive_failures: int) -> timedelta:
    if consecutive_failures < FREE_FAILURES:
        return timedelta(0)
    exponent = consecutive_failures - FREE_FAILURES
    seconds = MAX_WAIT_SECONDS if exponent >= 20 else min(2 ** exponent, MAX_WAIT_SECONDS)
    return timedelta(seconds=seconds)


def retry_after_seconds(consecutive_failures: int, last_failure_at: datetime | None,
                        now: datetime) -> int:
    """Seconds the caller must still wait before an attempt is checked; 0 when it may try."""
    if last_failure_at is None:
        return 0
    allowed_at = last_failure_at + wait_after(consecutive_failures)
    remaining = (allowed_at - now).total_seconds()
    return max(0, math.ceil(remaining))
