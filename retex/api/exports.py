"""The open-data files (CSV, XLSX, JSON) of a consultation's published testimonies.

Written in constant memory whatever the number of testimonies: their public records are read
in batches (`retex.api.records.public_records`: one query for 500 testimonies, one for their
themes, tools…; never one per testimony), and each file is written as they come by
`retex.core.tabular`: CSV and JSON are streamed while the database is still being read; an
XLSX file, a zip that can only be finished at the end, is written in openpyxl's write-only mode
to a temporary file, then sent.

The CSV file follows RFC 4180 as data.gouv.fr and OpenDataFrance recommend: UTF-8, comma
separator, fields quoted when needed, CRLF line ends, one header line. It starts with a UTF-8
byte order mark: without it, Excel (what most of the agents who read these files open them
with) shows "Ã©" for "é"; data tools (pandas, R, LibreOffice, csvkit, frictionless/validata)
skip it. Its text is left exactly as published (no apostrophe before a leading "="): it is
data. The XLSX file is the one for spreadsheet users: nothing to import, accents right, columns
in place, and its text always stays text (a cell starting with "=" is never a formula).
"""

import io
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import IO

from django.conf import settings
from django.db.models import QuerySet
from django.utils import translation

from retex.api.records import Absolute, PublicTestimony, public_records
from retex.api.tableschema import COLUMN_NAMES, COLUMNS, LIST_SEPARATOR
from retex.contributions.models import Testimony
from retex.core import tabular

CSV_CONTENT_TYPE = tabular.CSV_CONTENT_TYPE
XLSX_CONTENT_TYPE = tabular.XLSX_CONTENT_TYPE
JSON_CONTENT_TYPE = tabular.JSON_CONTENT_TYPE
TESTIMONIES_SHEET = "temoignages"
# Widths (in characters) that keep a row of the worksheet readable.
_XLSX_WIDTHS = {"titre": 40, "initiative": 60, "difficultes": 60, "enseignements": 60}


def table_row(record: PublicTestimony) -> list[object]:
    """A testimony as a row of the CSV and XLSX files: lists joined with " | "."""
    row = []
    for column in COLUMNS:
        value = column.value(record)
        row.append(LIST_SEPARATOR.join(value) if column.many else value)
    return row


def json_record(record: PublicTestimony) -> dict[str, object]:
    """A testimony in the JSON file: the same names as the columns, lists kept as lists."""
    return {column.name: column.value(record) for column in COLUMNS}


def csv_chunks(records: Iterable[PublicTestimony]) -> Iterator[bytes]:
    return tabular.csv_chunks(map(table_row, records), header=COLUMN_NAMES)


def json_chunks(records: Iterable[PublicTestimony], *, metadata: dict) -> Iterator[bytes]:
    """{…metadata, "temoignages": [testimonies]}."""
    return tabular.json_chunks(map(json_record, records), metadata=metadata, key="temoignages")


def xlsx_file(records: Iterable[PublicTestimony]) -> IO[bytes]:
    """The testimonies' sheet, then a "colonnes" sheet describing the columns (in French, as
    the file is the same for everyone)."""
    with translation.override(settings.LANGUAGE_CODE):
        described = [(c.name, str(c.title), str(c.description)) for c in COLUMNS]
    return tabular.xlsx_file(
        [
            tabular.Sheet(
                title=TESTIMONIES_SHEET,
                header=COLUMN_NAMES,
                rows=map(table_row, records),
                widths=[_XLSX_WIDTHS.get(name, max(12, len(name) + 2)) for name in COLUMN_NAMES],
            ),
            tabular.Sheet(
                title="colonnes",
                header=("colonne", "titre", "description"),
                rows=described,
                widths=[20, 30, 100],
            ),
        ]
    )


# --- Sizes shown on the open-data pages ----------------------------------------------------

SIZE_SAMPLE = 200


@dataclass(frozen=True)
class FileSizes:
    """Bytes of each file; `exact` is False when extrapolated from the newest testimonies."""

    csv: int
    xlsx: int
    json: int
    exact: bool


def _xlsx_size(records: list[PublicTestimony]) -> int:
    with xlsx_file(records) as output:
        return output.seek(0, io.SEEK_END)


def file_sizes(
    testimonies: QuerySet[Testimony], *, total: int, absolute: Absolute, metadata: dict
) -> FileSizes:
    """The size of the three files of `testimonies` (`total` of them), measured by writing
    them for at most SIZE_SAMPLE testimonies, the newest, and extrapolated beyond: writing
    100,000 rows to tell their size would cost seconds per page view."""
    records = public_records(testimonies, absolute=absolute, batch_size=SIZE_SAMPLE)
    sample = list(islice(records, SIZE_SAMPLE))

    def size(write) -> int:
        empty = write([])
        if not sample:
            return empty
        return round(empty + (write(sample) - empty) * total / len(sample))

    return FileSizes(
        csv=size(lambda rows: sum(map(len, csv_chunks(rows)))),
        xlsx=size(_xlsx_size),
        json=size(lambda rows: sum(map(len, json_chunks(rows, metadata=metadata)))),
        exact=len(sample) >= total,
    )
