"""Fewer riders on a day the vehicles cannot serve: the repair's first try.

A plan whose rides fail on one day is mostly a good plan.  Climbing the
repair ladder solves that day's sessions again under a stricter level, and
when that finds nothing the whole first plan is made again: on the M
benchmark, seed 3, the day's model found no solution in its 6 s, and the
first plan made again had no time left for its goals (least share 177 to 0).
Here the day keeps its times and sheds attendees instead, the least keen
first, from the best-served delegates: never a seat a delegate must take, a
whole-delegation session, a meal, a seat its min_size needs, or one whose
loss takes its delegate below the plan's least share.  A larger part is shed
at each try (``PARTS``), each day on its own, until the vehicles serve the
day; the model then confirms that the result keeps every rule and counts its
goals.
"""

from __future__ import annotations

import math
from dataclasses import replace

from ...model import Visit
from ..budget import Budget
from ..build import bare, open_days
from ..restrictions import Restrictions
from ..rides import RideFailure, serve
from ..rules.attendance import interest
from ..schedule import Found, Schedule
from . import stages
from .agendas import Agendas, least_share, rooms

PARTS = (0.1, 0.25, 0.5, 1.0)
"""The parts of a failed day's attendees that may go, tried in turn, each day on its
own: on M seed 3 at 60 s, day 0 was served with a tenth gone and day 1 only with
all 46 that may go, where without the whole the first plan was made again (least
share 177 to 0)."""


def shed(
    visit: Visit,
    restrictions: Restrictions,
    found: Found,
    days,
    budget: Budget,
    keep_least: bool = True,
) -> Found | None:
    """``found`` with attendees shed on ``days`` until the vehicles serve them, its
    goals counted by the model; None when no part tried is served, or the time
    is spent.  A day served keeps its part while the others shed more: a day's
    rides depend on that day alone.  Without ``keep_least``, a seat may go even
    where its loss takes its delegate below the plan's least share: the repair's
    last try before the whole first plan is made again, which costs far more."""
    ctx, riding = open_days(visit), bare(visit)
    schedule = found.schedule
    order = _sheddable(ctx, schedule, set(days), keep_least)
    tries = dict.fromkeys(days, 0)  # per day, its part's index in PARTS
    failing = frozenset(days)
    while budget.left() > 0:
        gone = {
            pair
            for k, pairs in order.items()
            for pair in pairs[: math.ceil(len(pairs) * PARTS[tries[k]])]
        }
        less = _without(ctx, schedule, gone)
        try:
            serve(riding, less, budget, only=failing)
        except RideFailure as failure:
            failing = frozenset(failure.days)
            for k in failing:
                tries[k] += 1
            if any(tries[k] == len(PARTS) for k in failing):
                return None
            continue
        counted = stages.counted(visit, restrictions, less, budget, budget.share("shed count"))
        return None if counted is None else replace(counted, bounds={})
    return None


def _sheddable(
    ctx, schedule: Schedule, days: set[int], keep_least: bool = True
) -> dict[int, list[tuple[str, str]]]:
    """Per failed day, the (delegate, session) pairs that may go, in the order they go:
    the least keen first, the best served first among equals; with ``keep_least``,
    each pair's loss keeps its delegate at or above the plan's least share, with
    the pairs before it gone too."""
    visit = ctx.visit
    _days, served, taken = Agendas.of(ctx, schedule)
    room = rooms(ctx)
    least = least_share(served, room)
    pairs = []
    for did, sids in schedule.attends.items():
        delegate = visit.delegate(did)
        for sid in sids:
            session = visit.session(sid)
            if schedule.times[sid][0] not in days or session.is_all or session.kind == "meal":
                continue
            if sid in delegate.must_attend:
                continue
            share = served[did] * 1000 // room[did]
            pairs.append((interest(delegate, session), -share, did, sid))
    order: dict[int, list[tuple[str, str]]] = {k: [] for k in days}
    for loss, _share, did, sid in sorted(pairs):
        session = visit.session(sid)
        if taken[sid] <= session.min_size:
            continue
        if keep_least and (served[did] - loss) * 1000 // room[did] < least:
            continue
        taken[sid] -= 1
        served[did] -= loss
        order[schedule.times[sid][0]].append((did, sid))
    return order


def _without(ctx, schedule: Schedule, gone: set[tuple[str, str]]) -> Schedule:
    """``schedule`` less the ``gone`` pairs, each touched day's lunch break placed again
    (a meal kept where it was the break)."""
    attends = {
        did: [sid for sid in sids if (did, sid) not in gone]
        for did, sids in schedule.attends.items()
    }
    attends = {did: sids for did, sids in attends.items() if sids}
    less = Schedule(dict(schedule.times), attends, dict(schedule.lunch), dict(schedule.lunch_place))
    touched = {(did, schedule.times[sid][0]) for did, sid in gone}
    days, _served, _taken = Agendas.of(ctx, less)
    days.lunches(less, touched)
    return less
