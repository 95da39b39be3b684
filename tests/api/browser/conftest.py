"""The browser tests' fixtures and hooks (tests/browser/conftest.py), for the tests here only."""

from tests.browser.conftest import (  # noqa: F401
    browser,
    french_addresses,
    new_page,
    page,
    pytest_runtest_call,
    pytest_runtest_setup,
    pytest_runtest_teardown,
)
