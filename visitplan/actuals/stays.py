"""The trip as it happened, in the terms rule 9 and the per diems count it.

The actual visit is the visit with each delegate's actual journey dates, and without
the delegates who did not travel at all: rule 9 (:mod:`visitplan.costs`) then counts
their days, nights and heads exactly as it counts the plan's.  The actual stays give
the per diems (:mod:`visitplan.per_diem`) the meals of the sessions really attended
and leave the no-show days out.
"""

from __future__ import annotations

from dataclasses import replace

from visitplan.model import Visit
from visitplan.per_diem import Stay, planned_stays
from visitplan.plan import Assignment, Plan

from .attendance import DelegateAttendance


def actual_visit(visit: Visit, people: tuple[DelegateAttendance, ...]) -> Visit:
    """The visit with the actual journeys; full no-shows left out."""
    by_id = {p.delegate_id: p for p in people}
    delegates = tuple(
        replace(d, travel_out=by_id[d.id].actual_out, travel_home=by_id[d.id].actual_home)
        for d in visit.delegates
        if by_id[d.id].travelled
    )
    return replace(visit, delegates=delegates)


def actual_plan(plan: Plan, people: tuple[DelegateAttendance, ...]) -> Plan:
    """The plan with only the attendances that happened (the added ones included)."""
    held = {s.session_id: s for s in plan.sessions}
    assignments = tuple(
        Assignment(p.delegate_id, s, held[s].host_id, held[s].date, held[s].start, held[s].end)
        for p in people
        for s in p.attended
    )
    return replace(plan, assignments=assignments)


def actual_stays(
    visit: Visit, plan: Plan, people: tuple[DelegateAttendance, ...]
) -> dict[str, Stay]:
    """Each travelling delegate's actual stay: journey, meals attended, no-show days out."""
    stays = planned_stays(actual_visit(visit, people), actual_plan(plan, people))
    days_out = {p.delegate_id: frozenset(p.no_show_days) for p in people}
    return {d: replace(stay, days_out=days_out[d]) for d, stay in stays.items()}
