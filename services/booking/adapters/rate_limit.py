"""Submission rate limit, keyed by the account of the token (never by address: on loopback, or
behind one carrier NAT, every client has the same address, and the 09:00 rush must measure the
system, not the limiter). A token bucket per account in each process: with R replicas an account
gets at most R times the rate, which is enough to stop a script hammering captchas or refusals.
"""

from __future__ import annotations

import threading
import time


class AccountRateLimiter:
    def __init__(self, per_minute: int = 12, burst: int = 6, max_accounts: int = 100_000):
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_accounts = max_accounts
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def allow(self, account_id: str, now: float | None = None) -> bool:
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, last = self._buckets.get(account_id, (self.burst, now))
            tokens = min(self.burst, tokens + (now - last) * self.rate)
            if tokens < 1.0:
                self._buckets[account_id] = (tokens, now)
                return False
            if len(self._buckets) >= self.max_accounts and account_id not in self._buckets:
                self._forget_full_buckets(now)
            self._buckets[account_id] = (tokens - 1.0, now)
            return True

    def _forget_full_buckets(self, now: float) -> None:
        """Accounts whose bucket has refilled carry no state worth keeping."""
        refill = self.burst / self.rate
        self._buckets = {k: v for k, v in self._buckets.items() if now - v[1] < refill}
