"""Improving a plan: the whole model goal by goal when the visit is small, else
large neighbourhoods.

A neighbourhood frees the times of a few sessions and holds every other
session where the plan has it; attendance and lunches stay free everywhere,
which costs little once most times are fixed (``rules.delegate_travel``).
Times and attendance are then solved together for the goals, weighted, from
the plan as a hint, and what improves is kept.  The neighbourhoods take turns, the
least served every other turn:

- a **day**: the sessions held that day, and the optional sessions left out
  that could be held then, all kept to that day;
- a **host**: its sessions, on any day;
- the **least served**: the sessions the least-served delegates care for most,
  those held kept to their day.

A neighbourhood frees at most ``FREE_MOST`` sessions, drawn by the seed, so
that one solve stays short on a large visit.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from ...model import Visit
from ..budget import Budget
from ..build import build, every_pair, open_days, small
from ..goals import potential
from ..relaxation import Relaxation
from ..restrictions import Restrictions
from ..rules.attendance import interest
from ..schedule import Found
from . import stages

FREE_MOST = 24
"""Most sessions one neighbourhood frees."""

EXHAUSTED = 12
"""Turns in a row, each proving its neighbourhood holds nothing better, after which
the improvement stops: on a visit of few days and hosts every neighbourhood
has been tried from this plan, and the time is better left unspent."""

PER_DELEGATE = 4
"""Sessions of each least-served delegate that their neighbourhood frees."""

EARLIER_KEPT = 2
"""Most of the better plans passed on the way that are kept in reserve (``Improved``):
each one the rides are tried on costs a try of every day's rides (L: seconds)."""


@dataclass(frozen=True)
class Improved:
    best: Found
    earlier: tuple[Found, ...]
    """Better plans than the start passed on the way, oldest first (``EARLIER_KEPT`` at
    most): the reserve should the vehicles fail the best's rides and its repair
    (Latgale at 10 s: the best's day 0 failed, shedding found no plan, and the
    reserve had only the first plan, interest 252 of about 1,700)."""


def improve(
    visit: Visit,
    restrictions: Restrictions,
    start: Found,
    budget: Budget,
    until: float,
    show: bool = False,
) -> Improved:
    """``start`` improved until the budget has ``until`` left."""
    passed: list[Found] = []
    if small(visit):
        ctx = build(visit, restrictions)
        relaxation = None if restrictions.previous else Relaxation.of(every_pair(visit))
        how = stages.Pass(relaxation, passed=passed)
        best = stages.by_goals(ctx, budget, budget.left() - until, start, show, how)
        return _improved(best, passed)
    best = start
    hoods = Neighbourhoods(visit, random.Random(budget.limits.seed))
    exhausted = 0  # turns in a row that proved their neighbourhood holds nothing better
    while budget.left() - until > 0 and exhausted < EXHAUSTED:
        freed, days = hoods.next(best.schedule)
        held = _holding(visit, restrictions, best, freed, days)
        ctx = build(visit, held)
        if budget.left() - until <= 0:
            break
        limit = min(budget.share("neighbourhood"), budget.left() - until)
        better, proven = stages.weighted(ctx, budget, limit, best, show)
        exhausted = exhausted + 1 if proven and better is None else 0
        if better is not None:
            best = replace(better, bounds={})
            passed.append(best)
            del passed[: -EARLIER_KEPT - 1]  # (an L plan is megabytes)
    return _improved(best, passed)


def _improved(best: Found, passed: list[Found]) -> Improved:
    earlier = [found for found in passed if found.schedule is not best.schedule]
    return Improved(best, tuple(earlier[-EARLIER_KEPT:]))


def _holding(visit: Visit, restrictions: Restrictions, best: Found, freed: set, days: dict):
    """``restrictions`` with every session outside ``freed`` held as ``best`` has it."""
    starts = best.schedule.starts()
    times = {sid: start for sid, start in starts.items() if sid not in freed}
    out = frozenset(s.id for s in visit.sessions if s.id not in starts and s.id not in freed)
    touched = {best.schedule.times[sid][0] for sid in freed if sid in best.schedule.times}
    touched |= set(days.values())
    settled = {sid for sid in times if best.schedule.times[sid][0] not in touched}
    return replace(
        restrictions.holding(times, out),
        chosen_days={**restrictions.chosen_days, **days},
        kept_pairs=best.schedule.pairs(),
        settled=frozenset(settled),
    )


class Neighbourhoods:
    """The turns of neighbourhoods: (sessions freed, session id to the day it is kept to)."""

    def __init__(self, visit: Visit, draw: random.Random):
        self.visit, self.draw = visit, draw
        self.ctx = open_days(visit)  # what ``potential`` counts
        self.open_days = self.ctx.open_days
        self.days = sorted({k for ks in self.open_days.values() for k in ks})
        self.hosts = sorted({s.host_id for s in visit.sessions})
        self.turn = 0

    def next(self, schedule) -> tuple[set[str], dict[str, int]]:
        self.turn += 1
        visit, turn = self.visit, self.turn
        kind = turn % 4
        if kind == 1 and self.days:
            k = self.days[(turn // 4) % len(self.days)]
            held = set(schedule.on_day(k))
            left_out = {
                s.id
                for s in visit.sessions
                if s.id not in schedule.times and k in self.open_days[s.id]
            }
            freed = _at_most(held | left_out, self.draw)
            return freed, {sid: k for sid in freed}
        if kind == 3 and self.hosts:
            host = self.hosts[self.draw.randrange(len(self.hosts))]
            return _at_most({s.id for s in visit.sessions if s.host_id == host}, self.draw), {}
        freed = _at_most(_least_served(visit, self.ctx, schedule, self.draw), self.draw)
        return freed, {sid: schedule.times[sid][0] for sid in freed if sid in schedule.times}


def _least_served(visit: Visit, ctx, schedule, draw: random.Random) -> set[str]:
    """The sessions the least-served delegates care for most: from the least share up,
    ``PER_DELEGATE`` of each one's (drawn from their keenest twice as many), until
    ``FREE_MOST`` are freed.  A least share rises only when every delegate at it
    gains, so the neighbourhood takes as many of them as it can."""
    shares = []
    for delegate in visit.delegates:
        pot = potential(visit, ctx, delegate)
        if pot <= 0:
            continue
        attended = schedule.attends.get(delegate.id, ())
        met = sum(interest(delegate, visit.session(sid)) for sid in attended)
        shares.append((met * 1000 // pot, delegate.id))
    freed: set[str] = set()
    for _share, did in sorted(shares):
        delegate = visit.delegate(did)
        keen = sorted(
            (s.id for s in visit.sessions if not s.is_all and interest(delegate, s) > 0),
            key=lambda sid: (-interest(delegate, visit.session(sid)), sid),
        )[: 2 * PER_DELEGATE]
        freed |= set(draw.sample(keen, min(PER_DELEGATE, len(keen))))
        if len(freed) >= FREE_MOST:
            break
    return freed


def _at_most(sessions: set[str], draw: random.Random) -> set[str]:
    ordered = sorted(sessions)
    if len(ordered) <= FREE_MOST:
        return set(ordered)
    return set(draw.sample(ordered, FREE_MOST))
