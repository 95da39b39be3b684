"""Reading the published testimonies of a consultation in a real browser."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from retex.explore.search import search_index_update
from tests.browser.conftest import MOBILE, place
from tests.factories import ConsultationFactory, ThemeFactory
from tests.factories import TestimonyFactory as WitnessFactory

pytestmark = pytest.mark.browser


@pytest.fixture
def consultation(transactional_db):
    consultation = ConsultationFactory(slug="crise", title="Le numérique dans la crise")
    economy = ThemeFactory(consultation=consultation, title="Soutien à l'économie locale")
    cohesion = ThemeFactory(consultation=consultation, title="Cohésion sociale")
    beauvais = place("60057", "Beauvais", 56_000)
    arras = place("62041", "Arras", 41_000)
    testimonies = [
        WitnessFactory(
            consultation=consultation,
            territory=beauvais,
            themes=[economy],
            title="Un drive pour le marché",
            initiative="Les habitants passaient leurs commandes en ligne, retirées le samedi.",
            difficulties="Former les producteurs.\nTrouver un créneau.",
            links=["https://example.org/marche"],
        ),
        WitnessFactory(
            consultation=consultation,
            territory=arras,
            themes=[cohesion],
            title="Un ordinateur pour chaque élève",
            initiative="La ville a prêté des ordinateurs aux familles qui n'en avaient pas.",
        ),
        WitnessFactory(
            consultation=consultation,
            territory=arras,
            themes=[economy],
            title="Les commerces en ligne",
            initiative="Une place de marché numérique pour les boutiques de la ville.",
        ),
    ]
    search_index_update(testimony_ids=[t.pk for t in testimonies])
    return consultation


def test_filter_search_and_open_a_testimony(live_server, page, consultation):
    page.goto(f"{live_server.url}/consultations/{consultation.slug}/")
    page.get_by_role("link", name="Lire les 3 témoignages").click()
    expect(page.get_by_role("heading", level=2, name="3 témoignages")).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()

    page.get_by_label("Thème", exact=True).select_option(label="Cohésion sociale (1)")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("heading", level=2, name="1 témoignage")).to_be_visible()
    expect(page.get_by_role("link", name="Un ordinateur pour chaque élève")).to_be_visible()

    page.get_by_label("Thème", exact=True).select_option(label="Tous les thèmes")
    page.get_by_label("Mots à rechercher").fill("commande")
    page.get_by_role("button", name="Filtrer").click()
    assert "q=commande" in page.url
    expect(page.locator("mark")).to_have_text(["commandes"])
    page.get_by_role("link", name="Un drive pour le marché").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Un drive pour le marché")
    expect(page.get_by_text("Trouver un créneau.")).to_be_visible()
    results = Axe().run(page)
    assert results.violations_count == 0, results.generate_report()


@pytest.mark.parametrize("which", ["list", "testimony"])
def test_no_horizontal_scroll_on_a_phone(live_server, new_page, consultation, which):
    page = new_page(MOBILE)
    path = f"/consultations/{consultation.slug}/temoignages/"
    page.goto(live_server.url + path)
    if which == "testimony":
        page.get_by_role("link", name="Un drive pour le marché").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
