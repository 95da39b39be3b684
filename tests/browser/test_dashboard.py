"""An organiser reads the dashboard in a real browser: key figures, charts with their tables,
the target collectivities that have not answered. axe-core finds nothing, on a desktop screen
and on a 375 px wide phone."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import Page, expect

from retex.consultations.enums import MembershipRole
from retex.consultations.models import ConsultationMembership
from retex.consultations.services import ThemeSpec, consultation_create
from retex.contributions.enums import AuthorRole, TestimonyStatus
from retex.contributions.models import Testimony
from retex.core.text import fold
from retex.moderation.models import DecisionKind, ModerationDecision
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import MOBILE

pytestmark = pytest.mark.browser

PARIS = ZoneInfo("Europe/Paris")
PASSWORD = "un jardin sous la pluie"


def _territory(kind, code, name, population=None, **links) -> Territory:
    territory, _created = Territory.objects.get_or_create(
        kind=kind,
        code=code,
        defaults={"name": name, "search_name": fold(name), "population": population, **links},
    )
    return territory


@pytest.fixture
def consultation(transactional_db):
    # The whole territories reference may still be there (the first live-server test of a
    # worker runs before any flush): keep only this story's target communes.
    Territory.objects.filter(
        kind=TerritoryKind.COMMUNE, population__gte=10_000, population__lte=100_000
    ).exclude(code__in=["60057", "60159", "60175"]).delete()
    # The audience is cached by version of the reference, which these hand-made places skip.
    cache.clear()
    region = _territory(TerritoryKind.REGION, "32", "Hauts-de-France", 5_997_734)
    oise = _territory(TerritoryKind.DEPARTEMENT, "60", "Oise", 829_419, region=region)
    places = {
        name: _territory(
            TerritoryKind.COMMUNE, code, name, population, region=region, departement=oise
        )
        for code, name, population in [
            ("60057", "Beauvais", 56_020),
            ("60159", "Compiègne", 40_028),
            ("60175", "Creil", 35_657),
            ("60088", "Bresles", 4_200),
        ]
    }
    consultation = consultation_create(
        title="Canicules : adapter les services publics",
        slug="canicules",
        summary="Ce que les collectivités ont fait pendant les vagues de chaleur.",
        organiser_names="Villes de France",
        opens_at=timezone.now() - timedelta(days=20),
        closes_at=timezone.now() + timedelta(days=20),
        themes=[
            ThemeSpec("Organisation des services", ["Télétravail", "Plans de continuité"]),
            ThemeSpec("Santé publique", ["Îlots de fraîcheur"]),
        ],
        audience_kinds=[TerritoryKind.COMMUNE],
        population_min=10_000,
        population_max=100_000,
    )
    organiser = get_user_model().objects.create_user(
        "alix", "alix@villes.fr", PASSWORD, first_name="Alix", last_name="Martin"
    )
    ConsultationMembership.objects.create(
        consultation=consultation, user=organiser, role=MembershipRole.ORGANISER
    )
    themes = list(consultation.themes.order_by("position"))
    now = timezone.now()
    for index, (place, status) in enumerate(
        [
            ("Beauvais", TestimonyStatus.PUBLISHED),
            ("Beauvais", TestimonyStatus.SUBMITTED),
            ("Compiègne", TestimonyStatus.PUBLISHED),
            ("Bresles", TestimonyStatus.PUBLISHED),
        ]
    ):
        submitted_at = now - timedelta(days=10 - index, hours=3)
        testimony = Testimony.objects.create(
            consultation=consultation,
            territory=places[place],
            status=status,
            title=f"Initiative {index}",
            initiative="Un plan canicule partagé avec les associations.",
            author_name="Camille Martin",
            author_role=AuthorRole.AGENT,
            author_email=f"agent{index}@example.org",
            in_audience=place != "Bresles",
            submitted_at=submitted_at,
            published_at=submitted_at + timedelta(hours=20)
            if status == TestimonyStatus.PUBLISHED
            else None,
        )
        testimony.themes.set([themes[index % 2]])
        if status == TestimonyStatus.PUBLISHED:
            decision = ModerationDecision.objects.create(
                testimony=testimony, kind=DecisionKind.PUBLISH, moderator=organiser
            )
            ModerationDecision.objects.filter(pk=decision.pk).update(
                created_at=testimony.published_at
            )
    return consultation


def sign_in(page: Page, live_server) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    page.get_by_label("Nom d’utilisateur").fill("alix")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vos consultations")


def read_the_dashboard(page: Page, live_server) -> None:
    sign_in(page, live_server)
    page.get_by_role("link", name="Canicules : adapter les services publics").click()
    page.get_by_role("link", name="Tableau de bord").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    figures = page.locator(".key-figures")
    expect(figures).to_contain_text("4")
    expect(figures).to_contain_text("témoignages reçus")
    expect(figures).to_contain_text("dont 1 hors du public visé")
    expect(figures).to_contain_text("20 heures")  # the median time to moderation
    expect(
        page.get_by_text("2 des 3 communes visées ont envoyé au moins un témoignage")
    ).to_be_visible()
    # Each chart is an image with a text alternative, and its numbers are a table.
    chart = page.get_by_role("img", name="Témoignages par thème et sous-thème")
    expect(chart).to_be_visible()
    page.get_by_text("Tableau des chiffres : Témoignages par thème et sous-thème").click()
    table = page.get_by_role("table", name="Témoignages par thème et sous-thème")
    expect(table.get_by_role("row", name="Santé publique 2 1")).to_be_visible()
    page.get_by_text("1 collectivité visée n'a envoyé aucun témoignage").click()
    expect(page.get_by_role("row", name="Creil 60175 Commune Oise 35 657")).to_be_visible()


def test_an_organiser_reads_the_dashboard(live_server, page, consultation):
    read_the_dashboard(page, live_server)
    assert_accessible(page)


def test_the_dashboard_on_a_phone(live_server, new_page, consultation):
    page = new_page(MOBILE)
    read_the_dashboard(page, live_server)
    # The timeline scrolls sideways inside its frame; the page itself does not.
    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    assert_accessible(page)
