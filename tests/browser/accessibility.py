"""One axe-core check for every browser test."""

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page


def assert_accessible(page: Page) -> None:
    """No axe-core violation on the page as it stands once loaded.

    Waiting for the load first matters after a click that navigates: axe run on a page whose
    document is being replaced fails with "Cannot read properties of null"."""
    page.wait_for_load_state("load")
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()
