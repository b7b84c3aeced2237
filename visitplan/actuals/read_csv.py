"""actual.csv: the exceptions to the plan, one row per delegate and session or journey.

Columns ``delegate_id, session_id, present, travel_out, travel_home`` (and an
optional ``note``, kept by the organiser, never read).  A row names a session with
``present`` yes or no, or carries only travel dates with an empty session_id, or
both.  The file lists what differed (and what the organiser wants to confirm): a
planned session it does not name was attended as planned.  The table reads as the
visit's tables do: UTF-8 with or without a BOM, comma- or semicolon-separated (told
apart by the header line), blank lines skipped, a row named by the physical line
where it starts.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from .records import Mark, Problem, Recorded, TravelChange, quote
from .values import BadValue, a_date, ident, yes_no

COLUMNS = ("delegate_id", "session_id", "present", "travel_out", "travel_home", "note")
REQUIRED = ("delegate_id",)


def read(path: Path) -> Recorded:
    """Every row of ``path`` as marks and travel changes, with every problem found."""
    name = path.name
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = path.read_bytes().count(b"\n", 0, error.start) + 1
        return Recorded(name, False, problems=(Problem(name, line, None, "not UTF-8 text"),))
    rows = _rows(name, content)
    if isinstance(rows, Problem):
        return Recorded(name, False, problems=(rows,))
    if not rows:
        return Recorded(name, False, problems=(Problem(name, None, None, "no header line"),))
    (_, header), *records = rows
    columns = [cell.strip().casefold() for cell in header]
    problems = [
        Problem(name, 1, quote(column), f"unknown column (the columns are {', '.join(COLUMNS)})")
        for column in columns
        if column and column not in COLUMNS
    ]
    problems += [
        Problem(name, 1, column, "missing column") for column in REQUIRED if column not in columns
    ]
    if problems:
        return Recorded(name, False, problems=tuple(problems))
    marks: list[Mark] = []
    travel: list[TravelChange] = []
    for line, cells in records:
        values = {c: cells[i].strip() for i, c in enumerate(columns) if c and i < len(cells)}
        if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
            problems.append(Problem(name, line, None, "more cells than the header has columns"))
        row = _row(name, line, values, problems)
        if row is not None:
            mark, change = row
            marks += [mark] if mark is not None else []
            travel += [change] if change is not None else []
    return Recorded(name, False, tuple(marks), tuple(travel), problems=tuple(problems))


def _rows(name: str, content: str) -> list[tuple[int, list[str]]] | Problem:
    """Non-blank records with the physical line each starts on."""
    header = next((line for line in content.splitlines() if line.strip()), "")
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    rows = []
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            if any(cell.strip() for cell in cells):
                rows.append((start, cells))
    except csv.Error as error:
        return Problem(name, reader.line_num, None, f"not readable as CSV: {error}")
    return rows


def _row(
    name: str, line: int, values: dict[str, str], problems: list[Problem]
) -> tuple[Mark | None, TravelChange | None] | None:
    """The row's mark and travel change, or None after noting what is wrong with it."""
    found = len(problems)

    def parsed(column: str, parse):
        raw = values.get(column, "")
        if not raw:
            return None
        try:
            return parse(raw)
        except BadValue as error:
            problems.append(Problem(name, line, column, str(error)))
            return None

    delegate_id = parsed("delegate_id", ident)
    if not values.get("delegate_id"):
        problems.append(Problem(name, line, "delegate_id", "missing"))
    session_id = parsed("session_id", ident)
    present = parsed("present", yes_no)
    travel_out, travel_home = parsed("travel_out", a_date), parsed("travel_home", a_date)
    if values.get("session_id") and not values.get("present"):
        problems.append(Problem(name, line, "present", "missing: write yes or no"))
    if values.get("present") and not values.get("session_id"):
        problems.append(Problem(name, line, "present", "given without a session_id"))
    if not any(values.get(c) for c in ("session_id", "travel_out", "travel_home")):
        problems.append(
            Problem(name, line, None, "nothing recorded: give a session_id or travel dates")
        )
    if len(problems) > found or delegate_id is None:
        return None
    mark = None if session_id is None else Mark(delegate_id, session_id, bool(present), name, line)
    change = None
    if travel_out is not None or travel_home is not None:
        change = TravelChange(delegate_id, travel_out, travel_home, name, line)
    return mark, change
