"""evaluation.csv: the columns of an online form (Microsoft Forms, Google Forms,
LimeSurvey) whose CSV export reads back.

Each label carries the id it answers, so a form tool may put its own columns around
them (Timestamp, ID, Start time, Email, Name ...): those are ignored.  The labels are

* ``delegate_id``: who answers;
* ``rating: <session_id> (1-5)`` and ``comment: <session_id>`` for every scheduled
  session (a delegate answers only those they attended);
* ``visit: <question_id>`` for each question on the whole visit.

A label may go on after its id (``rating: pbl (1-5) The planning system``), so a form
can show the session's title in its question.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from visitplan.views import Views

from .questions import HIGHEST, LOWEST, QUESTIONS

FILE = "evaluation.csv"
DELEGATE_COLUMN = "delegate_id"
RATING, COMMENT, VISIT = "rating", "comment", "visit"

_ID = r"([A-Za-z0-9_-]+)"
_LABEL = re.compile(rf"\s*(rating|comment|visit)\s*:\s*{_ID}(.*)", re.DOTALL)


def rating_label(session_id: str) -> str:
    return f"{RATING}: {session_id} ({LOWEST}-{HIGHEST})"


def comment_label(session_id: str) -> str:
    return f"{COMMENT}: {session_id}"


def visit_label(question_id: str) -> str:
    return f"{VISIT}: {question_id}"


def header(views: Views) -> tuple[str, ...]:
    """Every label of the online form, sessions in date and time order."""
    labels = [DELEGATE_COLUMN]
    for session in views.sessions:
        labels += [rating_label(session.session_id), comment_label(session.session_id)]
    labels += [visit_label(q.id) for q in QUESTIONS]
    return tuple(labels)


def header_bytes(views: Views) -> bytes:
    """evaluation.csv: the header line, UTF-8 with a byte-order mark for Excel."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(header(views))
    return buffer.getvalue().encode("utf-8-sig")


@dataclass(frozen=True, slots=True)
class Label:
    """What a column answers: ``kind`` is rating, comment or visit; ``id`` a session's
    or a question's id."""

    kind: str
    id: str


def parse_label(label: str) -> Label | None:
    """The column's meaning, or None for a column the form tool added."""
    match = _LABEL.fullmatch(label)
    if match is None:
        return None
    kind, ident, rest = match.groups()
    if kind == RATING and not rest.strip().startswith(f"({LOWEST}-{HIGHEST})"):
        return None
    if rest and not rest[0].isspace() and rest[0] != "(":
        return None  # "rating: pbl2" is no label of pbl
    return Label(kind, ident)
