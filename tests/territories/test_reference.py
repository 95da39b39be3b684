"""The territories reference as loaded by conftest: the facts people rely on when they pick
their collectivity (counts, hierarchy, populations, places on a map)."""

import math

import pytest
from django.db.models import Sum

from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory
from tests.factories import territory

pytestmark = pytest.mark.django_db

# Where French communes lie: metropolitan France (Corsica included) and the five overseas
# départements, as (south, north, west, east) in degrees.
FRANCE_BOXES = {
    "metropolitan France": (41.3, 51.2, -5.3, 9.7),
    "Guadeloupe": (15.8, 16.6, -61.9, -60.9),
    "Martinique": (14.3, 14.95, -61.3, -60.75),
    "Guyane": (2.0, 6.0, -54.7, -51.5),
    "La Réunion": (-21.5, -20.8, 55.1, 55.9),
    "Mayotte": (-13.1, -12.5, 44.9, 45.4),
}


def in_france(latitude: float, longitude: float) -> bool:
    return any(
        south <= latitude <= north and west <= longitude <= east
        for south, north, west, east in FRANCE_BOXES.values()
    )


def test_about_34_900_communes_of_which_about_950_are_middle_sized_towns():
    communes = Territory.objects.filter(kind=TerritoryKind.COMMUNE)

    assert 34_800 <= communes.count() <= 35_000
    middle_sized = communes.filter(population__gte=10_000, population__lte=100_000)
    assert 940 <= middle_sized.count() <= 960


def test_counts_of_departements_regions_and_epcis():
    assert Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT).count() == 101
    assert Territory.objects.filter(kind=TerritoryKind.REGION).count() == 18
    assert 1_200 <= Territory.objects.filter(kind=TerritoryKind.EPCI).count() <= 1_300


def test_beauvais_is_in_oise_in_hauts_de_france():
    beauvais = territory("60057")

    assert beauvais.name == "Beauvais"
    assert beauvais.departement.kind == TerritoryKind.DEPARTEMENT
    assert (beauvais.departement.code, beauvais.departement.name) == ("60", "Oise")
    assert beauvais.region.name == "Hauts-de-France"
    assert beauvais.departement.region == beauvais.region
    assert 54_000 <= beauvais.population <= 58_000
    assert beauvais.epci.name == "Communauté d'agglomération du Beauvaisis"


def test_arras_is_in_pas_de_calais():
    arras = territory("62041")

    assert arras.name == "Arras"
    assert (arras.departement.code, arras.departement.name) == ("62", "Pas-de-Calais")
    assert arras.region.name == "Hauts-de-France"
    assert 39_000 <= arras.population <= 43_000


def test_chevreuse_is_a_small_town_in_yvelines():
    chevreuse = territory("78160")

    assert chevreuse.name == "Chevreuse"
    assert (chevreuse.departement.code, chevreuse.departement.name) == ("78", "Yvelines")
    assert chevreuse.region.name == "Île-de-France"
    assert 5_500 <= chevreuse.population <= 5_900
    assert chevreuse.population < 10_000


@pytest.mark.parametrize(
    ("code", "latitude", "longitude"),
    [("60057", 49.43, 2.08), ("62041", 50.29, 2.78), ("78160", 48.71, 2.04)],
)
def test_the_seeds_towns_are_placed_where_they_are(code, latitude, longitude):
    town = territory(code)

    # A town is a few kilometres wide: 0.05° is about 5 km.
    assert town.latitude == pytest.approx(latitude, abs=0.05)
    assert town.longitude == pytest.approx(longitude, abs=0.05)


def test_almost_every_commune_with_a_population_has_a_place_on_the_map():
    populated = Territory.objects.filter(kind=TerritoryKind.COMMUNE, population__isnull=False)
    unplaced = populated.filter(latitude__isnull=True) | populated.filter(longitude__isnull=True)

    assert unplaced.count() <= 0.001 * populated.count(), list(unplaced.values_list("code", "name"))


def test_every_placed_commune_lies_in_france():
    placed = Territory.objects.filter(
        kind=TerritoryKind.COMMUNE, latitude__isnull=False, longitude__isnull=False
    ).values_list("code", "name", "latitude", "longitude")

    misplaced = [
        (code, name, latitude, longitude)
        for code, name, latitude, longitude in placed
        if not (math.isfinite(latitude) and math.isfinite(longitude))
        or not in_france(latitude, longitude)
    ]

    assert not misplaced, (
        f"{len(misplaced)} communes are placed outside France: the town-hall point of the"
        " reference is wrong for them (longitude equal to latitude, a lost minus sign, or NaN,"
        " which PostgreSQL stores and SQLite turns into NULL) and reference_data.communes()"
        f" should fall back to the commune's outline: {misplaced}"
    )


def test_every_group_of_communes_with_members_has_a_centre():
    """Départements, régions and EPCIs are placed at the weighted centre of their members: a
    single member without coordinates must not leave the whole group off the map."""
    groups = Territory.objects.filter(
        kind__in=[TerritoryKind.DEPARTEMENT, TerritoryKind.REGION, TerritoryKind.EPCI],
        population__isnull=False,
    )
    unplaced = [
        (kind, code, name, latitude)
        for kind, code, name, latitude in groups.values_list("kind", "code", "name", "latitude")
        if latitude is None or not math.isfinite(latitude)
    ]

    assert not unplaced, (
        "Groups without a centre because one member commune's town-hall point is NaN in the"
        f" reference (NaN propagates through the weighted mean): {unplaced}"
    )


def test_an_epci_population_is_the_sum_of_its_member_communes():
    agglomeration = territory("60057").epci

    members_total = agglomeration.member_communes.aggregate(total=Sum("population"))["total"]
    assert agglomeration.population == members_total
    # The CA du Beauvaisis is a little over 100,000: the audience tests rely on it.
    assert 100_000 < agglomeration.population < 106_000


def test_every_epci_has_a_departement_and_a_region():
    epcis = Territory.objects.filter(kind=TerritoryKind.EPCI)

    assert not epcis.filter(departement__isnull=True).exists()
    assert not epcis.filter(region__isnull=True).exists()
    beauvaisis = territory("60057").epci
    assert beauvaisis.kind == TerritoryKind.EPCI
    assert beauvaisis.legal_form == "CA"
    assert beauvaisis.departement.code == "60"
    assert beauvaisis.region.name == "Hauts-de-France"


def test_population_band_of_the_seeds_towns():
    assert territory("60057").population_band == "50k-100k"
    assert territory("62041").population_band == "20k-50k"
    assert territory("78160").population_band == "lt10k"
    assert territory("60057").epci.population_band == "gt100k"
