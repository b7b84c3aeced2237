"""The timetable and the attendance as a visitplan Plan, rides included.

Transport is unlimited, so each delegate rides alone without a vehicle number: on a
day with sessions, from the base to the first host arriving just as the session
starts, from each host straight on to the next when it differs (leaving as the
session ends), and back to the base as the last one ends.  Every ride lasts
travel(a, b) rounded up to the slot grid; the stages made sure each fits.
"""

from __future__ import annotations

from datetime import datetime

from visitplan.model import BASE, Visit
from visitplan.plan import Assignment, Leg, Plan, ScheduledSession, SolveReport
from visitplan.timegrid import time_of

from .slots import Presence, Slot


def build_plan(
    visit: Visit,
    presence: Presence,
    slot_of: dict[str, Slot],
    attends: dict[str, list[str]],
    report: SolveReport,
    issued: datetime,
) -> Plan:
    held = {s: slot for s, slot in slot_of.items() if attends.get(s)}
    sessions = []
    times: dict[str, tuple[int, int]] = {}
    for session_id, slot in sorted(held.items()):
        session = visit.session(session_id)
        times[session_id] = (slot.start, slot.start + session.minutes)
        sessions.append(
            ScheduledSession(
                session_id,
                session.host_id,
                slot.date,
                time_of(slot.start),
                time_of(times[session_id][1]),
            )
        )
    assignments = []
    days: dict[tuple[str, int], list[tuple[int, int, str]]] = {}
    for session_id, delegates in sorted(attends.items()):
        if session_id not in held:
            continue
        slot, (start, end) = held[session_id], times[session_id]
        host = visit.session(session_id).host_id
        for delegate_id in delegates:
            assignments.append(
                Assignment(delegate_id, session_id, host, slot.date, time_of(start), time_of(end))
            )
            days.setdefault((delegate_id, slot.day), []).append((start, end, host))
    legs = []
    for (delegate_id, day), stops in sorted(days.items()):
        legs += _day_legs(visit, presence, delegate_id, day, sorted(stops))
    return Plan(
        visit_id=visit.id,
        timezone=visit.timezone,
        issued=issued,
        sessions=tuple(sessions),
        assignments=tuple(assignments),
        legs=tuple(legs),
        report=report,
    ).sorted()


def _day_legs(
    visit: Visit, presence: Presence, delegate_id: str, day: int, stops: list[tuple[int, int, str]]
) -> list[Leg]:
    on = visit.days[day].date
    legs = []

    def ride(a: str, b: str, depart: int, arrive: int) -> None:
        legs.append(Leg(delegate_id, a, b, on, time_of(depart), time_of(arrive)))

    first_start, _end, first_host = stops[0]
    if first_host != BASE:
        ride(BASE, first_host, first_start - presence.ride(BASE, first_host), first_start)
    for (_s, end, here), (_start, _e, there) in zip(stops, stops[1:], strict=False):
        if here != there:
            ride(here, there, end, end + presence.ride(here, there))
    _start, last_end, last_host = stops[-1]
    if last_host != BASE:
        ride(last_host, BASE, last_end, last_end + presence.ride(last_host, BASE))
    return legs
