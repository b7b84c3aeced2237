"""A greedy attendance for a timetable: the first plan the attendance model starts from.

With the times fixed, CP-SAT's first solution holds almost nothing (holding an
optional session takes its min_size attendees at once), and on a large visit
the search then needs most of its time to fill the programme (the L
benchmark: 409 of 600 sessions still left out after a minute).  Here each
session takes, one after the other, the delegates who care for it and can
still fit it (among the model's candidates), the least served first, up to its max_size; a session that
cannot reach its min_size is left out.  "Can fit" is the model's own rules,
checked in plain Python: present with time to ride from the hotel and back,
the ride between any two of the day's sessions, one session per group,
access needs, and a lunch break left at the hotel or a host of the day.  A
session that must be held takes other candidates too, up to its min_size.  The
result is hinted as a whole; where it misses a rule the model's first
solution repairs it, and nothing here decides the plan.
"""

from __future__ import annotations

import math

from ...model import BASE, Visit
from ...timegrid import minute_of, stay
from ..goals import potential
from ..rules import access
from ..rules.attendance import interest
from ..schedule import DAY, Schedule
from ..variables import Context


def fill(ctx: Context, starts: dict[str, int]) -> Schedule:
    """Attendance and lunches for the sessions held at ``starts``; ``ctx`` is the
    attendance model's, for its stays, rides and potentials."""
    visit = ctx.visit
    days = _Days(ctx)
    served = {d.id: 0 for d in visit.delegates}
    room = {d.id: max(1, potential(visit, ctx, d)) for d in visit.delegates}
    schedule = Schedule()
    for session in visit.sessions:  # whole-delegation sessions: everyone present is there
        if session.is_all and session.id in starts:
            days.block_everyone(session, starts[session.id])
    for session in _in_order(visit, starts):
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


Move = tuple[str, str, str | None, str | None]
"""(delegate id, session id taken, session id given up for it or None, delegate id
who gives their seat in it up or None)."""

BUMPED_SHARE = 0.2
"""The least-served part of the delegation that may take a seat of a full session from
a better-served delegate (``top_up``)."""


def top_up(ctx: Context, schedule: Schedule) -> list[Move]:
    """The moves that improve ``schedule``, in the order made: each held session's free
    seats offered to every keen delegate who still fits it, least served first and
    the sessions in ``fill``'s order; then, least served first, a delegate gives
    up a session for a keener one it alone stands in the way of; last, the least
    served fifth takes seats of full sessions from better-served delegates
    (``_Bumps``).  Neither the least share nor interest falls.  Any first part of one day's moves
    keeps every rule whatever the other days keep (``with_moves``): a day's moves
    touch that day's sessions alone, and none gives up a session of a group.

    The shortlists guess, before any time is known, which sessions a delegate
    might get; with the times known, the regular L benchmark's plan after its goal
    by goal pass had room for 5,394 more (interest 136,544 to 165,361, least share
    16 to 61, in 3 s), where CP-SAT with every keen pair of one day gained 1,500 in
    10 s.  ``ctx`` knows stays, rides and open days (``build.open_days``)."""
    visit = ctx.visit
    days, served, taken = _Days.of(ctx, schedule)
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

    for session in _in_order(visit, starts):
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
    return moves


class _Bumps:
    """A least-served delegate's seat in a full session, taken from a better-served one
    who cares for it no more: the least share rises and interest does not fall.  The
    one who gives it up stays at or above the plan's least share whatever else the
    moves add (their share is counted from the plan, less what they gave up), so
    any first part of the moves keeps that least share."""

    def __init__(self, ctx: Context, days, starts: dict, base: dict, room: dict):
        self.ctx, self.days, self.starts, self.room = ctx, days, starts, room
        self.kept = dict(base)  # each delegate's interest met that no first part loses
        self.least = min((base[d] * 1000 // room[d] for d in base if room[d] > 1), default=0)

    def full_for(self, delegate, taken: dict) -> list:
        """The full sessions the delegate cares for and fits, keenest first."""
        visit, days, attended = self.ctx.visit, self.days, self.days.attends(delegate)
        full = [
            visit.session(sid)
            for sid in self.starts
            if sid not in attended and interest(delegate, visit.session(sid)) > 0
        ]
        full = [
            s
            for s in full
            if not s.is_all
            and s.kind != "meal"  # someone's lunch
            and not _free(s, taken)
            and access.admits(self.ctx, delegate, s)
        ]
        full.sort(key=lambda s: (-interest(delegate, s), s.id))
        return [s for s in full if days.fits(delegate, s, self.starts[s.id])]

    def seat_for(self, delegate, session, served: dict):
        """The attendee who gives up their seat to ``delegate``, or None: the best served
        of those who care for it no more, need not attend it, keep a lunch without
        it, stay at or above the plan's least share and above the delegate's share."""
        visit, days, start = self.ctx.visit, self.days, self.starts[session.id]
        if not days.fits(delegate, session, start):  # a seat taken since changed their day
            return None
        gain = interest(delegate, session)
        before = served[delegate.id] * 1000 // self.room[delegate.id]
        best, best_share = None, -1
        for did in sorted(days.seated.get(session.id, ())):
            other = visit.delegate(did)
            if session.id in other.must_attend:
                continue
            loss = interest(other, session)
            kept = (self.kept[other.id] - loss) * 1000 // self.room[other.id]
            if loss > gain or kept <= before or kept < self.least or kept <= best_share:
                continue
            if days.gives_up(other, session, start):
                best, best_share = other, kept
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
    days, _served, _taken = _Days.of(ctx, more)
    days.lunches(more, touched)
    return more


def _free(session, taken: dict) -> bool:
    return session.max_size is None or taken[session.id] < session.max_size


def _keenest_free(ctx: Context, delegate, starts: dict, taken: dict, days) -> list:
    """The held sessions with a free seat the delegate cares for and does not attend,
    keenest first."""
    visit, attended = ctx.visit, days.attends(delegate)
    keen = [
        visit.session(sid)
        for sid in starts
        if sid not in attended and interest(delegate, visit.session(sid)) > 0
    ]
    keen = [s for s in keen if not s.is_all and _free(s, taken) and access.admits(ctx, delegate, s)]
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


def _in_order(visit: Visit, starts: dict[str, int]):
    """Sessions that must be held first, then the most wanted."""
    must = visit.must_schedule
    wanted = {s.id: sum(1 for d in visit.delegates if interest(d, s) > 0) for s in visit.sessions}
    held = [s for s in visit.sessions if s.id in starts and not s.is_all]
    return sorted(held, key=lambda s: (s.id not in must, -wanted[s.id], s.id))


class _Days:
    """Each delegate's day so far: (start, end, host) of what they attend."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.busy: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
        self.groups: dict[str, set[str]] = {}
        self.attended: dict[str, set[str]] = {}
        self.seated: dict[str, set[str]] = {}
        lunch = ctx.visit.lunch
        self.window = None if lunch is None else (minute_of(lunch.start), minute_of(lunch.end))

    @classmethod
    def of(cls, ctx: Context, schedule: Schedule):
        """The days of ``schedule``, and each delegate's interest met and each session's
        attendees so far."""
        visit, days = ctx.visit, cls(ctx)
        starts = schedule.starts()
        served = {d.id: 0 for d in visit.delegates}
        taken = {sid: 0 for sid in starts}
        for did, sids in schedule.attends.items():
            delegate = visit.delegate(did)
            for sid in sids:
                session = visit.session(sid)
                days.put(delegate, session, starts[sid])
                taken[sid] += 1
                if not session.is_all:
                    served[did] += interest(delegate, session)
        return days, served, taken

    def attends(self, delegate) -> set[str]:
        return self.attended.get(delegate.id, set())

    def block_everyone(self, session, start: int) -> None:
        k, minute = divmod(start, DAY)
        for delegate in self.ctx.visit.delegates:
            if self.ctx.stay_bounds(delegate, k) is not None:
                self.busy.setdefault((delegate.id, k), []).append(
                    (minute, minute + session.minutes, session.host_id)
                )

    def put(self, delegate, session, start: int) -> None:
        k, minute = divmod(start, DAY)
        self.busy.setdefault((delegate.id, k), []).append(
            (minute, minute + session.minutes, session.host_id)
        )
        self.attended.setdefault(delegate.id, set()).add(session.id)
        self.seated.setdefault(session.id, set()).add(delegate.id)
        if session.group:
            self.groups.setdefault(delegate.id, set()).add(session.group)

    def gives_up(self, delegate, session, start: int) -> bool:
        """Whether the delegate still has a lunch break without ``session``."""
        k, minute = divmod(start, DAY)
        own = (minute, minute + session.minutes, session.host_id)
        day = list(self.busy.get((delegate.id, k), []))
        day.remove(own)
        return self._lunch(delegate, k, day) is not None

    def drop(self, delegate, session, start: int) -> None:
        k, minute = divmod(start, DAY)
        self.busy[(delegate.id, k)].remove((minute, minute + session.minutes, session.host_id))
        self.attended[delegate.id].discard(session.id)
        self.seated[session.id].discard(delegate.id)

    def clash(self, delegate, first, first_start: int, second, second_start: int) -> bool:
        """Whether one delegate cannot attend both sessions (same day), rides between
        them included."""
        foot = self.ctx.walks(delegate)
        a, b = first_start % DAY, second_start % DAY
        return not (
            a + first.minutes + self.ctx.hop(first.host_id, second.host_id, foot) <= b
            or b + second.minutes + self.ctx.hop(second.host_id, first.host_id, foot) <= a
        )

    def fits(self, delegate, session, start: int) -> bool:
        ctx = self.ctx
        if session.group and session.group in self.groups.get(delegate.id, ()):
            return False
        k, minute = divmod(start, DAY)
        bounds = ctx.stay_bounds(delegate, k)
        if bounds is None:
            return False
        foot = ctx.walks(delegate)
        host, end = session.host_id, minute + session.minutes
        if minute < bounds[0] + ctx.hop(BASE, host, foot):
            return False
        if end > bounds[1] - ctx.hop(host, BASE, foot):
            return False
        day = self.busy.get((delegate.id, k), [])
        for other_start, other_end, other_host in day:
            if not (
                other_end + ctx.hop(other_host, host, foot) <= minute
                or end + ctx.hop(host, other_host, foot) <= other_start
            ):
                return False
        return self._lunch(delegate, k, [*day, (minute, end, host)]) is not None

    def _needs_lunch(self, delegate, k: int) -> bool:
        if self.window is None or not self.ctx.visit.days[k].programme:
            return False
        bounds = stay(self.ctx.visit, delegate, self.ctx.visit.days[k])
        return bounds is not None and bounds[0] <= self.window[0] and bounds[1] >= self.window[1]

    def _lunch(self, delegate, k: int, day) -> tuple[int, str] | None:
        """(start, place) of a lunch break that fits the day, or (-1, base) when none is
        needed; None when no break fits."""
        if not self._needs_lunch(delegate, k):
            return (-1, BASE)
        ctx, minutes = self.ctx, self.ctx.visit.lunch.minutes
        foot = ctx.walks(delegate)
        lo, hi = ctx.stay_bounds(delegate, k)
        places = [BASE, *sorted({host for _s, _e, host in day} - {BASE})]
        frm, to = self.window
        for t in range(frm, to - minutes + 1, ctx.slot):
            for place in places:
                if t < lo + ctx.hop(BASE, place, foot):
                    continue
                if t + minutes + ctx.hop(place, BASE, foot) > hi:
                    continue
                if all(
                    e + ctx.hop(h, place, foot) <= t or t + minutes + ctx.hop(place, h, foot) <= s
                    for s, e, h in day
                ):
                    return t, place
        return None

    def lunches(self, schedule: Schedule, only: set[tuple[str, int]] | None = None) -> None:
        """Each delegate's lunch break on each day they need one, into ``schedule``; with
        ``only``, on those (delegate id, day index) alone, a meal kept where it was."""
        for delegate in self.ctx.visit.delegates:
            for k, day in enumerate(self.ctx.visit.days):
                if not day.programme or self.ctx.stay_bounds(delegate, k) is None:
                    continue
                if only is not None and (
                    (delegate.id, k) not in only or schedule.lunch.get((delegate.id, k)) == "meal"
                ):
                    continue
                found = self._lunch(delegate, k, self.busy.get((delegate.id, k), []))
                if found is not None and found[0] >= 0:
                    schedule.lunch[(delegate.id, k)] = found[0]
                    schedule.lunch_place[(delegate.id, k)] = found[1]
