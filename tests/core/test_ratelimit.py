from django.core.cache import cache

from retex.core.ratelimit import rate_limit_exceeded


def test_the_limit_counts_per_scope_and_key():
    cache.clear()
    hits = [
        rate_limit_exceeded(scope="submit", key="10.0.0.1", limit=3, period_seconds=60)
        for _ in range(5)
    ]
    assert hits == [False, False, False, True, True]
    assert not rate_limit_exceeded(scope="submit", key="10.0.0.2", limit=3, period_seconds=60)
    assert not rate_limit_exceeded(scope="resend", key="10.0.0.1", limit=3, period_seconds=60)


def test_keys_are_not_kept_in_clear():
    cache.clear()
    rate_limit_exceeded(scope="email", key="camille@example.org", limit=1, period_seconds=60)
    stored = list(getattr(cache, "_cache", {}).keys())
    assert stored and not any("camille" in key for key in stored)
