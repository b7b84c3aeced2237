"""Section 4's schedule goals counted on any plan, so both planners are measured alike.

met(d) sums d's weights over the choice sessions d attends; potential(d) sums them
over every choice session whose host can hold it (a window on a programme day long
enough, at its pin) on a day when d's stay on the slot grid is not empty, and which
d's access needs do not bar; share(d) = floor(1000 × met / potential).  fairness is
the least share (0 when no delegate has a potential), interest Σ met, optional the
optional sessions left out.
"""

from __future__ import annotations

from visitplan.model import Delegate, Session, Visit
from visitplan.plan import Plan
from visitplan.timegrid import minute_of, round_down, round_up, stay

from .slots import bars, interest, needs_step_free


def potentials(visit: Visit) -> dict[str, int]:
    """potential(d) for every delegate id."""
    days = {d.id: _present_days(visit, d) for d in visit.delegates}
    step_free = needs_step_free(visit)
    by_topic: dict[str, list[tuple[str, int]]] = {}
    for delegate in visit.delegates:
        for topic, weight in delegate.interests:
            by_topic.setdefault(topic, []).append((delegate.id, weight))
    found = dict.fromkeys(days, 0)
    for session in visit.sessions:
        if session.is_all:
            continue
        open_days = _open_days(visit, session)
        barring = bars(visit, session)
        for topic in session.topics:
            for delegate_id, weight in by_topic.get(topic, ()):
                if days[delegate_id] & open_days and not (barring and delegate_id in step_free):
                    found[delegate_id] += weight
    return found


def measure(visit: Visit, plan: Plan) -> dict[str, int]:
    """fairness, interest and optional (left out) of the plan."""
    met: dict[str, int] = {}
    delegates = {d.id: d for d in visit.delegates}
    for row in plan.assignments:
        session = visit.session(row.session_id)
        if not session.is_all and row.delegate_id in delegates:
            weight = interest(delegates[row.delegate_id], session)
            met[row.delegate_id] = met.get(row.delegate_id, 0) + weight
    shares = [
        1000 * met.get(delegate_id, 0) // pot
        for delegate_id, pot in potentials(visit).items()
        if pot > 0
    ]
    held = {s.session_id for s in plan.sessions}
    optional = [s.id for s in visit.sessions if s.id not in visit.must_schedule]
    return {
        "fairness": min(shares, default=0),
        "interest": sum(met.values()),
        "optional": sum(1 for s in optional if s not in held),
    }


def _present_days(visit: Visit, delegate: Delegate) -> frozenset[int]:
    days = set()
    for k, day in enumerate(visit.days):
        bounds = stay(visit, delegate, day)
        if bounds is not None:
            lo = round_up(bounds[0], visit.slot_minutes)
            hi = round_down(bounds[1], visit.slot_minutes)
            if lo < hi:
                days.add(k)
    return frozenset(days)


def _open_days(visit: Visit, session: Session) -> frozenset[int]:
    """Days whose frame, pin and one host window hold the whole session."""
    days = set()
    for k, day in enumerate(visit.days):
        if not day.programme:
            continue
        if session.pin_date is not None and session.pin_date != day.date:
            continue
        lo_frame, hi_frame = minute_of(day.day_start), minute_of(day.day_end)
        for window in visit.windows_of(session.host_id, day.date):
            lo = max(minute_of(window.start), lo_frame)
            hi = min(minute_of(window.end), hi_frame)
            starts = range(
                round_up(lo, visit.slot_minutes), hi - session.minutes + 1, visit.slot_minutes
            )
            if session.pin_start is not None:
                starts = [m for m in starts if m == minute_of(session.pin_start)]
            if len(starts):
                days.add(k)
                break
    return frozenset(days)
