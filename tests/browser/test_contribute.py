"""A city agent testifies, in a real browser: from the home page to the edit link, with the
mouse, with the keyboard alone, without JavaScript, and with a draft kept across a reload."""

import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.storage import default_storage
from PIL import Image
from playwright.sync_api import Page, expect

from retex.consultations.services import ThemeSpec, consultation_create
from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Testimony
from retex.core.text import fold, fold_words
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory, TerritoryNameToken
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import MOBILE

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
GPS_IFD = 0x8825


def territory_row(kind: str, code: str, name: str, **fields) -> Territory:
    """A place the search can find (its name words indexed), whether or not the whole reference
    is loaded in this database."""
    territory, _ = Territory.objects.get_or_create(
        kind=kind, code=code, defaults={"name": name, "search_name": fold(name), **fields}
    )
    for word in set(fold_words(name)):
        TerritoryNameToken.objects.get_or_create(territory=territory, token=word[:64])
    return territory


@pytest.fixture
def consultation(transactional_db, live_server, settings):
    # E-mails land in the outbox page, with links to this server.
    settings.EMAIL_BACKEND = "retex.core.email.OutboxBackend"
    settings.RETEX_OUTBOX_PAGE = True
    settings.RETEX_BASE_URL = live_server.url
    region = territory_row(TerritoryKind.REGION, "32", "Hauts-de-France")
    oise = territory_row(TerritoryKind.DEPARTEMENT, "60", "Oise", region=region)
    common = {"departement": oise, "region": region}
    territory_row(TerritoryKind.COMMUNE, "60057", "Beauvais", population=56_254, **common)
    territory_row(TerritoryKind.COMMUNE, "60058", "Beauvoir", population=312, **common)
    return consultation_create(
        title="Gestion de crise avec le numérique",
        slug="gestion-de-crise",
        summary="Racontez ce que le numérique a permis à votre collectivité pendant la crise.",
        organiser_names="Villes de France et Villes Internet",
        opens_at=datetime(2020, 11, 26, 9, 0, tzinfo=PARIS),
        closes_at=datetime(2100, 3, 20, 23, 59, tzinfo=PARIS),
        themes=[
            ThemeSpec("Soutien à l'économie locale", ["Circuits courts", "Livraison à domicile"]),
            ThemeSpec("Cohésion sociale", ["Inclusion numérique", "Associations"]),
        ],
        audience_kinds=["commune", "epci"],
        population_min=10_000,
        population_max=100_000,
    )


def photo_with_gps(path) -> str:
    """A JPEG as a phone takes it: with the place it was taken in its EXIF data."""
    image = Image.new("RGB", (320, 240), (30, 110, 170))
    exif = Image.Exif()
    exif[0x010F] = "Téléphone de test"  # Make
    exif[GPS_IFD] = {1: "N", 2: (49.0, 25.0, 48.0), 3: "E", 4: (2.0, 4.0, 52.0)}
    image.save(path, format="JPEG", exif=exif.tobytes())
    return str(path)


def small_pdf(path) -> str:
    path.write_bytes(
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )
    return str(path)


def choose_beauvais_with_the_mouse(page: Page) -> None:
    box = page.get_by_role("combobox", name="Votre collectivité")
    box.click()
    box.press_sequentially("Beauv", delay=30)
    option = page.get_by_role("option", name=re.compile(r"^Beauvais \(Oise\)"))
    expect(option).to_be_visible()
    option.click()
    expect(box).to_have_value("Beauvais (Oise)")
    expect(page.locator("[data-territory-verdict]")).to_contain_text(
        "Beauvais fait partie du public visé par cette consultation."
    )


def fill_the_testimony(page: Page, files: list[str] = ()) -> None:
    page.get_by_label("Vos prénom et nom").fill("Camille Martin")
    page.get_by_label("Agent de la collectivité").check()
    page.get_by_label("Votre adresse e-mail").fill("camille.martin@beauvais.example")
    page.get_by_label("Titre de votre témoignage").fill("Le marché des Halles en ligne")
    economy = page.get_by_role("group", name="Soutien à l'économie locale")
    economy.get_by_label("Circuits courts").check()
    page.get_by_role("group", name="Cohésion sociale").get_by_label(
        "Autre sujet de ce thème"
    ).check()
    page.get_by_label("L'initiative").fill(
        "Les marchés de plein air ont fermé le 23 mars 2020. Nous avons ouvert la commande en "
        "ligne chez les producteurs, avec un retrait le samedi place des Halles."
    )
    page.get_by_label("Difficultés rencontrées").fill("Former quarante producteurs en une semaine.")
    page.get_by_label("Enseignements et conseils").fill("Associer les commerçants dès le début.")
    page.get_by_label("Outils et services numériques utilisés").fill("Click and collect, Facebook")
    page.get_by_label("Partenaires").fill("Chambre d'agriculture de l'Oise")
    page.get_by_label("Coût ou taille de l'équipe").fill("3 agents pendant deux semaines")
    page.get_by_label("Date de début").fill("2020-03-23")
    page.get_by_label("Date de fin").fill("2020-05-11")
    page.get_by_label("Liens").fill("https://www.beauvais.fr/")
    if files:
        page.get_by_label("Ajouter des fichiers").set_input_files(files)
    page.get_by_label("J'accepte que ce témoignage soit publié").check()


def test_a_city_agent_testifies_confirms_and_edits(live_server, page, consultation, tmp_path):
    page.goto(live_server.url)
    page.get_by_role("link", name=consultation.title).click()
    page.get_by_role("link", name="Témoigner", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Témoigner")
    assert_accessible(page)

    choose_beauvais_with_the_mouse(page)
    page.get_by_role("button", name="Envoyer mon témoignage").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Donnez un titre à votre témoignage.")
    expect(page.get_by_role("combobox", name="Votre collectivité")).to_have_value("Beauvais (Oise)")
    assert_accessible(page)
    summary.get_by_role("link", name="Donnez un titre à votre témoignage.").click()
    expect(page.get_by_label("Titre de votre témoignage")).to_be_focused()

    fill_the_testimony(
        page, files=[photo_with_gps(tmp_path / "marche.jpg"), small_pdf(tmp_path / "plan.pdf")]
    )
    page.get_by_role("button", name="Envoyer mon témoignage").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    expect(page.locator("main")).to_contain_text("camille.martin@beauvais.example")
    assert_accessible(page)
    testimony = Testimony.objects.get()
    assert testimony.status == TestimonyStatus.PENDING_VERIFICATION
    assert testimony.territory.code == "60057"
    photo = testimony.attachments.get(original_name="marche.jpg")
    with default_storage.open(photo.file.name) as stored:
        assert GPS_IFD not in Image.open(io.BytesIO(stored.read())).getexif()
    assert testimony.attachments.filter(original_name="plan.pdf").exists()

    page.get_by_role("link", name="Boîte d'envoi (démo)").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Boîte d'envoi")
    assert_accessible(page)
    mail = page.locator(".mail").first
    expect(mail.get_by_role("heading")).to_have_text("Confirmez votre témoignage")
    mail.locator("a[href*='/temoignages/confirmer/']").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Confirmez votre adresse")
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer mon adresse").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Votre témoignage est transmis aux organisateurs"
    )

    page.goto(live_server.url + "/boite-mail/")
    mail = page.locator(".mail").first
    expect(mail.get_by_role("heading")).to_have_text("Votre témoignage a bien été reçu")
    mail.locator("a[href*='/temoignages/modifier/']").click()

    expect(page.locator(".state-panel")).to_contain_text("en attente de modération")
    expect(page.get_by_label("Titre de votre témoignage")).to_have_value(
        "Le marché des Halles en ligne"
    )
    expect(page.locator(".files")).to_contain_text("marche.jpg")
    assert_accessible(page)
    page.get_by_label("Votre nom").fill("Dominique Petit")
    page.get_by_label("Titre de votre témoignage").fill("Le marché des Halles, commandé en ligne")
    page.get_by_role("button", name="Enregistrer mes modifications").click()

    expect(page.locator(".state-panel")).to_contain_text("Vos modifications sont enregistrées.")
    expect(page.get_by_label("Titre de votre témoignage")).to_have_value(
        "Le marché des Halles, commandé en ligne"
    )
    testimony.refresh_from_db()
    assert testimony.revisions.order_by("-number").first().editor_name == "Dominique Petit"


def tab_to(page: Page, target, limit: int = 120, backwards: bool = False) -> None:
    """Press Tab (or Shift+Tab) until the target has the focus, as a keyboard user does."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"{target} never received the focus")


def test_the_whole_form_works_with_the_keyboard_alone(live_server, page, consultation):
    page.goto(live_server.url + consultation.get_absolute_url())
    tab_to(page, page.get_by_role("link", name="Témoigner", exact=True))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Témoigner")

    box = page.get_by_role("combobox", name="Votre collectivité")
    tab_to(page, box)
    page.keyboard.type("Beauv", delay=30)
    expect(box).to_have_attribute("aria-expanded", "true")
    for _ in range(5):
        page.keyboard.press("ArrowDown")
        active = page.locator("#" + box.get_attribute("aria-activedescendant"))
        if active.inner_text().startswith("Beauvais (Oise)"):
            break
    expect(active).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Enter")
    expect(box).to_have_value("Beauvais (Oise)")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(page.locator("[data-territory-verdict]")).to_contain_text("fait partie du public visé")

    page.keyboard.press("Tab")
    expect(page.get_by_label("Vos prénom et nom")).to_be_focused()
    page.keyboard.type("Camille Martin")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Élu ou élue")).to_be_focused()
    page.keyboard.press("ArrowDown")  # radio buttons: the arrows move and select
    expect(page.get_by_label("Agent de la collectivité")).to_be_checked()
    page.keyboard.press("Tab")
    page.keyboard.type("camille.martin@beauvais.example")
    page.keyboard.press("Tab")
    page.keyboard.type("Le marché des Halles en ligne")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Circuits courts")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_label("Circuits courts")).to_be_checked()
    tab_to(page, page.get_by_label("L'initiative"))
    page.keyboard.type("Commande en ligne et retrait le samedi place des Halles.")
    # Back and forth: Shift+Tab returns to the sub-topic just ticked.
    tab_to(page, page.get_by_label("Circuits courts"), backwards=True)
    tab_to(page, page.get_by_label("L'initiative"))
    consent = page.get_by_label("J'accepte que ce témoignage soit publié")
    tab_to(page, consent)
    page.keyboard.press("Space")
    expect(consent).to_be_checked()
    tab_to(page, page.get_by_role("button", name="Envoyer mon témoignage"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
    testimony = Testimony.objects.get()
    assert (testimony.territory.code, testimony.author_role) == ("60057", "agent")
    assert [subtopic.title for subtopic in testimony.subtopics.all()] == ["Circuits courts"]


def test_a_draft_comes_back_after_a_reload(live_server, page, consultation):
    url = live_server.url + "/consultations/gestion-de-crise/temoigner/"
    page.goto(url)
    page.get_by_label("Titre de votre témoignage").fill("Un brouillon à ne pas perdre")
    page.get_by_label("L'initiative").fill("Une longue histoire, écrite sur plusieurs jours.")
    page.get_by_label("Circuits courts").check()
    expect(page.locator("[data-draft-status]")).to_contain_text(
        re.compile(r"Brouillon enregistré sur cet appareil à \d+\u00a0h\u00a0\d\d")
    )

    page.reload()
    expect(page.get_by_label("Titre de votre témoignage")).to_have_value("")
    banner = page.locator("[data-draft-banner]")
    expect(banner).to_contain_text(re.compile(r"Un brouillon du .+ a été retrouvé"))
    banner.get_by_role("button", name="Restaurer").click()

    expect(banner).to_be_hidden()
    expect(page.get_by_label("Titre de votre témoignage")).to_have_value(
        "Un brouillon à ne pas perdre"
    )
    expect(page.get_by_label("L'initiative")).to_have_value(
        "Une longue histoire, écrite sur plusieurs jours."
    )
    expect(page.get_by_label("Circuits courts")).to_be_checked()
    expect(page.locator("#id_title_counter")).to_have_text("28 / 200 caractères")

    # Once the testimony is sent, the check-your-mail page forgets the draft.
    page.goto(live_server.url + "/consultations/gestion-de-crise/temoigner/envoye/")
    page.goto(url)
    expect(banner).to_be_hidden()


def test_without_javascript_a_search_then_a_radio_button_chooses_the_place(
    live_server, browser, consultation
):
    context = browser.new_context(java_script_enabled=False, locale="fr-FR")
    context.set_default_timeout(10_000)
    try:
        page = context.new_page()
        page.goto(live_server.url + "/consultations/gestion-de-crise/temoigner/")
        page.get_by_label("Titre de votre témoignage").fill("Écrit avant de chercher")
        page.get_by_role("textbox", name="Votre collectivité").fill("Beauv")
        page.get_by_role("button", name="Rechercher").click()

        results = page.get_by_role("group", name=re.compile(r"résultats? pour « Beauv »"))
        expect(results).to_contain_text("Commune · 56 254 habitants")
        expect(results).to_contain_text("Hors du public visé")  # Beauvoir: 312 inhabitants
        expect(page.get_by_label("Titre de votre témoignage")).to_have_value(
            "Écrit avant de chercher"
        )
        results.get_by_role("radio", name=re.compile(r"^Beauvais \(Oise\)")).check()
        fill_the_testimony(page)
        page.get_by_role("button", name="Envoyer mon témoignage").click()

        expect(page.get_by_role("heading", level=1)).to_have_text("Vérifiez votre messagerie")
        assert Testimony.objects.get().title == "Le marché des Halles en ligne"
    finally:
        context.close()


def test_the_form_fits_a_375_pixel_wide_screen(live_server, new_page, consultation):
    page = new_page(MOBILE)
    page.goto(live_server.url + "/consultations/gestion-de-crise/temoigner/")
    choose_beauvais_with_the_mouse(page)

    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    assert_accessible(page)
