"""Reading the published testimonies of a consultation in a real browser."""

import re

import pytest
from playwright.sync_api import expect

from retex.explore.search import search_index_update
from tests.browser.accessibility import assert_accessible
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
    assert_accessible(page)

    page.get_by_label("Thème", exact=True).select_option(label="Cohésion sociale (1)")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("heading", level=2, name="1 témoignage")).to_be_visible()
    expect(page.get_by_role("link", name="Un ordinateur pour chaque élève")).to_be_visible()

    page.get_by_label("Thème", exact=True).select_option(label="Tous les thèmes")
    page.get_by_label("Mots à rechercher").fill("commande")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator(".result__snippet mark")).to_have_text(["commandes"])
    expect(page).to_have_url(re.compile(r"\?q=commande$"))
    page.get_by_role("link", name="Un drive pour le marché").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Un drive pour le marché")
    expect(page.get_by_text("Trouver un créneau.")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("which", ["list", "testimony"])
def test_no_horizontal_scroll_on_a_phone(live_server, new_page, consultation, which):
    page = new_page(MOBILE)
    path = f"/consultations/{consultation.slug}/temoignages/"
    page.goto(live_server.url + path)
    if which == "testimony":
        page.get_by_role("link", name="Un drive pour le marché").click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]


def test_filters_update_the_list_in_place_and_the_address(live_server, page, consultation):
    page.goto(f"{live_server.url}/consultations/{consultation.slug}/temoignages/")
    expect(page.get_by_role("heading", level=2, name="3 témoignages")).to_be_visible()
    first_url = page.url

    theme = page.get_by_label("Thème", exact=True)
    theme.focus()
    theme.select_option(label="Soutien à l'économie locale (2)")
    expect(page.get_by_role("heading", level=2, name="2 témoignages")).to_be_visible()
    # No page load: the select keeps the focus, the address and the counts follow.
    expect(theme).to_be_focused()
    expect(page).to_have_url(re.compile(r"\?theme=\d+$"))
    expect(page.locator("[data-list-status]")).to_have_text("2 témoignages")
    expect(page.get_by_label("Type de collectivité").locator("option")).to_have_text(
        ["Tous les types", "Commune (2)", "Intercommunalité (0)"]
    )
    assert_accessible(page)

    page.get_by_role("link", name="Thème : Soutien à l'économie locale — retirer ce filtre").click()
    expect(page.get_by_role("heading", level=2, name="3 témoignages")).to_be_focused()
    page.go_back()
    expect(page.get_by_role("heading", level=2, name="2 témoignages")).to_be_visible()
    page.go_back()
    expect(page.get_by_role("heading", level=2, name="3 témoignages")).to_be_visible()
    assert page.url == first_url


def test_the_list_is_usable_with_the_keyboard(live_server, page, consultation):
    page.goto(f"{live_server.url}/consultations/{consultation.slug}/temoignages/")
    search = page.get_by_label("Mots à rechercher")
    search.focus()
    page.keyboard.type('"place de marché"')
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=2, name="1 témoignage")).to_be_visible()
    expect(search).to_be_focused()
    expect(page.locator(".result mark")).to_have_text(["place de marché"])

    # Tab from the search box through the filters to the order, then the first result.
    link = page.get_by_role("link", name="Les commerces en ligne")
    for _ in range(30):
        page.keyboard.press("Tab")
        if link.evaluate("element => element === document.activeElement"):
            break
    expect(link).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Les commerces en ligne")


def test_the_list_works_without_javascript(live_server, new_page, browser, consultation):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/consultations/{consultation.slug}/temoignages/")
        page.get_by_label("Thème", exact=True).select_option(label="Cohésion sociale (1)")
        page.get_by_role("button", name="Filtrer").click()
        expect(page.get_by_role("heading", level=2, name="1 témoignage")).to_be_visible()
        page.get_by_label("Trier par").select_option(label="Les plus grandes collectivités d'abord")
        page.get_by_role("button", name="Trier").click()
        assert "sort=population" in page.url and "theme=" in page.url
    finally:
        context.close()
