import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_counters():
    """Sign-in failures are counted in the cache, which outlives a test: start afresh."""
    cache.clear()
    yield
    cache.clear()
