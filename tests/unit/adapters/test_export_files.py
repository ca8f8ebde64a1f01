"""The export writers: what a spreadsheet program reads back."""

from __future__ import annotations

import csv
import io

from openpyxl import load_workbook

from adapters import export

HEADER = ("Namn", "Ort")
ROWS = [("Åsa Öberg", "Malmö"), ("'=1+1", 'a;b"c')]


def test_csv_is_utf8_with_bom_semicolons_and_quoting():
    data = b"".join(export.csv_chunks(HEADER, ROWS))
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == 'Namn;Ort\r\nÅsa Öberg;Malmö\r\n\'=1+1;"a;b""c"\r\n'
    assert list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";")) == [
        list(HEADER),
        *[list(r) for r in ROWS],
    ]


def test_a_large_csv_comes_in_several_chunks():
    rows = [(f"Namn {n}", "Ort") for n in range(20000)]
    chunks = list(export.csv_chunks(HEADER, rows))
    assert len(chunks) > 3
    assert all(len(c) < 2 * export.CHUNK for c in chunks)


def test_xlsx_cells_are_text_and_control_characters_are_dropped():
    file = export.xlsx_file(HEADER, [*ROWS, ("x\x01y", "=A1")], sheet_title="hemkit")
    data = b"".join(export.file_chunks(file))
    sheet = load_workbook(io.BytesIO(data))["hemkit"]
    assert [[c.value for c in row] for row in sheet.iter_rows()] == [
        ["Namn", "Ort"],
        ["Åsa Öberg", "Malmö"],
        ["'=1+1", 'a;b"c'],
        ["xy", "=A1"],
    ]
    # Even an un-neutralised "=A1" is stored as a string, never as a formula.
    assert all(c.data_type == "s" for row in sheet.iter_rows() for c in row)
