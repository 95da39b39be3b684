"""A testimony's page and the site's information pages, in a real browser.

Screenshots go to $RETEX_SCREENSHOTS when it is set (to look at them), else to pytest's
temporary directory.
"""

import importlib
from datetime import timedelta

import pytest
from django.conf import settings
from django.core.cache import cache
from django.test import Client
from playwright.sync_api import expect

from retex.consultations.enums import MembershipRole
from retex.consultations.services import consultation_extend_deadline
from retex.explore.search import search_index_update
from retex.pages.models import LEGAL_NOTICE_SLUG, SitePage
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import MOBILE, place
from tests.factories import ConsultationFactory, MembershipFactory, ThemeFactory, ToolFactory
from tests.factories import TestimonyFactory as WitnessFactory

pytestmark = pytest.mark.browser

MARKET = (
    "Les producteurs du marché de plein vent prenaient les commandes en ligne, retirées le samedi."
)


@pytest.fixture
def consultation(transactional_db):
    cache.clear()
    consultation = ConsultationFactory(
        slug="crise",
        title="Le numérique dans la crise",
        contact_email="retex@villes.example",
    )
    consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=consultation.closes_at + timedelta(days=30),
        reason="Pour laisser le temps aux communes touchées par la deuxième vague.",
    )
    economy = ThemeFactory(consultation=consultation, title="Soutien à l'économie locale")
    cohesion = ThemeFactory(consultation=consultation, title="Cohésion sociale")
    beauvais = place("60057", "Beauvais", 56_000)
    arras = place("62041", "Arras", 41_000)
    chevreuse = place("78160", "Chevreuse", 5_800)
    market = WitnessFactory(
        consultation=consultation,
        territory=beauvais,
        themes=[economy],
        title="Un drive pour le marché",
        initiative=MARKET,
        difficulties="Former les producteurs.\nTrouver un créneau.",
        lessons="Associer les producteurs du marché dès le début.",
        partners="Chambre d'agriculture",
        links=["https://example.org/marche"],
    )
    market.tools.set([ToolFactory(name="Tableur partagé", slug="tableur-partage")])
    others = [
        WitnessFactory(
            consultation=consultation,
            territory=arras,
            themes=[economy],
            title="Les commandes aux producteurs",
            initiative="Les producteurs du marché livraient les commandes passées en ligne.",
            lessons="",
            difficulties="",
        ),
        WitnessFactory(
            consultation=consultation,
            territory=chevreuse,
            themes=[cohesion],
            title="Un ordinateur pour chaque élève",
            initiative="La ville a prêté des ordinateurs aux familles qui n'en avaient pas.",
            lessons="",
            difficulties="",
        ),
    ]
    search_index_update(testimony_ids=[market.pk, *(t.pk for t in others)])
    return consultation


def test_open_a_result_then_follow_a_similar_testimony(live_server, page, consultation, shots):
    page.goto(f"{live_server.url}/consultations/{consultation.slug}/temoignages/")
    page.get_by_role("link", name="Un drive pour le marché").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Un drive pour le marché")
    expect(page.get_by_text("Trouver un créneau.")).to_be_visible()
    expect(page.get_by_role("link", name="Beauvais : tous ses témoignages")).to_be_visible()
    expect(page.get_by_role("heading", name="Historique")).to_be_visible()
    expect(page.get_by_text("deuxième vague")).to_be_visible()
    address = page.get_by_label("Adresse permanente de ce témoignage")
    assert address.input_value().endswith(page.url.removeprefix(live_server.url))
    assert_accessible(page)
    page.screenshot(path=shots / "testimony-desktop.png", full_page=True)

    similar = page.get_by_role("region", name="Témoignages proches")
    expect(similar.get_by_role("link")).to_have_text(["Les commandes aux producteurs"])
    similar.get_by_role("link", name="Les commandes aux producteurs").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Les commandes aux producteurs")
    expect(page.get_by_role("region", name="Témoignages proches").get_by_role("link")).to_have_text(
        ["Un drive pour le marché"]
    )
    assert_accessible(page)


def test_the_page_works_with_the_keyboard(live_server, browser, consultation):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    try:
        page = context.new_page()
        page.goto(f"{live_server.url}/consultations/{consultation.slug}/temoignages/")
        page.get_by_role("link", name="Un drive pour le marché").focus()
        page.keyboard.press("Enter")
        expect(page.get_by_role("heading", level=1)).to_have_text("Un drive pour le marché")

        page.keyboard.press("Tab")
        expect(page.get_by_role("link", name="Aller au contenu principal")).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.locator("main")).to_be_focused()

        copy = page.get_by_role("button", name="Copier le lien")
        for _ in range(60):  # to the copy button, through every link on the way
            page.keyboard.press("Tab")
            focused = page.evaluate_handle("document.activeElement")
            outline = page.evaluate("e => getComputedStyle(e).outlineStyle", focused)
            assert outline != "none", page.evaluate("e => e.outerHTML", focused)
            if page.evaluate("e => e.dataset.copyTarget === 'permalink'", focused):
                break
        expect(copy).to_be_focused()
        page.keyboard.press("Enter")
        expect(page.get_by_role("status")).to_have_text("Lien copié.")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied == page.get_by_label("Adresse permanente de ce témoignage").input_value()
    finally:
        context.close()


def test_a_phone_and_paper(live_server, new_page, consultation, shots):
    page = new_page(MOBILE)
    page.goto(f"{live_server.url}/consultations/{consultation.slug}/temoignages/")
    page.get_by_role("link", name="Un drive pour le marché").click()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    assert_accessible(page)
    page.screenshot(path=shots / "testimony-375.png", full_page=True)

    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.get_by_role("button", name="Copier le lien")).to_be_hidden()
    expect(page.get_by_role("region", name="Témoignages proches")).to_be_hidden()
    expect(page.get_by_text("Adresse de ce témoignage :")).to_be_visible()
    page.screenshot(path=shots / "testimony-print.png", full_page=True)
    page.pdf(path=shots / "testimony.pdf", format="A4")


@pytest.fixture
def legal_notice(transactional_db):
    # Transactional tests empty every table, the migration's default page included: create it
    # again, with the migration's own text.
    default = importlib.import_module("retex.pages.migrations.0002_legal_notice_default")
    body = default.BODY % {
        "confirmation_days": settings.RETEX_CONFIRMATION_LINK_DAYS,
        "edit_days": settings.RETEX_EDIT_LINK_DAYS,
    }
    return SitePage.objects.update_or_create(
        slug=LEGAL_NOTICE_SLUG, defaults={"title": default.TITLE, "body": body}
    )[0]


@pytest.mark.parametrize("path", ["/accessibilite/", "/mentions-legales/", "/en/accessibilite/"])
def test_information_pages_are_accessible_on_a_desktop_and_a_phone(
    live_server, new_page, consultation, legal_notice, shots, path
):
    for viewport, name in (({"width": 1280, "height": 900}, "desktop"), (MOBILE, "375")):
        page = new_page(viewport)
        page.goto(live_server.url + path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        assert_accessible(page)
        slug = path.strip("/").replace("/", "-")
        page.screenshot(path=shots / f"{slug}-{name}.png", full_page=True)


def test_an_organiser_edits_the_legal_notice_in_the_browser(
    live_server, page, consultation, legal_notice, shots
):
    organiser = MembershipFactory(consultation=consultation, role=MembershipRole.ORGANISER).user
    client = Client()
    client.force_login(organiser)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(live_server.url + "/mentions-legales/")
    page.get_by_role("link", name="Modifier cette page").click()
    expect(page.get_by_label("Texte")).to_be_visible()  # the edit page, loaded
    assert_accessible(page)
    page.get_by_label("Texte").fill("## Éditeur du site\n\nLa **communauté** d'agglomération.")
    page.get_by_role("button", name="Prévisualiser").click()
    preview = page.get_by_role("region", name="Aperçu (pas encore enregistré)")
    expect(preview.get_by_role("heading", name="Éditeur du site")).to_be_visible()
    expect(page.get_by_label("Texte")).to_have_value(
        "## Éditeur du site\n\nLa **communauté** d'agglomération."
    )
    assert_accessible(page)
    page.screenshot(path=shots / "legal-edit-preview.png", full_page=True)
    page.get_by_role("button", name="Enregistrer et publier").click()
    expect(page.get_by_text("La page est enregistrée et publiée.")).to_be_visible()
    page.get_by_role("link", name="Voir la page publique").click()
    expect(page.locator("article strong")).to_have_text("communauté")
