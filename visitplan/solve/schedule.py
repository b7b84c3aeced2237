"""The Schedule the phases hand each other: plain values, no solver objects.

A Schedule is when each held session runs, who attends what, and where and
when each delegate lunches; with its goal values it is a ``Found``.  Every
phase starts from one (a hint is made from it, ``solution.hint``) and returns
one, so a phase can be run, tested or replaced on its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DAY = 1440
"""Minutes per day on the solver's time axis (day index × DAY + minute of the day)."""


@dataclass
class Schedule:
    times: dict[str, tuple[int, int, int]] = field(default_factory=dict)
    """Held session id to (day index, start minute, end minute)."""
    attends: dict[str, list[str]] = field(default_factory=dict)
    """Delegate id to the ids of the sessions they attend, sorted."""
    lunch: dict[tuple[str, int], int | str] = field(default_factory=dict)
    """(delegate id, day index) to the lunch break's start minute, or "meal"."""
    lunch_place: dict[tuple[str, int], str] = field(default_factory=dict)
    """(delegate id, day index) to where that break is eaten."""

    def starts(self) -> dict[str, int]:
        """Held session id to its start on the solver's axis."""
        return {sid: k * DAY + start for sid, (k, start, _end) in self.times.items()}

    def pairs(self) -> frozenset[tuple[str, str]]:
        """Every (delegate id, session id) attended."""
        return frozenset((did, sid) for did, sids in self.attends.items() for sid in sids)

    def on_day(self, k: int) -> list[str]:
        return sorted(sid for sid, (day, _s, _e) in self.times.items() if day == k)


@dataclass
class Found:
    """A Schedule with its goal values (the model's, in goal order) and how it was proven."""

    schedule: Schedule
    values: dict[str, int]
    """Goal name to its value, in goal order."""
    ranges: dict[str, int] = field(default_factory=dict)
    """Goal name to how large its value could be at most (``goals.Goal.range``)."""
    named: dict[str, int] = field(default_factory=dict, repr=False)
    """Every named variable of the model it was found in, to its value: the next model,
    made under other restrictions, is hinted by name with it, so that its hint is
    complete wherever the two models share a variable."""
    bounds: dict[str, int] = field(default_factory=dict)
    """Per goal, the best value any plan could have with the goals before it held, as
    far as some phase proved it (missing: nothing proven)."""

    def rank(self, order: list[str]) -> tuple[int, ...]:
        """The goal values in goal order: a larger tuple is a better plan."""
        return tuple(self.values[name] for name in order)
