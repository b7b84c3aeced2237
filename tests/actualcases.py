"""What the actuals tests share: the Vidzeme plan, actual.csv texts built from it, and
reading a written actuals.xlsx back cell by cell.

The plan is the kit tests' (solved once per run, checked clean).  The no-show delegate,
the day and the late arrival are picked from the plan, never assumed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import openpyxl

from visitplan import costs
from visitplan.actuals import compare, read_actuals
from visitplan.actuals.compare import Comparison
from visitplan.actuals.sheet import write
from visitplan.kit import write_workbook
from visitplan.model import Visit
from visitplan.plan import Plan
from visitplan.views import build_views

from .kitplans import vidzeme

HEADER = "delegate_id,session_id,present,travel_out,travel_home\n"


@dataclass(frozen=True)
class Case:
    """A no-show day of one delegate and a one-day-late arrival of another."""

    visit: Visit
    plan: Plan
    absent: str
    day: date
    missed: tuple[str, ...]
    late: str
    arrival: date


def case() -> Case:
    visit, plan = vidzeme()
    first, second = visit.delegates[0].id, visit.delegates[1].id
    days = sorted({a.date for a in plan.assignments if a.delegate_id == first})
    day = days[1]  # a programme day in the middle of the visit
    missed = tuple(
        sorted(a.session_id for a in plan.assignments if a.delegate_id == first and a.date == day)
    )
    arrival = costs.travel_out(visit, visit.delegate(second)) + timedelta(days=1)
    assert not any(a.delegate_id == second and a.date < arrival for a in plan.assignments)
    return Case(visit, plan, first, day, missed, second, arrival)


def no_show_and_late_csv(c: Case) -> str:
    rows = [f"{c.absent},{s},no,," for s in c.missed]
    rows.append(f"{c.late},,,{c.arrival},")
    return HEADER + "\n".join(rows) + "\n"


def run(visit: Visit, plan: Plan, text: str, folder: Path, name: str) -> tuple[Comparison, Path]:
    """actual.csv with ``text`` read, compared and written as ``name``.xlsx."""
    source = folder / f"{name}.csv"
    source.write_text(text, encoding="utf-8")
    comparison = compare(visit, plan, read_actuals(visit, plan, source))
    out = folder / f"{name}.xlsx"
    write(comparison, out)
    return comparison, out


def cached(path: Path) -> dict[tuple[str, str], object]:
    """Every non-empty cell's stored value, by (sheet, A1 reference)."""
    workbook = openpyxl.load_workbook(path, data_only=True)
    return {
        (sheet.title, cell.coordinate): cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }


def names(path: Path) -> dict[str, object]:
    """Each workbook name's value, as a viewer that never recalculates reads it."""
    workbook = openpyxl.load_workbook(path, data_only=True)
    values = cached(path)
    result = {}
    for name, defined in workbook.defined_names.items():
        ((sheet, at),) = defined.destinations
        result[name] = values.get((sheet, at.replace("$", "")))
    return result


def formula_cells(path: Path) -> list[tuple[str, str]]:
    workbook = openpyxl.load_workbook(path)
    return [
        (sheet.title, cell.coordinate)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "f"
    ]


def row_of(values: dict, sheet: str, **match: object) -> int:
    """The one row of ``sheet`` whose columns hold the given values (column letter = value)."""
    rows = {at[1:] if at[1].isdigit() else at[2:] for (s, at) in values if s == sheet}
    found = [
        int(r)
        for r in rows
        if all(values.get((sheet, f"{column}{r}")) == value for column, value in match.items())
    ]
    assert len(found) == 1, (sheet, match, found)
    return found[0]


def signed_kit(c, folder: Path, *, unsigned: set[tuple[str, str]], walk_ins: dict[str, str]):
    """kit.xlsx with every expected attendee signed but the ``unsigned`` pairs, and the
    given names written on blank rows of the sheets of the given sessions."""
    path = write_workbook(build_views(c.visit, c.plan), folder)
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Sign-in"]
    assert sheet.cell(1, 4).value == "session_id" and sheet.cell(1, 7).value == "delegate_id"
    pending = dict(walk_ins)
    for row in range(2, sheet.max_row + 1):
        sessions = {s.strip() for s in str(sheet.cell(row, 4).value).split(";")}
        delegate = sheet.cell(row, 7).value
        if delegate:
            if not any((delegate, s) in unsigned for s in sessions):
                sheet.cell(row, 11).value = "✓" if row % 2 else "x"
        else:
            for name, session_id in list(pending.items()):
                if session_id in sessions:
                    sheet.cell(row, 8).value = name
                    sheet.cell(row, 8).data_type = "s"  # as typed, even '=...'
                    del pending[name]
                    break
    assert not pending
    workbook.save(path)
    return path
