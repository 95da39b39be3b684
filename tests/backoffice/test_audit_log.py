"""The audit log of a consultation: every action in plain French, newest first, filterable,
paginated, exportable as CSV; for organisers only."""

import csv
import html
import io
import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from retex.audit.labels import ACTION_LABELS
from retex.audit.models import AuditEvent
from retex.audit.services import audit_record
from retex.consultations.enums import MembershipRole
from retex.consultations.services import consultation_extend_deadline, theme_create
from retex.moderation.models import DecisionKind
from tests.factories import ConsultationFactory, MembershipFactory, TestimonyFactory

PARIS = ZoneInfo("Europe/Paris")


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def consultation(db):
    return ConsultationFactory(
        title="Gestion de crise et numérique", closes_at=datetime(2100, 1, 20, tzinfo=PARIS)
    )


@pytest.fixture
def organiser(client, consultation):
    user = MembershipFactory(
        consultation=consultation,
        role=MembershipRole.ORGANISER,
        user__first_name="Alix",
        user__last_name="Martin",
    ).user
    client.force_login(user)
    return user


def dated(event: AuditEvent, when: datetime) -> AuditEvent:
    AuditEvent.objects.filter(pk=event.pk).update(created_at=when)
    return event


@pytest.fixture
def history(consultation, organiser):
    """A published testimony, a theme added, the deadline extended; and elsewhere, noise."""
    testimony = TestimonyFactory(consultation=consultation, author_name="Camille Durand")
    dated(
        audit_record(
            action="testimony.submit",
            target=testimony,
            actor_label="Camille Durand",
            consultation_id=consultation.pk,
        ),
        datetime(2024, 3, 1, 10, tzinfo=PARIS),
    )
    dated(
        audit_record(
            action="testimony.publish",
            target=testimony,
            actor_user=organiser,
            consultation_id=consultation.pk,
        ),
        datetime(2024, 3, 2, 10, tzinfo=PARIS),
    )
    theme_create(consultation=consultation, acting_user=organiser, title="Santé publique")
    dated(AuditEvent.objects.get(action="theme.create"), datetime(2024, 3, 5, 9, tzinfo=PARIS))
    consultation_extend_deadline(
        consultation=consultation,
        new_closes_at=datetime(2100, 3, 20, 23, 59, tzinfo=PARIS),
        reason="Pour les petites communes.",
        acting_user=organiser,
    )
    dated(
        AuditEvent.objects.get(action="consultation.extend_deadline"),
        datetime(2024, 3, 10, 9, tzinfo=PARIS),
    )
    other = ConsultationFactory(title="Ailleurs")
    audit_record(action="theme.create", target=other, consultation_id=other.pk)
    return testimony


def log(client, consultation, **query):
    return client.get(reverse("backoffice:audit", args=[consultation.slug]), query)


def rows(page: str) -> list[str]:
    return re.findall(r"<tr>\s*<td class=\"audit-table__date\".*?</tr>", page, re.S)


def test_every_event_of_the_consultation_newest_first_in_plain_french(
    client, consultation, history
):
    page = text(log(client, consultation))
    assert "4 événements" in page
    table = page.split("<table")[1]
    labels = ["Date limite reportée", "Thème ajouté", "Témoignage publié", "Témoignage envoyé"]
    positions = [table.index(label) for label in labels]
    assert positions == sorted(positions)
    assert "Alix Martin" in table and "Camille Durand" in table
    assert "Raison : Pour les petites communes." in table
    assert "Date limite précédente : 20 janvier 2100 00:00" in table
    assert "Ailleurs" not in page


def test_filters_by_action_who_dates_and_object(client, consultation, organiser, history):
    by_action = text(log(client, consultation, action="testimony.publish"))
    assert len(rows(by_action)) == 1 and "Témoignage publié" in by_action

    by_author = text(log(client, consultation, actor="authors"))
    assert len(rows(by_author)) == 1 and "Témoignage envoyé" in by_author

    by_organiser = text(log(client, consultation, actor=f"user:{organiser.pk}"))
    assert len(rows(by_organiser)) == 3

    early_march = text(log(client, consultation, since="2024-03-02", until="2024-03-05"))
    assert len(rows(early_march)) == 2
    assert "Témoignage envoyé" not in early_march.split("<table")[1]

    of_testimony = text(
        log(
            client,
            consultation,
            target_type="contributions.testimony",
            target_id=str(history.pk),
        )
    )
    assert len(rows(of_testimony)) == 2


def test_a_wrong_date_range_is_said_and_its_wrong_end_ignored(client, consultation, history):
    page = text(log(client, consultation, since="2024-03-05", until="2024-03-01"))
    assert "Cette date est antérieure à la première." in page
    assert len(rows(page)) == 2  # since 5 March


def test_the_log_is_paginated(client, consultation, organiser):
    for number in range(55):
        audit_record(
            action="theme.update",
            target=consultation,
            actor_user=organiser,
            consultation_id=consultation.pk,
            details={"n": number},
        )
    first = text(log(client, consultation))
    assert len(rows(first)) == 50
    assert 'rel="next"' in first
    second = text(log(client, consultation, page="2"))
    assert len(rows(second)) == 5


def export(client, consultation, **query) -> list[list[str]]:
    response = client.get(reverse("backoffice:audit_export", args=[consultation.slug]), query)
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        f'attachment; filename="journal-{consultation.slug}-'
    )
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:])))


def test_the_export_is_the_filtered_log_as_csv(client, consultation, history):
    header, *lines = export(client, consultation, actor="authors")
    assert header == [
        "Date",
        "Action",
        "Code de l'action",
        "Qui",
        "Type d'objet",
        "Numéro de l'objet",
        "Détails",
    ]
    assert lines == [
        [
            "2024-03-01T10:00:00+01:00",
            "Témoignage envoyé",
            "testimony.submit",
            "Camille Durand",
            "Témoignage",
            str(history.pk),
            "{}",
        ]
    ]
    assert len(export(client, consultation)) == 1 + 4


def test_a_spreadsheet_formula_typed_by_an_author_is_exported_as_text(client, consultation):
    testimony = TestimonyFactory(consultation=consultation)
    audit_record(
        action="testimony.edit",
        target=testimony,
        actor_label='=HYPERLINK("http://example.org")',
        consultation_id=consultation.pk,
    )
    user = MembershipFactory(consultation=consultation, role=MembershipRole.ORGANISER).user
    client.force_login(user)
    _header, line = export(client, consultation)
    assert line[3] == '\'=HYPERLINK("http://example.org")'


def test_moderators_do_not_see_the_log(client, consultation, history):
    moderator = MembershipFactory(consultation=consultation).user
    client.force_login(moderator)
    assert log(client, consultation).status_code == 403
    export_url = reverse("backoffice:audit_export", args=[consultation.slug])
    assert client.get(export_url).status_code == 403


def test_every_action_recorded_in_the_code_has_a_french_label():
    """A new action code needs its label in retex/audit/labels.py (the log shows it)."""
    root = Path(__file__).resolve().parents[2] / "retex"
    written = set()
    for path in root.rglob("*.py"):
        written |= set(re.findall(r'action="([a-z_]+\.[a-z_]+)"', path.read_text()))
    written |= {f"testimony.{kind}" for kind in DecisionKind.values}
    assert written - set(ACTION_LABELS) == set()
    assert len(written) > 20


def test_dates_are_shown_in_paris_time(client, consultation):
    user = MembershipFactory(consultation=consultation, role=MembershipRole.ORGANISER).user
    client.force_login(user)
    event = audit_record(
        action="theme.update", target=consultation, consultation_id=consultation.pk
    )
    dated(event, datetime(2024, 7, 1, 22, 30, tzinfo=ZoneInfo("UTC")))
    page = text(log(client, consultation))
    assert (
        '<time datetime="2024-07-02T00:30+02:00">2\xa0juillet\xa02024 à 0\xa0h\xa030</time>' in page
    )
