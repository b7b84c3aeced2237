"""One delegate's evaluation form: a workbook in the visit's ``language``.

It lists exactly the sessions the delegate attended in the plan (date, time, title,
host), each with a rating cell (data validation: a whole number from 1 to 5) and a
comment cell, then the questions on the whole visit.  The hidden, protected column
:data:`ID_COLUMN` carries ``delegate:<id>``, ``visit:<id>``, ``session:<id>`` and
``question:<id>`` beside the cells they name, so reading a form back
(:mod:`.reading`) never depends on a translated label.  Text from the input is
always a text cell, never a formula; answer cells are formatted as text (comments)
or whole numbers (ratings), so what a person types into a comment stays text.
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from visitplan.export.cells import TEXT_FORMAT, text
from visitplan.export.words import Words
from visitplan.text import one_line
from visitplan.views import Views

from .attendance import attended
from .questions import HIGHEST, LOWEST, QUESTIONS

DATE_COLUMN, TIME_COLUMN, TITLE_COLUMN, HOST_COLUMN = 1, 2, 3, 4
RATING_COLUMN, COMMENT_COLUMN, ID_COLUMN = 5, 6, 7
WIDTHS = (30, 13, 52, 30, 14, 52)
HEADER_ROW = 6
"""The row of the sessions' column labels; the sessions follow it."""

DELEGATE, VISIT, SESSION, QUESTION = "delegate", "visit", "session", "question"
"""The kinds of id the hidden column carries, as ``kind:id``."""

HEADER_FILL = PatternFill(fill_type="solid", start_color="FFD9D9D9", end_color="FFD9D9D9")
ANSWER_FILL = PatternFill(fill_type="solid", start_color="FFFFF8DC", end_color="FFFFF8DC")
OPEN = Protection(locked=False)


def file_name(delegate_id: str) -> str:
    """The form's file: the delegate id, which the visit format keeps file-safe."""
    return f"{delegate_id}.xlsx"


def build(views: Views, delegate_id: str) -> Workbook:
    """The form of ``delegate_id``."""
    visit = views.visit
    words = Words(visit.language)
    delegate = visit.delegate(delegate_id)
    workbook = Workbook()
    ws = workbook.active
    ws.title = words("evaluation")[:31]
    workbook.properties.title = one_line(f"{words('evaluation_form')}: {visit.title}")

    _mark(ws, 1, DELEGATE, delegate_id)
    _mark(ws, 2, VISIT, visit.id)
    text(ws.cell(1, 1), f"{words('evaluation_form')}: {one_line(visit.title)}").font = Font(
        bold=True, size=14
    )
    who = ", ".join(x for x in (one_line(delegate.name), one_line(delegate.organisation)) if x)
    text(ws.cell(2, 1), who).font = Font(bold=True)
    text(ws.cell(3, 1), words.span(visit.first_day, visit.last_day))
    _note(ws, 4, words("evaluation_intro"))

    header = (
        words("date"),
        words("time"),
        words("session"),
        words("host"),
        words("evaluation_rating"),
        words("evaluation_comment"),
    )
    _header(ws, HEADER_ROW, header)
    validation = DataValidation(
        type="whole",
        operator="between",
        formula1=str(LOWEST),
        formula2=str(HIGHEST),
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=words("evaluation_rating"),
        error=words("evaluation_invalid_rating"),
    )
    ws.add_data_validation(validation)
    row = HEADER_ROW
    for session in attended(views, delegate_id):
        row += 1
        _mark(ws, row, SESSION, session.session_id)
        text(ws.cell(row, DATE_COLUMN), words.day(session.date))
        text(ws.cell(row, TIME_COLUMN), f"{session.start:%H:%M}–{session.end:%H:%M}")
        text(ws.cell(row, TITLE_COLUMN), one_line(session.title))
        text(ws.cell(row, HOST_COLUMN), one_line(session.host_name))
        validation.add(_rating_cell(ws, row).coordinate)
        _comment_cell(ws, row, COMMENT_COLUMN)
        for column in range(1, COMMENT_COLUMN + 1):
            ws.cell(row, column).alignment = Alignment(wrap_text=True, vertical="top")

    row += 2
    text(ws.cell(row, 1), words("evaluation_whole_visit")).font = Font(bold=True, size=12)
    row += 1
    _header(ws, row, (words("evaluation_question"), "", "", "", words("evaluation_answer"), ""))
    for question in QUESTIONS:
        row += 1
        _mark(ws, row, QUESTION, question.id)
        text(ws.cell(row, 1), question.text(words)).alignment = Alignment(
            wrap_text=True, vertical="top"
        )
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=HOST_COLUMN)
        if question.rated:
            validation.add(_rating_cell(ws, row).coordinate)
        else:
            _comment_cell(ws, row, RATING_COLUMN)
            ws.merge_cells(
                start_row=row, start_column=RATING_COLUMN, end_row=row, end_column=COMMENT_COLUMN
            )
            ws.row_dimensions[row].height = 60

    for column, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.column_dimensions[get_column_letter(ID_COLUMN)].hidden = True
    ws.protection.sheet = True  # the ids and labels stay as written; answer cells are open
    ws.freeze_panes = ws.cell(HEADER_ROW + 1, 1)
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    return workbook


def _mark(ws: Worksheet, row: int, kind: str, value: str) -> None:
    text(ws.cell(row, ID_COLUMN), f"{kind}:{value}")


def _note(ws: Worksheet, row: int, words: str) -> None:
    text(ws.cell(row, 1), words).alignment = Alignment(wrap_text=True, vertical="top")
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=COMMENT_COLUMN)
    ws.row_dimensions[row].height = 32


def _header(ws: Worksheet, row: int, labels: tuple[str, ...]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = text(ws.cell(row, column), label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL


def _rating_cell(ws: Worksheet, row: int):
    cell = ws.cell(row, RATING_COLUMN)
    cell.protection = OPEN
    cell.fill = ANSWER_FILL
    cell.number_format = "0"
    cell.alignment = Alignment(horizontal="center", vertical="top")
    return cell


def _comment_cell(ws: Worksheet, row: int, column: int) -> None:
    cell = ws.cell(row, column)
    cell.protection = OPEN
    cell.fill = ANSWER_FILL
    cell.number_format = TEXT_FORMAT  # typed text stays text, even "=..."
    cell.alignment = Alignment(wrap_text=True, vertical="top")
