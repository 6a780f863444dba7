from services.booking.adapters.rate_limit import AccountRateLimiter


def test_limit_is_per_account_so_one_address_with_many_accounts_is_not_throttled():
    limiter = AccountRateLimiter(per_minute=6, burst=3)
    assert [limiter.allow("a", now=0.0) for _ in range(4)] == [True, True, True, False]
    assert all(limiter.allow(f"other-{i}", now=0.0) for i in range(1000))
    assert not limiter.allow("a", now=5.0)   # 6 per minute: one token every 10 s
    assert limiter.allow("a", now=10.5)


def test_memory_is_bounded_by_forgetting_refilled_buckets():
    limiter = AccountRateLimiter(per_minute=60, burst=2, max_accounts=10)
    for i in range(10):
        limiter.allow(f"x{i}", now=0.0)
    limiter.allow("late", now=100.0)
    assert len(limiter._buckets) == 1
