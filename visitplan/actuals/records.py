"""The plain values of the actuals: what the organiser recorded, and what is wrong with it.

A reader (:mod:`.read_csv`, :mod:`.read_kit`) turns its file into :class:`Recorded`
without looking at the visit; :mod:`.validate` then holds every row against the
visit and the plan, so both inputs get the same checks and the same messages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

QUOTE_LIMIT = 60
"""At most this many characters of a bad value appear in a message (spec "Ranges and text")."""
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u2028-\u202e\u2066-\u2069]")


@dataclass(frozen=True, slots=True)
class Problem:
    """One thing wrong with the actuals, printed as ``file:row: column: what is wrong``."""

    file: str
    row: int | None
    column: str | None
    message: str

    def __str__(self) -> str:
        place = self.file if self.row is None else f"{self.file}:{self.row}"
        column = "" if self.column is None else f" {self.column}:"
        return f"{place}:{column} {self.message}"

    def sort_key(self) -> tuple[str, int, str, str]:
        return (self.file, self.row or 0, self.column or "", self.message)


class InvalidActuals(Exception):
    """The actuals cannot be used; ``problems`` lists every one, sorted by file and row."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=Problem.sort_key)
        super().__init__("\n".join(map(str, self.problems)))


def quote(value: object) -> str:
    """A value from the input as a message may show it: short, every control character escaped."""
    shown = str(value)
    clipped = _UNPRINTABLE.sub(lambda m: f"\\x{ord(m[0]):02x}", shown[:QUOTE_LIMIT])
    return clipped + "…" if len(shown) > QUOTE_LIMIT else clipped


@dataclass(frozen=True, slots=True)
class Mark:
    """One delegate marked present or absent at one session, on ``row`` of ``file``."""

    delegate_id: str
    session_id: str
    present: bool
    file: str
    row: int


@dataclass(frozen=True, slots=True)
class TravelChange:
    """A delegate's actual journey dates; None where the row leaves a date as planned."""

    delegate_id: str
    travel_out: date | None
    travel_home: date | None
    file: str
    row: int


@dataclass(frozen=True, slots=True)
class WalkIn:
    """A name written on a sign-in sheet that is no delegate of the visit: listed, never costed."""

    name: str
    session_ids: tuple[str, ...]
    date: date | None
    file: str
    row: int


@dataclass(frozen=True, slots=True)
class Recorded:
    """Everything one actuals file says, before it is held against the visit.

    ``complete`` is true for the kit's sign-in sheets, where every planned attendance
    has a row and no tick means absent; false for actual.csv, which lists only the
    exceptions (a planned session it does not name was attended as planned).
    """

    file: str
    complete: bool
    marks: tuple[Mark, ...] = ()
    travel: tuple[TravelChange, ...] = ()
    walk_ins: tuple[WalkIn, ...] = ()
    problems: tuple[Problem, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Actuals:
    """The recorded actuals, held against the visit and the plan and found sound.

    ``marks`` maps (delegate id, session id) to present; ``travel_out`` and
    ``travel_home`` hold only the dates the file gave.  With ``complete`` (the kit),
    a planned attendance is in ``marks`` either way; without it, a planned attendance
    missing from ``marks`` was attended as planned.
    """

    file: str
    complete: bool
    marks: dict[tuple[str, str], bool]
    travel_out: dict[str, date]
    travel_home: dict[str, date]
    walk_ins: tuple[WalkIn, ...] = ()
