"""Hold what a file recorded against the visit and the plan: every problem at once.

Unknown delegates and sessions, sessions the plan does not hold, a mark given twice,
travel dates outside depart − 1 .. return + 1 or home before out, and a delegate
present at a session on a day outside their actual journey are errors; so is, for the
kit, a planned attendance with no sign-in row (a kit of another plan).  A walk-in
whose name is a delegate's counts as that delegate signing.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta

from visitplan import costs
from visitplan.model import Visit
from visitplan.plan import Plan

from .records import Actuals, InvalidActuals, Mark, Problem, Recorded, TravelChange, WalkIn, quote

SLACK = timedelta(days=1)
"""Travel dates may lie a day either side of the visit's depart and return (as arrives)."""


def check(visit: Visit, plan: Plan, recorded: Recorded) -> Actuals:
    """The recorded actuals as :class:`Actuals`.

    Raises
    ------
    InvalidActuals
        With every problem of the file, when there is any (nothing is to be written).
    """
    problems = list(recorded.problems)
    known = _Known.of(visit, plan)
    names = {_name_key(d.name): d.id for d in visit.delegates}
    marks = list(recorded.marks)
    walk_ins: list[WalkIn] = []
    for walk_in in recorded.walk_ins:
        delegate_id = names.get(_name_key(walk_in.name))
        if delegate_id is None:
            walk_ins.append(walk_in)
            problems += _unknown_sessions(known, walk_in.session_ids, walk_in)
        else:
            marks += [
                Mark(delegate_id, s, True, walk_in.file, walk_in.row) for s in walk_in.session_ids
            ]
    found = _marks(known, marks, recorded.complete, problems)
    travel_out, travel_home = _travel(visit, recorded.travel, problems)
    problems += _outside_journey(visit, plan, marks, travel_out, travel_home)
    if recorded.complete:
        problems += _unsigned(plan, found, recorded.file)
    if problems:
        raise InvalidActuals(problems)
    return Actuals(
        recorded.file, recorded.complete, found, travel_out, travel_home, tuple(walk_ins)
    )


def _name_key(name: str) -> str:
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


@dataclass(frozen=True, slots=True)
class _Known:
    """The ids a row may name: the visit's delegates and sessions, the plan's held sessions."""

    delegates: frozenset[str]
    sessions: frozenset[str]
    held: frozenset[str]

    @classmethod
    def of(cls, visit: Visit, plan: Plan) -> _Known:
        return cls(
            frozenset(d.id for d in visit.delegates),
            frozenset(s.id for s in visit.sessions),
            frozenset(s.session_id for s in plan.sessions),
        )


def _unknown_sessions(
    known: _Known, session_ids: tuple[str, ...], where: Mark | WalkIn
) -> list[Problem]:
    problems = []
    for session_id in session_ids:
        if session_id not in known.sessions:
            message = f"'{quote(session_id)}' is no session of the visit"
        elif session_id not in known.held:
            message = f"'{quote(session_id)}' is not held in the plan"
        else:
            continue
        problems.append(Problem(where.file, where.row, "session_id", message))
    return problems


def _marks(
    known: _Known, marks: list[Mark], complete: bool, problems: list[Problem]
) -> dict[tuple[str, str], bool]:
    """Marks by (delegate, session): in a csv each once; on sign-in sheets any signature counts."""
    found: dict[tuple[str, str], bool] = {}
    first_row: dict[tuple[str, str], int] = {}
    for mark in marks:
        bad = _unknown_sessions(known, (mark.session_id,), mark)
        if mark.delegate_id not in known.delegates:
            message = f"'{quote(mark.delegate_id)}' is no delegate of the visit"
            bad.append(Problem(mark.file, mark.row, "delegate_id", message))
        problems += bad
        key = (mark.delegate_id, mark.session_id)
        if bad:
            continue
        if key in found and not complete:
            message = f"{mark.delegate_id} at {mark.session_id} is already on row {first_row[key]}"
            problems.append(Problem(mark.file, mark.row, "session_id", message))
            continue
        first_row.setdefault(key, mark.row)
        found[key] = found.get(key, False) or mark.present
    return found


def _travel(
    visit: Visit, changes: tuple[TravelChange, ...], problems: list[Problem]
) -> tuple[dict[str, date], dict[str, date]]:
    """The actual journey dates the rows give, each checked and given at most once."""
    low, high = visit.depart_day - SLACK, visit.return_day + SLACK
    given: dict[str, dict[str, tuple[date, int]]] = {"travel_out": {}, "travel_home": {}}
    delegates = {d.id: d for d in visit.delegates}
    reported = {p.row for p in problems if p.column == "delegate_id"}
    for change in changes:
        if change.delegate_id not in delegates:
            if change.row not in reported:  # not yet reported with its row's mark
                message = f"'{quote(change.delegate_id)}' is no delegate of the visit"
                problems.append(Problem(change.file, change.row, "delegate_id", message))
            continue
        for column, value in (
            ("travel_out", change.travel_out),
            ("travel_home", change.travel_home),
        ):
            if value is None:
                continue
            if not low <= value <= high:
                message = f"{value} is outside {low}..{high} (depart − 1 day .. return + 1 day)"
                problems.append(Problem(change.file, change.row, column, message))
                continue
            rates = visit.per_diem_rates
            if rates and value < rates[0].valid_from:
                message = (
                    f"no per-diem rate is valid on {value}: per_diem.csv's first "
                    f"valid_from is {rates[0].valid_from}"
                )
                problems.append(Problem(change.file, change.row, column, message))
                continue
            earlier = given[column].get(change.delegate_id)
            if earlier is not None and earlier[0] != value:
                message = f"{change.delegate_id}'s {column} is {earlier[0]} on row {earlier[1]}"
                problems.append(Problem(change.file, change.row, column, message))
                continue
            given[column].setdefault(change.delegate_id, (value, change.row))
    out = {d: value for d, (value, _) in given["travel_out"].items()}
    home = {d: value for d, (value, _) in given["travel_home"].items()}
    for delegate_id in sorted(out.keys() | home.keys()):
        delegate = delegates[delegate_id]
        first = out.get(delegate_id, costs.travel_out(visit, delegate))
        last = home.get(delegate_id, costs.travel_home(visit, delegate))
        if last < first:
            column = "travel_home" if delegate_id in home else "travel_out"
            value, row = given[column][delegate_id]
            message = f"{delegate_id} travels home on {last}, before travelling out on {first}"
            problems.append(Problem(changes[0].file, row, column, message))
    return out, home


def _outside_journey(
    visit: Visit,
    plan: Plan,
    marks: list[Mark],
    travel_out: dict[str, date],
    travel_home: dict[str, date],
) -> list[Problem]:
    """Present at a session held on a day the delegate was not on the trip."""
    held = {s.session_id: s.date for s in plan.sessions}
    delegates = {d.id: d for d in visit.delegates}
    problems = []
    for mark in marks:
        delegate = delegates.get(mark.delegate_id)
        on = held.get(mark.session_id)
        if not mark.present or delegate is None or on is None:
            continue
        first = travel_out.get(delegate.id, costs.travel_out(visit, delegate))
        last = travel_home.get(delegate.id, costs.travel_home(visit, delegate))
        if not first <= on <= last:
            message = (
                f"yes, but {mark.session_id} is on {on}, outside {delegate.id}'s "
                f"journey {first}..{last}"
            )
            problems.append(Problem(mark.file, mark.row, "present", message))
    return problems


def _unsigned(plan: Plan, found: dict[tuple[str, str], bool], file: str) -> list[Problem]:
    """Planned attendances with no sign-in row: the kit is of another plan."""
    return [
        Problem(
            file,
            None,
            "Sign-in",
            f"no row for {a.delegate_id} at {a.session_id}: is the kit of another plan?",
        )
        for a in plan.sorted().assignments
        if (a.delegate_id, a.session_id) not in found
    ]
