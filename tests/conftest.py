import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds the whole territories reference, loaded once per worker:
    tests speak of real places (Beauvais, Arras, Chevreuse) as users do.

    Transactional tests (live server, browser) flush the tables after them; pytest-django runs
    them after the others, and those that need places load what they need themselves.
    """
    with django_db_blocker.unblock():
        call_command("territories", "load", verbosity=0)


@pytest.fixture(autouse=True)
def default_language():
    """A request to /en/ leaves the thread in English; each test starts in French again."""
    with translation.override(settings.LANGUAGE_CODE):
        yield
