"""The Plan of a served Schedule: sessions, attendances, lunches and legs in the
visit's dates and local times."""

from __future__ import annotations

from datetime import datetime

from ..model import BASE, Visit
from ..plan import Assignment, Leg, LunchBreak, Plan, ScheduledSession
from ..timegrid import minute_of, time_of
from .rides import Served, stops_of
from .schedule import Schedule
from .variables import Context


def assemble(ctx: Context, schedule: Schedule, served: Served, issued: datetime) -> Plan:
    """``ctx`` gives stays and hosts (``build.bare``); lunches fixed by the rides win."""
    visit = ctx.visit
    sessions, assignments, lunches = [], [], []
    for sid, (k, start, end) in schedule.times.items():
        day = visit.days[k].date
        sessions.append(ScheduledSession(sid, ctx.host_of(sid), day, time_of(start), time_of(end)))
    for did, sids in schedule.attends.items():
        for sid in sids:
            k, start, end = schedule.times[sid]
            assignments.append(
                Assignment(
                    did, sid, ctx.host_of(sid), visit.days[k].date, time_of(start), time_of(end)
                )
            )
    eaten = {**schedule.lunch, **served.lunch}
    legs_of: dict[tuple[str, object], list[Leg]] = {}
    for leg in served.legs:  # asked once per lunch: scanning every leg took L 25 s
        legs_of.setdefault((leg.delegate_id, leg.date), []).append(leg)
    for (did, k), value in sorted(eaten.items()):
        stops = stops_of(ctx, schedule, did, k)
        if stops is None:
            continue
        date = visit.days[k].date
        if value == "meal":
            sid, start, end, host = _meal_in_window(visit, schedule, did, k)
            lunches.append(LunchBreak(did, date, time_of(start), time_of(end), host, sid))
            continue
        place = _place_at(stops, legs_of.get((did, date), []), value)
        end = time_of(value + visit.lunch.minutes)
        lunches.append(LunchBreak(did, date, time_of(value), end, place))
    return Plan(
        visit.id,
        visit.timezone,
        issued,
        tuple(sessions),
        tuple(assignments),
        tuple(served.legs),
        tuple(lunches),
    )


def _meal_in_window(visit: Visit, schedule: Schedule, did: str, k: int):
    frm, to = minute_of(visit.lunch.start), minute_of(visit.lunch.end)
    for sid in schedule.attends.get(did, []):
        session = visit.session(sid)
        day, start, end = schedule.times[sid]
        if (
            day == k
            and session.kind == "meal"
            and session.minutes >= visit.lunch.minutes
            and frm <= start
            and end <= to
        ):
            return sid, start, end, session.host_id
    raise AssertionError(f"no meal session for {did} on day {k}")


def _place_at(stops, legs: list[Leg], minute: int) -> str:
    """Where the delegate is when lunch starts: the place of their latest arrival
    (``legs``: theirs, that day)."""
    events = [(end, 0, host) for _start, end, host, _sid in stops if end <= minute]
    events += [(minute_of(g.arrive), 1, g.to) for g in legs if minute_of(g.arrive) <= minute]
    return max(events)[2] if events else BASE
