"""A delegate's questionnaire workbook, written and read back.

Three sheets in the visit's language (topics with a 0–10 interest each, the
sessions a delegate may insist on, needs and diet) and a very hidden,
protected sheet ``_survey`` mapping each answer cell to its question by id:
reading back never depends on a translated label or a sheet's layout.  The
sheets are protected without a password: only the answer cells are open, so
rows cannot be inserted under the map.  Every text from the input is a text
cell (:mod:`visitplan.export.cells`), never a formula.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from visitplan.export.cells import save, text
from visitplan.export.words import Words
from visitplan.model import DIET_NEEDS, Delegate, Visit

from .answers import Answer, Given, problem, quoted
from .questions import (
    DELEGATE_ID,
    DIET,
    NEEDS,
    Question,
    choice_sessions,
    diet_text,
    interest_label,
    must_attend_label,
    other_needs_text,
    topics,
)

MAP_SHEET = "_survey"
MAP_HEADER = ("question", "key", "sheet", "cell")
OPEN = Protection(locked=False)
BOLD = Font(bold=True)
WRAP = Alignment(wrap_text=True, vertical="top")
_SAFE = re.compile(r"[A-Za-z0-9_-]")


def file_name(delegate_id: str) -> str:
    """``survey-<id>.xlsx``: the prefix keeps Windows' reserved names (``con``, ``nul``)
    out; any character outside ``[A-Za-z0-9_-]`` (a visit built in code) is spelt out."""
    safe = "".join(c if _SAFE.fullmatch(c) else f"~{ord(c):x}" for c in delegate_id)
    return f"survey-{safe}.xlsx"


def write(visit: Visit, delegate: Delegate, path: Path, moment: datetime) -> None:
    """Write ``delegate``'s questionnaire, pre-filled with what the visit holds now."""
    words = Words(visit.language)
    book = Workbook()
    book.remove(book.active)
    cells: list[tuple[str, str, str, str]] = [(DELEGATE_ID, delegate.id, "", "")]
    cells += _topics_sheet(book, visit, delegate, words)
    cells += _sessions_sheet(book, visit, delegate, words)
    cells += _needs_sheet(book, visit, delegate, words)
    _map_sheet(book, cells)
    book.properties.title = f"{words('survey_title')}: {delegate.name}"
    save(book, path, moment)


def _heading(ws: Worksheet, visit: Visit, delegate: Delegate, words: Words, help_key: str) -> None:
    text(ws.cell(1, 1), f"{words('survey_title')}: {visit.title}").font = Font(bold=True, size=14)
    text(ws.cell(2, 1), f"{words('survey_delegate')}: {delegate.name} ({delegate.id})")
    text(ws.cell(3, 1), words(help_key))


def _header(ws: Worksheet, row: int, labels: tuple[str, ...], widths: tuple[int, ...]) -> None:
    for column, (label, width) in enumerate(zip(labels, widths, strict=True), start=1):
        text(ws.cell(row, column), label).font = BOLD
        ws.column_dimensions[get_column_letter(column)].width = width


def _protect(ws: Worksheet) -> None:
    ws.protection.sheet = True
    ws.protection.formatCells = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False


def _topics_sheet(book: Workbook, visit: Visit, delegate: Delegate, words: Words):
    ws = book.create_sheet(words("survey_topics_sheet"))
    _heading(ws, visit, delegate, words, "survey_interest_help")
    labels = (
        words("survey_topic"),
        words("survey_interest"),
        words("session"),
        words("host"),
        words("survey_about"),
    )
    _header(ws, 5, labels, (28, 14, 50, 30, 60))
    check = DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="10",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=words("survey_interest"),
        error=words("survey_whole_0_10"),
        showInputMessage=True,
        promptTitle=words("survey_interest"),
        prompt=words("survey_interest_help"),
    )
    ws.add_data_validation(check)
    cells = []
    row = 6
    for topic in topics(visit):
        text(ws.cell(row, 1), topic.name).font = BOLD
        answer = ws.cell(row, 2)
        answer.value = delegate.weight(topic.name) or None
        answer.protection = OPEN
        check.add(answer.coordinate)
        cells.append(("interest", topic.name, ws.title, answer.coordinate))
        for session in topic.sessions:
            _session_cells(ws, row, 3, visit, session)
            row += 1
    _protect(ws)
    ws.freeze_panes = "A6"
    return cells


def _session_cells(ws: Worksheet, row: int, column: int, visit: Visit, session) -> None:
    first_line = next(iter(session.description.splitlines()), "")
    text(ws.cell(row, column), session.title).alignment = WRAP
    text(ws.cell(row, column + 1), visit.place_name(session.host_id)).alignment = WRAP
    text(ws.cell(row, column + 2), first_line).alignment = WRAP


def _sessions_sheet(book: Workbook, visit: Visit, delegate: Delegate, words: Words):
    ws = book.create_sheet(words("survey_sessions_sheet"))
    _heading(ws, visit, delegate, words, "survey_must_attend_help")
    labels = (words("survey_must_attend"), words("session"), words("host"), words("survey_about"))
    _header(ws, 5, labels, (18, 50, 30, 60))
    yes = words("survey_yes")
    check = DataValidation(
        type="list",
        formula1=f'"{yes}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=words("survey_must_attend"),
        error=words("survey_yes_or_blank", yes=yes),
        showInputMessage=True,
        promptTitle=words("survey_must_attend"),
        prompt=words("survey_yes_or_blank", yes=yes),
    )
    ws.add_data_validation(check)
    cells = []
    for row, session in enumerate(choice_sessions(visit), start=6):
        answer = ws.cell(row, 1)
        if session.id in delegate.must_attend:
            text(answer, yes)
        answer.protection = OPEN
        check.add(answer.coordinate)
        _session_cells(ws, row, 2, visit, session)
        cells.append(("must_attend", session.id, ws.title, answer.coordinate))
    _protect(ws)
    ws.freeze_panes = "A6"
    return cells


def _needs_sheet(book: Workbook, visit: Visit, delegate: Delegate, words: Words):
    ws = book.create_sheet(words("survey_needs_sheet"))
    _heading(ws, visit, delegate, words, "survey_needs_help")
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["B"].width = 70
    codes = ", ".join(code.replace("_", "-") for code in DIET_NEEDS)
    cells = []
    for row, (key, label, value) in enumerate(
        (
            (DIET, words("survey_diet"), diet_text(delegate)),
            (NEEDS, words("survey_needs"), other_needs_text(delegate)),
        ),
        start=5,
    ):
        text(ws.cell(row, 1), label).font = BOLD
        answer = ws.cell(row, 2)
        if value:
            text(answer, value)
        else:
            answer.number_format = "@"
        answer.alignment = WRAP
        answer.protection = OPEN
        cells.append((key, "", ws.title, answer.coordinate))
    text(ws.cell(8, 1), words("survey_diet_examples", codes=codes)).alignment = WRAP
    ws.merge_cells("A8:B8")
    _protect(ws)
    return cells


def _map_sheet(book: Workbook, cells: list[tuple[str, str, str, str]]) -> None:
    ws = book.create_sheet(MAP_SHEET)
    for column, label in enumerate(MAP_HEADER, start=1):
        text(ws.cell(1, column), label)
    for row, values in enumerate(cells, start=2):
        for column, value in enumerate(values, start=1):
            text(ws.cell(row, column), value)
    ws.sheet_state = "veryHidden"
    _protect(ws)


# -- reading back --------------------------------------------------------------------------


def is_survey(book: Any) -> bool:
    return MAP_SHEET in book.sheetnames


def read(book: Any, shown: str) -> tuple[list[Answer], list]:
    """The answer of a questionnaire workbook opened with openpyxl (formulas as
    typed: a cell holding ``=HYPERLINK(...)`` is read as that text)."""
    mapping = book[MAP_SHEET]
    delegate: Given | None = None
    given: list[Given] = []
    problems = []
    for number, row in enumerate(mapping.iter_rows(min_row=2, values_only=True), start=2):
        kind, key, sheet, cell = (str(value or "") for value in (tuple(row) + (None,) * 4)[:4])
        if kind == DELEGATE_ID:
            delegate = Given(Question(kind), key, f"{shown}[{MAP_SHEET}]", number, DELEGATE_ID)
            continue
        if sheet not in book.sheetnames:
            problems.append(problem(shown, None, None, f"sheet {quoted(sheet)} is missing"))
            continue
        ws = book[sheet]
        target = ws[cell]
        label = {
            "interest": interest_label(key),
            "must_attend": must_attend_label(key),
        }.get(kind, kind)
        given.append(
            Given(Question(kind, key), target.value, f"{shown}[{sheet}]", target.row, label)
        )
    if delegate is None:
        problems.append(problem(shown, None, None, f"the sheet {MAP_SHEET} names no delegate"))
    if problems:
        return [], problems
    return [Answer(delegate, tuple(given))], []


def open_book(path: Path):
    """The workbook with formulas as typed (never a cached value that hides them)."""
    return load_workbook(path, data_only=False)
