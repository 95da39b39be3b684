"""A real Chromium driven by Playwright against pytest-django's live server.

Live-server tests are transactional: the tables are emptied after each test, so each test
creates what it shows (see `place` for territories).
"""

import os

import pytest
from django.utils import translation
from playwright.sync_api import Browser, Page, sync_playwright

from retex.core.text import fold
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse the
# database calls the tests make to prepare their data.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

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


@pytest.fixture(scope="session")
def browser() -> Browser:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


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
