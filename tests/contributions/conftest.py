import pytest
from django.core.cache import cache

from tests.contributions.journey import consultation_with_themes


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache, which outlives a test: start each one afresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def consultation():
    return consultation_with_themes()
