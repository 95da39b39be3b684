"""Tables written as files in constant memory, whatever their number of rows.

CSV and JSON are produced a few hundred rows at a time, as the rows come, so that a
`StreamingHttpResponse` sends them while the database is still being read. An XLSX file is a
zip that can only be finished at the end: openpyxl writes it in write-only mode (rows go to
disk, strings inline, nothing kept per row) into a temporary file, then sent with
`FileResponse`.

Which columns, and how a value is read from a record, belong to the caller (the open-data files,
the organisers' exports): this module only turns rows of plain values into bytes.
"""

import csv
import io
import json
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import islice
from typing import IO, Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
JSON_CONTENT_TYPE = "application/json"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
UTF8_BOM = "\ufeff"
# Rows turned into bytes at once: fewer, larger writes to the socket.
ROWS_PER_CHUNK = 200
# A spreadsheet reads a cell starting with one of these as a formula ("CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Row = Sequence[Any]


def batched(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def formula_safe(text: str) -> str:
    """Text that a spreadsheet shows as typed, never runs: an apostrophe before a leading
    "=", "+", "-" or "@" (what Excel itself does for text typed so). For files opened by
    people, with text written by strangers; open data keeps its text unchanged."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def cell_text(value: Any) -> str:
    """A plain value as CSV text: empty for None, ISO dates, local date-times to the second,
    "oui"/"non" left to the caller (booleans become "true"/"false")."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(tzinfo=None).isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# --- CSV -------------------------------------------------------------------------------------


def csv_chunks(
    rows: Iterable[Row],
    *,
    header: Sequence[str],
    delimiter: str = ",",
    bom: bool = True,
    formulas_as_text: bool = False,
) -> Iterator[bytes]:
    """The CSV file (UTF-8, CRLF, fields quoted when needed), a few hundred rows at a time.

    `bom`: a UTF-8 byte order mark first, without which Excel shows "Ã©" for "é" (data tools
    skip it). `delimiter`: "," is RFC 4180; ";" is what Excel opens in columns on a French
    computer. `formulas_as_text`: see `formula_safe`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    if bom:
        buffer.write(UTF8_BOM)
    writer.writerow(header)
    for batch in batched(rows, ROWS_PER_CHUNK):
        for row in batch:
            texts = [cell_text(value) for value in row]
            if formulas_as_text:
                texts = [formula_safe(text) for text in texts]
            writer.writerow(texts)
        yield buffer.getvalue().encode()
        buffer.seek(0)
        buffer.truncate()
    if buffer.tell():  # no row: the header line alone
        yield buffer.getvalue().encode()


# --- JSON ------------------------------------------------------------------------------------


def json_chunks(
    items: Iterable[dict[str, Any]], *, metadata: dict[str, Any] | None = None, key: str = "items"
) -> Iterator[bytes]:
    """A JSON array of objects, or `{…metadata, key: [objects]}` when metadata is given, a few
    hundred objects at a time. Dates and date-times are ISO 8601 (with their offset)."""

    def dumps(value: Any, **options: Any) -> str:
        return json.dumps(value, ensure_ascii=False, cls=DjangoJSONEncoder, **options)

    if metadata:
        opening = dumps({**metadata, key: []}, indent=1)
        # Everything up to the empty list's "[": the objects are written inside it.
        yield opening[: opening.rindex("[") + 1].encode()
        closing = "\n ]\n}\n"
    else:
        yield b"["
        closing = "\n]\n"
    separator = "\n  "
    for batch in batched(items, ROWS_PER_CHUNK):
        yield (separator + ",\n  ".join(dumps(item) for item in batch)).encode()
        separator = ",\n  "
    yield closing.encode()


# --- XLSX ------------------------------------------------------------------------------------


@dataclass
class Sheet:
    """One worksheet: its title, header line, rows, and column widths in characters."""

    title: str
    header: Sequence[str]
    rows: Iterable[Row]
    widths: Sequence[int] = field(default_factory=list)


def _xlsx_value(sheet: Any, value: Any) -> Any:
    if isinstance(value, datetime) and timezone.is_aware(value):
        # A worksheet has no time zones: local time, as the people reading it live it.
        return timezone.localtime(value).replace(tzinfo=None)
    if isinstance(value, list | tuple):
        value = " | ".join(str(item) for item in value)
    if not isinstance(value, str):
        return value
    # Control characters pasted from other software are not allowed in a worksheet.
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if value.startswith(FORMULA_STARTS) or value in ERROR_CODES:
        # openpyxl would store "=…" as a formula and "#N/A" as an error: keep them text.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        return cell
    return value


def xlsx_file(sheets: Sequence[Sheet]) -> IO[bytes]:
    """The XLSX file, written to an anonymous temporary file (deleted once closed) and
    positioned at its start. Bold header line, frozen below it."""
    workbook = Workbook(write_only=True)
    bold = Font(bold=True)
    for spec in sheets:
        sheet = workbook.create_sheet(spec.title[:31])
        sheet.freeze_panes = "A2"
        for index, width in enumerate(spec.widths, 1):
            sheet.column_dimensions[get_column_letter(index)].width = width
        header = []
        for title in spec.header:
            cell = WriteOnlyCell(sheet, value=title)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in spec.rows:
            sheet.append([_xlsx_value(sheet, value) for value in row])
    output = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response that sends it
    workbook.save(output)
    output.seek(0)
    return output


# --- Responses -------------------------------------------------------------------------------


def attachment_response(
    content: Iterator[bytes] | IO[bytes], *, filename: str, content_type: str
) -> StreamingHttpResponse:
    """A download: chunks streamed as they come, or a file sent by blocks (then closed)."""
    if hasattr(content, "read"):
        response = FileResponse(content, content_type=content_type)
    else:
        response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
