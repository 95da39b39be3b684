import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def fresh_cache():
    """The queue remembers in the cache when it last compared newcomers (per consultation id,
    which a rolled-back test may hand to the next one): each test starts without it."""
    cache.clear()
    yield
    cache.clear()
