"""The top-up's moves: free seats taken, sessions traded for keener ones, seats of
full sessions passed to the least served or the keener (``top_up`` says why and
when)."""

from __future__ import annotations

import math

from ..goals import potential
from ..rules import access
from ..rules.attendance import interest
from ..schedule import DAY, Schedule
from ..variables import Context
from .agendas import Agendas
from .fill import in_order

Move = tuple[str, str, str | None, str | None]
"""(delegate id, session id taken, session id given up for it or None, delegate id
who gives their seat in it up or None)."""

BUMPED_SHARE = 0.2
"""The least-served part of the delegation that may take a seat of a full session from
a better-served delegate (``moves_for``)."""


def moves_for(ctx: Context, schedule: Schedule) -> list[Move]:
    """The moves that improve ``schedule``, in the order made: each held session's free
    seats offered to every keen delegate who still fits it, least served first and
    the sessions in ``fill``'s order; then, least served first, a delegate gives
    up a session for a keener one it alone stands in the way of; last, the least
    served fifth takes seats of full sessions from better-served delegates, and
    then anyone from a delegate who cares for the seat less (``_Bumps``).
    Neither the least share nor interest falls.  Any first part of one day's
    moves keeps every rule whatever the other days keep (``with_moves``): a
    day's moves touch that day's sessions alone, and no move frees a delegate's
    group for another of its sessions.

    The shortlists guess, before any time is known, which sessions a delegate
    might get; with the times known, the regular L benchmark's plan after its goal
    by goal pass had room for 5,394 more (interest 136,544 to 165,361, least share
    16 to 61, in 3 s), where CP-SAT with every keen pair of one day gained 1,500 in
    10 s.  ``ctx`` knows stays, rides and open days (``build.open_days``)."""
    visit = ctx.visit
    days, served, taken = Agendas.of(ctx, schedule)
    base = dict(served)
    room = {d.id: max(1, potential(visit, ctx, d)) for d in visit.delegates}
    starts = schedule.starts()
    moves: list[Move] = []

    def share(d) -> tuple:
        return (served[d.id] * 1000 // room[d.id], d.id)

    def take(delegate, session, dropped=None, bumped=None) -> None:
        days.put(delegate, session, starts[session.id])
        served[delegate.id] += interest(delegate, session)
        taken[session.id] += 1
        given = None if dropped is None else dropped.id
        moves.append((delegate.id, session.id, given, None if bumped is None else bumped.id))

    for session in in_order(visit, starts):
        for delegate in _by_share(ctx, session, served, room):
            if not _free(session, taken):
                break
            if session.id not in days.attends(delegate) and days.fits(
                delegate, session, starts[session.id]
            ):
                take(delegate, session)
    for delegate in sorted(visit.delegates, key=share):
        for session in _keenest_free(ctx, delegate, starts, taken, days):
            if not _free(session, taken) or session.id in days.attends(delegate):
                continue  # taken by a move made since
            if days.fits(delegate, session, starts[session.id]):
                take(delegate, session)
                continue
            given = _given_up(ctx, days, delegate, session, starts, taken)
            if given is not None:
                served[delegate.id] -= interest(delegate, given)
                taken[given.id] -= 1
                take(delegate, session, given)
    bumps = _Bumps(ctx, days, starts, base, room)
    for delegate in sorted(visit.delegates, key=share)[
        : math.ceil(len(visit.delegates) * BUMPED_SHARE)
    ]:
        for session in bumps.full_for(delegate, taken):
            other = bumps.seat_for(delegate, session, served)
            if other is not None:
                served[other.id] -= interest(other, session)
                taken[session.id] -= 1
                take(delegate, session, bumped=other)
    # then for interest alone, keeping the least share the moves reached
    bumps.floor = min((share(d)[0] for d in visit.delegates if room[d.id] > 1), default=0)
    for delegate in visit.delegates:
        for session in bumps.full_for(delegate, taken):
            other = bumps.seat_for(delegate, session, served, keener=True)
            if other is not None:
                served[other.id] -= interest(other, session)
                taken[session.id] -= 1
                take(delegate, session, bumped=other)
    return moves


class _Bumps:
    """A seat in a full session, taken by a least-served delegate from a better-served
    one who cares for it no more (the least share rises and interest does not fall),
    or by any delegate from one who cares for it less (interest rises).  The
    one who gives it up stays at or above the plan's least share whatever else the
    moves add (their share is counted from the plan, less what they gave up), so
    any first part of the moves keeps that least share."""

    def __init__(self, ctx: Context, days, starts: dict, base: dict, room: dict):
        self.ctx, self.days, self.starts, self.room = ctx, days, starts, room
        self.kept = dict(base)  # each delegate's interest met that no first part loses
        self.least = min((base[d] * 1000 // room[d] for d in base if room[d] > 1), default=0)
        self.floor = self.least
        """The least share no seat given up may take anyone below, with every move made."""

    def full_for(self, delegate, taken: dict) -> list:
        """The full sessions the delegate cares for and fits, keenest first."""
        full = [
            s
            for s in _keenest(self.ctx, delegate, self.starts, self.days)
            if s.kind != "meal" and not _free(s, taken)  # a meal: someone's lunch
        ]
        return [s for s in full if self.days.fits(delegate, s, self.starts[s.id])]

    def seat_for(self, delegate, session, served: dict, keener: bool = False):
        """The attendee who gives up their seat to ``delegate``, or None: of those who
        need not attend it, keep a lunch without it and stay at or above the plan's
        least share, the best served who care for it no more and stay above the
        delegate's share; with ``keener``, for interest alone, the one who cares for it
        least, less than the delegate does, and stays at or above ``floor``."""
        visit, days, start = self.ctx.visit, self.days, self.starts[session.id]
        if not days.fits(delegate, session, start):  # a seat taken since changed their day
            return None
        gain = interest(delegate, session)
        before = -1 if keener else served[delegate.id] * 1000 // self.room[delegate.id]
        best, best_key = None, None
        for did in sorted(days.seated.get(session.id, ())):
            other = visit.delegate(did)
            if session.id in other.must_attend:
                continue
            loss = interest(other, session)
            kept = (self.kept[other.id] - loss) * 1000 // self.room[other.id]
            now = (served[other.id] - loss) * 1000 // self.room[other.id]
            key = (-loss, kept) if keener else (kept,)
            if loss > gain or (keener and loss == gain) or kept <= before or kept < self.least:
                continue
            if now < self.floor:
                continue
            if (best_key is None or key > best_key) and days.gives_up(other, session, start):
                best, best_key = other, key
        if best is None:
            return None
        days.drop(best, session, start)
        self.kept[best.id] -= interest(best, session)
        return best


def with_moves(ctx: Context, schedule: Schedule, moves: list[Move]) -> Schedule:
    """``schedule`` after ``moves``, and a lunch break placed again on each day they
    touch (a meal session kept where it was the break)."""
    attends = {did: set(sids) for did, sids in schedule.attends.items()}
    touched = set()
    for did, sid, given, bumped in moves:
        k = schedule.times[sid][0]
        attends.setdefault(did, set()).add(sid)
        attends[did].discard(given)
        touched.add((did, k))
        if bumped is not None:
            attends[bumped].discard(sid)
            touched.add((bumped, k))
    lists = {did: sorted(sids) for did, sids in attends.items() if sids}
    more = Schedule(dict(schedule.times), lists, dict(schedule.lunch), dict(schedule.lunch_place))
    days, _served, _taken = Agendas.of(ctx, more)
    days.lunches(more, touched)
    return more


def _free(session, taken: dict) -> bool:
    return session.max_size is None or taken[session.id] < session.max_size


def _keenest_free(ctx: Context, delegate, starts: dict, taken: dict, days) -> list:
    """The held sessions with a free seat the delegate cares for and does not attend,
    keenest first."""
    return [s for s in _keenest(ctx, delegate, starts, days) if _free(s, taken)]


def _keenest(ctx: Context, delegate, starts: dict, days) -> list:
    """The held choice sessions the delegate cares for, may enter and does not attend,
    keenest first."""
    visit, attended = ctx.visit, days.attends(delegate)
    keen = [
        visit.session(sid)
        for sid in starts
        if sid not in attended and interest(delegate, visit.session(sid)) > 0
    ]
    keen = [s for s in keen if not s.is_all and access.admits(ctx, delegate, s)]
    return sorted(keen, key=lambda s: (-interest(delegate, s), s.id))


def _given_up(ctx: Context, days, delegate, session, starts: dict, taken: dict):
    """The one session of the delegate's day that alone keeps them from ``session`` and
    that they care for less, when giving it up lets ``session`` fit; else None.
    Never a session they must attend, one of a group, a meal, or one its min_size
    needs them at."""
    visit, start = ctx.visit, starts[session.id]
    k = start // DAY
    clashes = [
        visit.session(sid)
        for sid in days.attends(delegate)
        if starts[sid] // DAY == k
        and days.clash(delegate, visit.session(sid), starts[sid], session, start)
    ]
    if len(clashes) != 1:
        return None
    given = clashes[0]
    if (
        given.is_all
        or given.group
        or given.kind == "meal"
        or given.id in delegate.must_attend
        or taken[given.id] <= given.min_size
        or interest(delegate, given) >= interest(delegate, session)
    ):
        return None
    days.drop(delegate, given, starts[given.id])
    if days.fits(delegate, session, start):
        return given
    days.put(delegate, given, starts[given.id])
    return None


def _by_share(ctx: Context, session, served: dict, room: dict) -> list:
    """The keen delegates the access needs admit to ``session``, least served first."""
    keen = [
        d
        for d in ctx.visit.delegates
        if interest(d, session) > 0 and access.admits(ctx, d, session)
    ]
    return sorted(
        keen, key=lambda d: (served[d.id] * 1000 // room[d.id], -interest(d, session), d.id)
    )
