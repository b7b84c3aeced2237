"""Who was where: the plan's attendances with the actuals applied, per delegate.

A planned session is attended unless the actuals mark it absent (or, on the kit's
sign-in sheets, leave it unsigned) or it is held on a day outside the delegate's
actual journey; a session marked present that was not planned is an added one.  A
programme day on which the delegate was planned at a session and attended none,
inside their journey, is a no-show day.  A delegate who attended nothing while the
actuals give no travel dates for them did not travel at all: a full no-show.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from visitplan import costs
from visitplan.model import Visit
from visitplan.plan import Plan, ScheduledSession

from .records import Actuals


@dataclass(frozen=True, slots=True)
class DelegateAttendance:
    """One delegate's planned and actual sessions and journey (session ids in time order)."""

    delegate_id: str
    name: str
    planned: tuple[str, ...]
    attended: tuple[str, ...]
    planned_out: date
    planned_home: date
    actual_out: date | None
    """None for a full no-show (so is ``actual_home``)."""
    actual_home: date | None
    no_show_days: tuple[date, ...]

    @property
    def travelled(self) -> bool:
        return self.actual_out is not None

    @property
    def missing(self) -> tuple[str, ...]:
        return tuple(s for s in self.planned if s not in self.attended)

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(s for s in self.attended if s not in self.planned)


def attendance(visit: Visit, plan: Plan, actuals: Actuals) -> tuple[DelegateAttendance, ...]:
    """Every delegate's attendance, in the visit's order."""
    held = {s.session_id: s for s in plan.sessions}
    planned: dict[str, list[str]] = {d.id: [] for d in visit.delegates}
    for a in plan.assignments:
        planned[a.delegate_id].append(a.session_id)
    marked: dict[str, list[str]] = {}
    for (who, session_id), present in actuals.marks.items():
        if present:
            marked.setdefault(who, []).append(session_id)
    result = []
    for delegate in visit.delegates:
        mine = _in_time_order(planned[delegate.id], held)
        planned_out = costs.travel_out(visit, delegate)
        planned_home = costs.travel_home(visit, delegate)
        given = delegate.id in actuals.travel_out or delegate.id in actuals.travel_home
        first = actuals.travel_out.get(delegate.id, planned_out)
        last = actuals.travel_home.get(delegate.id, planned_home)
        attended = [
            s
            for s in mine
            if actuals.marks.get((delegate.id, s), not actuals.complete)
            and first <= held[s].date <= last
        ]
        attended += [s for s in marked.get(delegate.id, ()) if s not in mine]
        attended = _in_time_order(attended, held)
        if not attended and mine and not given:
            result.append(
                DelegateAttendance(
                    delegate.id, delegate.name, mine, (), planned_out, planned_home, None, None, ()
                )
            )
            continue
        planned_days = {held[s].date for s in mine}
        attended_days = {held[s].date for s in attended}
        no_show = tuple(sorted(on for on in planned_days - attended_days if first <= on <= last))
        result.append(
            DelegateAttendance(
                delegate.id,
                delegate.name,
                mine,
                attended,
                planned_out,
                planned_home,
                first,
                last,
                no_show,
            )
        )
    return tuple(result)


def _in_time_order(session_ids: list[str], held: dict[str, ScheduledSession]) -> tuple[str, ...]:
    return tuple(sorted(set(session_ids), key=lambda s: (held[s].date, held[s].start, s)))
