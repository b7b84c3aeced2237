"""kit/kit.xlsx: the Sign-in sheet, ticked, as the record of who was where.

The kit writes one row per expected attendee of each sign-in sheet, then blank rows
for walk-ins (:mod:`visitplan.kit.sign_in`).  A row counts as signed when its
signature column holds anything at all (a signature, a tick, an x, a date); a row
of a delegate left blank there means absent.  A blank row with a name written in
it is a walk-in: a delegate when the name is a delegate's, otherwise listed as a
walk-in who is no delegate.  Rows are read by position, as the kit lays them out;
the header's ``session_id`` and ``delegate_id`` columns tell that it is that sheet.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import load_workbook

from .records import Mark, Problem, Recorded, WalkIn, quote
from .values import BadValue, a_date, ident

SHEET = "Sign-in"
DATE, SESSIONS, DELEGATE, NAME, SIGNATURE = 2, 4, 7, 8, 11
"""1-based columns of the kit's Sign-in sheet (see kit.sign_in.table)."""
HEADERS = {SESSIONS: "session_id", DELEGATE: "delegate_id"}


def read(path: Path) -> Recorded:
    """Every row of the Sign-in sheet as marks (ticked or not) and walk-ins."""
    name = path.name
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        reason = f"not readable as a workbook: {quote(error)}"
        return Recorded(name, True, problems=(Problem(name, None, None, reason),))
    try:
        if SHEET not in workbook.sheetnames:
            problem = Problem(name, None, None, f"no sheet {SHEET!r}: is this the kit's kit.xlsx?")
            return Recorded(name, True, problems=(problem,))
        rows = [tuple(row) for row in workbook[SHEET].iter_rows(values_only=True)]
    finally:
        workbook.close()
    header = rows[0] if rows else ()
    wrong = [
        Problem(name, 1, column, f"the {SHEET} sheet's column {number} is not {column}")
        for number, column in HEADERS.items()
        if _cell(header, number) != column
    ]
    if wrong:
        return Recorded(name, True, problems=tuple(wrong))
    marks: list[Mark] = []
    walk_ins: list[WalkIn] = []
    problems: list[Problem] = []
    for number, row in enumerate(rows[1:], start=2):
        _row(name, number, row, marks, walk_ins, problems)
    return Recorded(name, True, tuple(marks), (), tuple(walk_ins), tuple(problems))


def _row(
    name: str,
    number: int,
    row: tuple,
    marks: list[Mark],
    walk_ins: list[WalkIn],
    problems: list[Problem],
) -> None:
    signed = _cell(row, SIGNATURE) != ""
    delegate, person = _cell(row, DELEGATE), _cell(row, NAME)
    if not (delegate or person or signed):
        return  # a walk-in row nobody used
    sessions = []
    for part in _cell(row, SESSIONS).split(";"):
        if part.strip():
            try:
                sessions.append(ident(part))
            except BadValue as error:
                problems.append(Problem(name, number, "session_id", str(error)))
    if not sessions:
        problems.append(Problem(name, number, "session_id", "missing"))
        return
    if delegate:
        try:
            delegate_id = ident(delegate)
        except BadValue as error:
            problems.append(Problem(name, number, "delegate_id", str(error)))
            return
        marks.extend(Mark(delegate_id, s, signed, name, number) for s in sessions)
        return
    try:
        on = a_date(row[DATE - 1]) if _cell(row, DATE) else None
    except BadValue:
        on = None
    walk_ins.append(WalkIn(person, tuple(sessions), on, name, number))


def _cell(row: tuple, column: int) -> str:
    """The cell's text, trimmed; '' for an empty or missing cell."""
    if len(row) < column or row[column - 1] is None:
        return ""
    return str(row[column - 1]).strip()
