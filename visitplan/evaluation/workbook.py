"""evaluation.xlsx: the organiser's figures of the evaluation, with Excel's own charts.

Sheets ``Sessions`` and ``Hosts`` (responses, mean and the distribution of 1..5 per
session and per host, each with a bar chart of the means and a stacked bar chart of
the distribution, drawn from those cells), ``Visit`` (the questions on the whole
visit), ``Comments`` (every comment with its session and delegate), ``Forms`` (who
returned a form) and ``Answers`` (every rating as given).  Labels are in the visit's
``language``; text from the input is always a text cell, never a formula.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from visitplan.export.cells import save, text
from visitplan.export.words import Words
from visitplan.text import one_line
from visitplan.views import Views

from .attendance import recipients
from .questions import SCALE
from .summary import Figures, Summary

FILE = "evaluation.xlsx"
HEADER_FILL = PatternFill(fill_type="solid", start_color="FFD9D9D9", end_color="FFD9D9D9")
MEAN_FORMAT = "0.00"


def build(views: Views, summary: Summary) -> Workbook:
    words = Words(views.visit.language)
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.properties.title = one_line(f"{words('evaluation')}: {views.visit.title}")
    _sessions(workbook, summary, words)
    _hosts(workbook, summary, words)
    _visit(workbook, summary, words)
    _comments(workbook, views, summary, words)
    _forms(workbook, views, summary, words)
    _answers(workbook, summary)
    return workbook


def write(views: Views, summary: Summary, path: Path, moment: datetime) -> Path:
    """Write the workbook to ``path`` (through a temporary file)."""
    return save(build(views, summary), path, moment)


def _sheet(workbook: Workbook, title: str, header: tuple[str, ...], widths: tuple[float, ...]):
    ws = workbook.create_sheet(title)
    for column, label in enumerate(header, start=1):
        cell = text(ws.cell(1, column), label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    ws.freeze_panes = "A2"
    return ws


def _row(ws: Worksheet, row: int, values: tuple[object, ...]) -> None:
    """Whole numbers and means as numbers, everything else as text cells."""
    for column, value in enumerate(values, start=1):
        cell = ws.cell(row, column)
        if value is None or value == "":
            continue
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            cell.value = value
            if isinstance(value, float):
                cell.number_format = MEAN_FORMAT
        else:
            text(cell, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _figures(figures: Figures) -> tuple[object, ...]:
    return (figures.responses, figures.mean, *figures.counts)


def _sessions(workbook: Workbook, summary: Summary, words: Words) -> None:
    header = (
        "session_id",
        words("date"),
        words("time"),
        words("session"),
        words("host"),
        words("evaluation_responses"),
        words("evaluation_mean"),
        *map(str, SCALE),
    )
    ws = _sheet(workbook, "Sessions", header, (14, 12, 12, 48, 28, 10, 10, 6, 6, 6, 6, 6))
    for row, s in enumerate(summary.sessions, start=2):
        time_span = f"{s.start:%H:%M}–{s.end:%H:%M}"
        title = one_line(s.title)
        values = (s.session_id, s.date.isoformat(), time_span, title, one_line(s.host_name))
        _row(ws, row, (*values, *_figures(s.figures)))
    _charts(ws, len(summary.sessions), label_column=4, first_figure=6, words=words, key="session")


def _hosts(workbook: Workbook, summary: Summary, words: Words) -> None:
    header = (
        "host_id",
        words("host"),
        words("sessions"),
        words("evaluation_responses"),
        words("evaluation_mean"),
        *map(str, SCALE),
    )
    ws = _sheet(workbook, "Hosts", header, (14, 36, 10, 10, 10, 6, 6, 6, 6, 6))
    for row, h in enumerate(summary.hosts, start=2):
        _row(ws, row, (h.host_id, one_line(h.name), h.sessions, *_figures(h.figures)))
    _charts(ws, len(summary.hosts), label_column=2, first_figure=4, words=words, key="host")


def _charts(
    ws: Worksheet, rows: int, *, label_column: int, first_figure: int, words: Words, key: str
) -> None:
    """A bar chart of the means and a stacked one of the distribution, beside the table.

    ``first_figure`` is the column of responses; the mean and the counts of 1..5 follow."""
    if rows == 0:
        return
    labels = Reference(ws, min_col=label_column, min_row=2, max_row=rows + 1)
    title = words(f"evaluation_by_{key}")
    height = max(7.5, 0.8 * rows + 3)

    means = BarChart()
    means.type = "bar"
    means.title = f"{title}: {words('evaluation_mean')}"
    means.add_data(
        Reference(ws, min_col=first_figure + 1, min_row=1, max_row=rows + 1), titles_from_data=True
    )
    means.set_categories(labels)
    means.y_axis.scaling.min = 0
    means.y_axis.scaling.max = SCALE[-1]
    means.legend = None
    means.height, means.width = height, 18
    counts = BarChart()
    counts.type = "bar"
    counts.grouping = "stacked"
    counts.overlap = 100
    counts.title = title
    counts.add_data(
        Reference(
            ws,
            min_col=first_figure + 2,
            max_col=first_figure + 1 + len(SCALE),
            min_row=1,
            max_row=rows + 1,
        ),
        titles_from_data=True,
    )
    counts.set_categories(labels)
    counts.height, counts.width = height, 18
    for chart in (means, counts):
        chart.x_axis.delete = False
        chart.y_axis.delete = False
    anchor = get_column_letter(first_figure + 2 + len(SCALE))
    ws.add_chart(means, f"{anchor}2")
    ws.add_chart(counts, f"{anchor}{2 + int(height * 2) + 2}")


def _visit(workbook: Workbook, summary: Summary, words: Words) -> None:
    header = (
        "question_id",
        words("evaluation_question"),
        words("evaluation_responses"),
        words("evaluation_mean"),
        *map(str, SCALE),
    )
    ws = _sheet(workbook, "Visit", header, (14, 52, 10, 10, 6, 6, 6, 6, 6))
    for row, q in enumerate(summary.questions, start=2):
        figures = _figures(q.figures) if q.rated else (q.figures.responses,)
        _row(ws, row, (q.id, q.text, *figures))


def _comments(workbook: Workbook, views: Views, summary: Summary, words: Words) -> None:
    header = (
        "session_id",
        f"{words('session')} / {words('evaluation_question')}",
        "delegate_id",
        words("name"),
        words("evaluation_comment"),
    )
    ws = _sheet(workbook, "Comments", header, (14, 40, 12, 26, 70))
    titles = {s.session_id: s.title for s in summary.sessions}
    questions = {q.id: q.text for q in summary.questions}
    for row, c in enumerate(summary.comments, start=2):
        about = titles[c.session_id] if c.session_id else questions.get(c.question_id or "", "")
        _row(
            ws,
            row,
            (
                c.session_id or "",
                one_line(about),
                c.delegate_id,
                _name(views, c.delegate_id),
                c.text,
            ),
        )


def _forms(workbook: Workbook, views: Views, summary: Summary, words: Words) -> None:
    header = (
        "delegate_id",
        words("name"),
        words("organisation"),
        words("evaluation_returned_from"),
    )
    ws = _sheet(workbook, "Forms", header, (12, 28, 36, 40))
    returned = {r.delegate_id: r.source for r in summary.responses}
    for row, delegate_id in enumerate(recipients(views), start=2):
        delegate = views.visit.delegate(delegate_id)
        source = returned.get(delegate_id, "")
        _row(
            ws, row, (delegate_id, one_line(delegate.name), one_line(delegate.organisation), source)
        )


def _answers(workbook: Workbook, summary: Summary) -> None:
    ws = _sheet(
        workbook, "Answers", ("delegate_id", "session_id", "question_id", "rating"), (12, 14, 14, 8)
    )
    row = 1
    for response in summary.responses:
        for session_id, value in response.ratings.items():
            row += 1
            _row(ws, row, (response.delegate_id, session_id, "", value))
        for question_id, value in response.visit_ratings.items():
            row += 1
            _row(ws, row, (response.delegate_id, "", question_id, value))


def _name(views: Views, delegate_id: str) -> str:
    try:
        return one_line(views.visit.delegate(delegate_id).name)
    except KeyError:
        return delegate_id
