"""The organisers' export: every testimony, every state, private fields, streamed, audited."""

import csv
import io
import json
from datetime import timedelta

import pytest
from django.db import connection
from django.http import FileResponse, StreamingHttpResponse
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from retex.audit.models import AuditEvent
from retex.backoffice import selectors_export
from retex.consultations.enums import MembershipRole
from retex.contributions.enums import TestimonyStatus
from retex.moderation.models import DecisionKind, ModerationDecision
from tests.backoffice.downloads import close_download
from tests.factories import (
    ConsultationFactory,
    MembershipFactory,
    SubtopicFactory,
    TestimonyFactory,
    ThemeFactory,
    ToolFactory,
    UserFactory,
    territory,
)

pytestmark = pytest.mark.django_db
S = TestimonyStatus


@pytest.fixture
def consultation():
    consultation = ConsultationFactory(slug="gestion-de-crise")
    economy = ThemeFactory(consultation=consultation, title="Soutien à l'économie locale")
    markets = SubtopicFactory(theme=economy, title="Circuits courts")
    moderator = UserFactory(first_name="Marc", last_name="Modérateur")
    published = TestimonyFactory(
        consultation=consultation,
        title="Un marché en ligne",
        themes=[economy],
        author_name="Camille Martin",
        author_email="camille@beauvais.example",
    )
    published.subtopics.set([markets])
    published.tools.set([ToolFactory(name="Visioconférence")])
    rejected = TestimonyFactory(
        consultation=consultation,
        status=S.REJECTED,
        title='=HYPERLINK("http://evil.example")',
        territory=territory("62041"),
        themes=[economy],
    )
    TestimonyFactory(
        consultation=consultation,
        status=S.PENDING_VERIFICATION,
        submitted_at=None,
        themes=[economy],
    )
    ModerationDecision.objects.create(
        testimony=published, kind=DecisionKind.PUBLISH, moderator=moderator
    )
    first = ModerationDecision.objects.create(
        testimony=rejected, kind=DecisionKind.REQUEST_CHANGES, reason="Précisez les dates."
    )
    ModerationDecision.objects.filter(pk=first.pk).update(
        created_at=first.created_at - timedelta(days=1)
    )
    ModerationDecision.objects.create(
        testimony=rejected, kind=DecisionKind.REJECT, reason="Hors sujet.", moderator=moderator
    )
    TestimonyFactory(title="D'une autre consultation")
    return consultation


@pytest.fixture
def organiser(client, consultation):
    user = MembershipFactory(consultation=consultation, role=MembershipRole.ORGANISER).user
    client.force_login(user)
    return user


def download(client, consultation, extension):
    return client.get(reverse("backoffice:export_file", args=[consultation.slug, extension]))


def test_the_csv_holds_every_state_and_the_private_fields(client, consultation, organiser):
    response = download(client, consultation, "csv")
    assert isinstance(response, StreamingHttpResponse)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="retex-gestion-de-crise-'
    )
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))
    assert len(rows) == 3  # not the other consultation's
    assert {row["etat"] for row in rows} == {S.PUBLISHED, S.REJECTED, S.PENDING_VERIFICATION}
    published = next(row for row in rows if row["titre"] == "Un marché en ligne")
    assert published["auteur_nom"] == "Camille Martin"
    assert published["auteur_email"] == "camille@beauvais.example"
    assert published["etat_libelle"] == "publié"
    assert published["sous_themes"] == "Circuits courts"
    assert published["outils"] == "Visioconférence"
    assert published["collectivite_code"] == "60057"
    assert published["region_nom"] == "Hauts-de-France"
    assert published["derniere_decision_par"] == "Marc Modérateur"
    assert published["dans_public_vise"] == "oui"
    rejected = next(row for row in rows if row["etat"] == S.REJECTED)
    assert rejected["derniere_decision_motif"] == "Hors sujet."  # the last one, not the first
    # Opened in a spreadsheet, a title written by a stranger never runs as a formula.
    assert rejected["titre"] == '\'=HYPERLINK("http://evil.example")'


def test_every_download_is_in_the_log(client, consultation, organiser):
    download(client, consultation, "json")
    event = AuditEvent.objects.get(action="consultation.export")
    assert event.actor_user == organiser
    assert event.consultation_id == consultation.pk
    assert event.details == {"format": "json", "testimonies": 3, "private_fields": True}


def test_the_json_keeps_lists_and_dates(client, consultation, organiser):
    response = download(client, consultation, "json")
    assert isinstance(response, StreamingHttpResponse)
    document = json.loads(b"".join(response.streaming_content))
    assert document["consultation"] == "gestion-de-crise"
    assert document["donnees_personnelles"] is True
    testimonies = document["temoignages"]
    assert len(testimonies) == 3
    published = next(t for t in testimonies if t["etat"] == S.PUBLISHED)
    assert published["themes"] == ["Soutien à l'économie locale"]
    assert published["anonyme"] is False
    assert published["auteur_email"] == "camille@beauvais.example"
    assert published["publie_le"].endswith(("+01:00", "+02:00", "Z", "+00:00"))


def test_the_xlsx_opens_with_its_rows_and_columns(client, consultation, organiser):
    response = download(client, consultation, "xlsx")
    assert isinstance(response, FileResponse)
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    close_download(response)
    assert workbook.sheetnames == ["temoignages", "colonnes"]
    rows = list(workbook["temoignages"].iter_rows(values_only=True))
    assert list(rows[0]) == selectors_export.COLUMN_NAMES
    assert len(rows) == 4
    emails = {row[selectors_export.COLUMN_NAMES.index("auteur_email")] for row in rows[1:]}
    assert "camille@beauvais.example" in emails


def test_queries_grow_with_chunks_not_with_rows(consultation, monkeypatch):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            rows = list(selectors_export.export_rows(consultation))
        return len(rows), len(captured)

    monkeypatch.setattr(selectors_export, "CHUNK_SIZE", 50)
    rows, few = queries()
    for _ in range(20):
        TestimonyFactory(consultation=consultation)
    more_rows, more = queries()
    assert (rows, more_rows) == (3, 23)
    assert more == few
    monkeypatch.setattr(selectors_export, "CHUNK_SIZE", 10)
    rows, chunked = queries()
    assert rows == 23
    assert chunked > more  # three chunks of ten: one set of queries each


def test_only_organisers_export(client, consultation):
    client.force_login(MembershipFactory(consultation=consultation).user)
    assert client.get(reverse("backoffice:export", args=[consultation.slug])).status_code == 403
    assert download(client, consultation, "csv").status_code == 403
    client.force_login(MembershipFactory(role=MembershipRole.ORGANISER).user)  # another one's
    assert download(client, consultation, "csv").status_code == 404
    assert not AuditEvent.objects.filter(action="consultation.export").exists()


def test_the_export_page_warns_about_personal_data(client, consultation, organiser):
    page = client.get(reverse("backoffice:export", args=[consultation.slug])).text
    assert "Ces fichiers contiennent des données personnelles" in page
    assert "Les 3 témoignages de la consultation" in page
    assert download(client, consultation, "pdf").status_code == 404
