"""The open-data pages in a real browser: accessible, readable on a phone, files downloadable."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import MOBILE, place
from tests.factories import ConsultationFactory, TestimonyFactory, ThemeFactory

pytestmark = pytest.mark.browser

PAGES = ("/donnees-ouvertes/", "/consultations/canicules/donnees/", "/donnees-ouvertes/api/")


@pytest.fixture
def consultation(transactional_db):
    consultation = ConsultationFactory(slug="canicules", title="Canicules : adapter les services")
    theme = ThemeFactory(consultation=consultation, title="Organisation")
    beauvais = place("60057", "Beauvais", 56_000)
    for _ in range(3):
        TestimonyFactory(consultation=consultation, territory=beauvais, themes=[theme])
    return consultation


@pytest.mark.parametrize("path", PAGES)
def test_the_open_data_pages_are_accessible_and_fit_a_phone(
    live_server, new_page, consultation, path
):
    for viewport in (None, MOBILE):
        page = new_page() if viewport is None else new_page(viewport)
        page.goto(live_server.url + path)
        assert_accessible(page)
        overflow = page.evaluate(
            "document.documentElement.scrollWidth - document.documentElement.clientWidth"
        )
        assert overflow <= 0, f"{path} is wider than the screen by {overflow}px"


def test_a_visitor_goes_from_the_consultation_to_its_files(live_server, page, consultation):
    page.goto(f"{live_server.url}/consultations/canicules/")
    page.get_by_role("link", name="Les télécharger en données ouvertes (CSV, XLSX, JSON)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Télécharger les témoignages")
    table = page.get_by_role("table", name="Les témoignages publiés de cet appel, en trois formats")
    expect(table.get_by_role("row")).to_have_count(4)

    with page.expect_download() as download:
        page.get_by_role("link", name="Télécharger CSV").click()
    assert download.value.suggested_filename == "retex-canicules-temoignages.csv"
    content = Path(download.value.path()).read_text(encoding="utf-8-sig")
    assert content.count("\n") == 4  # the header and three testimonies
