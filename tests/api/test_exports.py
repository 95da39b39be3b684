"""The open-data files (CSV, XLSX, JSON) and the Table Schema that describes them."""

import csv
import io
import json
import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from retex.contributions.enums import TestimonyStatus, WithholdableField
from retex.explore.search import search_index_update
from tests.factories import (
    AttachmentFactory,
    ConsultationFactory,
    SubtopicFactory,
    TestimonyFactory,
    ThemeFactory,
    ToolFactory,
    territory,
)

pytestmark = pytest.mark.django_db


def file_url(consultation, extension: str) -> str:
    return reverse("opendata_files:testimonies", args=[consultation.slug, extension])


def download(client, consultation, extension: str, **params) -> bytes:
    response = client.get(file_url(consultation, extension), params)
    assert response.status_code == 200, response
    assert response["Content-Disposition"] == (
        f'attachment; filename="retex-{consultation.slug}-temoignages.{extension}"'
    )
    return b"".join(response.streaming_content)


def csv_rows(client, consultation, **params) -> list[dict[str, str]]:
    content = download(client, consultation, "csv", **params)
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))


def schema(client) -> dict:
    response = client.get(reverse("opendata_files:schema"))
    assert response["Content-Type"] == "application/json"
    return response.json()


def check_against_schema(rows: list[dict[str, str]], table_schema: dict) -> None:
    """What a Table Schema validator (Validata, frictionless) checks, for our field types."""
    fields = {field["name"]: field for field in table_schema["fields"]}
    seen = set()
    for row in rows:
        assert list(row) == list(fields)
        for name, value in row.items():
            field = fields[name]
            constraints = field.get("constraints", {})
            if value == "":
                assert not constraints.get("required"), f"{name} is required"
                continue
            if field["type"] == "integer":
                number = int(value)
                assert number >= constraints.get("minimum", number)
            elif field["type"] == "date":
                date.fromisoformat(value)
            elif field["type"] == "boolean":
                assert value in field["trueValues"] + field["falseValues"]
            if "enum" in constraints:
                assert value in constraints["enum"], (name, value)
            if "maxLength" in constraints:
                assert len(value) <= constraints["maxLength"]
            if field.get("format") == "uri":
                assert re.match(r"https?://", value)
        key = row[table_schema["primaryKey"]]
        assert key not in seen
        seen.add(key)


@pytest.fixture
def consultation():
    """A consultation with a full testimony, an anonymous one, one with withheld fields, and
    one awaiting moderation."""
    consultation = ConsultationFactory(slug="canicules", title="Canicules")
    theme = ThemeFactory(consultation=consultation, title="Économie locale", position=1)
    other = ThemeFactory(consultation=consultation, title="Cohésion sociale", position=2)
    subtopic = SubtopicFactory(theme=theme, title="Circuits courts")
    now = timezone.now()
    full = TestimonyFactory(
        consultation=consultation,
        title="Le marché en ligne",
        themes=[theme, other],
        initiative="Commandes en ligne, retrait le samedi.\nSur la place des Halles.",
        partners="Chambre de commerce, « Les Halles »",
        cost_and_team="2 agents",
        started_on=date(2020, 3, 23),
        links=["https://beauvais.fr/marche", "https://beauvais.fr/halles"],
        published_at=now - timedelta(hours=3),
    )
    full.subtopics.set([subtopic])
    full.tools.set([ToolFactory(name="Framaforms"), ToolFactory(name="Mobilizon")])
    AttachmentFactory(testimony=full)
    TestimonyFactory(
        consultation=consultation,
        title="Des tablettes pour les aînés",
        territory=territory("62041"),
        anonymous=True,
        themes=[other],
        published_at=now - timedelta(hours=2),
    )
    TestimonyFactory(
        consultation=consultation,
        title="Un prestataire défaillant",
        territory=territory("78160"),
        difficulties="Le prestataire Dupont a fait défaut.",
        partners="Dupont SA",
        withheld_fields=[WithholdableField.DIFFICULTIES, WithholdableField.PARTNERS],
        themes=[theme],
        published_at=now - timedelta(hours=1),
    )
    TestimonyFactory(consultation=consultation, status=TestimonyStatus.SUBMITTED, title="Brouillon")
    search_index_update(testimony_ids=list(consultation.testimonies.values_list("pk", flat=True)))
    return consultation


def test_the_csv_file_is_utf8_with_a_bom_comma_separated_one_row_per_published_testimony(
    client, consultation
):
    content = download(client, consultation, "csv")

    assert content.startswith(b"\xef\xbb\xbfidentifiant,url,consultation,titre,")
    assert b"\r\n" in content
    rows = list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    assert [row["titre"] for row in rows] == [
        "Un prestataire défaillant",
        "Des tablettes pour les aînés",
        "Le marché en ligne",
    ]
    full = rows[2]
    assert full["url"] == f"http://testserver/temoignages/{full['identifiant']}/"
    assert full["consultation"] == "canicules"
    assert full["collectivite_nom"] == "Beauvais"
    assert (full["collectivite_type"], full["collectivite_code"]) == ("commune", "60057")
    assert (full["departement_code"], full["departement_nom"]) == ("60", "Oise")
    assert (full["region_code"], full["region_nom"]) == ("32", "Hauts-de-France")
    assert full["tranche_population"] == "50k-100k"
    assert full["anonyme"] == "false"
    assert full["themes"] == "Économie locale | Cohésion sociale"
    assert full["sous_themes"] == "Circuits courts"
    assert full["outils"] == "Framaforms | Mobilizon"
    assert full["initiative"] == "Commandes en ligne, retrait le samedi.\nSur la place des Halles."
    assert full["partenaires"] == "Chambre de commerce, « Les Halles »"
    assert (full["date_debut"], full["date_fin"]) == ("2020-03-23", "")
    assert full["liens"] == "https://beauvais.fr/marche | https://beauvais.fr/halles"
    assert full["pieces_jointes"].startswith("http://testserver/")
    published = consultation.testimonies.get(title="Le marché en ligne").published_at
    assert full["date_publication"] == timezone.localtime(published).date().isoformat()


def test_anonymous_and_withheld_fields_are_empty_in_the_files(client, consultation):
    rows = {row["titre"]: row for row in csv_rows(client, consultation)}

    anonymous = rows["Des tablettes pour les aînés"]
    assert anonymous["anonyme"] == "true"
    for column in ("collectivite_nom", "collectivite_code", "population", "departement_code"):
        assert anonymous[column] == ""
    assert anonymous["departement_nom"] == ""
    assert (anonymous["collectivite_type"], anonymous["tranche_population"]) == (
        "commune",
        "20k-50k",
    )
    assert anonymous["region_nom"] == "Hauts-de-France"

    withheld = rows["Un prestataire défaillant"]
    assert (withheld["difficultes"], withheld["partenaires"]) == ("", "")
    assert withheld["enseignements"]  # not withheld

    for extension in ("csv", "json", "xlsx"):
        content = download(client, consultation, extension)
        if extension == "xlsx":
            content = xlsx_text(content).encode()
        for secret in (b"Arras", b"62041", b"Pas-de-Calais", b"Dupont", b"Brouillon"):
            assert secret not in content, (extension, secret)


def test_every_column_is_described_in_the_table_schema_and_every_row_follows_it(
    client, consultation
):
    table_schema = schema(client)
    rows = csv_rows(client, consultation)

    assert [field["name"] for field in table_schema["fields"]] == list(rows[0])
    for field in table_schema["fields"]:
        assert field["title"] and field["description"], field["name"]
        assert field["type"] in {"string", "integer", "boolean", "date"}
    check_against_schema(rows, table_schema)
    assert table_schema["primaryKey"] == "identifiant"
    assert table_schema["licenses"][0]["name"] == "etalab-2.0"
    assert table_schema["path"] == "http://testserver/donnees/schema-temoignages.json"
    # In French, whatever the visitor's language.
    by_name = {field["name"]: field for field in table_schema["fields"]}
    assert by_name["date_publication"]["title"] == "Date de publication"
    client.get("/en/")
    assert schema(client)["fields"][0]["title"] == "Identifiant"


def xlsx_text(content: bytes) -> str:
    """Every cell of every sheet, as text (what a spreadsheet would show)."""
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    return "\n".join(
        "\t".join("" if value is None else str(value) for value in row)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def test_the_xlsx_file_holds_the_csv_rows_and_a_sheet_describing_the_columns(client, consultation):
    rows = csv_rows(client, consultation)
    workbook = load_workbook(io.BytesIO(download(client, consultation, "xlsx")), read_only=True)

    assert workbook.sheetnames == ["temoignages", "colonnes"]
    sheet_rows = list(workbook["temoignages"].iter_rows(values_only=True))
    assert list(sheet_rows[0]) == list(rows[0])
    assert len(sheet_rows) == 1 + len(rows)
    for csv_row, sheet_row in zip(rows, sheet_rows[1:], strict=True):
        as_text = {}
        for name, value in zip(rows[0], sheet_row, strict=True):
            if value is None:
                value = ""
            elif isinstance(value, bool):
                value = "true" if value else "false"
            elif hasattr(value, "date"):
                value = value.date().isoformat()
            as_text[name] = str(value)
        assert as_text == csv_row
    described = list(workbook["colonnes"].iter_rows(values_only=True))
    assert described[0] == ("colonne", "titre", "description")
    assert [row[0] for row in described[1:]] == list(rows[0])
    assert described[1][1] == "Identifiant"


def test_text_that_looks_like_a_formula_stays_text(client):
    consultation = ConsultationFactory()
    TestimonyFactory(
        consultation=consultation,
        title='=HYPERLINK("https://evil.example","Cliquez")',
        partners="#N/A",
        cost_and_team="-5 000 €",
        initiative="Un texte avec un caractère de contrôle \x0b collé depuis un tableur.",
    )

    workbook = load_workbook(io.BytesIO(download(client, consultation, "xlsx")))
    sheet = workbook["temoignages"]
    header = [cell.value for cell in sheet[1]]
    cells = {name: sheet.cell(row=2, column=index + 1) for index, name in enumerate(header)}
    assert cells["titre"].data_type == "s"
    assert cells["titre"].value == '=HYPERLINK("https://evil.example","Cliquez")'
    assert (cells["partenaires"].data_type, cells["partenaires"].value) == ("s", "#N/A")
    assert cells["cout_equipe"].value == "-5 000 €"
    assert "\x0b" not in cells["initiative"].value
    # The CSV keeps the text exactly as published: it is data.
    (row,) = csv_rows(client, consultation)
    assert row["titre"] == '=HYPERLINK("https://evil.example","Cliquez")'


def test_the_json_file_says_what_it_holds_then_the_same_records(client, consultation):
    document = json.loads(download(client, consultation, "json"))
    rows = csv_rows(client, consultation)

    assert document["consultation"] == "canicules"
    assert document["titre"] == "Canicules"
    assert document["licence"]["name"] == "etalab-2.0"
    assert document["schema"] == "http://testserver/donnees/schema-temoignages.json"
    assert document["filtres"] == {}
    records = document["temoignages"]
    assert [str(record["identifiant"]) for record in records] == [r["identifiant"] for r in rows]
    full = records[2]
    assert list(full) == list(rows[0])
    assert full["themes"] == ["Économie locale", "Cohésion sociale"]
    assert full["outils"] == ["Framaforms", "Mobilizon"]
    assert full["anonyme"] is False
    assert full["date_debut"] == "2020-03-23"
    assert full["population"] == territory("60057").population
    assert records[1]["collectivite_nom"] is None


def test_the_files_take_the_filters_and_the_search_of_the_list(client, consultation):
    economy = consultation.themes.get(title="Économie locale")

    by_theme = csv_rows(client, consultation, theme=economy.pk)
    assert [row["titre"] for row in by_theme] == ["Un prestataire défaillant", "Le marché en ligne"]
    by_region = csv_rows(client, consultation, region="11")
    assert [row["titre"] for row in by_region] == ["Un prestataire défaillant"]
    searched = csv_rows(client, consultation, q="samedi")
    assert [row["titre"] for row in searched] == ["Le marché en ligne"]
    # The anonymous testimony never answers to its département.
    assert csv_rows(client, consultation, departement="62") == []
    document = json.loads(download(client, consultation, "json", theme=economy.pk, page=3))
    assert document["filtres"] == {"theme": economy.pk}


def test_a_consultation_without_published_testimony_gives_the_header_alone(client):
    consultation = ConsultationFactory()
    TestimonyFactory(consultation=consultation, status=TestimonyStatus.SUBMITTED)

    content = download(client, consultation, "csv")
    assert content.decode("utf-8-sig").count("\r\n") == 1
    assert json.loads(download(client, consultation, "json"))["temoignages"] == []
    workbook = load_workbook(io.BytesIO(download(client, consultation, "xlsx")), read_only=True)
    assert len(list(workbook["temoignages"].iter_rows())) == 1


def test_unknown_consultations_and_formats_are_404(client):
    consultation = ConsultationFactory()
    assert client.get("/donnees/nulle-part/temoignages.csv").status_code == 404
    assert client.get(f"/donnees/{consultation.slug}/temoignages.pdf").status_code == 404
    assert client.post(file_url(consultation, "csv")).status_code == 405


def test_the_number_of_queries_does_not_grow_with_the_testimonies(client):
    """Themes, sub-topics, tools and attachments are read once per chunk of testimonies."""

    def queries_for(count: int) -> int:
        consultation = ConsultationFactory()
        theme = ThemeFactory(consultation=consultation)
        subtopic = SubtopicFactory(theme=theme)
        tool = ToolFactory()
        for testimony in TestimonyFactory.create_batch(
            count, consultation=consultation, themes=[theme]
        ):
            testimony.subtopics.set([subtopic])
            testimony.tools.set([tool])
            AttachmentFactory(testimony=testimony)
        with CaptureQueriesContext(connection) as queries:
            for extension in ("csv", "json", "xlsx"):
                download(client, consultation, extension)
        return len(queries)

    assert queries_for(2) == queries_for(25)


def test_downloads_are_limited_per_address_with_a_french_message(client, settings):
    settings.RETEX_EXPORTS_PER_IP_PER_HOUR = 2
    consultation = ConsultationFactory()
    download(client, consultation, "csv")
    download(client, consultation, "json")

    refused = client.get(file_url(consultation, "xlsx"))

    assert refused.status_code == 429
    assert refused["Retry-After"] == "3600"
    assert refused.content.decode() == (
        "Trop de téléchargements depuis votre adresse : 2 fichiers par heure au plus."
        " Réessayez dans une heure, ou utilisez l'API."
    )
    assert client.get(file_url(consultation, "csv"), REMOTE_ADDR="192.0.2.8").status_code == 200


def test_a_head_request_answers_at_once_without_writing_the_file(client):
    consultation = ConsultationFactory(slug="canicules")
    TestimonyFactory.create_batch(3, consultation=consultation)
    with CaptureQueriesContext(connection) as queries:
        response = client.head(file_url(consultation, "xlsx"))
    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Disposition"] == (
        'attachment; filename="retex-canicules-temoignages.xlsx"'
    )
    assert len(queries) == 1  # the consultation; no testimony read
