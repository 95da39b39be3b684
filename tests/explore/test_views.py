"""The public home and consultation pages, through the Django test client."""

import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from retex.consultations.enums import AudienceEnforcement
from retex.consultations.services import consultation_extend_deadline
from retex.contributions.enums import TestimonyStatus as Status
from tests.factories import (
    ConsultationFactory,
    SubtopicFactory,
    ThemeFactory,
    territory,
)
from tests.factories import TestimonyFactory as WitnessFactory

pytestmark = pytest.mark.django_db

PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def french_addresses():
    """reverse() follows the language a previous request left active in this thread: pin it, so
    that get_absolute_url() gives the French address and nothing leaks to the next test."""
    with translation.override("fr"):
        yield


def visible_text(response) -> str:
    """The page as a person reads it: tags dropped, entities decoded, spaces collapsed."""
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    text = re.sub(r"\s+", " ", html.unescape(text))
    # Tags dropped inside a sentence leave a space before punctuation: "2021 ." -> "2021."
    return re.sub(r" ([.,)])", r"\1", text)


def closed_seeds_like_consultation():
    consultation = ConsultationFactory(
        title="Gestion de crise avec le numérique",
        slug="gestion-de-crise",
        opens_at=datetime(2020, 11, 26, 9, 0, tzinfo=PARIS),
        closes_at=datetime(2021, 1, 20, 23, 59, tzinfo=PARIS),
        results_expected_on=datetime(2021, 6, 1).date(),
    )
    consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=datetime(2021, 3, 20, 23, 59, tzinfo=PARIS),
        reason="Le confinement a retardé les collectivités.",
    )
    consultation.refresh_from_db()
    return consultation


def test_unknown_consultation_is_a_404(client):
    response = client.get(reverse("explore:consultation", kwargs={"slug": "nowhere"}))
    assert response.status_code == 404


def test_home_is_in_french_at_the_root_and_in_english_under_en(client):
    french = client.get("/")
    english = client.get("/en/")
    assert '<html lang="fr">' in french.content.decode()
    assert "Retours d'expérience entre collectivités" in visible_text(french)
    assert "Aller au contenu principal" in visible_text(french)
    assert '<html lang="en">' in english.content.decode()
    assert "Skip to main content" in visible_text(english)


def test_home_says_so_when_there_is_no_consultation(client):
    response = client.get("/")
    assert "Il n'y a pas encore d'appel à témoignages." in visible_text(response)


def test_home_lists_open_consultations_first_with_their_state(client):
    closed_seeds_like_consultation()
    ConsultationFactory(title="Canicules et services publics", slug="canicules")
    text = visible_text(client.get("/"))
    assert text.index("Canicules et services publics") < text.index(
        "Gestion de crise avec le numérique"
    )
    assert "Ouverte" in text
    assert "Clôturée" in text
    assert "Clôturé le 20 mars 2021" in text


def test_counters_count_only_published_testimonies(client):
    consultation = ConsultationFactory()
    theme = ThemeFactory(consultation=consultation, title="Soutien à l'économie locale")
    for code in ("60057", "62041"):
        WitnessFactory(consultation=consultation, territory=territory(code), themes=[theme])
    WitnessFactory(consultation=consultation, territory=territory("60057"), themes=[theme])
    for status in (Status.SUBMITTED, Status.REJECTED, Status.WITHDRAWN):
        WitnessFactory(consultation=consultation, status=status, themes=[theme])

    page = client.get(consultation.get_absolute_url())
    counters = page.context["counters"]
    assert (counters.published, counters.territories) == (3, 2)
    text = visible_text(page)
    assert "3 témoignages publiés" in text  # the theme's count
    assert "2 collectivités" in text
    assert "3 témoignages publiés" in visible_text(client.get("/"))


def test_private_fields_of_testimonies_never_appear(client):
    consultation = ConsultationFactory()
    theme = ThemeFactory(consultation=consultation)
    for status in (Status.PUBLISHED, Status.SUBMITTED):
        WitnessFactory(
            consultation=consultation,
            status=status,
            themes=[theme],
            author_name="Dominique Confidentiel",
            author_email=f"dominique.{status}@mairie.example",
        )
    for url in ("/", consultation.get_absolute_url(), "/en" + consultation.get_absolute_url()):
        content = client.get(url).content.decode()
        assert "Confidentiel" not in content
        assert "@mairie.example" not in content


def test_markdown_description_is_rendered_and_sanitised(client):
    consultation = ConsultationFactory(
        description=(
            "Une consultation **ouverte**.\n\n"
            "<script>alert('pwned')</script>\n\n"
            '[piège](javascript:alert(1)) <img src=x onerror="alert(2)">'
        )
    )
    content = client.get(consultation.get_absolute_url()).content.decode()
    assert "<strong>ouverte</strong>" in content
    assert "<script" not in content
    assert "alert(" not in content
    assert "javascript:" not in content
    assert "onerror" not in content


def test_consultation_page_shows_the_schedule_with_its_history(client):
    consultation = closed_seeds_like_consultation()
    text = visible_text(client.get(consultation.get_absolute_url()))
    assert "26 novembre 2020" in text
    assert "20 mars 2021 à 23 h 59" in text
    assert (
        "Date limite reportée du 20 janvier 2021 au 20 mars 2021"
        " — Le confinement a retardé les collectivités." in text
    )
    assert "Résultats attendus 1er juin 2021" in text
    content = client.get(consultation.get_absolute_url()).content.decode()
    assert re.search(r'<del>.*?<time datetime="2021-01-20T23:59\+01:00">', content, re.S)


def test_english_page_speaks_english(client):
    consultation = closed_seeds_like_consultation()
    text = visible_text(client.get("/en" + consultation.get_absolute_url()))
    assert "Deadline extended from 20 January 2021 to 20 March 2021" in text
    assert "This call for testimonies closed on 20 March 2021 at 23:59" in text


def test_themes_are_listed_in_order_with_their_sub_topics(client):
    consultation = ConsultationFactory()
    economy = ThemeFactory(consultation=consultation, position=2, title="Économie locale")
    public_service = ThemeFactory(
        consultation=consultation,
        position=1,
        title="Fonction publique territoriale",
        accepts_other_subtopics=False,
    )
    SubtopicFactory(theme=economy, position=1, title="Circuits courts")
    SubtopicFactory(theme=public_service, position=1, title="Télétravail")
    text = visible_text(client.get(consultation.get_absolute_url()))
    assert text.index("Fonction publique territoriale") < text.index("Télétravail")
    assert text.index("Télétravail") < text.index("Économie locale")
    assert text.index("Économie locale") < text.index("Circuits courts")
    # Only the theme that accepts other sub-topics says so.
    assert text.count("autres sujets") == 1
    assert text.index("autres sujets") > text.index("Circuits courts")


def test_call_to_action_follows_the_phase(client):
    open_one = ConsultationFactory()
    closed = closed_seeds_like_consultation()
    upcoming = ConsultationFactory(
        opens_at=timezone.now() + timedelta(days=30),
        closes_at=timezone.now() + timedelta(days=90),
    )

    open_page = client.get(open_one.get_absolute_url()).content.decode()
    assert 'href="#temoigner"' in open_page
    assert 'id="temoigner"' in open_page

    closed_text = visible_text(client.get(closed.get_absolute_url()))
    assert 'href="#temoigner"' not in client.get(closed.get_absolute_url()).content.decode()
    assert "il n'accepte plus de nouveaux témoignages" in closed_text
    assert "Les témoignages publiés restent consultables." in closed_text

    upcoming_page = client.get(upcoming.get_absolute_url())
    assert 'href="#temoigner"' not in upcoming_page.content.decode()
    assert "Cet appel à témoignages ouvrira le" in visible_text(upcoming_page)


def test_audience_is_explained_in_plain_french(client):
    advisory = ConsultationFactory()
    strict = ConsultationFactory(audience_rule__enforcement=AudienceEnforcement.STRICT)
    advisory_text = visible_text(client.get(advisory.get_absolute_url()))
    assert "de 10 000 à 100 000 habitants" in advisory_text
    assert "Commune, Intercommunalité" in advisory_text
    assert "leur témoignage sera signalé comme hors cible" in advisory_text
    strict_text = visible_text(client.get(strict.get_absolute_url()))
    assert "Seules les collectivités qui correspondent à ce public peuvent témoigner." in (
        strict_text
    )


def test_language_switcher_sends_back_to_the_same_page(client):
    consultation = ConsultationFactory(slug="canicules")
    english_page = client.get("/en/consultations/canicules/").content.decode()
    next_url = re.search(r'name="next" value="([^"]+)"', english_page).group(1)
    assert next_url == "/consultations/canicules/"

    response = client.post(reverse("set_language"), {"language": "fr", "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == consultation.get_absolute_url()

    response = client.post(
        reverse("set_language"), {"language": "en", "next": "/consultations/canicules/"}
    )
    assert response["Location"] == "/en/consultations/canicules/"


# --- The list of testimonies ------------------------------------------------------------------


def list_page(client, consultation, query: str = ""):
    url = reverse("explore:testimonies", args=[consultation.slug])
    return client.get(f"{url}?{query}" if query else url)


def listed_titles(response) -> list[str]:
    return [testimony.title for testimony in response.context["testimonies"]]


@pytest.fixture
def oise_and_pas_de_calais():
    consultation = ConsultationFactory(slug="crise")
    theme = ThemeFactory(consultation=consultation, title="Soutien à l'économie locale")
    WitnessFactory(
        consultation=consultation, territory=territory("60057"), title="Beauvais", themes=[theme]
    )
    WitnessFactory(
        consultation=consultation,
        territory=territory("60057"),
        title="Beauvais sans nom",
        anonymous=True,
        themes=[theme],
    )
    WitnessFactory(
        consultation=consultation, territory=territory("62041"), title="Arras", themes=[theme]
    )
    return consultation


def test_a_map_link_to_a_departement_filters_the_list_and_says_so(client, oise_and_pas_de_calais):
    response = list_page(client, oise_and_pas_de_calais, "departement=60")

    assert listed_titles(response) == ["Beauvais"]
    text = visible_text(response)
    assert "1 témoignage" in text
    assert "Département : 60 – Oise — retirer ce filtre" in text
    content = response.content.decode()
    assert '<option value="60" selected>60 – Oise (1)</option>' in content
    assert '<option value="62">62 – Pas-de-Calais (1)</option>' in content
    assert 'href="/consultations/crise/temoignages/" data-list-link>Département' in content


def test_a_map_link_to_a_collectivity_keeps_it_in_the_form(client, oise_and_pas_de_calais):
    beauvais = territory("60057")
    response = list_page(client, oise_and_pas_de_calais, f"territory={beauvais.pk}&q=commande")

    assert listed_titles(response) == ["Beauvais"]
    content = response.content.decode()
    assert f'<input type="hidden" name="territory" value="{beauvais.pk}">' in content
    assert "Collectivité : Beauvais — retirer ce filtre" in visible_text(response)
    assert 'href="/consultations/crise/temoignages/?q=commande" data-list-link>Collectivit' in (
        content
    )


def test_the_form_and_the_links_give_the_same_state_back(client, oise_and_pas_de_calais):
    for _ in range(20):
        WitnessFactory(consultation=oise_and_pas_de_calais, territory=territory("62041"))
    response = list_page(client, oise_and_pas_de_calais, "region=32&q=commande&sort=date&page=1")
    content = response.content.decode()

    assert 'name="q" value="commande"' in content
    assert '<option value="32" selected>Hauts-de-France (23)</option>' in content
    assert '<option value="date" selected>Les plus récents d&#x27;abord</option>' in content
    assert '<option value="">Les plus pertinents d&#x27;abord</option>' in content
    assert 'href="?q=commande&amp;region=32&amp;sort=date&amp;page=2"' in content


def test_the_order_by_relevance_is_offered_when_searching_only(client, oise_and_pas_de_calais):
    plain = list_page(client, oise_and_pas_de_calais).content.decode()
    searching = list_page(client, oise_and_pas_de_calais, "q=commande").content.decode()

    assert "pertinents" not in plain
    assert '<option value="" selected>Les plus pertinents d&#x27;abord</option>' in searching
    assert '<option value="" selected>Les plus récents d&#x27;abord</option>' in plain


def test_unknown_values_in_the_address_are_ignored(client, oise_and_pas_de_calais):
    response = list_page(client, oise_and_pas_de_calais, "theme=x&band=huge&page=zz&sort=up")

    assert response.status_code == 200
    assert len(listed_titles(response)) == 3
    assert list_page(client, oise_and_pas_de_calais, "region=99").context["testimonies"] == []


def test_a_broad_search_says_why_the_counts_are_missing(client, monkeypatch):
    monkeypatch.setattr("retex.explore.search.listing.SEARCH_WINDOW", 2)
    consultation = ConsultationFactory()
    WitnessFactory.create_batch(3, consultation=consultation)

    response = list_page(client, consultation, "q=commande")
    text = visible_text(response)

    assert "plus de 2 témoignages" in text
    assert "Plus de 2 témoignages contiennent ces mots" in text
    assert "Toutes les tailles" in text
    assert "(3)" not in text
    # Every région is offered, not only those of the testimonies read.
    assert "Île-de-France" in text
