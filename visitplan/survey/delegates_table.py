"""The delegates table rewritten with new values in some cells, everything else kept.

In delegates.csv a record nobody answered keeps its line as written (quotes,
decimal commas, line breaks); an answered one is written again with the file's
separator and line ending.  In a workbook's ``delegates`` sheet only the
answered cells change, as text cells (never a formula).  A column the table
lacks (``interests``, ``must_attend``, ``needs``) is added at the end.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping
from pathlib import Path

from openpyxl import load_workbook

from visitplan.export.cells import text

Updates = Mapping[str, Mapping[str, str]]
"""New cell values by delegate id (case folded), then by column name."""

SHEET = "delegates"


def csv_bytes(data: bytes, updates: Updates) -> bytes:
    """delegates.csv's bytes with ``updates`` in."""
    bom = data.startswith(b"\xef\xbb\xbf")
    content = data.decode("utf-8-sig")
    lines = io.StringIO(content, newline="").readlines()
    header_line = next((n for n, line in enumerate(lines) if line.strip()), None)
    if header_line is None:
        return data
    first = lines[header_line]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    ending = "\r\n" if first.endswith("\r\n") else "\n"
    reader = csv.reader(lines, delimiter=delimiter)
    records: list[tuple[int, int, list[str]]] = []  # first line, end line, cells
    end = 0
    for cells in reader:
        start, end = end, reader.line_num
        records.append((start, end, cells))
    header_index = next(
        i for i, (_, _, cells) in enumerate(records) if any(c.strip() for c in cells)
    )
    names = [cell.strip().casefold() for cell in records[header_index][2]]
    wanted = {column for values in updates.values() for column in values}
    added = sorted(column for column in wanted if column not in names)
    out: list[str] = lines[: records[header_index][0]]
    header_cells = records[header_index][2] + added
    out.append(
        _line(header_cells, delimiter, ending)
        if added
        else "".join(lines[records[header_index][0] : records[header_index][1]])
    )
    names += added
    id_column = names.index("id") if "id" in names else None
    for start, stop, cells in records[header_index + 1 :]:
        key = (
            cells[id_column].strip().casefold()
            if id_column is not None and id_column < len(cells)
            else ""
        )
        values = updates.get(key) if key else None
        if not values:
            out.append("".join(lines[start:stop]))
            continue
        cells = cells + [""] * (len(names) - len(cells))
        for column, value in values.items():
            cells[names.index(column)] = value
        last = lines[stop - 1]
        out.append(_line(cells, delimiter, "\r\n" if last.endswith("\r\n") else ending))
    text_out = "".join(out)
    return (b"\xef\xbb\xbf" if bom else b"") + text_out.encode("utf-8")


def _line(cells: list[str], delimiter: str, ending: str) -> str:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, delimiter=delimiter, lineterminator=ending).writerow(cells)
    return buffer.getvalue()


def workbook_bytes(path: Path, updates: Updates) -> bytes:
    """The workbook at ``path`` with ``updates`` in its ``delegates`` sheet."""
    book = load_workbook(path)
    sheet = next(ws for ws in book.worksheets if ws.title.strip().casefold() == SHEET)
    header_row = next(
        row[0].row for row in sheet.iter_rows() if any(c.value not in (None, "") for c in row)
    )
    names = {
        str(cell.value).strip().casefold(): cell.column
        for cell in sheet[header_row]
        if cell.value not in (None, "")
    }
    for column in sorted({c for values in updates.values() for c in values} - set(names)):
        names[column] = max(names.values()) + 1
        text(sheet.cell(header_row, names[column]), column)
    id_column = names.get("id")
    for row in range(header_row + 1, sheet.max_row + 1):
        raw = sheet.cell(row, id_column).value if id_column else None
        values = updates.get(str(raw).strip().casefold()) if raw is not None else None
        for column, value in (values or {}).items():
            text(sheet.cell(row, names[column]), value)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
