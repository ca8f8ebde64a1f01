"""Writing exports: CSV and Excel (.xlsx) files of rows that are already neutralised against
formulas (domain.dispatch.neutralised), produced piece by piece so that a large export is
sent while it is written.

- CSV: UTF-8 with a byte-order mark (so Excel reads å, ä and ö), `;` between fields (what
  Excel expects in a Swedish locale), CRLF line ends, quoted where needed.
- Excel: openpyxl in write-only mode (rows go to disk as they come, not into a workbook in
  memory), every cell written as text so that nothing can become a formula; the file is
  spooled to disk beyond a megabyte and read back in chunks."""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
BOM = "\ufeff".encode()
CHUNK = 64 * 1024


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[str]]) -> Iterator[bytes]:
    """The CSV file in chunks of about CHUNK bytes."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    yield BOM
    for row in rows:
        writer.writerow(row)
        if buffer.tell() >= CHUNK:
            yield buffer.getvalue().encode()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode()


def xlsx_file(
    header: Sequence[str], rows: Iterable[Sequence[str]], *, sheet_title: str
) -> IO[bytes]:
    """The workbook, written row by row, in a temporary file positioned at its start."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title)

    def text_cells(values: Sequence[str]) -> list[WriteOnlyCell]:
        cells = []
        for value in values:
            # Characters XML cannot carry (control characters) are dropped, not refused.
            cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
            cell.data_type = "s"
            cells.append(cell)
        return cells

    sheet.append(text_cells(header))
    for row in rows:
        sheet.append(text_cells(row))
    spooled = tempfile.SpooledTemporaryFile(max_size=1024 * 1024)  # noqa: SIM115
    workbook.save(spooled)
    spooled.seek(0)
    return spooled


def file_chunks(file: IO[bytes]) -> Iterator[bytes]:
    """The file's content in chunks; closes it at the end."""
    try:
        while chunk := file.read(CHUNK):
            yield chunk
    finally:
        file.close()
