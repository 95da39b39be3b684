"""A real Chromium driven by Playwright against pytest-django's live server.

Live-server tests are transactional: the tables are emptied after each test, so each test
creates what it shows (see `place` for territories).
"""

import os
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, sync_playwright

from retex.core.text import fold
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory

ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
CHROMIUM = os.environ.get("RETEX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 375, "height": 800}


@pytest.fixture(scope="module")
def browser() -> Browser:
    # Per module, not per session: while Playwright runs, this thread has an event loop, and
    # the database tests that pytest-django runs after the browser ones must not inherit it.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def database_calls_beside_playwright():
    """Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
    database calls the tests make to prepare their data (and the flush after them). Allowed
    only while a browser test runs: the variable must not reach other tests, nor the processes
    they start."""
    previous = os.environ.get(ASYNC_UNSAFE)
    os.environ[ASYNC_UNSAFE] = "true"
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(ASYNC_UNSAFE, None)
        else:
            os.environ[ASYNC_UNSAFE] = previous


# Hooks of this file only run for the tests under it (they are called through item.ihook).
@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    with database_calls_beside_playwright():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    with database_calls_beside_playwright():
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    with database_calls_beside_playwright():
        return (yield)


@pytest.fixture(autouse=True)
def french_addresses():
    """reverse() follows the language an earlier request left active in this thread."""
    with translation.override("fr"):
        yield


@pytest.fixture
def new_page(browser):
    """Open pages in fresh browser contexts (no cookie shared), closed after the test."""
    contexts = []

    def open_page(viewport: dict = DESKTOP) -> Page:
        context = browser.new_context(viewport=viewport, locale="fr-FR")
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


def place(code: str, name: str, population: int) -> Territory:
    """A commune, whether or not the territories reference is loaded in this database."""
    territory, _ = Territory.objects.get_or_create(
        kind=TerritoryKind.COMMUNE,
        code=code,
        defaults={"name": name, "search_name": fold(name), "population": population},
    )
    return territory


@pytest.fixture
def shots(tmp_path) -> Path:
    """Where a test saves the screenshots a person looks at: $RETEX_SCREENSHOTS, or a
    temporary folder."""
    folder = Path(os.environ.get("RETEX_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder
