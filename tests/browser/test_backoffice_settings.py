"""An organiser runs their consultation in a real browser: signs in, renames a theme, extends
the deadline with a reason, and the public page shows the new date and the reason. Every page
on the way passes axe-core, and works on a 375 px wide phone."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from playwright.sync_api import Page, expect

from retex.audit.services import audit_record
from retex.consultations.enums import MembershipRole
from retex.consultations.models import ConsultationMembership
from retex.consultations.services import (
    ThemeSpec,
    consultation_create,
    consultation_extend_deadline,
)
from tests.accounts.totp import code_from_secret
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import MOBILE

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
PASSWORD = "un jardin sous la pluie"


@pytest.fixture
def consultation(transactional_db):
    consultation = consultation_create(
        title="Canicules : adapter les services publics",
        slug="canicules",
        summary="Ce que les collectivités ont fait pendant les vagues de chaleur.",
        organiser_names="Villes de France",
        opens_at=datetime(2020, 6, 1, 9, 0, tzinfo=PARIS),
        closes_at=datetime(2099, 12, 20, 23, 59, tzinfo=PARIS),
        themes=[
            ThemeSpec("Organisation des services", ["Télétravail", "Plans de continuité"]),
            ThemeSpec("Santé publique", ["Îlots de fraîcheur"]),
        ],
        audience_kinds=["commune"],
        population_min=10_000,
        population_max=100_000,
    )
    consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=datetime(2100, 1, 20, 23, 59, tzinfo=PARIS),
        reason="Première prolongation, pendant les fêtes.",
    )
    organiser = get_user_model().objects.create_user(
        "alix", "alix@villes.fr", PASSWORD, first_name="Alix", last_name="Martin"
    )
    ConsultationMembership.objects.create(
        consultation=consultation, user=organiser, role=MembershipRole.ORGANISER
    )
    moderator = get_user_model().objects.create_user("bao", "bao@villes.fr", PASSWORD)
    ConsultationMembership.objects.create(
        consultation=consultation, user=moderator, role=MembershipRole.MODERATOR
    )
    audit_record(
        action="theme.update",
        target=consultation,
        actor_user=organiser,
        consultation_id=consultation.pk,
        details={"changes": {"title": ["Ancien titre", "Nouveau titre"]}},
    )
    return consultation


def sign_in(page: Page, live_server) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Nom d’utilisateur").fill("alix")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos consultations")


def test_an_organiser_renames_a_theme_and_extends_the_deadline(live_server, page, consultation):
    sign_in(page, live_server)
    assert_accessible(page)

    page.get_by_role("link", name="Canicules : adapter les services publics").click()
    page.get_by_role("link", name="Paramètres").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Textes et calendrier")
    assert_accessible(page)

    page.get_by_role("link", name="Thèmes et sous-thèmes").click()
    expect(page.get_by_role("link", name="Modifier : Santé publique")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Modifier : Santé publique").click()
    page.get_by_label("Thème", exact=True).fill("Santé publique et îlots de chaleur")
    page.get_by_role("button", name="Enregistrer le thème").click()
    expect(page.get_by_role("status")).to_contain_text("Le thème a été enregistré.")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Thème «\xa0Santé publique et îlots de chaleur\xa0»"
    )
    assert_accessible(page)

    page.get_by_role("link", name="Reporter la date limite").click()
    page.get_by_label("Nouvelle date limite").fill("2100-03-20T23:59")
    page.get_by_label("Raison").fill("Pour laisser le temps aux petites communes après l'été.")
    page.get_by_role("button", name="Reporter la date limite").click()
    expect(page.get_by_role("status")).to_contain_text("La date limite a été reportée.")
    assert_accessible(page)

    page.goto(live_server.url + consultation.get_absolute_url())
    dates = page.locator("#dates-title + .facts")
    expect(dates).to_contain_text("20\xa0mars\xa02100")
    expect(dates).to_contain_text("Pour laisser le temps aux petites communes après l'été.")
    expect(dates.locator("del").last).to_contain_text("20\xa0janvier\xa02100")
    expect(page.get_by_text("Santé publique et îlots de chaleur")).to_be_visible()


@pytest.mark.parametrize(
    "name", ["settings_audience", "team", "audit", "settings_deadline", "settings_themes"]
)
def test_the_other_pages_pass_axe(live_server, page, consultation, name):
    sign_in(page, live_server)
    page.goto(live_server.url + reverse(f"backoffice:{name}", args=[consultation.slug]))
    assert_accessible(page)


def test_an_organiser_turns_on_two_step_verification_and_signs_in_with_a_recovery_code(
    live_server, page, consultation, shots
):
    sign_in(page, live_server)
    page.goto(live_server.url + reverse("accounts:security"))
    assert_accessible(page)
    page.get_by_role("button", name="Activer la double authentification").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Activer la double authentification")
    assert_accessible(page)

    secret = page.locator(".totp-secret code").inner_text()
    page.get_by_label("Code de votre application").fill(code_from_secret(secret))
    page.get_by_role("button", name="Activer", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos codes de secours")
    codes = page.locator("ul.recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert_accessible(page)
    page.screenshot(path=str(shots / "recovery-codes.png"), full_page=True)

    page.get_by_role("button", name="Se déconnecter").click()
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Nom d’utilisateur").fill("alix")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_text("Vous avez perdu votre téléphone ?")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code de votre application, ou code de secours").fill(codes[0].upper())
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos consultations")
    page.goto(live_server.url + reverse("accounts:security"))
    expect(page.locator("main")).to_contain_text("Il vous reste 9 codes de secours.")
    assert_accessible(page)
    page.screenshot(path=str(shots / "account-security.png"), full_page=True)


@pytest.mark.parametrize(
    "name", ["settings", "settings_themes", "settings_deadline", "team", "audit"]
)
def test_the_pages_fit_a_375_pixel_wide_phone(live_server, new_page, consultation, name):
    page = new_page(MOBILE)
    sign_in(page, live_server)
    page.goto(live_server.url + reverse(f"backoffice:{name}", args=[consultation.slug]))
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    assert_accessible(page)
    submit = page.locator("main form button[type=submit]").last
    submit.scroll_into_view_if_needed()
    expect(submit).to_be_in_viewport()
