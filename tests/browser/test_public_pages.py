"""What a visitor sees and can do on the home and consultation pages, in a real browser."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from retex.consultations.enums import AudienceEnforcement
from retex.consultations.services import (
    ThemeSpec,
    consultation_create,
    consultation_extend_deadline,
)
from retex.contributions.enums import TestimonyStatus as Status
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import MOBILE, place
from tests.factories import TestimonyFactory as WitnessFactory

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
THEMES = [
    ThemeSpec(
        "Organisation de la fonction publique territoriale",
        ["Cybersécurité", "Continuité du service public", "Télétravail des agents"],
    ),
    ThemeSpec(
        "Soutien à l'économie locale",
        ["Circuits courts", "Livraison à domicile"],
        accepts_other_subtopics=False,
    ),
]


def create_consultation(*, slug: str, title: str, opens: datetime, closes: datetime, **extra):
    return consultation_create(
        title=title,
        slug=slug,
        summary="Racontez ce que le numérique a changé pour votre collectivité pendant la crise.",
        organiser_names="Villes de France et Villes Internet",
        opens_at=opens,
        closes_at=closes,
        description="Une consultation **pour les villes moyennes**.",
        themes=THEMES,
        audience_kinds=["commune", "epci"],
        population_min=10_000,
        population_max=100_000,
        **extra,
    )


@pytest.fixture
def open_consultation(transactional_db):
    """Open until 2100, after one extension: dates far away keep the texts fixed."""
    consultation = create_consultation(
        slug="canicules",
        title="Canicules : adapter les services publics",
        opens=datetime(2020, 6, 1, 9, 0, tzinfo=PARIS),
        closes=datetime(2100, 1, 20, 23, 59, tzinfo=PARIS),
    )
    consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=datetime(2100, 3, 20, 23, 59, tzinfo=PARIS),
        reason="Pour laisser le temps aux petites communes.",
    )
    beauvais = place("60057", "Beauvais", 56_000)
    arras = place("62041", "Arras", 41_000)
    theme = consultation.themes.get(position=1)
    for territory in (beauvais, beauvais, arras):
        WitnessFactory(consultation=consultation, territory=territory, themes=[theme])
    WitnessFactory(
        consultation=consultation, territory=arras, themes=[theme], status=Status.SUBMITTED
    )
    return consultation


@pytest.fixture
def closed_consultation(transactional_db):
    consultation = create_consultation(
        slug="gestion-de-crise",
        title="Gestion de crise avec le numérique",
        opens=datetime(2020, 11, 26, 9, 0, tzinfo=PARIS),
        closes=datetime(2021, 1, 20, 23, 59, tzinfo=PARIS),
        enforcement=AudienceEnforcement.STRICT,
    )
    consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=datetime(2021, 3, 20, 23, 59, tzinfo=PARIS),
        reason="Le second confinement a retardé les collectivités.",
    )
    return consultation


def test_home_lists_open_calls_first_with_their_state(
    live_server, page, open_consultation, closed_consultation
):
    page.goto(live_server.url)

    expect(page.locator("h1")).to_have_count(1)
    cards = page.locator(".card")
    expect(cards).to_have_count(2)
    expect(cards.nth(0).get_by_role("heading")).to_have_text(open_consultation.title)
    expect(cards.nth(0).locator(".badge")).to_have_text("Ouverte")
    expect(cards.nth(0)).to_contain_text("3 témoignages publiés")
    expect(cards.nth(0)).to_contain_text("Jusqu'au 20 mars 2100")
    expect(cards.nth(1).locator(".badge")).to_have_text("Clôturée")
    expect(cards.nth(1)).to_contain_text("Aucun témoignage publié pour l'instant")

    page.get_by_role("link", name=closed_consultation.title).click()
    expect(page).to_have_url(re.compile(r"/consultations/gestion-de-crise/$"))


def test_open_consultation_page_shows_dates_themes_and_how_to_testify(
    live_server, page, open_consultation
):
    page.goto(live_server.url + open_consultation.get_absolute_url())

    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Canicules : adapter les services publics")
    expect(page.locator(".page-header .badge")).to_have_text("Ouverte")
    dates = page.get_by_role("region", name="Dates clés")
    expect(dates.locator("del")).to_have_text("Ancienne date limite : 20 janvier 2100")
    expect(dates).to_contain_text("20 mars 2100 à 23 h 59")
    expect(dates).to_contain_text(
        "Date limite reportée du 20 janvier 2100 au 20 mars 2100"
        " — Pour laisser le temps aux petites communes."
    )
    figures = page.get_by_role("region", name="En chiffres")
    expect(figures).to_contain_text("3 témoignages publiés")
    expect(figures).to_contain_text("2 collectivités")

    themes = page.locator(".themes > li")
    expect(themes).to_have_count(2)
    expect(themes.nth(0).get_by_role("heading")).to_have_text(THEMES[0].title)
    expect(themes.nth(0).get_by_role("listitem")).to_have_text(
        [*THEMES[0].subtopics, "autres sujets"]
    )
    expect(themes.nth(0)).to_contain_text("3 témoignages publiés")
    expect(themes.nth(1).get_by_role("listitem")).to_have_text(THEMES[1].subtopics)

    page.get_by_role("link", name="Comment ça marche ?").click()
    expect(page).to_have_url(re.compile(r"#temoigner$"))
    how_to = page.locator("#temoigner")
    expect(how_to.get_by_role("heading", name="Comment témoigner")).to_be_in_viewport()
    expect(how_to).to_contain_text("Aucun compte n'est nécessaire.")

    page.get_by_role("link", name="Témoigner", exact=True).click()
    expect(page).to_have_url(re.compile(r"/consultations/canicules/temoigner/$"))


def test_closed_consultation_says_so_and_offers_no_call_to_action(
    live_server, page, closed_consultation
):
    page.goto(live_server.url + closed_consultation.get_absolute_url())

    expect(page.locator(".page-header .badge")).to_have_text("Clôturée")
    expect(page.get_by_text("il n'accepte plus de nouveaux témoignages")).to_be_visible()
    expect(page.get_by_text("Les témoignages publiés restent consultables.")).to_be_visible()
    expect(page.get_by_role("link", name="Témoigner")).to_have_count(0)
    expect(page.locator("#temoigner")).to_have_count(0)
    expect(
        page.get_by_text("Date limite reportée du 20 janvier 2021 au 20 mars 2021")
    ).to_be_visible()
    expect(
        page.get_by_text(
            "Seules les collectivités qui correspondent à ce public peuvent témoigner."
        )
    ).to_be_visible()


def test_language_switcher_goes_to_english_and_back(live_server, new_page, open_consultation):
    page = new_page()
    page.goto(live_server.url + open_consultation.get_absolute_url())

    page.get_by_role("button", name="English").click()
    expect(page).to_have_url(live_server.url + "/en/consultations/canicules/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator(".page-header .badge")).to_have_text("Open")
    expect(page.get_by_role("heading", name="Key dates")).to_be_visible()
    expect(
        page.get_by_text("Deadline extended from 20 January 2100 to 20 March 2100")
    ).to_be_visible()

    page.get_by_role("button", name="Français").click()
    expect(page).to_have_url(live_server.url + "/consultations/canicules/")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", name="Dates clés")).to_be_visible()


def test_language_switcher_works_with_javascript_disabled(live_server, browser, open_consultation):
    context = browser.new_context(java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/")
        page.get_by_role("button", name="English").click()
        expect(page).to_have_url(live_server.url + "/en/")
        expect(page.locator("html")).to_have_attribute("lang", "en")
    finally:
        context.close()


def test_skip_link_is_the_first_stop_and_moves_focus_to_the_main_content(
    live_server, page, open_consultation
):
    page.goto(live_server.url + open_consultation.get_absolute_url())

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu principal")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()

    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")


@pytest.mark.parametrize("which", ["home", "consultation"])
def test_no_horizontal_scrolling_on_a_375_pixel_wide_screen(
    live_server, new_page, open_consultation, closed_consultation, which
):
    page = new_page(MOBILE)
    path = "/" if which == "home" else open_consultation.get_absolute_url()
    page.goto(live_server.url + path)
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]


@pytest.mark.parametrize("language", ["", "/en"])
@pytest.mark.parametrize("which", ["home", "open", "closed"])
def test_axe_finds_no_accessibility_violation(
    live_server, page, open_consultation, closed_consultation, which, language
):
    consultation = {"open": open_consultation, "closed": closed_consultation}.get(which)
    path = consultation.get_absolute_url() if consultation else "/"
    page.goto(live_server.url + language + path)

    assert_accessible(page)
