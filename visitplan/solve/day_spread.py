"""One day per session, chosen before solving, for visits too large to leave it open.

A session free to fall on any of ten days appears in every one of those days'
rules for each of its candidates: the lunch rule alone made 1.03M variables
on the L benchmark (1,000 delegates, 600 sessions, 10 days), and building the
model took 80 s.  Above ``SPREAD_ABOVE`` (candidate-days summed over
delegates), each session is given one day here, in the order of its ``after``
list and fewest possible days first: the day whose programme and whose host
are least loaded so far, relative to the minutes they have.  This is a
restriction, not a rule of the spec: when it leaves no plan, the solve is
repeated without it."""

from __future__ import annotations

from ..model import Visit
from ..timegrid import minute_of
from .rules.host_windows import session_starts
from .variables import Context

SPREAD_ABOVE = 100_000


def needed(visit: Visit) -> bool:
    """Whether the visit is large enough for the days to be chosen first."""
    days = len(visit.programme_days)
    per_delegate = min(len(visit.sessions), 4 * days) * days
    return len(visit.delegates) * per_delegate > SPREAD_ABOVE


def describe(chosen: dict[str, int]) -> tuple[str, ...]:
    """The report's line when days were chosen: the plan is the best only among them."""
    if not chosen:
        return ()
    return (
        f"each of {len(chosen)} sessions was given its day before solving (a large visit): "
        "the goals are the best found with those days",
    )


def choose_days(ctx: Context) -> dict[str, int]:
    """Session id to the day index it is held on, for sessions with more than one."""
    visit = ctx.visit
    options = {s.id: sorted(session_starts(ctx, s)) for s in visit.sessions}
    day_load: dict[int, int] = {}
    host_load: dict[tuple[str, int], int] = {}
    chosen: dict[str, int] = {}
    for session in _in_order(visit, options):
        days = options[session.id]
        if not days:
            continue
        earliest = max((chosen[e] for e in session.after if e in chosen), default=-1)
        days = [k for k in days if k >= earliest] or days

        def load(k: int, session=session) -> tuple:
            lo, hi = ctx.frame(k)
            on = visit.days[k].date
            room = (
                sum(
                    minute_of(w.end) - minute_of(w.start)
                    for w in visit.windows_of(session.host_id, on)
                )
                * (visit.rooms_of(session.host_id) or 1)
                or 1
            )
            host = (host_load.get((session.host_id, k), 0) + session.minutes) / room
            return (host > 1, host + day_load.get(k, 0) / max(1, hi - lo), k)

        k = min(days, key=load)
        chosen[session.id] = k
        day_load[k] = day_load.get(k, 0) + session.minutes
        host_load[(session.host_id, k)] = host_load.get((session.host_id, k), 0) + session.minutes
    return {sid: k for sid, k in chosen.items() if len(options[sid]) > 1}


def _in_order(visit: Visit, options: dict[str, list[int]]):
    """Sessions after the ones in their ``after`` list; fewest possible days first."""
    pending = sorted(visit.sessions, key=lambda s: (len(options[s.id]), s.id))
    done: set[str] = set()
    while pending:
        ready = [s for s in pending if all(e in done or e not in options for e in s.after)]
        if not ready:  # a cycle, which the reader refuses; take them as they are
            ready = pending
        for session in ready:
            done.add(session.id)
            yield session
        pending = [s for s in pending if s.id not in done]
