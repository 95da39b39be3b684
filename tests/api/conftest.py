import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def fresh_counters():
    """The API's and the files' rate limits count in the cache: each test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def french():
    """reverse() follows the language a previous request left active in this thread."""
    with translation.override("fr"):
        yield
