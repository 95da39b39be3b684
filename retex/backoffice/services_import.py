"""Importing testimonies gathered elsewhere (e-mails, paper, another tool) from a CSV or XLSX
file: every row checked first, then all written in one transaction, or nothing.

The file's columns are documented by `COLUMNS` (the help page and the downloadable templates
are made from it). Each row goes through the same checks as the form: `content_clean` for the
content, the model's own validation for lengths and formats, the audience rule for the
collectivity. The collectivity is found by its official code or, failing that, by its name;
an unknown name comes back with the closest names.

Between the check (the dry run) and the import, the file waits on the server under a random
token, in a private directory (never served), for UPLOAD_HOURS at most: the organiser reads
the report and confirms without sending the file again.
"""

import csv
import difflib
import io
import json
import re
import secrets
import time
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from datetime import time as day_time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel

from retex.audit.services import audit_record
from retex.consultations.models import AudienceRule, Consultation, Subtopic, Theme
from retex.consultations.services import audience_check
from retex.contributions.enums import AuthorRole, LinkPurpose, RevisionKind, TestimonyStatus
from retex.contributions.models import Testimony
from retex.contributions.services import (
    TestimonyContent,
    content_apply,
    content_clean,
    content_relations_save,
    revision_add,
    testimony_link_url,
)
from retex.core.email import email_author_after_commit
from retex.core.text import fold
from retex.moderation.rules import can_organise
from retex.moderation.services import testimony_publish
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory
from retex.territories.selectors import territory_search

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 2000
UPLOAD_HOURS = 24
SUGGESTIONS = 3
# Several values in one cell (themes, tools, links): separated by ";", "|" or line breaks.
LIST_SEPARATORS = re.compile(r"\s*(?:;|\||\r?\n)\s*")
SUBTOPIC_OF_THEME = re.compile(r"\s*>\s*")
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
DATETIME_FORMATS = ("%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S")
TRUE_WORDS = {"oui", "o", "vrai", "x", "1", "yes", "true"}
FALSE_WORDS = {"non", "n", "faux", "0", "no", "false", ""}
ROLE_WORDS = {
    "elu": AuthorRole.ELECTED_OFFICIAL,
    "elue": AuthorRole.ELECTED_OFFICIAL,
    "elu e": AuthorRole.ELECTED_OFFICIAL,
    "elected": AuthorRole.ELECTED_OFFICIAL,
    "agent": AuthorRole.AGENT,
    "agente": AuthorRole.AGENT,
    "agent e": AuthorRole.AGENT,
    "autre": AuthorRole.OTHER,
    "other": AuthorRole.OTHER,
}


# --- The columns -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportColumn:
    name: str
    title: Promise
    description: Promise
    example: str
    required: bool = False


COLUMNS = [
    ImportColumn(
        "collectivite_code",
        gettext_lazy("Code of the collectivity"),
        gettext_lazy(
            "INSEE code of a commune (5 characters, e.g. 60057), a département (e.g. 60) or a "
            "région (e.g. 32); SIREN number of an intercommunality (9 digits). Give the code or "
            "the name: with both, the code is used and the name checked."
        ),
        "60057",
    ),
    ImportColumn(
        "collectivite_nom",
        gettext_lazy("Name of the collectivity"),
        gettext_lazy(
            "Its official name, accents and hyphens optional (“Saint-Denis”, “saint denis”). "
            "Used when the code is empty or unknown; when several collectivities bear the name, "
            "give the code."
        ),
        "Beauvais",
    ),
    ImportColumn(
        "titre",
        gettext_lazy("Title"),
        gettext_lazy("The title of the testimony, 200 characters at most."),
        "Un marché en ligne pour les producteurs",
        required=True,
    ),
    ImportColumn(
        "themes",
        gettext_lazy("Themes"),
        gettext_lazy(
            "One or more themes of the consultation, by their title, separated by “;” or “|”. "
            "May stay empty when sub-topics are given: a sub-topic brings its theme."
        ),
        "",
    ),
    ImportColumn(
        "sous_themes",
        gettext_lazy("Sub-topics"),
        gettext_lazy(
            "Sub-topics by their title, separated by “;” or “|”. If two themes have a sub-topic "
            "of the same title, write “Theme > Sub-topic”."
        ),
        "",
    ),
    ImportColumn(
        "initiative",
        gettext_lazy("The initiative"),
        gettext_lazy("What the collectivity did, 6,000 characters at most."),
        "Les commandes passées en ligne étaient retirées le samedi sur la place du marché.",
        required=True,
    ),
    ImportColumn(
        "difficultes",
        gettext_lazy("Difficulties met"),
        gettext_lazy("6,000 characters at most."),
        "",
    ),
    ImportColumn(
        "enseignements",
        gettext_lazy("Lessons and advice"),
        gettext_lazy("6,000 characters at most."),
        "",
    ),
    ImportColumn(
        "outils",
        gettext_lazy("Tools and services"),
        gettext_lazy("Names of digital tools, separated by “;” or “|”; 12 at most."),
        "Site de la ville ; Visioconférence",
    ),
    ImportColumn(
        "partenaires",
        gettext_lazy("Partners"),
        gettext_lazy("500 characters at most."),
        "",
    ),
    ImportColumn(
        "cout_equipe",
        gettext_lazy("Cost or team size"),
        gettext_lazy("300 characters at most."),
        "",
    ),
    ImportColumn(
        "date_debut",
        gettext_lazy("Start date"),
        gettext_lazy("DD/MM/YYYY (or YYYY-MM-DD, or a date cell of a spreadsheet)."),
        "23/03/2020",
    ),
    ImportColumn(
        "date_fin",
        gettext_lazy("End date"),
        gettext_lazy("DD/MM/YYYY; not before the start date."),
        "",
    ),
    ImportColumn(
        "liens",
        gettext_lazy("Links"),
        gettext_lazy(
            "Web addresses starting with https:// or http://, separated by “;”; 5 at most."
        ),
        "",
    ),
    ImportColumn(
        "anonyme",
        gettext_lazy("Without naming the collectivity"),
        gettext_lazy(
            "“oui” to publish the testimony without the collectivity's name (its size and "
            "région are shown instead); “non” or empty otherwise."
        ),
        "non",
    ),
    ImportColumn(
        "auteur_nom",
        gettext_lazy("Author's name"),
        gettext_lazy("Never public. 150 characters at most."),
        "Camille Martin",
        required=True,
    ),
    ImportColumn(
        "auteur_fonction",
        gettext_lazy("Author's role"),
        gettext_lazy("“élu”, “agent” or “autre”. Never public."),
        "agent",
        required=True,
    ),
    ImportColumn(
        "auteur_email",
        gettext_lazy("Author's e-mail"),
        gettext_lazy("Never public. Used only if the author is to be told of the import."),
        "camille.martin@example.fr",
        required=True,
    ),
    ImportColumn(
        "date_reception",
        gettext_lazy("Received on"),
        gettext_lazy(
            "When the testimony reached you, DD/MM/YYYY (and HH:MM if you wish); empty: the "
            "day of the import. The dashboard counts it on that day."
        ),
        "",
    ),
]
COLUMN_NAMES = [column.name for column in COLUMNS]
REQUIRED_COLUMNS = [column.name for column in COLUMNS if column.required]
# Model fields and content fields, as the file names them (for the checks' messages).
FIELD_COLUMNS = {
    "title": "titre",
    "initiative": "initiative",
    "difficulties": "difficultes",
    "lessons": "enseignements",
    "themes": "themes",
    "subtopics": "sous_themes",
    "tools": "outils",
    "partners": "partenaires",
    "cost_and_team": "cout_equipe",
    "started_on": "date_debut",
    "ended_on": "date_fin",
    "links": "liens",
    "anonymous": "anonyme",
    "author_name": "auteur_nom",
    "author_role": "auteur_fonction",
    "author_email": "auteur_email",
}


# --- Reading the file ----------------------------------------------------------------------------


class ImportFileError(Exception):
    """The file as a whole cannot be read (format, encoding, header): said in plain words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    """A file's rows as {column: value}, with their line number in the file."""

    columns: list[str]
    rows: list[tuple[int, dict[str, Any]]]
    ignored_columns: list[str] = field(default_factory=list)


def column_key(header: Any) -> str:
    """A header as a column name: "Auteur nom", "auteur_nom", "AUTEUR-NOM" → "auteur_nom"."""
    return fold(str(header or "")).replace(" ", "_")


def _is_xlsx(data: bytes, name: str) -> bool:
    return data[:4] == b"PK\x03\x04" or name.lower().endswith(".xlsx")


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel on Windows saves "CSV" in Windows-1252 unless told otherwise: read it too.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                _("The file's characters cannot be read: save it as CSV UTF-8, or as XLSX.")
            ) from error


def _csv_rows(data: bytes) -> Iterator[list[Any]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_rows(data: bytes) -> Iterator[list[Any]]:
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ImportFileError(
            _("This file is not a readable XLSX workbook: open it and save it again as XLSX.")
        ) from error
    try:
        names = workbook.sheetnames
        # The templates' sheet if there is one, else the first sheet.
        sheet = workbook["temoignages"] if "temoignages" in names else workbook[names[0]]
        for values in sheet.iter_rows(values_only=True):
            yield list(values)
    finally:
        workbook.close()


def _is_blank(values: Iterable[Any]) -> bool:
    return all(value is None or str(value).strip() == "" for value in values)


def table_read(data: bytes, name: str) -> Table:
    """The rows of a CSV (UTF-8, “;”, “,” or tab, detected) or XLSX file."""
    if len(data) > MAX_FILE_BYTES:
        raise ImportFileError(
            _("The file is too large: %(size)d MB at most.") % {"size": MAX_FILE_BYTES // 2**20}
        )
    lowered = name.lower()
    if not (lowered.endswith((".csv", ".txt", ".xlsx")) or data[:4] == b"PK\x03\x04"):
        raise ImportFileError(_("Send a CSV or XLSX file."))
    raw_rows = _xlsx_rows(data) if _is_xlsx(data, name) else _csv_rows(data)
    header: list[str] | None = None
    rows: list[tuple[int, dict[str, Any]]] = []
    try:
        for number, values in enumerate(raw_rows, start=1):
            if _is_blank(values):
                continue
            if header is None:
                header = [column_key(value) for value in values]
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(count)d testimonies: split it into several files.")
                    % {"count": MAX_ROWS}
                )
            rows.append(
                (
                    number,
                    {
                        key: value
                        for key, value in zip(header, values, strict=False)
                        if key in COLUMN_NAMES
                    },
                )
            )
    except csv.Error as error:
        raise ImportFileError(
            _("The CSV file cannot be read (%(error)s): check its quotes.") % {"error": error}
        ) from error
    if header is None:
        raise ImportFileError(_("The file is empty."))
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if "collectivite_code" not in header and "collectivite_nom" not in header:
        missing.insert(0, "collectivite_code / collectivite_nom")
    if "themes" not in header and "sous_themes" not in header:
        missing.append("themes / sous_themes")
    if missing:
        raise ImportFileError(
            _(
                "Columns missing from the first line: %(columns)s. Start from the template, "
                "whose first line names every column."
            )
            % {"columns": ", ".join(missing)}
        )
    if not rows:
        raise ImportFileError(_("The file has a header line but no testimony."))
    ignored = [key or "?" for key in header if key not in COLUMN_NAMES]
    return Table(columns=header, rows=rows, ignored_columns=ignored)


# --- Checking each row ------------------------------------------------------------------------


@dataclass
class Problem:
    """What is wrong in a row (or worth a look, for a warning), in plain words."""

    column: str
    message: str
    suggestions: list[str] = field(default_factory=list)


@dataclass
class ImportRow:
    number: int
    title: str = ""
    territory: Territory | None = None
    content: TestimonyContent | None = None
    author_name: str = ""
    author_role: str = ""
    author_email: str = ""
    received_at: datetime | None = None
    in_audience: bool = True
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def problem(self, column: str, message: str, suggestions: Iterable[str] = ()) -> None:
        self.problems.append(Problem(column, message, list(suggestions)))

    def warning(self, column: str, message: str) -> None:
        self.warnings.append(Problem(column, message))


@dataclass
class ImportReport:
    file_name: str
    rows: list[ImportRow]
    ignored_columns: list[str]

    @property
    def valid(self) -> bool:
        return bool(self.rows) and not self.rows_with_problems

    @property
    def rows_with_problems(self) -> list[ImportRow]:
        return [row for row in self.rows if row.problems]

    @property
    def rows_with_warnings(self) -> list[ImportRow]:
        return [row for row in self.rows if row.warnings]


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        return value.strftime("%d/%m/%Y")
    return str(value).strip()


def _items(value: Any) -> list[str]:
    return [item for item in LIST_SEPARATORS.split(_text(value)) if item]


def _code_variants(value: Any) -> list[str]:
    """A code as typed, and as a spreadsheet may have turned it into a number (01053 → 1053)."""
    text = _text(value).replace(" ", "").upper()
    if not text:
        return []
    variants = [text]
    if text.isdigit():
        variants += [text.zfill(2), text.zfill(5)]
    return list(dict.fromkeys(variants))


def _date(row: ImportRow, column: str, value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            return from_excel(value).date()  # a date cell without its date format
        except (ValueError, OverflowError):
            row.problem(
                column, _("“%(value)s” is not a date: write it DD/MM/YYYY.") % {"value": value}
            )
            return None
    text = _text(value)
    if not text:
        return None
    for pattern in DATE_FORMATS:
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    row.problem(
        column,
        _("“%(value)s” is not a date: write it DD/MM/YYYY, e.g. 23/03/2020.") % {"value": text},
    )
    return None


def _moment(row: ImportRow, column: str, value: Any) -> datetime | None:
    if isinstance(value, datetime):
        moment = value
    else:
        text = _text(value)
        if not text:
            return None
        moment = None
        for pattern in DATETIME_FORMATS:
            try:
                moment = datetime.strptime(text, pattern)
                break
            except ValueError:
                continue
        if moment is None:
            day = _date(row, column, value)
            if day is None:
                return None
            moment = datetime.combine(day, day_time(12, 0))
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now():
        row.problem(column, _("This date is in the future."))
        return None
    return moment


def _boolean(row: ImportRow, column: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    word = fold(_text(value))
    if word in TRUE_WORDS:
        return True
    if word not in FALSE_WORDS:
        row.problem(column, _("Write “oui” or “non” (or leave the cell empty)."))
    return False


class _Topics:
    """The consultation's themes and sub-topics, found by their title (accents and case aside)."""

    def __init__(self, consultation: Consultation) -> None:
        self.themes = list(Theme.objects.filter(consultation=consultation).order_by("position"))
        self.theme_by_title = {fold(theme.title): theme for theme in self.themes}
        self.subtopics: dict[str, list[Subtopic]] = defaultdict(list)
        for subtopic in Subtopic.objects.filter(theme__consultation=consultation).select_related(
            "theme"
        ):
            self.subtopics[fold(subtopic.title)].append(subtopic)

    def theme_titles(self) -> str:
        return " ; ".join(f"« {theme.title} »" for theme in self.themes)

    def find_themes(self, row: ImportRow, value: Any) -> list[Theme]:
        found = []
        for title in _items(value):
            theme = self.theme_by_title.get(fold(title))
            if theme is None:
                row.problem(
                    "themes",
                    _("Unknown theme: “%(title)s”. The themes are: %(themes)s.")
                    % {"title": title, "themes": self.theme_titles()},
                )
            else:
                found.append(theme)
        return found

    def find_subtopics(self, row: ImportRow, value: Any) -> list[Subtopic]:
        found = []
        for item in _items(value):
            theme_title, _sep, title = item.rpartition(">") if ">" in item else ("", "", item)
            candidates = self.subtopics.get(fold(title), [])
            if theme_title.strip():
                candidates = [s for s in candidates if fold(s.theme.title) == fold(theme_title)]
            if len(candidates) == 1:
                found.append(candidates[0])
            elif not candidates:
                row.problem(
                    "sous_themes",
                    _("Unknown sub-topic: “%(title)s”. See the help page for the list.")
                    % {"title": item},
                )
            else:
                row.problem(
                    "sous_themes",
                    _("Several themes have a sub-topic “%(title)s”: write “Theme > Sub-topic”.")
                    % {"title": item},
                    [f"{s.theme.title} > {s.title}" for s in candidates],
                )
        return found


def territory_label(territory: Territory) -> str:
    """A collectivity as "Beauvais (commune, Oise, 60057)": enough to tell namesakes apart."""
    parts = [str(TerritoryKind(territory.kind).label)]
    if territory.departement_id and territory.departement:
        parts.append(territory.departement.name)
    parts.append(territory.code)
    return f"{territory.name} ({', '.join(parts)})"


def territory_suggestions(name: str, *, limit: int = SUGGESTIONS) -> list[Territory]:
    """The collectivities whose name is closest to a name that matched none: those sharing
    the beginning of its words, ranked by likeness of the whole name, then by size."""
    folded = fold(name)
    if not folded:
        return []
    candidates = {territory.pk: territory for territory in territory_search(query=name, limit=20)}
    words = folded.split()
    # A typo rarely sits in the first letters: search again with them only.
    for length in (4, 3):
        if len(candidates) >= 20:
            break
        shortened = " ".join(word[:length] for word in words if len(word) >= length) or folded
        for territory in territory_search(query=shortened, limit=50):
            candidates.setdefault(territory.pk, territory)

    def likeness(territory: Territory) -> tuple[float, int]:
        ratio = difflib.SequenceMatcher(None, folded, fold(territory.name)).ratio()
        return (-ratio, -(territory.population or 0))

    return sorted(candidates.values(), key=likeness)[:limit]


class _Territories:
    """Collectivities of a whole file, found with a few queries (codes, then names)."""

    def __init__(self, rows: list[tuple[int, dict[str, Any]]], rule: AudienceRule | None) -> None:
        self.preferred_kinds = set(rule.kinds) if rule and rule.kinds else set()
        codes = {
            code for _n, values in rows for code in _code_variants(values.get("collectivite_code"))
        }
        names = {fold(_text(values.get("collectivite_nom"))) for _n, values in rows} - {""}
        self.by_code: dict[str, list[Territory]] = defaultdict(list)
        self.by_name: dict[str, list[Territory]] = defaultdict(list)
        found = Territory.objects.select_related("departement").filter(
            Q(code__in=codes) | Q(search_name__in=names) | Q(search_alias__in=names)
        )
        for territory in found:
            if territory.code in codes:
                self.by_code[territory.code].append(territory)
            for key in {territory.search_name, territory.search_alias} & names:
                self.by_name[key].append(territory)

    def _narrowed(self, candidates: list[Territory]) -> list[Territory]:
        """Namesakes: those of the kinds the consultation is for, if that settles it."""
        if len(candidates) > 1 and self.preferred_kinds:
            preferred = [t for t in candidates if t.kind in self.preferred_kinds]
            if preferred:
                return preferred
        return candidates

    def find(self, row: ImportRow, code_value: Any, name_value: Any) -> Territory | None:
        name = _text(name_value)
        folded_name = fold(name)
        code = _text(code_value)
        if code:
            candidates = [t for v in _code_variants(code_value) for t in self.by_code.get(v, [])]
            if len(candidates) > 1 and folded_name:
                named = [t for t in candidates if folded_name in (t.search_name, t.search_alias)]
                candidates = named or candidates
            candidates = self._narrowed(list({t.pk: t for t in candidates}.values()))
            if len(candidates) == 1:
                territory = candidates[0]
                if folded_name and folded_name not in (
                    territory.search_name,
                    territory.search_alias,
                ):
                    row.warning(
                        "collectivite_nom",
                        _("The code %(code)s is %(territory)s, not “%(name)s”: the code is used.")
                        % {"code": code, "territory": territory_label(territory), "name": name},
                    )
                return territory
            if len(candidates) > 1:
                row.problem(
                    "collectivite_code",
                    _("Several collectivities have the code %(code)s: give the name too.")
                    % {"code": code},
                    [territory_label(t) for t in candidates],
                )
                return None
            if not name:
                row.problem(
                    "collectivite_code",
                    _("No collectivity has the code “%(code)s”.") % {"code": code},
                )
                return None
            row.warning(
                "collectivite_code",
                _("No collectivity has the code “%(code)s”: found by its name.") % {"code": code},
            )
        if not name:
            row.problem("collectivite_nom", _("Give the code or the name of the collectivity."))
            return None
        candidates = self.by_name.get(folded_name, [])
        # "Arras" is the commune; its intercommunality is "Arras" only once its legal form is
        # set aside: a full name beats a shortened one.
        candidates = [t for t in candidates if t.search_name == folded_name] or candidates
        candidates = self._narrowed(candidates)
        if len(candidates) == 1:
            return candidates[0]
        if candidates:
            row.problem(
                "collectivite_nom",
                _("Several collectivities are called “%(name)s”: give the code.") % {"name": name},
                [territory_label(t) for t in candidates[:10]],
            )
            return None
        suggestions = territory_suggestions(name)
        row.problem(
            "collectivite_nom",
            _("No collectivity is called “%(name)s”.") % {"name": name}
            + (" " + _("Did you mean one of these?") if suggestions else ""),
            [territory_label(t) for t in suggestions],
        )
        return None


def _check_links(row: ImportRow, links: list[str]) -> None:
    validate = URLValidator(schemes=["http", "https"])
    for link in links:
        try:
            validate(link)
        except ValidationError:
            row.problem(
                "liens",
                _("« %(link)s » is not a web address: it must start with https:// or http://.")
                % {"link": link},
            )


def _add_validation_errors(row: ImportRow, error: ValidationError, skip: set[str]) -> None:
    for name, messages in error.message_dict.items():
        column = FIELD_COLUMNS.get(name, "")
        if column in skip:
            continue
        for message in messages:
            row.problem(column, message)


def _check_row(
    number: int,
    values: dict[str, Any],
    *,
    consultation: Consultation,
    rule: AudienceRule | None,
    topics: _Topics,
    territories: _Territories,
) -> ImportRow:
    row = ImportRow(number=number, title=_text(values.get("titre")))
    for name in REQUIRED_COLUMNS:
        if not _text(values.get(name)):
            row.problem(name, _("This column is required and empty."))
    if not _text(values.get("themes")) and not _text(values.get("sous_themes")):
        row.problem("themes", _("Give at least one theme or sub-topic."))
    empty_required = {problem.column for problem in row.problems}

    row.territory = territories.find(
        row, values.get("collectivite_code"), values.get("collectivite_nom")
    )
    if row.territory is not None and rule is not None:
        verdict = audience_check(rule=rule, territory=row.territory)
        row.in_audience = verdict.in_audience
        if not verdict.accepted:
            row.problem("collectivite_code", verdict.explanation)
        elif not verdict.in_audience:
            row.warning(
                "collectivite_code",
                _("Outside the audience: accepted and flagged, as on the form. %(why)s")
                % {"why": verdict.explanation},
            )

    links = _items(values.get("liens"))
    _check_links(row, links)
    role_word = fold(_text(values.get("auteur_fonction")))
    row.author_role = ROLE_WORDS.get(role_word, "")
    if role_word and not row.author_role:
        row.problem("auteur_fonction", _("Write “élu”, “agent” or “autre”."))
    row.author_name = _text(values.get("auteur_nom"))
    row.author_email = _text(values.get("auteur_email")).lower()
    row.received_at = _moment(row, "date_reception", values.get("date_reception"))
    content = TestimonyContent(
        title=row.title,
        initiative=_text(values.get("initiative")),
        themes=topics.find_themes(row, values.get("themes")),
        subtopics=topics.find_subtopics(row, values.get("sous_themes")),
        difficulties=_text(values.get("difficultes")),
        lessons=_text(values.get("enseignements")),
        tools=_items(values.get("outils")),
        partners=_text(values.get("partenaires")),
        cost_and_team=_text(values.get("cout_equipe")),
        started_on=_date(row, "date_debut", values.get("date_debut")),
        ended_on=_date(row, "date_fin", values.get("date_fin")),
        links=links,
        anonymous=_boolean(row, "anonyme", values.get("anonyme")),
    )
    already = {problem.column for problem in row.problems}
    if content.themes or content.subtopics:
        try:
            content = content_clean(consultation, content)
        except ValidationError as error:
            _add_validation_errors(row, error, skip=already)
    # The model's own rules: lengths, the e-mail address's format.
    testimony = Testimony(
        consultation=consultation,
        author_name=row.author_name,
        author_role=row.author_role or AuthorRole.OTHER,
        author_email=row.author_email,
    )
    content_apply(testimony, content)
    try:
        testimony.full_clean(
            exclude=["pending_revision", "consultation", "territory", "publication_consent_at"]
        )
    except ValidationError as error:
        _add_validation_errors(row, error, skip=empty_required | already)
    row.content = content
    return row


def _warn_repeats(report: ImportReport, consultation: Consultation) -> None:
    """Twice the same title for the same collectivity, in the file or already in the
    consultation: most likely a file imported twice."""
    seen: dict[tuple[int, str], int] = {}
    rows = [row for row in report.rows if row.territory is not None and row.title]
    existing = {
        (territory_id, fold(title))
        for territory_id, title in Testimony.objects.filter(
            consultation=consultation, territory_id__in={row.territory.pk for row in rows}
        ).values_list("territory_id", "title")
    }
    for row in rows:
        key = (row.territory.pk, fold(row.title))
        if key in existing:
            row.warning(
                "titre",
                _("This collectivity already has a testimony with this title in the consultation."),
            )
        if key in seen:
            row.warning(
                "titre",
                _("Same title and collectivity as line %(number)d.") % {"number": seen[key]},
            )
        seen.setdefault(key, row.number)


def import_check(*, consultation: Consultation, table: Table, file_name: str) -> ImportReport:
    """Check every row of a file, writing nothing: the dry run."""
    rule = AudienceRule.objects.filter(consultation=consultation).first()
    topics = _Topics(consultation)
    territories = _Territories(table.rows, rule)
    report = ImportReport(
        file_name=file_name,
        rows=[
            _check_row(
                number,
                values,
                consultation=consultation,
                rule=rule,
                topics=topics,
                territories=territories,
            )
            for number, values in table.rows
        ],
        ignored_columns=table.ignored_columns,
    )
    _warn_repeats(report, consultation)
    return report


# --- The file between the check and the import -------------------------------------------------


_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")


@dataclass(frozen=True)
class StoredUpload:
    token: str
    name: str
    data: bytes


def _upload_dir(consultation: Consultation) -> Path:
    # Private: under the var directory, never under the media served to the public.
    base = Path(getattr(settings, "RETEX_IMPORT_DIR", settings.VAR_DIR / "imports"))
    return base / str(consultation.pk)


def _purge_old_uploads(directory: Path) -> None:
    limit = time.time() - UPLOAD_HOURS * 3600
    for path in directory.glob("*"):
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
        except FileNotFoundError:
            pass


def upload_keep(*, consultation: Consultation, user, name: str, data: bytes) -> str:
    """Keep an uploaded file until it is imported (UPLOAD_HOURS at most); returns its token."""
    directory = _upload_dir(consultation)
    directory.mkdir(parents=True, exist_ok=True)
    _purge_old_uploads(directory)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.data").write_bytes(data)
    (directory / f"{token}.json").write_text(
        json.dumps({"user": user.pk, "name": Path(name).name[:200]})
    )
    return token


def upload_get(*, consultation: Consultation, user, token: str) -> StoredUpload | None:
    """The file kept under this token for this person, or None (expired, or someone else's)."""
    if not _TOKEN.match(token or ""):
        return None
    directory = _upload_dir(consultation)
    try:
        meta = json.loads((directory / f"{token}.json").read_text())
        if meta.get("user") != user.pk:
            return None
        if (directory / f"{token}.data").stat().st_mtime < time.time() - UPLOAD_HOURS * 3600:
            return None
        return StoredUpload(token, meta["name"], (directory / f"{token}.data").read_bytes())
    except (FileNotFoundError, ValueError, KeyError):
        return None


def upload_discard(*, consultation: Consultation, token: str) -> None:
    if not _TOKEN.match(token or ""):
        return
    for suffix in (".data", ".json"):
        (_upload_dir(consultation) / f"{token}{suffix}").unlink(missing_ok=True)


# --- Writing --------------------------------------------------------------------------------------


class ImportRefused(Exception):
    """The file no longer passes the checks (the data changed since the dry run)."""

    def __init__(self, report: ImportReport) -> None:
        super().__init__(f"{len(report.rows_with_problems)} rows with problems")
        self.report = report


@dataclass(frozen=True)
class ImportResult:
    created: int
    published: bool
    testimony_ids: list[int]


def _notify_received(testimony: Testimony) -> None:
    email_author_after_commit(
        testimony=testimony,
        template="contributions/emails/received.txt",
        subject=_("Your testimony has been received"),
        link=testimony_link_url(testimony=testimony, purpose=LinkPurpose.EDIT),
    )


@transaction.atomic
def testimonies_import(
    *,
    consultation: Consultation,
    organiser,
    upload: StoredUpload,
    publish: bool,
    notify_authors: bool,
) -> ImportResult:
    """Write every testimony of a checked file, or none.

    They wait for moderation, or are published at once through the moderation service (which
    records the decision, indexes them for search and tells their authors, as for any
    publication). Otherwise authors are told nothing, unless `notify_authors`: then they get
    the usual "received" e-mail with their personal edit link. Each testimony gets a first
    version of the kind "import" and an audit event; the file gets one with its name and
    number of rows."""
    if not can_organise(organiser, consultation):
        raise PermissionDenied(
            _("Only the organisers of this consultation may import testimonies.")
        )
    # One import at a time per consultation: a second click waits here, then finds the file
    # gone (it is deleted once the first import commits) instead of importing it twice.
    Consultation.objects.select_for_update().filter(pk=consultation.pk).first()
    if not (_upload_dir(consultation) / f"{upload.token}.data").exists():
        raise ValidationError(_("This file has already been imported."))
    report = import_check(
        consultation=consultation,
        table=table_read(upload.data, upload.name),
        file_name=upload.name,
    )
    if not report.valid:
        raise ImportRefused(report)
    now = timezone.now()
    editor_name = organiser.get_full_name() or organiser.get_username()
    created = []
    for row in report.rows:
        testimony = Testimony(
            consultation=consultation,
            territory=row.territory,
            status=TestimonyStatus.SUBMITTED,
            author_name=row.author_name,
            author_role=row.author_role,
            author_email=row.author_email,
            in_audience=row.in_audience,
            # The organiser confirmed, when importing, that the authors agreed.
            publication_consent_at=now,
            submitted_at=row.received_at or now,
        )
        content_apply(testimony, row.content)
        testimony.save()
        content_relations_save(testimony, row.content, new=True)
        revision_add(
            testimony,
            kind=RevisionKind.IMPORT,
            content=row.content,
            editor_name=editor_name,
            editor_user=organiser,
            first=True,
        )
        audit_record(
            action="testimony.import",
            target=testimony,
            actor_user=organiser,
            consultation_id=consultation.pk,
            details={"file": upload.name, "line": row.number, "in_audience": row.in_audience},
        )
        if publish:
            testimony_publish(
                testimony=testimony, moderator=organiser, notify_author=notify_authors
            )
        elif notify_authors:
            _notify_received(testimony)
        created.append(testimony.pk)
    audit_record(
        action="consultation.import",
        target=consultation,
        actor_user=organiser,
        consultation_id=consultation.pk,
        details={
            "file": upload.name,
            "rows": len(created),
            "published": publish,
            "authors_notified": notify_authors,
        },
    )
    transaction.on_commit(
        lambda: upload_discard(consultation=consultation, token=upload.token), robust=True
    )
    return ImportResult(created=len(created), published=publish, testimony_ids=created)
