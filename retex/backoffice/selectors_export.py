"""Reads for the organisers' export: every testimony of a consultation, in every state, with
its private fields (the author), its moderation (state, last decision and its reason) and its
collectivity.

Private: only organisers download it, and each download is written to the audit log
(`services_export`). The public open-data files are made elsewhere (`retex.api`), from public
fields only.

Rows are read a chunk at a time, by primary key (each chunk starts after the last key of the
one before), with their themes, sub-topics, tools, attachments and decisions fetched once per
chunk: the memory used stays the same for 1,000 or 1,000,000 testimonies, and the number of
queries grows with the chunks, never with the rows.
"""

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Count
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from retex.consultations.models import Consultation, Subtopic, Theme
from retex.contributions.enums import AuthorRole, TestimonyStatus, WithholdableField
from retex.contributions.models import Attachment, Testimony
from retex.moderation.models import DecisionKind, ModerationDecision
from retex.territories.enums import PopulationBand, TerritoryKind

CHUNK_SIZE = 1000


@dataclass(frozen=True)
class ExportColumn:
    name: str
    title: Promise


COLUMNS = [
    ExportColumn("identifiant", gettext_lazy("Number of the testimony in Retex")),
    ExportColumn("etat", gettext_lazy("State (code)")),
    ExportColumn("etat_libelle", gettext_lazy("State")),
    ExportColumn("modification_en_attente", gettext_lazy("An author's edit waits for moderation")),
    ExportColumn("titre", gettext_lazy("Title")),
    ExportColumn("initiative", gettext_lazy("The initiative")),
    ExportColumn("difficultes", gettext_lazy("Difficulties met")),
    ExportColumn("enseignements", gettext_lazy("Lessons and advice")),
    ExportColumn("themes", gettext_lazy("Themes")),
    ExportColumn("sous_themes", gettext_lazy("Sub-topics")),
    ExportColumn("outils", gettext_lazy("Tools and services")),
    ExportColumn("partenaires", gettext_lazy("Partners")),
    ExportColumn("cout_equipe", gettext_lazy("Cost or team size")),
    ExportColumn("date_debut", gettext_lazy("Start date")),
    ExportColumn("date_fin", gettext_lazy("End date")),
    ExportColumn("liens", gettext_lazy("Links")),
    ExportColumn("pieces_jointes", gettext_lazy("Number of attached files")),
    ExportColumn("anonyme", gettext_lazy("Published without naming the collectivity")),
    ExportColumn("champs_non_publics", gettext_lazy("Fields kept off the public pages")),
    ExportColumn("collectivite_type", gettext_lazy("Kind of collectivity")),
    ExportColumn("collectivite_code", gettext_lazy("Code of the collectivity")),
    ExportColumn("collectivite_nom", gettext_lazy("Name of the collectivity")),
    ExportColumn("population", gettext_lazy("Population")),
    ExportColumn("tranche_population", gettext_lazy("Population band")),
    ExportColumn("departement_code", gettext_lazy("Code of the département")),
    ExportColumn("departement_nom", gettext_lazy("Département")),
    ExportColumn("region_code", gettext_lazy("Code of the région")),
    ExportColumn("region_nom", gettext_lazy("Région")),
    ExportColumn("dans_public_vise", gettext_lazy("In the audience when sent")),
    ExportColumn("auteur_nom", gettext_lazy("Author's name")),
    ExportColumn("auteur_fonction", gettext_lazy("Author's role")),
    ExportColumn("auteur_email", gettext_lazy("Author's e-mail")),
    ExportColumn("consentement_publication_le", gettext_lazy("Consent to publication given on")),
    ExportColumn("cree_le", gettext_lazy("Written on")),
    ExportColumn("recu_le", gettext_lazy("Received on (e-mail address confirmed)")),
    ExportColumn("publie_le", gettext_lazy("First published on")),
    ExportColumn("modifie_le", gettext_lazy("Last changed on")),
    ExportColumn("derniere_decision", gettext_lazy("Last moderation decision")),
    ExportColumn("derniere_decision_le", gettext_lazy("Date of the last decision")),
    ExportColumn("derniere_decision_par", gettext_lazy("Moderator of the last decision")),
    ExportColumn("derniere_decision_motif", gettext_lazy("Reason sent with the last decision")),
]
COLUMN_NAMES = [column.name for column in COLUMNS]

_FIELDS = [
    "pk",
    "status",
    "pending_revision_id",
    "title",
    "initiative",
    "difficulties",
    "lessons",
    "partners",
    "cost_and_team",
    "started_on",
    "ended_on",
    "links",
    "anonymous",
    "withheld_fields",
    "territory__kind",
    "territory__code",
    "territory__name",
    "territory__population",
    "territory__departement__code",
    "territory__departement__name",
    "territory__region__code",
    "territory__region__name",
    "in_audience",
    "author_name",
    "author_role",
    "author_email",
    "publication_consent_at",
    "created_at",
    "submitted_at",
    "published_at",
    "updated_at",
]


def _label(choices, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def _grouped(pairs) -> dict[int, list[Any]]:
    grouped: dict[int, list[Any]] = defaultdict(list)
    for testimony_id, value in pairs:
        grouped[testimony_id].append(value)
    return grouped


def _moderator_name(first_name: str | None, last_name: str | None, username: str | None) -> str:
    return " ".join(part for part in (first_name, last_name) if part) or (username or "")


def export_count(consultation: Consultation) -> int:
    return Testimony.objects.filter(consultation=consultation).count()


def export_rows(consultation: Consultation) -> Iterator[list[Any]]:
    """One list of values per testimony, in the order of COLUMNS, oldest first. Lists stay
    lists, booleans booleans, dates dates: each file format writes them its way."""
    theme_titles = dict(Theme.objects.filter(consultation=consultation).values_list("pk", "title"))
    subtopic_titles = dict(
        Subtopic.objects.filter(theme__consultation=consultation).values_list("pk", "title")
    )
    testimonies = Testimony.objects.filter(consultation=consultation).order_by("pk")
    last_pk = 0
    while True:
        chunk = list(testimonies.filter(pk__gt=last_pk).values_list(*_FIELDS)[:CHUNK_SIZE])
        if not chunk:
            return
        ids = [row[0] for row in chunk]
        last_pk = ids[-1]
        themes = _grouped(
            Testimony.themes.through.objects.filter(testimony_id__in=ids)
            .order_by("theme__position", "theme_id")
            .values_list("testimony_id", "theme_id")
        )
        subtopics = _grouped(
            Testimony.subtopics.through.objects.filter(testimony_id__in=ids)
            .order_by("subtopic__theme__position", "subtopic__position", "subtopic_id")
            .values_list("testimony_id", "subtopic_id")
        )
        tools = _grouped(
            Testimony.tools.through.objects.filter(testimony_id__in=ids)
            .order_by("tool__name")
            .values_list("testimony_id", "tool__name")
        )
        attachments = dict(
            Attachment.objects.filter(testimony_id__in=ids)
            .values_list("testimony_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        last_decisions: dict[int, tuple] = {}
        for decision in (
            ModerationDecision.objects.filter(testimony_id__in=ids)
            .order_by("testimony_id", "-created_at", "-pk")
            .values_list(
                "testimony_id",
                "kind",
                "created_at",
                "moderator__first_name",
                "moderator__last_name",
                "moderator__username",
                "reason",
            )
        ):
            last_decisions.setdefault(decision[0], decision)
        for row in chunk:
            yield _row(
                row,
                themes=[theme_titles[pk] for pk in themes.get(row[0], [])],
                subtopics=[subtopic_titles[pk] for pk in subtopics.get(row[0], [])],
                tools=tools.get(row[0], []),
                attachments=attachments.get(row[0], 0),
                decision=last_decisions.get(row[0]),
            )


def _row(
    row: tuple,
    *,
    themes: list[str],
    subtopics: list[str],
    tools: list[str],
    attachments: int,
    decision: tuple | None,
) -> list[Any]:
    (
        pk,
        status,
        pending_revision_id,
        title,
        initiative,
        difficulties,
        lessons,
        partners,
        cost_and_team,
        started_on,
        ended_on,
        links,
        anonymous,
        withheld_fields,
        kind,
        code,
        name,
        population,
        departement_code,
        departement_name,
        region_code,
        region_name,
        in_audience,
        author_name,
        author_role,
        author_email,
        consent_at,
        created_at,
        submitted_at,
        published_at,
        updated_at,
    ) = row
    band = PopulationBand.for_population(population)
    if kind == TerritoryKind.DEPARTEMENT:  # a département or a région is its own
        departement_code, departement_name = code, name
    elif kind == TerritoryKind.REGION:
        region_code, region_name = code, name
    if decision is None:
        decision_values = ["", None, "", ""]
    else:
        _testimony_id, decision_kind, decided_at, first, last, username, reason = decision
        decision_values = [
            _label(DecisionKind, decision_kind),
            decided_at,
            _moderator_name(first, last, username),
            reason,
        ]
    return [
        pk,
        status,
        _label(TestimonyStatus, status),
        pending_revision_id is not None,
        title,
        initiative,
        difficulties,
        lessons,
        themes,
        subtopics,
        tools,
        partners,
        cost_and_team,
        started_on,
        ended_on,
        list(links or []),
        attachments,
        anonymous,
        [_label(WithholdableField, field) for field in withheld_fields or []],
        _label(TerritoryKind, kind),
        code,
        name,
        population,
        str(band.label) if band else "",
        departement_code or "",
        departement_name or "",
        region_code or "",
        region_name or "",
        in_audience,
        author_name,
        _label(AuthorRole, author_role),
        author_email,
        consent_at,
        created_at,
        submitted_at,
        published_at,
        updated_at,
        *decision_values,
    ]


def spreadsheet_row(values: list[Any]) -> list[Any]:
    """A row for CSV and XLSX: lists joined by " | ", yes/no in words."""
    return [
        " | ".join(value)
        if isinstance(value, list)
        else (_("yes") if value else _("no"))
        if isinstance(value, bool)
        else value
        for value in values
    ]
