"""Seats the shortlists leave free, offered to every keen delegate, where the
vehicles still serve the day.

A visit too large for the whole model keeps its shortlists unless it is solved
``build.exact``: under a fleet limit, with every keen delegate a candidate, attendance
spreads over more places at once than the vehicles can serve (the regular L benchmark,
125 vehicles: nine days of ten failed); with the least share first, the exact models
chase it and leave interest behind.  The shortlists still leave seats free that keen
delegates can reach.  The greedy ``moves.moves_for`` offers them, least served first,
lets a delegate give up a session for a keener one it alone stands in the way of, and
passes seats of full sessions to the least served and then to the keener; last, sessions
the plan leaves out get a start beside the held ones (``placement.beside``) and open
where enough keen delegates fit them, some by giving up the one session in the way that
they care for no more.  Each day keeps the longest first part of its moves whose rides
the vehicles serve (``rides.serve``), found by halving its openings and then its other
moves, so the plan is no harder to ride than the vehicles allow.  Further passes make
the same moves from the last one's result, where the time allows.  The model, with the
new pairs candidates too, then confirms that the last result keeps every rule and counts
its goals (``stages.valued``); neither the least share nor interest falls.
"""

from __future__ import annotations

from dataclasses import replace

from ...model import Visit
from .. import placement
from ..budget import Budget
from ..build import bare, open_days
from ..restrictions import Restrictions
from ..rides import RideFailure, serve
from ..schedule import DAY, Found, Schedule
from . import stages
from .moves import Move, moves_for, with_moves

ROUNDS = 8
"""Most tries of the rides: the additions of a day they fail are cut for the next."""

PASSES = 4
"""Most passes of the moves, each from the last one's result: a pass opens sessions
and frees seats that open more.  Regular L seed 1: interest 191,745 after one pass,
200,297 after two, 202,568 and 203,534 after three and four (each about 20 s
without the model's count); at 120 s four fit since the rides keep only a few
times what the first plan's took (``budget.RIDES_TIMED``): 203,947, ending at 108 s."""


def topped_up(
    visit: Visit, restrictions: Restrictions, found: Found, budget: Budget, keep: float = 0.0
) -> Found:
    """``found`` with free seats taken where the vehicles still serve every day (a day
    they fail already takes none); ``found`` itself when nothing was added.  A
    further pass runs while what the budget has left, less ``keep`` for the phases
    after, holds another pass and the count (``budget.PARTS``); Python's work
    spends no deterministic time, so with ``--deterministic-time`` every pass runs."""
    ctx = open_days(visit)
    placing = bare(visit)
    placing.day_choice = dict(restrictions.chosen_days)
    # a day the repair made stricter keeps its delegation together (``fallback``): left
    # as it is, since the moves know nothing of that (M seed 3: the model refused them all)
    strict = frozenset(k for k, level in restrictions.levels.items() if level)
    schedule = found.schedule
    for _pass in range(PASSES):
        began = budget.spent()
        offered = placement.beside(placing, schedule.starts())
        moves = moves_for(ctx, schedule, offered, strict)
        served = _served(visit, ctx, schedule, moves, offered, budget)
        if served is None:
            break
        schedule = served
        if budget.left() < keep + budget.part("pass and count", budget.spent() - began):
            break
    if schedule is found.schedule:
        return found
    counted = stages.counted(visit, restrictions, schedule, budget, budget.share("top-up count"))
    order = list(found.values)
    if counted is None or counted.rank(order) <= found.rank(order):
        return found
    return replace(counted, bounds={})


def _served(visit: Visit, ctx, schedule: Schedule, moves: list[Move], offered, budget: Budget):
    """``schedule`` after the longest first part of each day's ``moves`` that the
    vehicles serve, cut while that day's rides fail (``_cut``); None when none is.
    A day's rides depend on that day alone: after the first try, only the days
    that failed are tried again (on XL a try of all ten days takes 11 s).  A day
    that fails with none of its moves kept failed before them: it keeps none, and
    its rides are the repair's (``served_plan``)."""
    starts = {**offered, **schedule.starts()}
    per_day: dict[int, list[Move]] = {}
    for move in moves:
        per_day.setdefault(starts[move[1]] // DAY, []).append(move)
    kept = {k: len(day) for k, day in per_day.items()}
    failed: dict[int, int] = {}  # day to its failed tries
    riding, trying = bare(visit), None
    for _round in range(ROUNDS):
        if not any(kept.values()) or budget.left() <= 0:
            return None
        made = [move for k, day in per_day.items() for move in day[: kept[k]]]
        more = with_moves(ctx, schedule, made, offered)
        try:
            serve(riding, more, budget, only=trying)
            return more
        except RideFailure as failure:
            ours = [k for k in failure.days if kept.get(k)]
            if not ours:  # each day fails with nothing added: not the additions' doing
                return more
            for k in ours:
                failed[k] = failed.get(k, 0) + 1
                kept[k] = _cut(per_day[k], kept[k], offered, failed[k])
            trying = frozenset(ours)
    return None


def _cut(day: list[Move], n: int, offered, tries: int) -> int:
    """How many of a failed day's moves to keep when its first ``n`` were too many, at
    its ``tries``-th failure.  While some of the ``n`` open sessions of ``offered``
    (they come last, and a new place to drive to asks the most of the vehicles):
    half of those at the first failure, none at the next; then half of all.
    Never a part that ends inside the run of moves that opens one session: its
    min_size needs them all."""
    opening = next((i for i, move in enumerate(day[:n]) if move[1] in offered), n)
    if opening < n:
        n = opening + (n - opening) // 2 if tries == 1 else opening
    else:
        n //= 2
    while 0 < n < len(day) and day[n][1] == day[n - 1][1] and day[n][1] in offered:
        n -= 1
    return n
