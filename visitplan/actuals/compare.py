"""Planned against actual: attendance, rule 9's costs and per diems, both sides.

Both sides are counted by the same code: :func:`visitplan.costs.compute_costs` and
:func:`visitplan.per_diem.per_diem_days`, once with the plan's stays and once with the
actual ones (:mod:`.stays`), so the actual figures follow rule 9 exactly as the
planned ones do.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cached_property

from visitplan import costs
from visitplan.costs import CostSummary, DelegateShare
from visitplan.model import Visit
from visitplan.per_diem import PerDiemDay, per_diem_days, planned_stays
from visitplan.plan import Plan, ScheduledSession

from .attendance import DelegateAttendance, attendance
from .records import Actuals, InvalidActuals, Problem, WalkIn
from .stays import actual_stays, actual_visit


@dataclass(frozen=True)
class Side:
    """One side of the comparison: the visit as counted, its costs, per diems and shares."""

    visit: Visit
    summary: CostSummary
    per_diems: tuple[PerDiemDay, ...]
    shares: dict[str, DelegateShare]
    """Each travelling delegate's share of the per-person lines (informative)."""

    @cached_property
    def days_of(self) -> dict[str, dict[date, PerDiemDay]]:
        """The per diems by delegate id, then by date."""
        days: dict[str, dict[date, PerDiemDay]] = {}
        for day in self.per_diems:
            days.setdefault(day.delegate_id, {})[day.date] = day
        return days

    def per_diem_of(self, delegate_id: str) -> Decimal:
        return sum((d.amount for d in self.days_of.get(delegate_id, {}).values()), Decimal(0))


@dataclass(frozen=True, slots=True)
class Comparison:
    """Everything actuals.xlsx and the printed summary show."""

    visit: Visit
    file: str
    sessions: dict[str, ScheduledSession]
    """The plan's held sessions by id."""
    people: tuple[DelegateAttendance, ...]
    planned: Side
    actual: Side
    walk_ins: tuple[WalkIn, ...]

    @property
    def planned_attendances(self) -> int:
        return sum(len(p.planned) for p in self.people)

    @property
    def actual_attendances(self) -> int:
        return sum(len(p.attended) for p in self.people)


def compare(visit: Visit, plan: Plan, actuals: Actuals) -> Comparison:
    """Planned and actual side by side.

    Raises
    ------
    InvalidActuals
        When an actual journey has a day no per-diem rate covers.
    """
    people = attendance(visit, plan, actuals)
    planned_days = per_diem_days(visit, planned_stays(visit, plan))
    counted = actual_visit(visit, people)
    try:
        actual_days = per_diem_days(visit, actual_stays(visit, plan, people))
    except ValueError as error:
        raise InvalidActuals([Problem(actuals.file, None, None, str(error))]) from None
    return Comparison(
        visit=visit,
        file=actuals.file,
        sessions={s.session_id: s for s in plan.sessions},
        people=people,
        planned=_side(visit, planned_days),
        actual=_side(counted, actual_days),
        walk_ins=actuals.walk_ins,
    )


def _side(visit: Visit, days: tuple[PerDiemDay, ...]) -> Side:
    shares = {share.delegate.id: share for share in costs.delegate_shares(visit)}
    return Side(visit, costs.compute_costs(visit, days), days, shares)
