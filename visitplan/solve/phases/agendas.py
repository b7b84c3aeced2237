"""Each delegate's day so far, and what still fits it: the model's own rules about
one delegate's day, checked in plain Python for the greedy attendance (``fill``)
and the top-up's moves (``moves``): present with time to ride from the hotel and
back, the ride between any two of the day's sessions, one session per group,
and a lunch break left at the hotel or a host of the day."""

from __future__ import annotations

from ...model import BASE
from ...timegrid import minute_of, stay
from ..goals import potential
from ..rules.attendance import interest
from ..schedule import DAY, Schedule
from ..variables import Context


def rooms(ctx: Context) -> dict[str, int]:
    """Per delegate id, their potential (``goals.potential``), at least 1: what a share
    of interest met is counted against, in thousandths."""
    return {d.id: max(1, potential(ctx.visit, ctx, d)) for d in ctx.visit.delegates}


def least_share(served: dict[str, int], room: dict[str, int]) -> int:
    """The least share of interest met, in thousandths, of the delegates who can be
    served at all (room above 1), as the fairness goal counts it."""
    return min((served[d] * 1000 // room[d] for d in served if room[d] > 1), default=0)


class Agendas:
    """Each delegate's day so far: (start, end, host) of what they attend, by day."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.busy: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
        self.groups: dict[str, set[str]] = {}
        self.attended: dict[str, set[str]] = {}
        self.seated: dict[str, set[str]] = {}
        self._breaks: dict[tuple[str, int], tuple[int, str] | None] = {}
        """(delegate id, day) to the break ``_lunch`` finds in that day as it is now."""
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
                self._breaks.pop((delegate.id, k), None)

    def put(self, delegate, session, start: int) -> None:
        k, minute = divmod(start, DAY)
        self.busy.setdefault((delegate.id, k), []).append(
            (minute, minute + session.minutes, session.host_id)
        )
        self._breaks.pop((delegate.id, k), None)
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
        self._breaks.pop((delegate.id, k), None)
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
        if (delegate.id, k) not in self._breaks:
            self._breaks[(delegate.id, k)] = self._lunch(delegate, k, day)
        kept = self._breaks[(delegate.id, k)]  # the day's break, if the session leaves it
        if kept is not None and (kept[0] < 0 or self._beside(delegate, kept, (minute, end, host))):
            return True
        return self._lunch(delegate, k, [*day, (minute, end, host)]) is not None

    def _beside(self, delegate, lunch: tuple[int, str], held: tuple[int, int, str]) -> bool:
        """Whether a break at ``lunch`` (start, place) and a session ``held`` (start,
        end, host) fit one day, with the ride between."""
        (t, place), (s, e, h) = lunch, held
        foot, minutes = self.ctx.walks(delegate), self.ctx.visit.lunch.minutes
        return (
            e + self.ctx.hop(h, place, foot) <= t or t + minutes + self.ctx.hop(place, h, foot) <= s
        )

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
        # per place: the starts the stay allows, and around each session the latest
        # start before it and the earliest after it (the rides counted once, not per start)
        reach, sides = {}, {}
        for place in places:
            reach[place] = (
                lo + ctx.hop(BASE, place, foot),
                hi - minutes - ctx.hop(place, BASE, foot),
            )
            sides[place] = [
                (s - minutes - ctx.hop(place, h, foot), e + ctx.hop(h, place, foot))
                for s, e, h in day
            ]
        frm, to = self.window
        for t in range(frm, to - minutes + 1, ctx.slot):
            for place in places:
                first, last = reach[place]
                if first <= t <= last and all(t <= a or b <= t for a, b in sides[place]):
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
