"""The map of a consultation's published testimonies, through the Django test client: what it
counts, where its links go, what it never reveals."""

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from retex.contributions.enums import TestimonyStatus as Status
from retex.contributions.models import Testimony
from retex.explore.map import base_map, colour_scale, testimony_map
from retex.explore.search import search_index_update
from tests.factories import ConsultationFactory, ThemeFactory, territory
from tests.factories import TestimonyFactory as WitnessFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french_addresses():
    with translation.override("fr"):
        yield


def visible_text(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    text = re.sub(r"\s+", " ", html.unescape(text))
    return re.sub(r" ([.,)])", r"\1", text)


def map_links(response) -> dict[str, str]:
    """The links of the map itself: accessible name -> address."""
    svg = re.search(r"<svg[^>]*france-map.*?</svg>", response.content.decode(), re.S).group(0)
    return {
        html.unescape(label): html.unescape(href)
        for href, label in re.findall(r'<a href="([^"]+)" aria-label="([^"]+)">', svg)
    }


def query(address: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(address).query)


@pytest.fixture
def consultation():
    return ConsultationFactory(slug="crise", title="Le numérique dans la crise")


def get_map(client, consultation, **params):
    return client.get(reverse("explore:map", kwargs={"slug": consultation.slug}), params)


def test_counts_by_departement_and_by_collectivity(client, consultation):
    beauvais, arras, beauvaisis = territory("60057"), territory("62041"), territory("60057").epci
    WitnessFactory.create_batch(2, consultation=consultation, territory=beauvais)
    WitnessFactory(consultation=consultation, territory=arras)
    WitnessFactory(consultation=consultation, territory=beauvaisis)
    # Not on the map: unpublished, or published in another consultation.
    WitnessFactory(consultation=consultation, territory=arras, status=Status.SUBMITTED)
    WitnessFactory(territory=arras)

    response = get_map(client, consultation)

    assert response.status_code == 200
    links = map_links(response)
    assert set(links) == {
        "Oise : 3 témoignages",  # Beauvais and its intercommunality
        "Pas-de-Calais : 1 témoignage",
        "Beauvais : 2 témoignages",
        "Arras : 1 témoignage",
        "Communauté d'agglomération du Beauvaisis : 1 témoignage",
    }
    text = visible_text(response)
    assert "4 témoignages publiés." in text
    assert "4 figurent sur la carte, dans 2 départements et 3 collectivités." in text
    assert "Oise (60) 3" in text  # the table
    assert "Beauvais Commune Oise 2" in text


def test_links_lead_to_the_list_filtered_by_place_with_the_filters_in_force(client, consultation):
    economy = ThemeFactory(consultation=consultation, title="Économie locale")
    other = ThemeFactory(consultation=consultation, title="Cohésion sociale")
    beauvais = territory("60057")
    WitnessFactory(consultation=consultation, territory=beauvais, themes=[economy])
    WitnessFactory(consultation=consultation, territory=territory("62041"), themes=[other])

    links = map_links(get_map(client, consultation))
    list_address = reverse("explore:testimonies", kwargs={"slug": consultation.slug})
    assert links["Oise : 1 témoignage"] == f"{list_address}?departement=60"
    assert links["Beauvais : 1 témoignage"] == f"{list_address}?territory={beauvais.pk}"

    response = get_map(client, consultation, theme=economy.pk)
    links = map_links(response)
    assert set(links) == {"Oise : 1 témoignage", "Beauvais : 1 témoignage"}
    assert query(links["Oise : 1 témoignage"]) == {
        "theme": [str(economy.pk)],
        "departement": ["60"],
    }
    text = visible_text(response)
    assert "correspondent à ces filtres : Thème : Économie locale" in text
    assert "1 témoignage publié (avec ces filtres)." in text


def test_words_searched_on_the_list_narrow_the_map(client, consultation):
    testimonies = [
        WitnessFactory(
            consultation=consultation,
            territory=territory("60057"),
            initiative="Les habitants passaient leurs commandes en ligne.",
        ),
        WitnessFactory(
            consultation=consultation,
            territory=territory("62041"),
            initiative="La ville a prêté des ordinateurs aux familles.",
        ),
    ]
    search_index_update(testimony_ids=[testimony.pk for testimony in testimonies])

    response = get_map(client, consultation, q="commande")

    links = map_links(response)
    assert set(links) == {"Oise : 1 témoignage", "Beauvais : 1 témoignage"}
    assert query(links["Oise : 1 témoignage"]) == {"q": ["commande"], "departement": ["60"]}
    assert "Mots : « commande »" in visible_text(response)


def test_a_place_filter_given_to_the_map_is_replaced_by_each_link(client, consultation):
    WitnessFactory(consultation=consultation, territory=territory("60057"))
    WitnessFactory(consultation=consultation, territory=territory("62041"))

    response = get_map(client, consultation, departement="62")

    links = map_links(response)
    assert set(links) == {"Pas-de-Calais : 1 témoignage", "Arras : 1 témoignage"}
    assert query(links["Pas-de-Calais : 1 témoignage"]) == {"departement": ["62"]}
    assert "Département : Pas-de-Calais" in visible_text(response)


def test_anonymous_testimonies_are_on_no_commune_and_no_departement(client, consultation):
    WitnessFactory(consultation=consultation, territory=territory("60057"))
    WitnessFactory.create_batch(
        2, consultation=consultation, territory=territory("62041"), anonymous=True
    )

    response = get_map(client, consultation)

    assert set(map_links(response)) == {"Oise : 1 témoignage", "Beauvais : 1 témoignage"}
    content = response.content.decode()
    assert "Arras" not in content
    assert "Pas-de-Calais" not in content
    text = visible_text(response)
    assert "3 témoignages publiés." in text
    assert "1 figure sur la carte" in text
    assert "2 témoignages anonymes ne figurent pas sur la carte" in text


def test_beyond_the_most_represented_places_the_others_count_in_their_departement(
    client, consultation, monkeypatch
):
    monkeypatch.setattr("retex.explore.views.map.MAX_CIRCLES", 3)
    WitnessFactory.create_batch(3, consultation=consultation, territory=territory("60057"))
    WitnessFactory.create_batch(2, consultation=consultation, territory=territory("62041"))
    # Two places with one testimony each: the larger one, Compiègne, is drawn; Creil is not.
    WitnessFactory(consultation=consultation, territory=territory("60159"))
    WitnessFactory(consultation=consultation, territory=territory("60175"))

    response = get_map(client, consultation)

    assert set(map_links(response)) == {
        "Oise : 5 témoignages",
        "Pas-de-Calais : 2 témoignages",
        "Beauvais : 3 témoignages",
        "Arras : 2 témoignages",
        "Compiègne : 1 témoignage",
    }
    text = visible_text(response)
    assert "dans 2 départements et 4 collectivités." in text
    assert "Les cercles représentent les 3 collectivités qui ont le plus de témoignages" in text
    assert "(1 ou plus chacune). L'autre est comptée dans son département." in text
    assert "Les 3 collectivités qui ont le plus de témoignages publiés" in text
    assert "Creil" not in text


def test_overseas_collectivities_are_drawn_in_their_inset(consultation):
    saint_denis = territory("97411")
    WitnessFactory(consultation=consultation, territory=saint_denis)

    base = base_map()
    inset = next(inset for inset in base.insets if inset.name == "La Réunion")
    x, y = base.place("974", saint_denis.longitude, saint_denis.latitude)
    assert inset.x < x < inset.x + inset.width
    assert inset.y < y < inset.y + inset.height
    beauvais = territory("60057")
    x, y = base.place("60", beauvais.longitude, beauvais.latitude)
    assert 0 < x < base.width and 0 < y < min(inset.y for inset in base.insets)
    assert [inset.name for inset in base.insets] == [
        "Guadeloupe",
        "Martinique",
        "Guyane",
        "La Réunion",
        "Mayotte",
    ]
    assert len(base.departements) == 101


def test_the_map_without_links_for_a_printed_document(consultation):
    WitnessFactory(consultation=consultation, territory=territory("60057"))

    drawn = testimony_map(
        testimonies=Testimony.objects.published().filter(consultation=consultation),
        title="Carte",
    )

    assert "<a " not in drawn.svg
    assert drawn.svg.count("<circle ") == 1
    assert drawn.counts.by_departement == {"60": 1}


def test_colour_classes_cover_every_count_without_gaps():
    assert colour_scale([]) == []
    assert [(c.lower, c.upper) for c in colour_scale([1, 3, 3])] == [(1, 1), (2, 2), (3, 3)]
    classes = colour_scale([1, 2, 3, 5, 8, 13, 40, 90, 250, 1200])
    assert len(classes) <= 5
    assert classes[0].lower == 1 and classes[-1].upper == 1200
    for before, after in zip(classes, classes[1:], strict=False):
        assert after.lower == before.upper + 1
    assert len({c.colour for c in classes}) == len(classes)


def queries_of_the_map(client, consultation) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert get_map(client, consultation).status_code == 200
    return len(captured.captured_queries)


def test_the_queries_do_not_grow_with_the_testimonies(client, consultation):
    communes = ["60057", "62041", "59350", "80021", "02691", "76540", "14118", "35238"]
    WitnessFactory(consultation=consultation, territory=territory(communes[0]))
    # The first map of a process reads the outlines once and keeps them: not counted.
    queries_of_the_map(client, consultation)
    before = queries_of_the_map(client, consultation)
    for code in communes[1:]:
        WitnessFactory.create_batch(3, consultation=consultation, territory=territory(code))

    assert queries_of_the_map(client, consultation) == before


def test_a_consultation_without_testimonies_and_an_unknown_one(client, consultation):
    response = get_map(client, consultation)
    assert response.status_code == 200
    assert map_links(response) == {}
    assert "Aucun témoignage n'a encore été publié." in visible_text(response)
    assert client.get(reverse("explore:map", kwargs={"slug": "nulle-part"})).status_code == 404


def test_the_consultation_page_links_to_the_map(client, consultation):
    WitnessFactory(consultation=consultation)
    content = client.get(consultation.get_absolute_url()).content.decode()
    assert f'href="{reverse("explore:map", kwargs={"slug": consultation.slug})}"' in content
