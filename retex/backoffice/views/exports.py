"""The organisers' export of every testimony, private fields included, as CSV, XLSX or JSON.

Streamed: CSV and JSON leave as they are read, chunk by chunk; XLSX is written to a temporary
file in write-only mode, then sent. The memory used does not grow with the number of rows."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from retex.backoffice.selectors_export import (
    COLUMN_NAMES,
    COLUMNS,
    export_count,
    export_rows,
    spreadsheet_row,
)
from retex.backoffice.services_export import testimonies_export_record
from retex.core import tabular
from retex.moderation.access import StaffContext, staff_view

FORMATS = ("csv", "xlsx", "json")
# Beyond this, the XLSX file takes minutes to write before its first byte leaves (measured:
# about 500 rows a second): the page suggests the CSV file, which streams at once.
XLSX_COMFORTABLE_ROWS = 20_000
# Column widths of the XLSX file, in characters; long texts wrap in their cell.
_WIDE = {"titre": 40, "initiative": 60, "difficultes": 60, "enseignements": 60}


@staff_view(organise=True)
def export(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    count = export_count(staff.consultation)
    return render(
        request,
        "backoffice/export.html",
        {
            "staff": staff,
            "count": count,
            "columns": COLUMNS,
            "xlsx_is_slow": count > XLSX_COMFORTABLE_ROWS,
        },
    )


@staff_view(organise=True)
def export_file(request: HttpRequest, staff: StaffContext, extension: str) -> HttpResponse:
    if extension not in FORMATS:
        raise Http404
    consultation = staff.consultation
    testimonies_export_record(
        consultation=consultation,
        organiser=request.user,
        file_format=extension,
        testimonies=export_count(consultation),
    )
    day = timezone.localdate().isoformat()
    filename = f"retex-{consultation.slug}-organisateurs-{day}.{extension}"
    rows = export_rows(consultation)
    if extension == "csv":
        chunks = tabular.csv_chunks(
            (spreadsheet_row(row) for row in rows),
            header=COLUMN_NAMES,
            delimiter=";",
            # Opened in a spreadsheet, text written by strangers must never run as a formula.
            formulas_as_text=True,
        )
        return tabular.attachment_response(
            chunks, filename=filename, content_type=tabular.CSV_CONTENT_TYPE
        )
    if extension == "json":
        metadata = {
            "consultation": consultation.slug,
            "titre": consultation.title,
            "exporte_le": timezone.now(),
            "donnees_personnelles": True,
        }
        chunks = tabular.json_chunks(
            (dict(zip(COLUMN_NAMES, row, strict=True)) for row in rows),
            metadata=metadata,
            key="temoignages",
        )
        return tabular.attachment_response(
            chunks, filename=filename, content_type=tabular.JSON_CONTENT_TYPE
        )
    sheets = [
        tabular.Sheet(
            "temoignages",
            COLUMN_NAMES,
            (spreadsheet_row(row) for row in rows),
            widths=[_WIDE.get(name, max(12, len(name) + 2)) for name in COLUMN_NAMES],
        ),
        tabular.Sheet(
            "colonnes",
            ["colonne", "description"],
            [[column.name, str(column.title)] for column in COLUMNS],
            widths=[30, 60],
        ),
    ]
    return tabular.attachment_response(
        tabular.xlsx_file(sheets), filename=filename, content_type=tabular.XLSX_CONTENT_TYPE
    )
