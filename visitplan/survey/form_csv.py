"""survey.csv, the header an online form is built from, and reading its exports back.

Each question of the form is titled with its stable label (``delegate_id``,
``interest: <topic> (0-10)``, ``must_attend: <session id>``, ``needs``,
``diet``): Google Forms, Microsoft Forms and LimeSurvey (with full question
texts as headings) export a question's title as its column's header, so the
export reads back whatever the form says around it.  Columns the tools add
(Timestamp, ID, Start time, Completion time, Email, Name, ...) are ignored;
labels match after trimming and case folding, in any column order.
``survey-questions.csv`` gives each label its wording in the visit's language,
for the question's description.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from visitplan.export.words import word
from visitplan.model import Visit

from .answers import Answer, Given, cell_text, problem, terminal
from .questions import (
    DELEGATE_ID,
    choice_sessions,
    header,
    interest_label,
    must_attend_label,
    question_of,
    topics,
)

SURVEY_CSV = "survey.csv"
QUESTIONS_CSV = "survey-questions.csv"


def header_bytes(visit: Visit) -> bytes:
    """survey.csv: one header line, UTF-8 with a BOM so Excel shows Latvian letters."""
    return _csv_bytes([header(visit)])


def questions_bytes(visit: Visit) -> bytes:
    """survey-questions.csv: label, the question in the visit's language, what it takes."""
    language = visit.language
    yes = word("survey_yes", language)
    rows: list[tuple[str, ...]] = [("label", "question", "answers")]
    rows.append((DELEGATE_ID, word("survey_delegate_id", language), "id"))
    for topic in topics(visit):
        titles = "; ".join(session.title for session in topic.sessions)
        question = word("survey_interest_question", language).format(topic=topic.name)
        rows.append((interest_label(topic.name), f"{question} ({titles})", "0-10"))
    for session in choice_sessions(visit):
        question = word("survey_must_attend_question", language).format(title=session.title)
        rows.append((must_attend_label(session.id), question, f"{yes} / -"))
    rows.append(("needs", word("survey_needs", language), "text"))
    rows.append(("diet", word("survey_diet", language), "text"))
    return _csv_bytes(rows)


def _csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


# -- reading exports back ----------------------------------------------------------------


def read_csv(path: Path, shown: str) -> tuple[list[Answer], list]:
    """The answers of a form's CSV export (comma, semicolon or tab separated, UTF-8
    with or without a BOM), and the problems that stop it being read."""
    try:
        content = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError:
        return [], [problem(shown, None, None, "not UTF-8 text: export the answers as UTF-8 CSV")]
    first = next((line for line in content.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=first.count)
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=delimiter)
    rows: list[tuple[int, list[Any]]] = []
    end = 0
    try:
        for cells in reader:
            start, end = end + 1, reader.line_num
            rows.append((start, cells))
    except csv.Error as error:
        return [], [
            problem(shown, reader.line_num, None, f"not readable as CSV: {terminal(error)}")
        ]
    return read_table(rows, shown)


def read_table(rows: list[tuple[int, list[Any]]], shown: str) -> tuple[list[Answer], list]:
    """Answers from rows of cells with their row numbers, the first non-blank row the
    header; one answer per row that answers anything."""
    rows = [(number, cells) for number, cells in rows if any(cell_text(c) for c in cells)]
    if not rows:
        return [], [problem(shown, None, None, "holds no answers")]
    header_row, labels = rows[0]
    columns: dict[int, tuple[str, Any]] = {}
    seen: dict[Any, str] = {}
    problems = []
    for index, raw in enumerate(labels):
        label = cell_text(raw)
        question = question_of(label)
        if question is None:
            continue  # a column the form tool adds
        if question in seen:
            problems.append(problem(shown, header_row, label, f"asks what {seen[question]} asks"))
            continue
        seen[question] = label
        columns[index] = (label, question)
    if not any(q.kind == DELEGATE_ID for _, q in columns.values()):
        problems.append(problem(shown, header_row, None, f"no {DELEGATE_ID} column"))
    if problems:
        return [], problems
    answers = []
    for number, cells in rows[1:]:
        given = [
            Given(question, cells[index] if index < len(cells) else None, shown, number, label)
            for index, (label, question) in columns.items()
        ]
        if not any(cell_text(g.value) for g in given):
            continue
        delegate = next(g for g in given if g.question.kind == DELEGATE_ID)
        answers.append(Answer(delegate, tuple(g for g in given if g is not delegate)))
    return answers, []
