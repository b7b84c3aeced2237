"""Answers as read from a filled form or a CSV export, before they are checked, and
the problems found in them.

A :class:`Given` keeps the raw value with the place it was read from, so every
problem names the file, the row and the column, as the visit's reader does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with an answer: ``file:row: column: what is wrong``."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = self.file if self.row is None else f"{self.file}:{self.row}"
        column = "" if self.column is None else f" {terminal(self.column)}:"
        return f"{terminal(place)}:{column} {terminal(self.message)}"


@dataclass(frozen=True, slots=True)
class Given:
    """One answer cell: its raw value and where it was read."""

    value: object
    row: int
    column: str

    @property
    def blank(self) -> bool:
        return self.value is None or (isinstance(self.value, str) and not self.value.strip())


@dataclass(slots=True)
class Answer:
    """One returned form (a workbook, or a row of a CSV export), unchecked."""

    file: str
    row: int
    delegate_id: str
    column: str
    """Where the delegate id was read: a column label, for messages."""
    visit_id: str | None = None
    """The visit a form was written for (a CSV export does not say)."""
    ratings: dict[str, Given] = field(default_factory=dict)
    comments: dict[str, Given] = field(default_factory=dict)
    visit: dict[str, Given] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        """Nothing filled in: a form sent back untouched."""
        values = (*self.ratings.values(), *self.comments.values(), *self.visit.values())
        return all(given.blank for given in values)


_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
QUOTE_LIMIT = 60


def terminal(text: str) -> str:
    """``text`` safe to print: control characters, line separators and direction marks
    escaped, so an answer never breaks a line or drives the terminal."""

    def escaped(match: re.Match[str]) -> str:
        char = match[0]
        if char in _ESCAPES:
            return _ESCAPES[char]
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return _UNPRINTABLE.sub(escaped, text)


def quoted(value: object) -> str:
    """A value as a message shows it: repr-like quotes, at most QUOTE_LIMIT characters."""
    shown = str(value)
    clipped = shown[:QUOTE_LIMIT] + ("…" if len(shown) > QUOTE_LIMIT else "")
    return f"{clipped!r}" if isinstance(value, str) else clipped
