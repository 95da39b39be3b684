"""territories_load can be run again at any time (a yearly refresh) without duplicating places
or breaking references to them. Its duration is measured in bench/territory_search.py."""

from collections import Counter

import pytest

from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory, TerritoryNameToken
from retex.territories.selectors import territory_search
from retex.territories.services import territories_load
from tests.factories import territory

pytestmark = pytest.mark.django_db


def counts_by_kind() -> Counter:
    return Counter(Territory.objects.values_list("kind", flat=True))


def test_loading_again_creates_no_duplicates_and_keeps_primary_keys():
    before = counts_by_kind()
    tokens_before = TerritoryNameToken.objects.count()
    beauvais = territory("60057")
    beauvaisis_pk = beauvais.epci_id
    oise_pk = beauvais.departement_id

    messages = []

    report = territories_load(progress=messages.append)

    assert counts_by_kind() == before
    assert TerritoryNameToken.objects.count() == tokens_before == report.tokens
    assert report.communes == before[TerritoryKind.COMMUNE]
    assert report.epcis == before[TerritoryKind.EPCI]
    assert report.departements == before[TerritoryKind.DEPARTEMENT] == 101
    assert report.regions == before[TerritoryKind.REGION] == 18
    reloaded = territory("60057")
    assert reloaded.pk == beauvais.pk
    assert (reloaded.epci_id, reloaded.departement_id) == (beauvaisis_pk, oise_pk)
    assert reloaded.population == beauvais.population
    # Search still works on the rebuilt name index.
    assert list(territory_search(query="beauvais", limit=1)) == [reloaded]
    # A long command says what it did.
    assert any(f"{report.communes} communes" in message for message in messages)
    assert any("name words indexed" in message for message in messages)


def test_loading_again_restores_edited_reference_fields():
    Territory.objects.filter(kind=TerritoryKind.COMMUNE, code="60057").update(
        name="Beauvais-le-Vieux", search_name="beauvais le vieux", population=1
    )

    territories_load()

    beauvais = territory("60057")
    assert beauvais.name == "Beauvais"
    assert beauvais.search_name == "beauvais"
    assert beauvais.population > 50_000
