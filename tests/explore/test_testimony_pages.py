"""The public list of a consultation's testimonies and a testimony's own page."""

import html
import re
from datetime import date, datetime, timedelta

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone, translation

from retex.audit.models import AuditEvent
from retex.audit.services import audit_record
from retex.consultations.services import consultation_extend_deadline
from retex.contributions.enums import RevisionKind, TestimonyStatus, WithholdableField
from retex.contributions.models import Revision
from retex.explore.search import search_index_update
from retex.territories.enums import TerritoryKind
from tests.factories import (
    AttachmentFactory,
    ConsultationFactory,
    SubtopicFactory,
    TestimonyFactory,
    ThemeFactory,
    ToolFactory,
    UserFactory,
    territory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def french():
    with translation.override("fr"):
        yield


@pytest.fixture(autouse=True)
def empty_cache():
    """Similar testimonies are cached: each test starts without them."""
    cache.clear()
    yield
    cache.clear()


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
    indexed(chosen)  # as the services do after a change of its links
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


# --- The testimony's page -------------------------------------------------------------------


def page_of(client, testimony, language_prefix=""):
    return client.get(language_prefix + reverse("explore:testimony", args=[testimony.pk]))


def test_withheld_fields_are_not_shown(client):
    tool = ToolFactory(name="Visioconférence Alpha")
    testimony = TestimonyFactory(
        difficulties="DIFFICULTES-GARDEES",
        lessons="LECONS-GARDEES",
        partners="PARTENAIRES-GARDES",
        cost_and_team="COUT-GARDE",
        started_on=date(2020, 3, 17),
        links=["https://example.org/lien-garde"],
        withheld_fields=[field.value for field in WithholdableField],
    )
    testimony.tools.set([tool])
    AttachmentFactory(testimony=testimony, original_name="piece-gardee.pdf")
    page = text_of(page_of(client, testimony))
    for hidden in (
        "DIFFICULTES-GARDEES",
        "LECONS-GARDEES",
        "PARTENAIRES-GARDES",
        "COUT-GARDE",
        "17 mars 2020",
        "lien-garde",
        "Visioconférence Alpha",
        "piece-gardee.pdf",
    ):
        assert hidden not in page
    assert testimony.initiative in page

    testimony.withheld_fields = []
    testimony.save()
    page = text_of(page_of(client, testimony))
    for shown in ("DIFFICULTES-GARDEES", "PARTENAIRES-GARDES", "Visioconférence Alpha"):
        assert shown in page
    assert "piece-gardee.pdf" in page


def test_facts_link_to_the_list_filtered_by_collectivity_departement_and_tool(client):
    tool = ToolFactory(name="Tableur partagé", slug="tableur-partage")
    testimony = TestimonyFactory()
    testimony.tools.set([tool])
    content = page_of(client, testimony).content.decode()
    listing = list_url(testimony.consultation)
    assert f'href="{listing}?territory={testimony.territory_id}"' in content
    assert f'href="{listing}?departement=60"' in content
    assert f'href="{listing}?tool=tableur-partage"' in content


def test_history_gives_publication_accepted_edits_corrections_and_deadline_moves(client):
    published = timezone.make_aware(datetime(2021, 1, 10, 12))
    testimony = TestimonyFactory(published_at=published)
    moderator = UserFactory(first_name="MODERATEUR-SECRET")
    # What moderation's testimony_accept_edit records in the audit log.
    accepted = audit_record(
        action="testimony.accept_edit",
        target=testimony,
        actor_user=moderator,
        consultation_id=testimony.consultation_id,
        details={"reason": "RAISON-PRIVEE"},
    )
    waiting = Revision.objects.create(
        testimony=testimony, number=2, kind=RevisionKind.AUTHOR_EDIT, content={}
    )
    correction = Revision.objects.create(
        testimony=testimony,
        number=3,
        kind=RevisionKind.MODERATOR_EDIT,
        content={},
        editor_name="CORRECTEUR-PRIVE",
        editor_user=moderator,
    )
    AuditEvent.objects.filter(pk=accepted.pk).update(
        created_at=timezone.make_aware(datetime(2021, 2, 3, 9))
    )
    Revision.objects.filter(pk=waiting.pk).update(
        created_at=timezone.make_aware(datetime(2021, 2, 20, 9))
    )
    Revision.objects.filter(pk=correction.pk).update(
        created_at=timezone.make_aware(datetime(2021, 3, 5, 9))
    )
    consultation = testimony.consultation
    consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=consultation.closes_at + timedelta(days=30),
        reason="Pour laisser le temps aux communes touchées par la deuxième vague.",
        decided_at=timezone.make_aware(datetime(2021, 1, 15, 9)),
    )

    page = text_of(page_of(client, testimony))
    assert "Publié pour la première fois le 10 janvier 2021" in page
    assert "Contenu mis à jour le 3 février 2021" in page
    assert "Contenu mis à jour le 5 mars 2021" in page
    assert "20 février 2021" not in page  # an author's edit waiting for moderation
    assert re.search(r"Le 15 janvier 2021 ?, date limite reportée du \S+ \S+ \S+ au", page)
    assert "deuxième vague" in page
    for private in ("RAISON-PRIVEE", "MODERATEUR-SECRET", "CORRECTEUR-PRIVE", moderator.username):
        assert private not in page


def test_a_testimony_never_changed_says_so(client):
    page = text_of(page_of(client, TestimonyFactory()))
    assert "Pas de modification depuis sa publication." in page


def test_the_page_has_a_stable_canonical_address_in_every_language(client):
    testimony = TestimonyFactory()
    canonical = f'<link rel="canonical" href="http://testserver/temoignages/{testimony.pk}/">'
    assert canonical in page_of(client, testimony).content.decode()
    english = page_of(client, testimony, "/en")
    assert english.status_code == 200
    assert canonical in english.content.decode()
    assert f'value="http://testserver/temoignages/{testimony.pk}/"' in english.content.decode()


def test_the_page_links_a_print_stylesheet(client):
    content = page_of(client, TestimonyFactory()).content.decode()
    assert re.search(
        r'<link rel="stylesheet" href="[^"]*explore/print\.css" media="print">', content
    )


MARKET = "Un marché en ligne : les producteurs du marché de plein vent vendaient par commande."
MARKET_LESSONS = (
    "Les commandes des producteurs arrivaient le jeudi ; retrait sur la place du marché."
)
SCHOOL = "Des tablettes prêtées aux élèves et aux familles pour suivre l'école à distance."
TELEWORK = "Le télétravail des agents avec des ordinateurs portables et un accès sécurisé."


def similar_titles(client, testimony) -> list[str]:
    return [item.title for item in page_of(client, testimony).context["similar"]]


def indexed_batch(consultation, specs) -> list:
    """Indexed testimonies from (title, initiative, lessons, commune code[, anonymous])."""
    made = []
    for title, initiative, lessons, code, *anonymous in specs:
        made.append(
            TestimonyFactory(
                consultation=consultation,
                title=title,
                initiative=initiative,
                difficulties="",
                lessons=lessons,
                territory=territory(code),
                anonymous=bool(anonymous and anonymous[0]),
            )
        )
    indexed(*made)
    return made


def test_similar_testimonies_speak_of_the_same_subject(client):
    consultation = ConsultationFactory()
    market, *_ = indexed_batch(
        consultation,
        [
            ("Le marché en ligne", MARKET, MARKET_LESSONS, "60057"),
            ("Commandes aux producteurs", MARKET, "Retrait des commandes au marché.", "62041"),
            ("Drive fermier", "Les producteurs livrent les commandes du marché.", "", "78160"),
            ("Tablettes pour les élèves", SCHOOL, "", "62041"),
            ("Continuité de l'école", SCHOOL, "Les familles sans ordinateur.", "78160"),
            ("Télétravail", TELEWORK, "", "62041"),
            ("Portables pour les agents", TELEWORK, "Un accès sécurisé.", "78160"),
        ],
    )
    other = ConsultationFactory()
    indexed_batch(other, [("Marché d'une autre consultation", MARKET, MARKET_LESSONS, "60057")])
    titles = similar_titles(client, market)
    assert set(titles[:2]) == {"Commandes aux producteurs", "Drive fermier"}
    assert "Marché d'une autre consultation" not in titles
    assert "Le marché en ligne" not in titles
    content = page_of(client, market).content.decode()
    assert "Témoignages proches" in html.unescape(content)


def test_anonymity_is_kept_in_similar_testimonies_both_ways(client):
    consultation = ConsultationFactory()
    hidden, same_place, elsewhere = indexed_batch(
        consultation,
        [
            ("Marché anonyme", MARKET, MARKET_LESSONS, "62041", True),
            ("Marché nommé d'Arras", MARKET, MARKET_LESSONS, "62041", False),
            ("Marché de Chevreuse", MARKET, MARKET_LESSONS, "78160", False),
        ],
    )
    # Beside the anonymous one: never a testimony of its own collectivity, never its name.
    assert similar_titles(client, hidden) == ["Marché de Chevreuse"]
    page = text_of(page_of(client, hidden))
    assert "Arras" not in page
    assert "Pas-de-Calais" not in page
    # Beside a named testimony of the same collectivity: never the anonymous one.
    assert similar_titles(client, same_place) == ["Marché de Chevreuse"]
    # Elsewhere, the anonymous one shows only its band and région.
    assert similar_titles(client, elsewhere) == ["Marché nommé d'Arras", "Marché anonyme"]
    page = text_of(page_of(client, elsewhere))
    assert "Une commune (de 20 000 à 50 000 habitants, Hauts-de-France)" in page


def test_page_queries_do_not_grow_and_similar_testimonies_are_cached(
    client, django_assert_max_num_queries
):
    consultation = ConsultationFactory()
    theme = ThemeFactory(consultation=consultation)
    TestimonyFactory.create_batch(20, consultation=consultation, themes=[theme])
    indexed(*consultation.testimonies.all())
    testimony = consultation.testimonies.first()
    with django_assert_max_num_queries(13):
        first = page_of(client, testimony)
    with django_assert_max_num_queries(10):
        second = page_of(client, testimony)
    assert len(first.context["similar"]) == 5
    assert second.context["similar"] == first.context["similar"]
