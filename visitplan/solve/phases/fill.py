"""A greedy attendance for a timetable: the first plan the attendance model starts from.

With the times fixed, CP-SAT's first solution holds almost nothing (holding an
optional session takes its min_size attendees at once), and on a large visit
the search then needs most of its time to fill the programme (the L
benchmark: 409 of 600 sessions still left out after a minute).  Here each
session takes, one after the other, the delegates who care for it and can
still fit it (among the model's candidates), the least served first, up to
its max_size; a session that cannot reach its min_size is left out.  "Can
fit" is the model's own rules about a delegate's day, checked in plain Python
(``agendas``), and their access needs.  A session that must be held takes
other candidates too, up to its min_size.  The
result is hinted as a whole; where it misses a rule the model's first
solution repairs it, and nothing here decides the plan.
"""

from __future__ import annotations

from ...model import Visit
from ..rules import access
from ..rules.attendance import interest
from ..schedule import DAY, Schedule
from ..variables import Context
from .agendas import Agendas, rooms


def fill(ctx: Context, starts: dict[str, int]) -> Schedule:
    """Attendance and lunches for the sessions held at ``starts``; ``ctx`` is the
    attendance model's, for its stays, rides and potentials."""
    visit = ctx.visit
    days = Agendas(ctx)
    served = {d.id: 0 for d in visit.delegates}
    room = rooms(ctx)
    schedule = Schedule()
    for session in visit.sessions:  # whole-delegation sessions: everyone present is there
        if session.is_all and session.id in starts:
            days.block_everyone(session, starts[session.id])
    for session in in_order(visit, starts):
        start = starts[session.id]
        candidates = set(ctx.candidates.get(session.id, ()))
        keen = [
            d
            for d in visit.delegates
            if d.id in candidates
            and (interest(d, session) > 0 or session.id in d.must_attend)
            and access.admits(ctx, d, session)
        ]
        keen.sort(
            key=lambda d: (
                session.id not in d.must_attend,
                served[d.id] * 1000 // room[d.id],
                -interest(d, session),
                d.id,
            )
        )
        chosen = []
        for delegate in keen:
            if session.max_size is not None and len(chosen) >= session.max_size:
                break
            if days.fits(delegate, session, start):
                chosen.append(delegate)
        if len(chosen) < session.min_size and session.id in visit.must_schedule:
            chosen += _fillers(ctx, days, session, start, candidates, chosen)
        if len(chosen) < session.min_size and session.id not in visit.must_schedule:
            continue
        k, minute = divmod(start, DAY)
        schedule.times[session.id] = (k, minute, minute + session.minutes)
        for delegate in chosen:
            days.put(delegate, session, start)
            served[delegate.id] += interest(delegate, session)
            schedule.attends.setdefault(delegate.id, []).append(session.id)
    for sid, start in starts.items():
        session = visit.session(sid)
        if session.is_all:
            k, minute = divmod(start, DAY)
            schedule.times[sid] = (k, minute, minute + session.minutes)
    for sids in schedule.attends.values():
        sids.sort()
    days.lunches(schedule)
    return schedule


def _fillers(ctx: Context, days, session, start: int, candidates: set, chosen: list) -> list:
    """Candidates who do not care for a session that must be held, as many as fit and
    its min_size still needs: without them the hint breaks min_size and the
    model cannot complete it (on the L benchmark a required session with no keen
    delegate cost a 5 s solve that proved just that)."""
    taken = {d.id for d in chosen}
    more = []
    for delegate in ctx.visit.delegates:
        if len(chosen) + len(more) >= session.min_size:
            break
        if (
            delegate.id in candidates
            and delegate.id not in taken
            and access.admits(ctx, delegate, session)
            and days.fits(delegate, session, start)
        ):
            more.append(delegate)
    return more


def in_order(visit: Visit, starts: dict[str, int]):
    """Sessions that must be held first, then the most wanted."""
    must = visit.must_schedule
    wanted = {s.id: sum(1 for d in visit.delegates if interest(d, s) > 0) for s in visit.sessions}
    held = [s for s in visit.sessions if s.id in starts and not s.is_all]
    return sorted(held, key=lambda s: (s.id not in must, -wanted[s.id], s.id))
