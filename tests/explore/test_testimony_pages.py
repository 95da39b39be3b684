"""The public list of a consultation's testimonies and a testimony's own page."""

import html
import re

import pytest
from django.urls import reverse
from django.utils import translation

from retex.contributions.enums import TestimonyStatus
from retex.explore.search import search_index_update
from retex.territories.enums import TerritoryKind
from tests.factories import (
    ConsultationFactory,
    SubtopicFactory,
    TestimonyFactory,
    ThemeFactory,
    territory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


def text_of(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text))


def list_url(consultation, **params) -> str:
    url = reverse("explore:testimonies", args=[consultation.slug])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def titles(response) -> list[str]:
    return [t.title for t in response.context["testimonies"]]


def indexed(*testimonies):
    search_index_update(testimony_ids=[t.pk for t in testimonies])
    return testimonies


def test_filters_combine_theme_region_kind_and_band(client):
    consultation = ConsultationFactory()
    economy, cohesion = ThemeFactory.create_batch(2, consultation=consultation)
    TestimonyFactory(consultation=consultation, title="Beauvais économie", themes=[economy])
    TestimonyFactory(consultation=consultation, title="Beauvais cohésion", themes=[cohesion])
    TestimonyFactory(
        consultation=consultation,
        title="Chevreuse économie",
        territory=territory("78160"),
        themes=[economy],
    )
    TestimonyFactory(
        consultation=consultation,
        title="Agglomération économie",
        territory=territory("200067999", TerritoryKind.EPCI),
        themes=[economy],
    )

    response = client.get(list_url(consultation, theme=economy.pk))
    assert sorted(titles(response)) == [
        "Agglomération économie",
        "Beauvais économie",
        "Chevreuse économie",
    ]
    response = client.get(list_url(consultation, theme=economy.pk, region="32"))
    assert sorted(titles(response)) == ["Agglomération économie", "Beauvais économie"]
    response = client.get(list_url(consultation, theme=economy.pk, region="32", kind="commune"))
    assert titles(response) == ["Beauvais économie"]
    response = client.get(list_url(consultation, band="lt10k"))
    assert titles(response) == ["Chevreuse économie"]
    assert '<option value="lt10k" selected>' in response.content.decode()
    response = client.get(list_url(consultation, theme=cohesion.pk, band="lt10k"))
    assert titles(response) == []
    assert "Aucun témoignage publié ne correspond" in text_of(response)


def test_filter_by_subtopic_and_theme_counts(client):
    consultation = ConsultationFactory()
    theme = ThemeFactory(consultation=consultation, title="Économie locale")
    delivery = SubtopicFactory(theme=theme, title="Livraison à domicile")
    chosen = TestimonyFactory(consultation=consultation, title="Livraisons", themes=[theme])
    chosen.subtopics.set([delivery])
    TestimonyFactory(consultation=consultation, title="Autre", themes=[theme])

    response = client.get(list_url(consultation, subtopic=delivery.pk))
    assert titles(response) == ["Livraisons"]
    assert "1 témoignage" in text_of(response)
    assert "Économie locale (2)" in text_of(response)


def test_search_finds_a_french_word_by_its_stem_and_marks_it(client):
    consultation = ConsultationFactory()
    indexed(
        TestimonyFactory(
            consultation=consultation,
            title="Le marché en ligne",
            initiative="Les habitants passaient leurs commandes le vendredi.",
        ),
        TestimonyFactory(
            consultation=consultation,
            title="Le télétravail",
            initiative="Des ordinateurs portables pour tous les agents.",
        ),
    )
    response = client.get(list_url(consultation, q="commande"))
    assert titles(response) == ["Le marché en ligne"]
    assert "<mark>commandes</mark>" in response.content.decode()
    assert "1 témoignage" in text_of(response)


def test_unpublished_testimonies_are_neither_listed_nor_reachable(client):
    consultation = ConsultationFactory()
    for status in (TestimonyStatus.SUBMITTED, TestimonyStatus.UNPUBLISHED):
        hidden = TestimonyFactory(consultation=consultation, status=status, title=f"Caché {status}")
        assert client.get(reverse("explore:testimony", args=[hidden.pk])).status_code == 404
    visible = TestimonyFactory(consultation=consultation, title="Visible")
    response = client.get(list_url(consultation))
    assert titles(response) == ["Visible"]
    assert "Caché" not in text_of(response)
    assert client.get(reverse("explore:testimony", args=[visible.pk])).status_code == 200


def test_anonymous_testimony_shows_only_band_and_region(client):
    consultation = ConsultationFactory()
    testimony = TestimonyFactory(consultation=consultation, anonymous=True, title="Un marché")
    for url in (list_url(consultation), reverse("explore:testimony", args=[testimony.pk])):
        page = text_of(client.get(url))
        assert "Un marché" in page
        assert "Beauvais" not in page
        assert "Oise" not in page
        assert "de 50 000 à 100 000 habitants" in page
        assert "Hauts-de-France" in page


def test_named_testimony_shows_collectivity_population_and_departement(client):
    testimony = TestimonyFactory(
        difficulties="Première ligne.\nSeconde ligne <b>sans balise</b>.",
        links=["https://example.org/marche", "javascript:alert(1)"],
    )
    response = client.get(reverse("explore:testimony", args=[testimony.pk]))
    content = response.content.decode()
    page = text_of(response)
    assert "Beauvais" in page
    assert "56 254 habitants" in page
    assert "Oise (60)" in page
    assert "Première ligne.<br>Seconde ligne &lt;b&gt;sans balise&lt;/b&gt;." in content
    assert 'href="https://example.org/marche" rel="nofollow noopener"' in content
    assert "javascript:" not in content
    assert reverse("explore:testimonies", args=[testimony.consultation.slug]) in content


def test_private_author_fields_never_appear(client):
    consultation = ConsultationFactory()
    testimony = TestimonyFactory(
        consultation=consultation,
        author_name="PRIVATE-NAME-MARKER",
        author_email="private-marker@example.org",
    )
    indexed(testimony)
    for url in (
        list_url(consultation),
        list_url(consultation, q="commande"),
        reverse("explore:testimony", args=[testimony.pk]),
    ):
        content = client.get(url).content.decode()
        assert "PRIVATE-NAME-MARKER" not in content
        assert "private-marker" not in content


def test_pagination_twenty_per_page_newest_first(client):
    consultation = ConsultationFactory()
    for number in range(23):
        TestimonyFactory(consultation=consultation, title=f"Témoignage {number:02d}")
    first = client.get(list_url(consultation))
    assert len(titles(first)) == 20
    assert titles(first)[0] == "Témoignage 22"
    assert "23 témoignages" in text_of(first)
    content = first.content.decode()
    assert 'aria-label="Pages des résultats"' in content
    assert 'aria-current="page"' in content
    second = client.get(list_url(consultation, page=2))
    assert titles(second) == ["Témoignage 02", "Témoignage 01", "Témoignage 00"]


def test_pagination_keeps_the_filters(client):
    consultation = ConsultationFactory()
    theme = ThemeFactory(consultation=consultation)
    TestimonyFactory.create_batch(21, consultation=consultation, themes=[theme])
    content = client.get(list_url(consultation, theme=theme.pk)).content.decode()
    assert f"?theme={theme.pk}&amp;page=2" in content


def test_consultation_page_links_to_the_list_and_filtered_themes(client):
    consultation = ConsultationFactory()
    theme = ThemeFactory(consultation=consultation)
    TestimonyFactory.create_batch(2, consultation=consultation, themes=[theme])
    content = client.get(reverse("explore:consultation", args=[consultation.slug])).content
    content = content.decode()
    url = reverse("explore:testimonies", args=[consultation.slug])
    assert f'href="{url}"' in content
    assert "Lire les 2 témoignages" in html.unescape(content)
    assert f'href="{url}?theme={theme.pk}"' in content


def test_unknown_consultation_is_404(client):
    assert client.get("/consultations/inconnue/temoignages/").status_code == 404


def test_list_and_page_queries_do_not_grow_with_the_testimonies(
    client, django_assert_max_num_queries
):
    consultation = ConsultationFactory()
    theme = ThemeFactory(consultation=consultation)
    TestimonyFactory.create_batch(20, consultation=consultation, themes=[theme])
    indexed(*consultation.testimonies.all())
    with django_assert_max_num_queries(10):
        client.get(list_url(consultation))
    with django_assert_max_num_queries(10):
        client.get(list_url(consultation, q="commande"))
    testimony = consultation.testimonies.first()
    with django_assert_max_num_queries(10):
        client.get(reverse("explore:testimony", args=[testimony.pk]))
