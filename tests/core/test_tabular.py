"""The table writers shared by the exports: CSV and JSON streamed, XLSX through a file."""

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta
from datetime import timezone as dt_timezone

import pytest
from django.http import FileResponse, StreamingHttpResponse
from openpyxl import load_workbook

from retex.core import tabular


def _csv(chunks) -> list[list[str]]:
    text = b"".join(chunks).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def test_csv_starts_with_a_bom_for_excel_and_reads_back_as_written():
    rows = [[1, "Beauvais", "marché ; place des Halles", None, date(2020, 3, 23), True]]
    chunks = list(
        tabular.csv_chunks(
            rows, header=["id", "nom", "texte", "vide", "jour", "oui"], delimiter=";"
        )
    )
    assert chunks[0].startswith("\ufeff".encode())
    assert _csv(chunks) == [
        ["id", "nom", "texte", "vide", "jour", "oui"],
        ["1", "Beauvais", "marché ; place des Halles", "", "2020-03-23", "true"],
    ]


def test_csv_without_bom_and_with_the_rfc_comma():
    data = b"".join(tabular.csv_chunks([["a,b", 'dit "oui"']], header=["x", "y"], bom=False))
    assert data == b'x,y\r\n"a,b","dit ""oui"""\r\n'


def test_csv_streams_a_chunk_every_few_hundred_rows():
    rows = ([index, "ligne"] for index in range(1000))
    chunks = list(tabular.csv_chunks(rows, header=["n", "texte"]))
    assert len(chunks) == 1000 // tabular.ROWS_PER_CHUNK
    assert len(_csv_comma(chunks)) == 1001


def _csv_comma(chunks) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(chunks).decode("utf-8-sig"), newline="")))


def test_csv_of_no_row_is_its_header():
    assert b"".join(tabular.csv_chunks([], header=["a", "b"], bom=False)) == b"a,b\r\n"


def test_formulas_are_kept_as_text_for_spreadsheets_when_asked():
    rows = [['=HYPERLINK("http://x")', "+33 1 23", "-1", "@SUM(A1)", "normal"]]
    cells = _csv_comma(tabular.csv_chunks(rows, header=list("abcde"), formulas_as_text=True))[1]
    assert cells == ['\'=HYPERLINK("http://x")', "'+33 1 23", "'-1", "'@SUM(A1)", "normal"]
    raw = _csv_comma(tabular.csv_chunks(rows, header=list("abcde")))[1]
    assert raw[0] == '=HYPERLINK("http://x")'


def test_date_times_are_written_in_local_time(settings):
    settings.TIME_ZONE = "Europe/Paris"
    moment = datetime(2021, 1, 12, 13, 5, 9, tzinfo=UTC)
    assert tabular.cell_text(moment) == "2021-01-12 14:05:09"


def test_json_array_and_document_with_metadata():
    items = [{"n": index, "jour": date(2021, 3, 20)} for index in range(450)]
    array = json.loads(b"".join(tabular.json_chunks(iter(items))))
    assert array[449] == {"n": 449, "jour": "2021-03-20"}
    document = json.loads(
        b"".join(tabular.json_chunks(iter(items), metadata={"titre": "Crise"}, key="temoignages"))
    )
    assert document["titre"] == "Crise"
    assert len(document["temoignages"]) == 450
    assert json.loads(b"".join(tabular.json_chunks([]))) == []
    empty = json.loads(b"".join(tabular.json_chunks([], metadata={"a": 1}, key="rows")))
    assert empty == {"a": 1, "rows": []}


def test_json_keeps_accents_and_offsets():
    moment = datetime(2021, 1, 12, 13, 5, tzinfo=dt_timezone(timedelta(hours=1)))
    data = b"".join(tabular.json_chunks([{"nom": "Sète", "le": moment}]))
    assert "Sète".encode() in data
    assert json.loads(data)[0]["le"] == "2021-01-12T13:05:00+01:00"


def test_xlsx_file_has_its_sheets_text_kept_as_text_and_local_dates():
    sheets = [
        tabular.Sheet(
            "temoignages",
            ["titre", "liste", "quand", "formule"],
            (
                [
                    "Marché\x07 en ligne",
                    ["a", "b"],
                    datetime(2021, 1, 12, 13, 5, tzinfo=UTC),
                    "=1+1",
                ]
                for _ in range(3)
            ),
            widths=[40, 20, 20, 20],
        ),
        tabular.Sheet("colonnes", ["colonne"], [["titre"]]),
    ]
    with tabular.xlsx_file(sheets) as output:
        workbook = load_workbook(output, read_only=True)
        assert workbook.sheetnames == ["temoignages", "colonnes"]
        rows = list(workbook["temoignages"].iter_rows(values_only=True))
        formula_cell = next(workbook["temoignages"].iter_rows(min_row=2, max_row=2))[3]
        assert formula_cell.data_type == "s"  # text, not a formula
    assert rows[0] == ("titre", "liste", "quand", "formule")
    assert len(rows) == 4
    title, listed, when, formula = rows[1]
    assert title == "Marché en ligne"  # the control character is gone
    assert listed == "a | b"
    assert when == datetime(2021, 1, 12, 14, 5)  # Paris time, without a time zone
    assert formula == "=1+1"


@pytest.mark.django_db  # closing a response ends the request: Django closes old connections
def test_attachment_response_streams_chunks_and_sends_files():
    streamed = tabular.attachment_response(
        iter([b"a", b"b"]), filename="x.csv", content_type=tabular.CSV_CONTENT_TYPE
    )
    assert isinstance(streamed, StreamingHttpResponse)
    assert streamed["Content-Disposition"] == 'attachment; filename="x.csv"'
    assert b"".join(streamed.streaming_content) == b"ab"
    sent = tabular.attachment_response(
        io.BytesIO(b"zip"), filename="x.xlsx", content_type=tabular.XLSX_CONTENT_TYPE
    )
    assert isinstance(sent, FileResponse)
    assert b"".join(sent.streaming_content) == b"zip"
    sent.close()
