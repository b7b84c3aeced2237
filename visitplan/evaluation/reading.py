"""Reading answers back: filled forms (.xlsx) and online forms' CSV exports (.csv).

A form is read by the ids in its hidden column (:mod:`.form`), a CSV export by the
labels of :mod:`.online`; neither depends on a translated label.  Nothing is judged
here but whether a file can be read at all: :mod:`.checking` judges the answers
against the plan.  A folder given stands for the .xlsx and .csv files in it.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from . import form, online
from .answers import Answer, Given, Problem

SUFFIXES = (".xlsx", ".csv")


def files_of(paths: Iterable[str | Path]) -> list[Path]:
    """The files to read: each path, a folder standing for its .xlsx and .csv files."""
    found: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            found += sorted(p for p in path.iterdir() if p.suffix.lower() in SUFFIXES)
        else:
            found.append(path)
    return found


def read_answers(paths: Iterable[str | Path]) -> tuple[list[Answer], list[Problem]]:
    """Every answer in ``paths``, and every file that cannot be read."""
    answers: list[Answer] = []
    problems: list[Problem] = []
    for path in files_of(paths):
        name = str(path)
        if not path.is_file():
            problems.append(Problem(name, None, None, "no such file"))
        elif path.suffix.lower() == ".xlsx":
            answer, found = read_form(path)
            problems += found
            if answer is not None:
                answers.append(answer)
        elif path.suffix.lower() == ".csv":
            rows, found = read_export(path)
            answers += rows
            problems += found
        else:
            problems.append(Problem(name, None, None, "neither a form (.xlsx) nor a CSV export"))
    return answers, problems


# -- filled forms --------------------------------------------------------------------------


def read_form(path: Path) -> tuple[Answer | None, list[Problem]]:
    """The answer in one filled form; formulas are read as typed, so nothing is evaluated."""
    name = str(path)
    try:
        workbook = load_workbook(path, data_only=False)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        return None, [Problem(name, None, None, f"not a readable workbook ({error})")]
    ws = workbook.worksheets[0]
    marks: list[tuple[int, str, str]] = []
    for (value,) in ws.iter_rows(min_col=form.ID_COLUMN, max_col=form.ID_COLUMN, values_only=True):
        marks.append((len(marks) + 1, *_mark(value)))
    delegate = next(((row, ident) for row, kind, ident in marks if kind == form.DELEGATE), None)
    if delegate is None:
        return None, [Problem(name, None, None, "not an evaluation form (no delegate id in it)")]
    answer = Answer(
        name,
        delegate[0],
        delegate[1],
        online.DELEGATE_COLUMN,
        visit_id=next((ident for _, kind, ident in marks if kind == form.VISIT), None),
    )
    for row, kind, ident in marks:
        if kind == form.SESSION:
            rating = ws.cell(row, form.RATING_COLUMN).value
            comment = ws.cell(row, form.COMMENT_COLUMN).value
            answer.ratings[ident] = Given(rating, row, online.rating_label(ident))
            answer.comments[ident] = Given(comment, row, online.comment_label(ident))
        elif kind == form.QUESTION:
            value = ws.cell(row, form.RATING_COLUMN).value
            answer.visit[ident] = Given(value, row, online.visit_label(ident))
    return answer, []


def _mark(value: object) -> tuple[str, str]:
    kind, _, ident = str(value or "").partition(":")
    return kind, ident


# -- CSV exports ---------------------------------------------------------------------------


def read_export(path: Path) -> tuple[list[Answer], list[Problem]]:
    """One answer per row of an online form's CSV export (UTF-8, comma, semicolon or tab)."""
    name = str(path)
    try:
        data = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [Problem(name, None, None, f"not UTF-8 text (byte {error.start})")]
    except OSError as error:
        return [], [Problem(name, None, None, f"cannot be read ({error.strerror})")]
    reader = csv.reader(io.StringIO(data, newline=""), delimiter=_delimiter(data))
    try:
        labels = next(reader)
    except StopIteration:
        return [], [Problem(name, None, None, "empty: no header row")]
    except csv.Error as error:
        return [], [Problem(name, 1, None, f"not CSV ({error})")]
    meanings = {i: online.parse_label(label) for i, label in enumerate(labels)}
    delegate_at = [i for i, label in enumerate(labels) if label.strip() == online.DELEGATE_COLUMN]
    problems = _header_problems(name, labels, meanings, delegate_at)
    if problems:
        return [], problems
    answers = []
    line = reader.line_num
    try:
        for record in reader:
            row, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            answers.append(_row_answer(name, row, labels, meanings, delegate_at[0], record))
    except csv.Error as error:
        return [], [Problem(name, line + 1, None, f"not CSV ({error})")]
    return answers, []


def _delimiter(data: str) -> str:
    first = data.split("\n", 1)[0]
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    return max(counts, key=lambda d: (counts[d], d == ","))


def _header_problems(name, labels, meanings, delegate_at) -> list[Problem]:
    problems = []
    if not delegate_at:
        problems.append(
            Problem(name, 1, online.DELEGATE_COLUMN, "no such column: the form must ask for it")
        )
    elif len(delegate_at) > 1:
        problems.append(Problem(name, 1, online.DELEGATE_COLUMN, "more than one such column"))
    seen: dict[tuple[str, str], str] = {}
    for i, meaning in meanings.items():
        if meaning is None:
            continue
        key = (meaning.kind, meaning.id)
        if key in seen:
            problems.append(Problem(name, 1, labels[i], f"answers what {seen[key]!r} answers"))
        seen.setdefault(key, labels[i])
    return problems


def _row_answer(name, row, labels, meanings, delegate_column, record) -> Answer:
    def cell(i: int) -> str:
        return record[i] if i < len(record) else ""

    answer = Answer(name, row, cell(delegate_column).strip(), online.DELEGATE_COLUMN)
    for i, meaning in meanings.items():
        if meaning is None:
            continue
        given = Given(cell(i), row, labels[i])
        {
            online.RATING: answer.ratings,
            online.COMMENT: answer.comments,
            online.VISIT: answer.visit,
        }[meaning.kind][meaning.id] = given
    return answer
