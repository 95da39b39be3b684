"""The columns of the open-data files, and their Table Schema.

One list, `COLUMNS`, says everything about a column of the CSV, XLSX and JSON files: its
name, its type, its title and description (French through the catalogue), its constraints and
how its value is read from a testimony's public record. The files are written from it and the
Table Schema (https://specs.frictionlessdata.io/table-schema/, the format of
schema.data.gouv.fr) is generated from it, so a column cannot exist undocumented.

Column names are stable identifiers in French, lowercase ASCII with underscores, as the
schemas published on schema.data.gouv.fr name theirs: they are the same in every language.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from retex.api.records import PublicTestimony
from retex.territories.enums import PopulationBand, TerritoryKind

SCHEMA_VERSION = "1.0.0"
# Several values in one cell (themes, tools, links…): joined with this in CSV and XLSX; the
# JSON file keeps them as lists.
LIST_SEPARATOR = " | "

LICENCE = {
    "name": "etalab-2.0",
    "title": "Licence Ouverte / Open Licence version 2.0",
    "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
}


# How the open-data page names the Table Schema types, for people who are not developers.
TYPE_LABELS = {
    "string": _("text"),
    "integer": _("whole number"),
    "date": _("date, written 2021-03-20"),
    "boolean": _("true or false"),
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, boolean, date
    title: Promise
    description: Promise
    value: Callable[[PublicTestimony], object]
    format: str = "default"
    required: bool = False
    constraints: dict = field(default_factory=dict)
    # True: the value is a list (joined in CSV and XLSX, a list in JSON).
    many: bool = False

    @property
    def type_label(self) -> str:
        return TYPE_LABELS[self.type]

    def descriptor(self) -> dict:
        """The column as a Table Schema field."""
        descriptor = {
            "name": self.name,
            "title": str(self.title),
            "description": str(self.description),
            "type": self.type,
        }
        if self.format != "default":
            descriptor["format"] = self.format
        constraints = {**({"required": True} if self.required else {}), **self.constraints}
        if constraints:
            descriptor["constraints"] = constraints
        if self.type == "boolean":
            descriptor["trueValues"] = ["true"]
            descriptor["falseValues"] = ["false"]
        return descriptor


def _published_on(record: PublicTestimony) -> date | None:
    if record.published_at is None:
        return None
    return timezone.localtime(record.published_at).date()


def _labels(items) -> list[str]:
    return [item.title for item in items]


_EMPTY_WHEN_ANONYMOUS = _("Empty for an anonymous testimony, which names no local authority.")

COLUMNS: tuple[Column, ...] = (
    Column(
        "identifiant",
        "integer",
        _("Identifier"),
        _("Number of the testimony in Retex, the one in the address of its page."),
        lambda r: r.id,
        required=True,
        constraints={"unique": True, "minimum": 1},
    ),
    Column(
        "url",
        "string",
        _("Address"),
        _("Address of the testimony's public page."),
        lambda r: r.url,
        format="uri",
        required=True,
    ),
    Column(
        "consultation",
        "string",
        _("Call for testimonies"),
        _("Short name of the call for testimonies, as in its address."),
        lambda r: r.consultation,
        required=True,
    ),
    Column(
        "titre",
        "string",
        _("Title"),
        _("Title of the testimony."),
        lambda r: r.title,
        required=True,
        constraints={"maxLength": 200},
    ),
    Column(
        "date_publication",
        "date",
        _("Publication date"),
        _("Day the testimony was published (Paris time)."),
        _published_on,
        required=True,
    ),
    Column(
        "collectivite_type",
        "string",
        _("Kind of local authority"),
        _(
            "commune, epci (intercommunality), departement or region. Given for an anonymous"
            " testimony too."
        ),
        lambda r: r.territory.kind,
        required=True,
        constraints={"enum": list(TerritoryKind.values)},
    ),
    Column(
        "collectivite_nom",
        "string",
        _("Local authority"),
        _EMPTY_WHEN_ANONYMOUS,
        lambda r: r.territory.name,
    ),
    Column(
        "collectivite_code",
        "string",
        _("Code of the local authority"),
        _(
            "INSEE code of a commune, département or région; SIREN number of an"
            " intercommunality. Empty for an anonymous testimony."
        ),
        lambda r: r.territory.code,
    ),
    Column(
        "population",
        "integer",
        _("Population"),
        _(
            "Population of the local authority in the reference used by Retex (INSEE legal"
            " populations). Empty for an anonymous testimony."
        ),
        lambda r: r.territory.population,
        constraints={"minimum": 0},
    ),
    Column(
        "tranche_population",
        "string",
        _("Population band"),
        _(
            "lt10k: fewer than 10,000 inhabitants; 10k-20k, 20k-50k, 50k-100k: from the first"
            " to the second number; gt100k: more than 100,000. Given for an anonymous"
            " testimony too."
        ),
        lambda r: r.territory.population_band,
        constraints={"enum": list(PopulationBand.values)},
    ),
    Column(
        "departement_code",
        "string",
        _("Département code"),
        _("INSEE code of the département. Empty for an anonymous testimony."),
        lambda r: r.territory.departement.code if r.territory.departement else None,
    ),
    Column(
        "departement_nom",
        "string",
        _("Département"),
        _("Name of the département. Empty for an anonymous testimony."),
        lambda r: r.territory.departement.name if r.territory.departement else None,
    ),
    Column(
        "region_code",
        "string",
        _("Région code"),
        _("INSEE code of the région. Given for an anonymous testimony too."),
        lambda r: r.territory.region.code if r.territory.region else None,
    ),
    Column(
        "region_nom",
        "string",
        _("Région"),
        _("Name of the région. Given for an anonymous testimony too."),
        lambda r: r.territory.region.name if r.territory.region else None,
    ),
    Column(
        "anonyme",
        "boolean",
        _("Anonymous"),
        _(
            "true when the local authority asked not to be named: only its kind, population"
            " band and région are published."
        ),
        lambda r: r.anonymous,
        required=True,
    ),
    Column(
        "themes",
        "string",
        _("Themes"),
        _("Themes of the call the testimony is filed under, separated by « | »."),
        lambda r: _labels(r.themes),
        many=True,
    ),
    Column(
        "sous_themes",
        "string",
        _("Sub-topics"),
        _("Sub-topics, separated by « | »."),
        lambda r: _labels(r.subtopics),
        many=True,
    ),
    Column(
        "initiative",
        "string",
        _("The initiative"),
        _("What the local authority did."),
        lambda r: r.initiative,
        required=True,
    ),
    Column(
        "difficultes",
        "string",
        _("Difficulties met"),
        _("What went wrong or was hard. Empty when not given or not published."),
        lambda r: r.difficulties,
    ),
    Column(
        "enseignements",
        "string",
        _("Lessons and advice"),
        _("What the local authority learnt. Empty when not given or not published."),
        lambda r: r.lessons,
    ),
    Column(
        "outils",
        "string",
        _("Tools and services"),
        _("Digital tools and services used, separated by « | »."),
        lambda r: r.tools,
        many=True,
    ),
    Column(
        "partenaires",
        "string",
        _("Partners"),
        _("Partners of the initiative."),
        lambda r: r.partners,
    ),
    Column(
        "cout_equipe",
        "string",
        _("Cost or team size"),
        _("Cost of the initiative or size of its team, as written by the local authority."),
        lambda r: r.cost_and_team,
    ),
    Column(
        "date_debut",
        "date",
        _("Start date"),
        _("Day the initiative started."),
        lambda r: r.started_on,
    ),
    Column(
        "date_fin",
        "date",
        _("End date"),
        _("Day the initiative ended; empty when it goes on or was not given."),
        lambda r: r.ended_on,
    ),
    Column(
        "liens",
        "string",
        _("Links"),
        _("Web addresses given by the local authority, separated by « | »."),
        lambda r: r.links,
        many=True,
    ),
    Column(
        "pieces_jointes",
        "string",
        _("Attachments"),
        _("Addresses of the published images and PDF documents, separated by « | »."),
        lambda r: [attachment.url for attachment in r.attachments],
        many=True,
    ),
)

COLUMN_NAMES = tuple(column.name for column in COLUMNS)


def table_schema(*, schema_url: str, homepage_url: str) -> dict:
    """The Table Schema of the files, in the site's main language (French)."""
    with translation.override(settings.LANGUAGE_CODE):
        return {
            "$schema": "https://frictionlessdata.io/schemas/table-schema.json",
            "name": "retex-temoignages",
            "title": str(_("Published testimonies of a call for testimonies")),
            "description": str(
                _(
                    "One row per published testimony of a call for testimonies run on Retex:"
                    " what a local authority did during a crisis, the difficulties it met and"
                    " what it learnt. The names, roles and e-mail addresses of the authors are"
                    " never published; anonymous testimonies show only the kind, population"
                    " band and région of their local authority; a field the moderators chose"
                    " not to publish is empty."
                )
            ),
            "version": SCHEMA_VERSION,
            "homepage": homepage_url,
            "path": schema_url,
            "licenses": [LICENCE],
            "missingValues": [""],
            "fields": [column.descriptor() for column in COLUMNS],
            "primaryKey": "identifiant",
        }
