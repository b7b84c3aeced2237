"""Attendees shed, then one ladder, for the days the vehicles cannot serve; the reserve.

The schedule keeps each delegate's own time to travel and, through the
placement, the fleet's load; the vehicles may still fail a day.  That day
first sheds attendees, its times kept (``phases.shed``), once; if the
vehicles still fail it, it climbs one step of ``fallback``'s levels (the
fleet's load kept, then places kept apart, then one route for everyone), its
failed day schedule is cut, and only its sessions are solved again (a
neighbourhood of that day, attendance free everywhere); when that finds
nothing, the day sheds attendees once more, now even where a delegate falls
below the plan's least share; and only when that fails too is the whole first
plan made again under the stricter restrictions (``construct``).  On a large
visit (``build.large``) one failed day climbs at a time, and the whole first
plan is not made again: a model with several days' or every time free is
larger than any limit allows (the regular L benchmark, nine days failed at
once: 106 s and 4.2 GB to build, and the run ended at 200 s of 120).  When the
ladder is spent or the time is, the best earlier Schedule whose rides the
vehicles serve (the reserve) is taken.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..model import Visit
from . import explain, fallback
from .budget import Budget
from .build import bare, build, large
from .phases import stages
from .phases.construct import construct
from .phases.shed import shed
from .restrictions import Restrictions
from .rides import RideFailure, Served, serve
from .schedule import DAY, Found


@dataclass
class Repaired:
    found: Found
    served: Served
    restrictions: Restrictions


@dataclass
class Unserved:
    words: tuple[str, ...]
    """The failed days' rides in words (``explain.unserved``)."""
    out_of_time: bool


def served_plan(
    visit: Visit,
    restrictions: Restrictions,
    best: Found,
    budget: Budget,
    reserve: list[Found],
) -> Repaired | Unserved:
    """``best`` with its rides, repaired day by day where the vehicles fail it, or the
    newest Schedule of ``reserve`` they serve."""
    ctx = bare(visit)
    current, held = best, restrictions
    words: tuple[str, ...] = ()
    out_of_time = False
    tried: set[int] = set()  # days that shed attendees (``shed``): once each
    bared: set[int] = set()  # days that shed them below the least share: once each
    while True:
        try:
            return Repaired(current, serve(ctx, current.schedule, budget, held.previous), held)
        except RideFailure as failure:
            schedule = current.schedule
            words = tuple(explain.unserved(ctx, schedule.times, schedule.attends, failure.days))
            days = failure.days[:1] if large(visit) else failure.days
            # shedding needs the time to ride once more, a stricter rung twice (the
            # improvement ends where M at 60 s had 18.0 s left of the 18 that asked)
            sheds = held.previous is None and not set(days) & tried
            if sheds and budget.wall_left() >= budget.rides_seconds():
                tried |= set(days)
                lighter = shed(visit, held, current, days, budget)
                if lighter is not None:
                    current = lighter
                    continue
            if budget.wall_left() < 2 * budget.rides_seconds():  # no time to ride again
                out_of_time = True
                break
            held = stricter(held, schedule, days)
            again = _days_again(visit, held, current, days, budget)
            if again is None and held.previous is None and not set(days) & bared:
                # the least share given up on those days, before the whole plan is
                # made again (M seed 2, day 3: least share 125-132 this way in 1.3 s; made
                # again, 0 and interest 9,091 in 23 s)
                bared |= set(days)
                again = shed(visit, held, current, days, budget, keep_least=False)
            if again is None and not large(visit) and budget.left() > budget.share("repair"):
                # not within those days: the whole schedule again
                outcome, held = construct(visit, held, budget)
                again = outcome.found
            if again is None:
                out_of_time = budget.left() <= 0
                break
            current = again
    for earlier in reversed(reserve):
        try:
            return Repaired(earlier, serve(ctx, earlier.schedule, budget, held.previous), held)
        except RideFailure:
            continue
    return Unserved(words, out_of_time)


def stricter(restrictions: Restrictions, schedule, days) -> Restrictions:
    """One step up the ladder for each failed day, and its day schedule cut."""
    levels = dict(restrictions.levels)
    cuts = list(restrictions.cuts)
    for k in days:
        levels[k] = min(fallback.ONE_ROUTE, levels.get(k, 0) + 1)
        cuts.append(fallback.day_cut(k, schedule.times, schedule.attends))
    return replace(restrictions, levels=levels, cuts=tuple(cuts))


def _days_again(visit: Visit, held: Restrictions, current: Found, days, budget: Budget):
    """The failed days' sessions solved again under the stricter restrictions."""
    days = set(days)
    starts = current.schedule.starts()
    keep = {sid: start for sid, start in starts.items() if start // DAY not in days}
    out = frozenset(s.id for s in visit.sessions if s.id not in starts)
    restricted = replace(held.holding(keep, out), kept_pairs=current.schedule.pairs())
    ctx = build(visit, restricted)
    limit = budget.share("repair")
    outcome = stages.first_solution(ctx, budget, limit, current)
    if outcome.found is None:
        return None
    better, _proven = stages.weighted(
        ctx, budget, budget.part("repair polish", limit), outcome.found
    )
    return better or outcome.found
