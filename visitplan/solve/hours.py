"""What a delegate's days can hold of choice sessions, for the bounds.

Both bounds (``seats`` and ``relaxation``) drop the clock but keep that a
delegate sits in one session at a time: the minutes of their choice sessions
fit in their days.  A day's span runs from the earliest a choice session can
start to the latest one can end, within the delegate's stay.  Besides choice
sessions, every plan spends in that span, by the spec's rules alone and never
twice for one minute:

- the lunch break (rule 8), where it must fall inside the span;
- the ``all`` sessions the delegate must attend (rule 3), as much of each as
  surely falls inside the span on whichever day and start it is held;
- the rides between places (rules 4-6): before a choice session at another
  place than the delegate's choice session before it, a ride into its place,
  at least the shortest ride there from any place (``_shortest_into``).  Several
  sessions in a row at one host need one ride, and a host holds at most its own
  count of choice sessions, so each session is charged that ride divided by its
  host's count; each day is credited the first session's, as much of it as
  may come before the span (``_usable``).

On regular L (one ``all`` session a day of 60-90 minutes) the minutes a
delegate's days hold fall by 16 %, and the fairness bound from 293 to 243; the
interest bound, which the seats decide there, by 0.8 %.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import BASE
from ..timegrid import minute_of, round_up, stays_all_day
from .rules.host_windows import session_starts
from .variables import Context


@dataclass(frozen=True)
class Hours:
    """What a delegate's days hold, and what each choice session takes of them."""

    usable: dict[str, float]
    """Per delegate, the minutes of their days' spans, less lunch and their ``all``
    sessions, plus each day's first ride."""
    minutes: dict[str, float]
    """Per choice session, its minutes and its share of the rides into its host."""

    @classmethod
    def of(cls, ctx: Context, choice: list) -> Hours:
        into = {place: _shortest_into(ctx, place) for place in {s.host_id for s in choice}}
        count: dict[str, int] = {}
        for session in choice:
            count[session.host_id] = count.get(session.host_id, 0) + 1
        minutes = {s.id: s.minutes + into[s.host_id] / count[s.host_id] for s in choice}
        credit = (into.pop(BASE, 0), max(into.values(), default=0))
        return cls(_usable(ctx, choice, credit), minutes)


def _usable(ctx: Context, choice: list, credit: tuple[int, int]) -> dict[str, float]:
    """Per delegate, the minutes of their days' spans, less the lunch break where it
    must fall inside and their ``all`` sessions, plus a day's first ride: ``credit``
    gives the longest shortest ride into the base and into a host.  The delegate
    starts their stay at the base, so the ride to a host's first session leaves
    at that start or later, on the grid: of it, only what falls between then and
    the span's start is credited; the base's sessions need no ride at all."""
    base, hosts = credit
    spans: dict[int, tuple[int, int]] = {}
    for session in choice:
        for k, starts in session_starts(ctx, session).items():
            lo, hi = spans.get(k, (starts[0], starts[-1] + session.minutes))
            spans[k] = (min(lo, starts[0]), max(hi, starts[-1] + session.minutes))
    lunch = ctx.visit.lunch
    meals = any(s.kind == "meal" for s in choice)  # a meal attended may be the break itself
    window = None if lunch is None or meals else (minute_of(lunch.start), minute_of(lunch.end))
    wholes = _all_sessions(ctx)
    usable = {}
    for delegate in ctx.visit.delegates:
        total, mine = 0.0, {}
        for k, (lo, hi) in spans.items():
            stay = ctx.stay_bounds(delegate, k)
            if stay is None:
                continue
            first, last = max(lo, stay[0]), min(hi, stay[1])
            if last <= first:
                continue
            mine[k] = (first, last)
            total += last - first + max(base, min(hosts, first - stay[0]))
            if window and first <= window[0] and window[1] <= last and stay[0] <= window[0]:
                total -= lunch.minutes if stay[1] >= window[1] else 0
        for starts, minutes in wholes:
            if all(stays_all_day(ctx.visit, delegate, ctx.visit.days[k]) for k in starts):
                total -= min(_inside(starts[k], minutes, mine.get(k)) for k in starts)
        usable[delegate.id] = max(total, 0.0)
    return usable


def _all_sessions(ctx: Context) -> list[tuple[dict[int, list[int]], int]]:
    """The ``all`` sessions that are not meals (a meal may be the lunch break itself):
    their possible starts per day and their minutes."""
    found = []
    for session in ctx.visit.sessions:
        if session.is_all and session.kind != "meal":
            starts = session_starts(ctx, session)
            if starts:
                found.append((starts, session.minutes))
    return found


def _inside(starts: list[int], minutes: int, span: tuple[int, int] | None) -> int:
    """The least a session of ``minutes`` at one of ``starts`` overlaps ``span``."""
    if span is None:
        return 0
    first, last = span
    return min(max(0, min(last, start + minutes) - max(first, start)) for start in starts)


def _shortest_into(ctx: Context, place: str) -> int:
    """The shortest ride into ``place`` from any other place, by vehicle or on foot,
    its length rounded up to the slot grid as every ride's is (the spec's section
    1); a pair with no travel time known still takes the buffer (rule 6)."""
    visit = ctx.visit
    best = None
    for other in [BASE, *(h.id for h in visit.hosts)]:
        if other == place:
            continue
        try:
            ride = ctx.hop(other, place, True)
        except ValueError:
            ride = round_up(visit.transport.buffer_minutes, ctx.slot)
        best = ride if best is None else min(best, ride)
    return best or 0
