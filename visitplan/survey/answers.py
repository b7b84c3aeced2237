"""One delegate's filled questionnaire as read from a file, before it is checked.

A workbook and a form export both come down to an :class:`Answer`: the cell
that names the delegate and every cell that answers a question, each with the
place it was read from, so a problem names ``file:row: column``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from visitplan.read import Problem

from .questions import Question

QUOTE_LIMIT = 60


@dataclass(frozen=True, slots=True)
class Given:
    """One answered cell: the question, the value as read (None when blank), and
    where it was read (file, row, column label)."""

    question: Question
    value: Any
    file: str
    row: int
    column: str

    def problem(self, message: str) -> Problem:
        return problem(self.file, self.row, self.column, message)


@dataclass(frozen=True, slots=True)
class Answer:
    """A questionnaire read back: the delegate-id cell and the answers."""

    delegate: Given
    given: tuple[Given, ...]


def problem(file: str, row: int | None, column: str | None, message: str) -> Problem:
    """A problem whose file and column are safe to print (they come from the input too)."""
    return Problem(terminal(file), row, None if column is None else terminal(column), message)


def terminal(value: object) -> str:
    """Input text on one line with every unprintable character escaped: safe for a terminal."""
    flat = " ".join(str(value).split())
    return "".join(
        char if char.isprintable() else char.encode("unicode_escape").decode("ascii")
        for char in flat
    )


def quoted(value: object) -> str:
    """At most QUOTE_LIMIT characters of an input value, quoted and safe to print."""
    shown = terminal(_shown(value))
    clipped = shown[:QUOTE_LIMIT] + ("…" if len(shown) > QUOTE_LIMIT else "")
    return f"'{clipped}'"


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value)


def cell_text(value: Any) -> str:
    """A cell's value as the text a person typed, trimmed; "" for a blank cell."""
    return _shown(value).strip()
