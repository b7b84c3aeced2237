"""Attendance with the times held, improved one day at a time with every keen pair.

Once every session's day and start are held, one day's attendance and lunches
touch the other days only through the goals (a delegate's share counts every
day) and through groups (one session of a group, whatever its day).  So on a
visit too large for attendance with every keen delegate at once
(``build.WIDE_LARGEST``), each day is solved again on its own: a model of that
day's sessions, with any session of the same group on another day held with
its attendees settled, and the rest of the plan as constants of the goals
(``goals.Elsewhere``), so that the day model's goals are the whole plan's.  A
day's model is a tenth of the whole and CP-SAT proves it in seconds; the day's
attendance and lunches replace the plan's when the whole plan ranks better.
"""

from __future__ import annotations

from dataclasses import replace

from ...model import Visit
from ..budget import SHORTEST, Budget
from ..build import build, open_days
from ..goals import Elsewhere, potential
from ..restrictions import Restrictions
from ..rules.attendance import interest
from ..schedule import DAY, Found, Schedule
from . import stages

A_DAY = stages.Pass(fresh=True, first="first goal of a day", leftover=False)
"""A day's first goal is searched afresh and gets most of the day's time, and what a
day leaves goes to the days after it: the later goals of a day's model seldom
prove (a least share counts every day) and would take all the time they are
given (block L at 257 s: 18.6 s a day, its interest proven in 3 to 5)."""


def by_days(
    visit: Visit,
    restrictions: Restrictions,
    budget: Budget,
    limit: float,
    start: Found,
    show: bool = False,
) -> Found:
    """``start`` (times as ``restrictions`` hold them) with each day's attendance solved
    again, goal by goal, with every keen delegate a candidate, within ``limit``."""
    days = sorted({at // DAY for at in restrictions.fixed.values()})
    potentials = _potentials(visit)
    order = list(start.values)
    best = start
    until = budget.spent() + limit
    for index, k in enumerate(days):
        share = (until - budget.spent()) / (len(days) - index)
        if share < SHORTEST or budget.left() <= 0:
            break
        day, held = _day_model(visit, restrictions, best, k, potentials)
        ctx = build(day, held)
        found = stages.by_goals(ctx, budget, share, best, show, A_DAY)
        if found.rank(order) > best.rank(order):
            best = replace(found, schedule=_merged(best.schedule, found.schedule, k), named={})
    return replace(best, bounds={})


def _day_model(
    visit: Visit, restrictions: Restrictions, best: Found, k: int, potentials: dict[str, int]
) -> tuple[Visit, Restrictions]:
    """Day ``k``'s visit and restrictions: its sessions, the sessions of their groups held
    on other days (settled), and what the rest of ``best`` adds to the goals."""
    fixed = restrictions.fixed
    today = {sid for sid, at in fixed.items() if at // DAY == k}
    groups = {visit.session(sid).group for sid in today} - {""}
    schedule = best.schedule
    grouped = {
        sid for sid in schedule.times if sid not in today and visit.session(sid).group in groups
    }
    inside = today | grouped
    pairs = schedule.pairs()
    met: dict[str, int] = {}
    for did, sid in pairs:
        session = visit.session(sid)
        if sid not in inside and not session.is_all:
            met[did] = met.get(did, 0) + interest(visit.delegate(did), session)
    must = visit.must_schedule
    optional = [s.id for s in visit.sessions if s.id not in must]
    elsewhere = Elsewhere(
        met=met,
        potential=potentials,
        optional_held=sum(1 for sid in optional if sid in schedule.times and sid not in inside),
        optional=len(optional),
    )
    day = replace(
        visit,
        sessions=tuple(
            replace(s, after=tuple(e for e in s.after if e in inside))
            for s in visit.sessions
            if s.id in inside
        ),
        delegates=tuple(
            replace(d, must_attend=tuple(sid for sid in d.must_attend if sid in inside))
            for d in visit.delegates
        ),
    )
    held = replace(
        restrictions,
        every_pair=True,
        kept_pairs=frozenset(p for p in pairs if p[1] in inside),
        settled=frozenset(grouped),
        elsewhere=elsewhere,
    ).holding({sid: fixed[sid] for sid in inside}, frozenset())
    return day, held


def _merged(whole: Schedule, day: Schedule, k: int) -> Schedule:
    """``whole`` with day ``k``'s sessions, attendance and lunches taken from ``day``."""
    today = {sid for sid, (at, _s, _e) in whole.times.items() if at == k}
    today |= {sid for sid, (at, _s, _e) in day.times.items() if at == k}
    times = {sid: t for sid, t in whole.times.items() if sid not in today}
    times.update({sid: t for sid, t in day.times.items() if sid in today})
    attends: dict[str, list[str]] = {}
    for did in sorted(set(whole.attends) | set(day.attends)):
        kept = [sid for sid in whole.attends.get(did, ()) if sid not in today]
        kept += [sid for sid in day.attends.get(did, ()) if sid in today]
        if kept:
            attends[did] = sorted(kept)
    lunch = {key: v for key, v in whole.lunch.items() if key[1] != k}
    lunch.update({key: v for key, v in day.lunch.items() if key[1] == k})
    place = {key: v for key, v in whole.lunch_place.items() if key[1] != k}
    place.update({key: v for key, v in day.lunch_place.items() if key[1] == k})
    return Schedule(times, attends, lunch, place)


def _potentials(visit: Visit) -> dict[str, int]:
    """Each delegate's potential over the whole visit, as the whole model counts it."""
    ctx = open_days(visit)
    return {d.id: potential(visit, ctx, d) for d in visit.delegates}
