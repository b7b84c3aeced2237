"""The rides of every day of a Schedule, and the lunch breaks they fix.

Each delegate's day is a row of stops (the hotel, their sessions, a lunch at
a third place, the hotel again); between two stops at different places they
need a ride inside the gap, and the lunch break falls in the gap the
Schedule gave it.  Delegates with the same stops, window and lunch need
become one request (``requests.group_requests``); the planner serves each
day's requests.  In a re-plan with a freeze, days that ended before it keep
their rides and lunches as they were, and on the freeze day a ride or lunch
that had begun keeps its times.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import BASE, Visit
from ...plan import Leg, Plan
from ...timegrid import minute_of, time_of
from ..budget import RIDES_MARGIN, SHORTEST, Budget
from ..continuity import Previous, frozen_minute
from ..schedule import DAY, Schedule
from ..variables import Context
from .planner import RidePlanner
from .requests import RideFailure, group_requests


@dataclass
class Served:
    """The rides of every day: the legs, the ride goals, and the lunch starts they fixed."""

    legs: list[Leg] = field(default_factory=list)
    goals: dict[str, int] = field(default_factory=dict)
    lunch: dict[tuple[str, int], int] = field(default_factory=dict)


def serve(
    ctx: Context,
    schedule: Schedule,
    budget: Budget,
    previous: Previous | None = None,
    every_day: bool = True,
    only: frozenset[int] | None = None,
) -> Served:
    """The rides of every day of ``schedule`` (with ``only``, of those days alone);
    raises ``RideFailure`` naming every day the vehicles cannot serve (without
    ``every_day``, the first such day ends it).

    ``ctx`` gives travel and stays (``build.bare``).  A day whose rides fail does
    not stop the others: every failed day is reported at once, so that one repair
    changes them all."""
    visit = ctx.visit
    limits = budget.limits
    planner = RidePlanner(
        visit, ctx.travel, limits.seed, limits.workers, limits.deterministic_time or 10.0
    )
    if not budget.deterministic:  # the rides' share, never past the time limit
        count = max(1, len(visit.programme_days))
        wall = budget.wall_left() - RIDES_MARGIN
        planner.seconds = max(SHORTEST, min(budget.rides_allowed(), wall) / count)
    freeze = None if previous is None else frozen_minute(ctx, previous.freeze_before)
    served = Served(goals={"vehicle_minutes": 0, "rider_minutes": 0})
    days = _Days(ctx, schedule, planner, previous, freeze, served)
    failures = []
    for k, day in enumerate(visit.days):
        if only is not None and k not in only:
            continue
        if freeze is not None and k * DAY + minute_of(day.day_end) <= freeze:
            _keep_day(visit, previous.plan, k, served)
            continue
        try:
            days.serve(k)
        except RideFailure as failure:
            if not every_day:
                raise
            failures.append(failure)
    out_of_time = [f.k for f in failures if f.status == "UNKNOWN"]
    if out_of_time and not budget.deterministic:
        # a day the model ran out of time on gets what the run has left before it is
        # called unserved: on a busy machine Latgale's 0.3 s a day fell short, and the
        # plan fell back on the reserve, the whole model's first solution
        more = (budget.wall_left() - RIDES_MARGIN) / len(out_of_time)
        if more > planner.seconds:
            planner.seconds = more
            failures = [f for f in failures if f.k not in out_of_time]
            for k in out_of_time:
                try:
                    days.serve(k)
                except RideFailure as failure:
                    failures.append(failure)
            served.legs.sort(key=lambda leg: leg.date)  # stable: each day's order kept
    if failures:
        raise RideFailure.of_days(failures)
    return served


@dataclass
class _Days:
    """What serving one day needs: the Schedule, the planner, a re-plan's earlier
    plan and freeze, and the ``Served`` that collects every day's rides."""

    ctx: Context
    schedule: Schedule
    planner: RidePlanner
    previous: Previous | None
    freeze: int | None
    served: Served

    def serve(self, k: int) -> None:
        """Day ``k``'s rides and lunches into ``served``; raises ``RideFailure``."""
        ctx, previous, served = self.ctx, self.previous, self.served
        day = ctx.visit.days[k]
        freeze = self.freeze
        begun = _begun(previous.plan, day.date, freeze - k * DAY) if freeze is not None else {}
        raw = []
        for delegate in ctx.visit.delegates:
            raw += _requests(ctx, self.schedule, delegate.id, k, begun)
        if previous is not None:
            self.planner.preferred = {
                (g.delegate_id, g.from_, g.to): (minute_of(g.depart), g.vehicle == "walk")
                for g in previous.plan.legs
                if g.date == day.date
            }
        result = self.planner.plan_day(k, group_requests(raw))
        served.goals["vehicle_minutes"] += result.vehicle_minutes
        served.goals["rider_minutes"] += result.rider_minutes
        for did, start in result.lunches.items():
            served.lunch[(did, k)] = start
        for did, origin, dest, depart, arrive, vehicle in result.legs:
            served.legs.append(
                Leg(did, origin, dest, day.date, time_of(depart), time_of(arrive), vehicle)
            )


def _keep_day(visit: Visit, plan: Plan, k: int, served: Served) -> None:
    """A day that ended before the freeze: its rides and lunches as they were."""
    day = visit.days[k]
    present = {d.id for d in visit.delegates}
    served.legs.extend(g for g in plan.legs if g.date == day.date and g.delegate_id in present)
    for lunch in plan.lunches:
        if lunch.date == day.date and lunch.delegate_id in present:
            served.lunch[(lunch.delegate_id, k)] = minute_of(lunch.start)


def _requests(ctx: Context, schedule: Schedule, did: str, k: int, begun: dict) -> list[tuple]:
    """The rides one delegate needs on day k, as raw requests for ``group_requests``."""
    visit = ctx.visit
    stops = stops_of(ctx, schedule, did, k)
    if stops is None:
        return []
    lunch = schedule.lunch.get((did, k))
    if isinstance(lunch, int):
        stops = _with_lunch_stop(
            stops, lunch, visit.lunch.minutes, schedule.lunch_place.get((did, k))
        )
    raw = []
    for index in range(len(stops) - 1):
        _s0, p_end, p_place, _p = stops[index]
        n_start, _e1, n_place, _n = stops[index + 1]
        need = None
        if isinstance(lunch, int) and p_end <= lunch and lunch + visit.lunch.minutes <= n_start:
            frm, to = minute_of(visit.lunch.start), minute_of(visit.lunch.end)
            need = (max(p_end, frm), min(n_start, to), visit.lunch.minutes)
            kept = begun.get((did, "lunch"))
            if kept is not None:
                need = (kept[0], kept[1], visit.lunch.minutes)
        if p_place == n_place:
            continue
        earliest, latest = p_end, n_start
        kept = begun.get((did, p_place, n_place))
        if kept is not None and earliest <= kept[0] and kept[1] <= latest:
            earliest, latest = kept
        first, last = index == 0, index == len(stops) - 2
        raw.append((p_place, n_place, earliest, latest, did, first, last, need))
    return raw


def stops_of(ctx: Context, schedule: Schedule, did: str, k: int):
    """(start, end, place, what) of the delegate's day: the hotel, sessions, the hotel."""
    sessions = sorted(
        (schedule.times[sid][1], schedule.times[sid][2], sid)
        for sid in schedule.attends.get(did, [])
        if schedule.times[sid][0] == k
    )
    if not sessions:
        return None
    lo, hi = ctx.stay_bounds(ctx.visit.delegate(did), k)
    stops = [(lo, lo, BASE, "base-start")]
    stops += [(s, e, ctx.host_of(sid), sid) for s, e, sid in sessions]
    stops.append((hi, hi, BASE, "base-end"))
    return stops


def _with_lunch_stop(stops, lunch: int, minutes: int, place: str | None):
    """The day's stops with the lunch break as a stop of its own when it is eaten at a
    third place (neither the stop before it nor the one after): the rides then go
    there and on.  Eaten at either neighbour, the rides model places it beside the ride."""
    for index in range(len(stops) - 1):
        p_end, p_place = stops[index][1], stops[index][2]
        n_start, n_place = stops[index + 1][0], stops[index + 1][2]
        if p_end <= lunch and lunch + minutes <= n_start:
            if place is None or place in (p_place, n_place):
                return stops
            return [
                *stops[: index + 1],
                (lunch, lunch + minutes, place, "lunch"),
                *stops[index + 1 :],
            ]
    return stops


def _begun(plan: Plan, on, minute: int) -> dict:
    """Rides and lunch breaks of the earlier plan that began on ``on`` before ``minute``:
    (delegate, from, to) or (delegate, "lunch") to their (start, end)."""
    begun = {}
    for leg in plan.legs:
        if leg.date == on and minute_of(leg.depart) < minute:
            begun[(leg.delegate_id, leg.from_, leg.to)] = (
                minute_of(leg.depart),
                minute_of(leg.arrive),
            )
    for lunch in plan.lunches:
        if lunch.date == on and minute_of(lunch.start) < minute and not lunch.session_id:
            begun[(lunch.delegate_id, "lunch")] = (minute_of(lunch.start), minute_of(lunch.end))
    return begun
