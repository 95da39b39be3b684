"""Importing testimonies from a file: checked first, all written or none, problems in French."""

import csv
import io
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook, load_workbook

from retex.audit.models import AuditEvent
from retex.backoffice.services_import import COLUMN_NAMES
from retex.consultations.enums import AudienceEnforcement, MembershipRole
from retex.contributions.enums import AuthorRole, RevisionKind, TestimonyStatus
from retex.contributions.models import Testimony
from retex.moderation.models import DecisionKind, ModerationDecision
from tests.backoffice.downloads import close_download
from tests.factories import (
    ConsultationFactory,
    MembershipFactory,
    SubtopicFactory,
    TestimonyFactory,
    ThemeFactory,
)

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture(autouse=True)
def import_dir(settings, tmp_path):
    settings.RETEX_IMPORT_DIR = tmp_path / "imports"
    return settings.RETEX_IMPORT_DIR


@pytest.fixture
def consultation():
    consultation = ConsultationFactory(title="Gestion de crise et numérique")
    economy = ThemeFactory(consultation=consultation, title="Soutien à l'économie locale")
    SubtopicFactory(theme=economy, title="Circuits courts")
    ThemeFactory(consultation=consultation, title="Cohésion sociale")
    return consultation


@pytest.fixture
def organiser(client, consultation):
    user = MembershipFactory(
        consultation=consultation, role=MembershipRole.ORGANISER, user__first_name="Claire"
    ).user
    client.force_login(user)
    return user


def row(**values) -> dict:
    base = {
        "collectivite_code": "60057",
        "collectivite_nom": "Beauvais",
        "titre": "Un marché en ligne",
        "themes": "Soutien à l'économie locale",
        "sous_themes": "",
        "initiative": "Les commandes étaient retirées le samedi sur la place des Halles.",
        "outils": "Site de la ville ; Visioconférence",
        "date_debut": "23/03/2020",
        "anonyme": "non",
        "auteur_nom": "Camille Martin",
        "auteur_fonction": "agent",
        "auteur_email": "camille.martin@example.fr",
    }
    return base | values


def csv_upload(rows: list[dict], *, delimiter=";", encoding="utf-8", name="temoignages.csv"):
    header = list(dict.fromkeys(key for values in rows for key in values))
    text = io.StringIO()
    writer = csv.DictWriter(text, fieldnames=header, delimiter=delimiter)
    writer.writeheader()
    writer.writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows: list[dict], name="temoignages.xlsx"):
    header = list(dict.fromkeys(key for values in rows for key in values))
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for values in rows:
        sheet.append([values.get(key) for key in header])
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue())


def check(client, consultation, upload):
    return client.post(reverse("backoffice:import", args=[consultation.slug]), {"file": upload})


@pytest.fixture
def confirm(django_capture_on_commit_callbacks):
    """Import a checked file; what waits for the commit (e-mails, the file's deletion) runs."""

    def post(client, consultation, token, **choices):
        data = {"token": token, "status": TestimonyStatus.SUBMITTED, "consent": "on"} | choices
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("backoffice:import_confirm", args=[consultation.slug]), data)

    return post


def token_of(response) -> str:
    return response.context["confirm_form"].initial["token"]


def test_a_valid_csv_is_checked_then_imported_awaiting_moderation(
    client, consultation, organiser, confirm
):
    upload = csv_upload(
        [
            row(sous_themes="Circuits courts"),
            row(
                collectivite_code="",
                collectivite_nom="arras",
                titre="Des ordinateurs pour les élèves",
                themes="cohesion sociale",
                auteur_fonction="élue",
                auteur_email="Elu@Arras.example",
                date_reception="12/01/2021 14:30",
            ),
        ]
    )
    checked = check(client, consultation, upload)
    assert checked.status_code == 200
    page = checked.text
    assert "Les 2 lignes sont correctes : les témoignages peuvent être importés." in page
    assert "Importer les 2 témoignages" in page
    assert not Testimony.objects.exists()  # the check writes nothing
    assert not AuditEvent.objects.exists()

    response = confirm(client, consultation, token_of(checked))
    assert response.status_code == 302
    assert response["Location"] == reverse("moderation:queue", args=[consultation.slug])
    beauvais = Testimony.objects.get(title="Un marché en ligne")
    arras = Testimony.objects.get(title="Des ordinateurs pour les élèves")
    assert beauvais.territory.code == "60057" and arras.territory.code == "62041"
    assert {beauvais.status, arras.status} == {TestimonyStatus.SUBMITTED}
    assert [s.title for s in beauvais.subtopics.all()] == ["Circuits courts"]
    assert sorted(t.name for t in beauvais.tools.all()) == ["Site de la ville", "Visioconférence"]
    assert beauvais.started_on == date(2020, 3, 23)
    assert [t.title for t in arras.themes.all()] == ["Cohésion sociale"]
    assert arras.author_role == AuthorRole.ELECTED_OFFICIAL
    assert arras.author_email == "elu@arras.example"
    assert timezone.localtime(arras.submitted_at) == datetime(2021, 1, 12, 14, 30, tzinfo=PARIS)
    revision = beauvais.revisions.get()
    assert revision.kind == RevisionKind.IMPORT and revision.editor_user == organiser
    assert AuditEvent.objects.filter(action="testimony.import").count() == 2
    summary = AuditEvent.objects.get(action="consultation.import")
    assert summary.details["file"] == "temoignages.csv"
    assert summary.details["rows"] == 2
    assert summary.actor_user == organiser
    assert mail.outbox == []  # authors are told nothing unless asked
    followed = client.get(response["Location"])
    assert "2 témoignages importés : ils attendent la modération." in followed.text


def test_a_valid_xlsx_is_imported_and_published_through_moderation(
    client, consultation, organiser, confirm
):
    upload = xlsx_upload(
        [
            row(collectivite_code=62041, collectivite_nom=None, date_debut=datetime(2020, 3, 17)),
            row(titre="Une plateforme des commerçants", date_reception=datetime(2021, 1, 5, 9, 0)),
        ]
    )
    checked = check(client, consultation, upload)
    assert "Les 2 lignes sont correctes" in checked.text
    response = confirm(client, consultation, token_of(checked), status=TestimonyStatus.PUBLISHED)
    assert response["Location"] == reverse("backoffice:dashboard", args=[consultation.slug])
    testimonies = Testimony.objects.order_by("pk")
    assert [t.status for t in testimonies] == [TestimonyStatus.PUBLISHED] * 2
    assert testimonies[0].territory.code == "62041"
    assert testimonies[0].started_on == date(2020, 3, 17)
    decisions = ModerationDecision.objects.filter(kind=DecisionKind.PUBLISH)
    assert decisions.count() == 2 and {d.moderator for d in decisions} == {organiser}
    # Published as a moderator would, but its author is told only when the organiser asks.
    assert mail.outbox == []
    public = client.get(reverse("explore:testimony", args=[testimonies[0].pk]))
    assert public.status_code == 200


def test_authors_of_a_published_import_are_told_when_asked(
    client, consultation, organiser, confirm
):
    checked = check(client, consultation, csv_upload([row()]))
    confirm(
        client,
        consultation,
        token_of(checked),
        status=TestimonyStatus.PUBLISHED,
        notify_authors="on",
    )
    assert [message.to[0] for message in mail.outbox] == ["camille.martin@example.fr"]
    assert "publié" in mail.outbox[0].subject


def test_authors_get_their_link_when_asked(client, consultation, organiser, confirm):
    checked = check(client, consultation, csv_upload([row()]))
    confirm(client, consultation, token_of(checked), notify_authors="on")
    assert len(mail.outbox) == 1
    assert "/temoignage/" in mail.outbox[0].body or "http" in mail.outbox[0].body


def test_one_bad_row_writes_nothing_and_is_reported_in_french(client, consultation, organiser):
    upload = csv_upload(
        [
            row(),
            row(titre="Deuxième"),
            row(
                titre="Troisième",
                date_debut="31/02/2021",
                themes="Économie",
                auteur_email="pas-une-adresse",
            ),
        ]
    )
    checked = check(client, consultation, upload)
    page = checked.text
    assert "1 ligne sur 3 a des problèmes : rien ne sera enregistré." in page
    assert "ligne 4" in page  # line 1 is the header
    assert "« 31/02/2021 » n&#x27;est pas une date : écrivez-la JJ/MM/AAAA" in page
    assert "Thème inconnu : « Économie »" in page
    assert "Saisissez une adresse e-mail valide." in page
    assert "Importer les" not in page
    report = checked.context["report"]
    assert [r.number for r in report.rows_with_problems] == [4]
    assert {p.column for p in report.rows_with_problems[0].problems} == {
        "date_debut",
        "themes",
        "auteur_email",
    }
    assert not Testimony.objects.exists()


def test_the_import_refuses_a_file_that_no_longer_passes(client, consultation, organiser, confirm):
    checked = check(client, consultation, csv_upload([row(), row(titre="Autre")]))
    consultation.themes.filter(title="Soutien à l'économie locale").update(title="Économie")
    response = confirm(client, consultation, token_of(checked))
    assert response.status_code == 400
    assert "2 lignes sur 2 ont des problèmes" in response.text
    assert not Testimony.objects.exists()
    assert not AuditEvent.objects.exists()


def test_an_unknown_name_comes_back_with_the_closest_names(client, consultation, organiser):
    checked = check(
        client, consultation, csv_upload([row(collectivite_code="", collectivite_nom="Beauvias")])
    )
    problem = checked.context["report"].rows[0].problems[0]
    assert problem.column == "collectivite_nom"
    assert problem.message.startswith("Aucune collectivité ne s'appelle « Beauvias ».")
    assert len(problem.suggestions) == 3
    assert problem.suggestions[0] == "Beauvais (commune, Oise, 60057)"
    assert "Beauvais (commune, Oise, 60057)" in checked.text


def test_namesakes_need_their_code(client, consultation, organiser):
    checked = check(
        client,
        consultation,
        csv_upload([row(collectivite_code="", collectivite_nom="Saint-Denis")]),
    )
    problem = checked.context["report"].rows[0].problems[0]
    assert (
        "Plusieurs collectivités s'appellent « Saint-Denis » : indiquez le code." in problem.message
    )
    assert "Saint-Denis (commune, Seine-Saint-Denis, 93066)" in problem.suggestions
    assert "Saint-Denis (commune, La Réunion, 97411)" in problem.suggestions


def test_the_code_wins_and_a_differing_name_is_pointed_out(client, consultation, organiser):
    checked = check(client, consultation, csv_upload([row(collectivite_code="62041")]))
    report = checked.context["report"]
    assert report.valid
    assert report.rows[0].territory.name == "Arras"
    assert "Le code 62041 est celui de Arras (commune, Pas-de-Calais, 62041)" in checked.text


def test_a_code_a_spreadsheet_turned_into_a_number_is_found(client, consultation, organiser):
    # Bourg-en-Bresse is 01053; typed in a number cell it becomes 1053.
    checked = check(
        client, consultation, xlsx_upload([row(collectivite_code=1053, collectivite_nom=None)])
    )
    assert checked.context["report"].rows[0].territory.code == "01053"


def test_an_unknown_code_falls_back_on_the_name(client, consultation, organiser):
    checked = check(client, consultation, csv_upload([row(collectivite_code="99999")]))
    report = checked.context["report"]
    assert report.valid and report.rows[0].territory.code == "60057"
    assert (
        "Aucune collectivité n&#x27;a le code « 99999 » : elle a été trouvée par son nom."
        in checked.text
    )


def test_a_strict_audience_refuses_collectivities_outside_it(client, consultation, organiser):
    consultation.audience_rule.enforcement = AudienceEnforcement.STRICT
    consultation.audience_rule.save()
    checked = check(
        client, consultation, csv_upload([row(collectivite_code="78160", collectivite_nom="")])
    )
    problem = checked.context["report"].rows[0].problems[0]
    assert problem.column == "collectivite_code"
    assert "Chevreuse" in problem.message  # the audience rule's own explanation


def test_an_advisory_audience_flags_them(client, consultation, organiser, confirm):
    checked = check(
        client, consultation, csv_upload([row(collectivite_code="78160", collectivite_nom="")])
    )
    assert checked.context["report"].valid
    assert "Hors du public visé : accepté et signalé" in checked.text
    confirm(client, consultation, token_of(checked))
    assert Testimony.objects.get().in_audience is False


def test_a_file_imported_twice_is_pointed_out(client, consultation, organiser):
    TestimonyFactory(consultation=consultation, title="Un marché en ligne")
    checked = check(client, consultation, csv_upload([row(), row()]))
    assert (
        "Cette collectivité a déjà un témoignage de même titre dans la consultation."
        in checked.text
    )
    assert "Même titre et même collectivité qu&#x27;à la ligne 2." in checked.text


def test_comma_separated_and_windows_encoded_files_are_read(client, consultation, organiser):
    comma = check(client, consultation, csv_upload([row()], delimiter=","))
    assert comma.context["report"].valid
    windows = check(client, consultation, csv_upload([row(titre="Marché été")], encoding="cp1252"))
    assert windows.context["report"].rows[0].title == "Marché été"


def test_a_file_without_the_required_columns_is_refused_whole(client, consultation, organiser):
    values = row()
    del values["initiative"]
    response = check(client, consultation, csv_upload([values]))
    assert response.status_code == 400
    assert "Colonnes absentes de la première ligne : initiative." in response.text
    not_a_sheet = SimpleUploadedFile("notes.pdf", b"%PDF-1.4")
    assert "Envoyez un fichier CSV ou XLSX." in check(client, consultation, not_a_sheet).text


def test_consent_is_required_and_the_file_waits_meanwhile(client, consultation, organiser, confirm):
    checked = check(client, consultation, csv_upload([row()]))
    token = token_of(checked)
    refused = confirm(client, consultation, token, consent="")
    assert refused.status_code == 400
    assert "Confirmez que les auteurs ont accepté la publication" in refused.text
    assert not Testimony.objects.exists()
    assert confirm(client, consultation, token).status_code == 302
    assert Testimony.objects.count() == 1
    again = confirm(client, consultation, token)  # the file is gone once imported
    assert again.status_code == 302 and Testimony.objects.count() == 1
    assert "n&#x27;est plus conservé" in client.get(again["Location"]).text


def test_the_kept_file_is_its_uploader_s_only(client, consultation, organiser, confirm):
    checked = check(client, consultation, csv_upload([row()]))
    colleague = MembershipFactory(consultation=consultation, role=MembershipRole.ORGANISER).user
    client.force_login(colleague)
    response = confirm(client, consultation, token_of(checked))
    assert response["Location"] == reverse("backoffice:import", args=[consultation.slug])
    assert not Testimony.objects.exists()


def test_moderators_cannot_import(client, consultation):
    client.force_login(MembershipFactory(consultation=consultation).user)
    for name in ("backoffice:import", "backoffice:import_help"):
        assert client.get(reverse(name, args=[consultation.slug])).status_code == 403
    assert (
        client.post(reverse("backoffice:import_confirm", args=[consultation.slug])).status_code
        == 403
    )


def test_the_templates_name_every_column_and_the_help_lists_the_themes(
    client, consultation, organiser
):
    csv_template = client.get(
        reverse("backoffice:import_template", args=[consultation.slug, "csv"])
    )
    text = b"".join(csv_template.streaming_content).decode("utf-8-sig")
    assert next(csv.reader(io.StringIO(text), delimiter=";")) == COLUMN_NAMES
    xlsx = client.get(reverse("backoffice:import_template", args=[consultation.slug, "xlsx"]))
    workbook = load_workbook(io.BytesIO(b"".join(xlsx.streaming_content)), read_only=True)
    close_download(xlsx)
    assert workbook.sheetnames == ["temoignages", "colonnes", "themes"]
    assert list(next(workbook["temoignages"].iter_rows(values_only=True))) == COLUMN_NAMES
    topics = list(workbook["themes"].iter_rows(values_only=True))
    assert ("Soutien à l'économie locale", "Circuits courts") in topics
    assert ("Cohésion sociale", None) in topics
    help_page = client.get(reverse("backoffice:import_help", args=[consultation.slug])).text
    assert "auteur_email" in help_page and "Circuits courts" in help_page
    # The template sent back as it is: a clear message, not an import of nothing.
    empty = SimpleUploadedFile("modele.csv", text.encode("utf-8-sig"))
    assert (
        "Le fichier a une ligne d&#x27;en-tête mais aucun témoignage."
        in check(client, consultation, empty).text
    )
