"""Seats the shortlists leave free, offered to every keen delegate, where the
vehicles still serve the day.

Under a fleet limit a visit too large for the whole model keeps its
shortlists (``build.wide``): with every keen delegate a candidate, attendance
spreads over more places at once than the vehicles can serve (the regular L
benchmark, 125 vehicles: nine days of ten failed).  The shortlists still leave
seats free that keen delegates can reach.  The greedy ``moves.moves_for`` offers
them, least served first, lets a delegate give up a session for a keener one
it alone stands in the way of, and passes seats of full sessions to the least
served and then to the keener; each day keeps the longest first part of its
moves whose rides the vehicles serve (``rides.serve``), found by halving, so
the plan is no harder to ride than the vehicles allow.  The model, with the
new pairs candidates too, then confirms that the result keeps every rule and
counts its goals (``stages.valued``); neither the least share nor interest
falls.
"""

from __future__ import annotations

from dataclasses import replace

from ...model import Visit
from ..budget import Budget
from ..build import bare, build, open_days
from ..restrictions import Restrictions
from ..rides import RideFailure, serve
from ..schedule import Found, Schedule
from . import stages
from .moves import Move, moves_for, with_moves

ROUNDS = 6
"""Most tries of the rides: the additions of a day they fail are halved for the next."""


def topped_up(visit: Visit, restrictions: Restrictions, found: Found, budget: Budget) -> Found:
    """``found`` (whose rides the vehicles serve) with free seats taken where the
    vehicles still serve every day; ``found`` itself when nothing was added."""
    ctx = open_days(visit)
    schedule = found.schedule
    served = _served(visit, ctx, schedule, moves_for(ctx, schedule), budget)
    if served is None:
        return found
    out = frozenset(s.id for s in visit.sessions if s.id not in schedule.times)
    held = replace(restrictions.holding(schedule.starts(), out), kept_pairs=served.pairs())
    limit = budget.share("construct")
    counted = stages.valued(build(visit, held), budget, limit, Found(served, {}))
    order = list(found.values)
    if counted is None or counted.rank(order) <= found.rank(order):
        return found
    return replace(counted, bounds={})


def _served(visit: Visit, ctx, schedule: Schedule, moves: list[Move], budget: Budget):
    """``schedule`` after the longest first part of each day's ``moves``, halved while
    that day's rides fail, that the vehicles serve; None when none is."""
    per_day: dict[int, list[Move]] = {}
    for move in moves:
        per_day.setdefault(schedule.times[move[1]][0], []).append(move)
    kept = {k: len(day) for k, day in per_day.items()}
    riding = bare(visit)
    for _round in range(ROUNDS):
        if not any(kept.values()) or budget.left() <= 0:
            return None
        made = [move for k, day in per_day.items() for move in day[: kept[k]]]
        more = with_moves(ctx, schedule, made)
        try:
            serve(riding, more, budget)
            return more
        except RideFailure as failure:
            if any(not kept.get(k) for k in failure.days):
                return None  # a day fails with nothing added: not the additions' doing
            kept.update({k: kept[k] // 2 for k in failure.days})
    return None
