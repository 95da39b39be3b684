"""The map of testimonies in a real browser: reach it, move through it with the keyboard,
follow a département to the list, read it on a phone."""

import pytest
from playwright.sync_api import expect

from retex.core.text import fold
from retex.explore.search import search_index_update
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory, TerritoryOutline
from retex.territories.projection import METROPOLE, lambert93
from tests.browser.accessibility import assert_accessible
from tests.browser.conftest import MOBILE
from tests.factories import ConsultationFactory
from tests.factories import TestimonyFactory as WitnessFactory

pytestmark = pytest.mark.browser


def departement_with_outline(code: str, name: str, longitude: float, latitude: float):
    """A département drawn as a 60 km square around a point (the live-server tests empty the
    tables: the real outlines come with a full load of the reference)."""
    departement, _ = Territory.objects.get_or_create(
        kind=TerritoryKind.DEPARTEMENT,
        code=code,
        defaults={"name": name, "search_name": fold(name)},
    )
    x, y = lambert93(longitude, latitude)
    corners = [(x - 30, y - 30), (x + 30, y - 30), (x + 30, y + 30), (x - 30, y + 30)]
    TerritoryOutline.objects.update_or_create(
        territory=departement,
        defaults={
            "frame": METROPOLE,
            "path": "M" + " ".join(f"{a:.2f} {b:.2f}" for a, b in corners) + "Z",
            "x_min": x - 30,
            "y_min": y - 30,
            "x_max": x + 30,
            "y_max": y + 30,
        },
    )
    return departement


def commune(code: str, name: str, departement, longitude: float, latitude: float):
    territory, _ = Territory.objects.update_or_create(
        kind=TerritoryKind.COMMUNE,
        code=code,
        defaults={
            "name": name,
            "search_name": fold(name),
            "population": 50_000,
            "departement": departement,
            "longitude": longitude,
            "latitude": latitude,
        },
    )
    return territory


@pytest.fixture
def consultation(transactional_db):
    consultation = ConsultationFactory(slug="crise", title="Le numérique dans la crise")
    oise = departement_with_outline("60", "Oise", 2.08, 49.43)
    pas_de_calais = departement_with_outline("62", "Pas-de-Calais", 2.78, 50.29)
    beauvais = commune("60057", "Beauvais", oise, 2.08, 49.43)
    arras = commune("62041", "Arras", pas_de_calais, 2.78, 50.29)
    testimonies = [
        WitnessFactory(consultation=consultation, territory=beauvais, title="Un drive"),
        WitnessFactory(consultation=consultation, territory=beauvais, title="Des tablettes"),
        WitnessFactory(consultation=consultation, territory=arras, title="Un ordinateur"),
        WitnessFactory(
            consultation=consultation, territory=arras, title="Une cellule", anonymous=True
        ),
    ]
    search_index_update(testimony_ids=[t.pk for t in testimonies])
    return consultation


def test_follow_a_departement_of_the_map_with_the_keyboard(live_server, page, consultation):
    page.goto(live_server.url + consultation.get_absolute_url())
    page.get_by_role("link", name="Voir sur une carte d'où ils viennent").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte des témoignages")
    expect(page.get_by_text("1 témoignage anonyme ne figure pas sur la carte")).to_be_visible()
    assert_accessible(page)

    oise = page.get_by_role("link", name="Oise : 2 témoignages")
    for _ in range(30):
        page.keyboard.press("Tab")
        if oise.evaluate("link => link === document.activeElement"):
            break
    expect(oise).to_be_focused()
    # The focused shape is outlined thickly, in the page's ink colour.
    stroke = oise.locator("path").evaluate(
        "path => [getComputedStyle(path).strokeWidth, getComputedStyle(path).stroke]"
    )
    assert stroke == ["4px", "rgb(22, 22, 22)"]

    page.keyboard.press("Enter")
    page.wait_for_url("**/temoignages/?departement=60")
    expect(page.get_by_role("link", name="Un drive")).to_be_visible()
    expect(page.get_by_role("link", name="Des tablettes")).to_be_visible()
    expect(page.get_by_role("link", name="Un ordinateur")).to_have_count(0)


def test_the_table_is_reachable_past_the_map(live_server, page, consultation):
    page.goto(f"{live_server.url}/consultations/{consultation.slug}/carte/")
    skip = page.get_by_role("link", name="Passer la carte et aller au tableau de ses données")
    for _ in range(30):
        page.keyboard.press("Tab")
        if skip.evaluate("link => link === document.activeElement"):
            break
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Oise (60)")).to_be_focused()


def test_the_map_on_a_375_pixel_wide_phone(live_server, new_page, consultation):
    page = new_page(MOBILE)
    page.goto(f"{live_server.url}/consultations/{consultation.slug}/carte/")

    assert page.evaluate("document.documentElement.scrollWidth") <= MOBILE["width"]
    box = page.locator("svg.france-map").bounding_box()
    assert 300 <= box["width"] <= MOBILE["width"]
    expect(page.get_by_role("link", name="Beauvais : 2 témoignages")).to_be_visible()
    assert_accessible(page)
