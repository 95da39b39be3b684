"""The open-data pages and the API's documentation, as a visitor reads them."""

import html
import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from retex.contributions.enums import TestimonyStatus
from tests.factories import ConsultationFactory, TestimonyFactory, ThemeFactory

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    text = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(text)).strip()


def links_of(response) -> set[str]:
    return {
        html.unescape(href) for href in re.findall(r'href="([^"]+)"', response.content.decode())
    }


def test_the_open_data_page_lists_the_calls_the_columns_the_licence_and_the_api(client):
    consultation = ConsultationFactory(title="Canicules", slug="canicules")
    TestimonyFactory.create_batch(2, consultation=consultation)
    TestimonyFactory(consultation=consultation, status=TestimonyStatus.SUBMITTED)

    response = client.get("/donnees-ouvertes/")

    text = text_of(response)
    assert "Données ouvertes" in text
    assert "Canicules" in text
    assert re.search(r"Canicules Organisé par [^|]+ 2\b", text), text
    assert "Licence Ouverte / Open Licence version 2.0" in text
    assert "date_publication — Date de publication" in text
    assert "collectivite_nom — Collectivité Vide pour un témoignage anonyme" in text
    assert {
        "/consultations/canicules/donnees/",
        "/donnees/schema-temoignages.json",
        "/donnees-ouvertes/api/",
        "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    } <= links_of(response)


def test_a_consultation_data_page_offers_the_three_files_with_their_size(client):
    consultation = ConsultationFactory(title="Canicules", slug="canicules")
    theme = ThemeFactory(consultation=consultation, title="Économie locale")
    TestimonyFactory.create_batch(3, consultation=consultation, themes=[theme])

    response = client.get(reverse("opendata:consultation", args=["canicules"]))

    text = text_of(response)
    assert "Télécharger les témoignages" in text
    assert "3 témoignages publiés, librement réutilisables sous Licence Ouverte" in text
    for extension in ("csv", "xlsx", "json"):
        url = f"/donnees/canicules/temoignages.{extension}"
        assert url in links_of(response)
        file = client.get(url)
        size = len(b"".join(file.streaming_content)) if file.streaming else len(file.getvalue())
        assert f"retex-canicules-temoignages.{extension}" in text
        # Three testimonies: the sizes are measured, not estimated.
        assert size > 0
    assert "environ" not in text
    assert re.search(r"CSV .*?\s(\d+,\d|\d+)\s(octets|Kio)\s", text)
    assert f"/donnees/canicules/temoignages.csv?theme={theme.pk}" in links_of(response)
    assert "/api/v1/consultations/canicules/testimonies/" in links_of(response)


def test_the_sizes_shown_are_those_of_the_files(client):
    consultation = ConsultationFactory(slug="canicules")
    TestimonyFactory.create_batch(4, consultation=consultation)
    page = client.get(reverse("opendata:consultation", args=["canicules"]))
    files = page.context["files"]
    for file in files:
        response = client.get(file["url"])
        content = (
            b"".join(response.streaming_content) if response.streaming else response.getvalue()
        )
        if file["extension"] == "xlsx":  # a zip: its dates make a few bytes differ
            assert abs(len(content) - file["size"]) < 64
        elif file["extension"] == "json":  # "genere_le" is the moment of the download
            assert abs(len(content) - file["size"]) <= 6
        else:
            assert len(content) == file["size"]


def test_a_large_consultation_shows_estimated_sizes_and_warns_about_the_spreadsheet(
    client, monkeypatch
):
    consultation = ConsultationFactory(slug="canicules")
    TestimonyFactory.create_batch(5, consultation=consultation)
    url = reverse("opendata:consultation", args=["canicules"])
    assert "environ" not in text_of(client.get(url))
    assert "demande une minute ou plus" not in text_of(client.get(url))

    monkeypatch.setattr("retex.api.exports.SIZE_SAMPLE", 2)
    monkeypatch.setattr("retex.api.views.pages.SLOW_XLSX_ROWS", 5)
    cache.clear()  # the sizes are kept a few minutes
    text = text_of(client.get(url))
    assert re.search(r"CSV .*? environ \d", text)
    assert "Un tableur d'autant de témoignages demande une minute ou plus" in text


def test_a_consultation_without_testimonies_says_so(client):
    ConsultationFactory(slug="canicules")
    response = client.get(reverse("opendata:consultation", args=["canicules"]))
    assert "Aucun témoignage n'a encore été publié" in text_of(response)
    assert client.get("/consultations/nulle-part/donnees/").status_code == 404


def test_the_api_documentation_explains_addresses_filters_pages_and_limits(client, settings):
    settings.RETEX_API_RATE = "60/minute"
    ConsultationFactory(slug="canicules")

    response = client.get(reverse("opendata:api"))

    text = text_of(response)
    assert "Documentation de l'API" in text
    assert "/api/v1/consultations/canicules/testimonies/" in text
    assert "60 requêtes par minute depuis une même adresse" in text
    assert "Retry-After" in text
    for parameter in ("q", "theme", "departement", "band", "tool", "page_size", "next"):
        assert f" {parameter} " in f" {text} "
    assert {"http://testserver/api/v1/", "http://testserver/api/v1/schema/"} <= links_of(response)


def test_the_pages_exist_in_english(client):
    consultation = ConsultationFactory(slug="canicules")
    TestimonyFactory(consultation=consultation)
    for url in ("/en/donnees-ouvertes/", "/en/donnees-ouvertes/api/"):
        response = client.get(url)
        assert '<html lang="en">' in response.content.decode()
    response = client.get("/en/consultations/canicules/donnees/")
    assert "Download the testimonies" in text_of(response)
    # The files have one address, whatever the language.
    assert "/donnees/canicules/temoignages.csv" in links_of(response)


def test_the_consultation_page_and_the_footer_lead_to_the_open_data(client):
    consultation = ConsultationFactory(slug="canicules")
    TestimonyFactory(consultation=consultation)

    response = client.get(reverse("explore:consultation", args=["canicules"]))

    assert "/consultations/canicules/donnees/" in links_of(response)
    assert "Les télécharger en données ouvertes (CSV, XLSX, JSON)" in text_of(response)
    home = client.get("/")
    assert "/donnees-ouvertes/" in links_of(home)
    assert "Données ouvertes et API" in text_of(home)
