"""What an organiser wants to see before solving: counts and advice.

The reader rejects what breaks the contract; this module points at input that
keeps it but will probably not plan as the organiser hopes (a host nobody can
reach in a day, a topic nobody asked for).  Warnings never change an exit
code: the solver and ``explain`` have the last word on feasibility.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

from .model import BASE, Day, Delegate, Session, Visit, Window
from .timegrid import hhmm, minute_of, round_down, round_up, stay
from .travel import TravelTable

__all__ = ["summary", "warnings"]


def summary(visit: Visit) -> list[str]:
    """One line per count, so the organiser can see the input was read as meant."""
    sessions = visit.sessions
    whole = sum(session.is_all for session in sessions)
    required = sum(session.id in visit.must_schedule for session in sessions)
    programme = [day.date.isoformat() for day in visit.programme_days]
    resting = [day.date.isoformat() for day in visit.days if not day.programme]
    windowed = len({window.host_id for window in visit.windows})
    lines = [
        f"delegates: {len(visit.delegates)}",
        f"hosts: {len(visit.hosts)}",
        f"sessions: {len(sessions)} ({whole} all, {len(sessions) - whole} choice; "
        f"{required} required, {len(sessions) - required} optional)",
        f"programme days: {len(programme)} ({', '.join(programme)})",
    ]
    if resting:
        lines.append(f"days without programme: {len(resting)} ({', '.join(resting)})")
    lines += [
        f"availability windows: {len(visit.windows)} ({windowed} hosts)",
        f"cost lines: {len(visit.costs)}",
    ]
    return lines


def warnings(visit: Visit) -> list[str]:
    """Advice in the organiser's words, in a fixed order; empty when nothing looks odd."""
    travel = TravelTable(visit)
    return [
        *_delegates_without_interests(visit),
        *_topics_nobody_wants(visit),
        *_sessions_fitting_no_window(visit),
        *_hosts_out_of_reach(visit, travel),
        *_sessions_too_large(visit),
        *_must_attend_while_away(visit),
        *_lunch_missed(visit),
        *_step_free_hosts(visit),
    ]


def _delegates_without_interests(visit: Visit) -> list[str]:
    return [
        f"delegate {d.id} ({d.name}) has no interests: choice sessions cannot be matched to them"
        for d in visit.delegates
        if not d.interests
    ]


def _topics_nobody_wants(visit: Visit) -> list[str]:
    wanted = {topic for delegate in visit.delegates for topic, _ in delegate.interests}
    sessions_of: dict[str, list[str]] = defaultdict(list)
    for session in visit.sessions:
        for topic in session.topics:
            sessions_of[topic].append(session.id)
    return [
        f"topic '{topic}' (sessions {', '.join(ids)}) interests no delegate"
        for topic, ids in sorted(sessions_of.items())
        if topic not in wanted
    ]


def _candidate_days(visit: Visit, session: Session) -> list[Day]:
    return [day for day in visit.programme_days if session.pin_date in (None, day.date)]


def _fits(session: Session, window: Window) -> bool:
    """Whether the session fits the window, at its pinned start if it has one."""
    start, end = minute_of(window.start), minute_of(window.end)
    if session.pin_start is not None:
        pin = minute_of(session.pin_start)
        return start <= pin and pin + session.minutes <= end
    return end - start >= session.minutes


def _sessions_fitting_no_window(visit: Visit) -> list[str]:
    found = []
    for session in visit.sessions:
        windows = [
            window
            for day in _candidate_days(visit, session)
            for window in visit.windows_of(session.host_id, day.date)
        ]
        if not any(_fits(session, window) for window in windows):
            where = "the base" if session.host_id == BASE else f"host {session.host_id}"
            pin = " at its pin" if session.pin_date or session.pin_start else ""
            found.append(
                f"session {session.id} ({session.minutes} min) fits no window of {where}{pin}"
            )
    return found


def _hosts_out_of_reach(visit: Visit, travel: TravelTable) -> list[str]:
    """Hosts whose shortest session fits a window, but not with the ride there and back."""
    found = []
    for host in visit.hosts:
        sessions = [s for s in visit.sessions if s.host_id == host.id]
        if not sessions:
            continue
        shortest = min(s.minutes for s in sessions)
        try:
            there, back = _ride(travel, BASE, host.id), _ride(travel, host.id, BASE)
        except ValueError:  # coordinates missing: a Visit built in code, not by the reader
            continue
        fitting = reachable = False
        for day in visit.programme_days:
            earliest = round_up(minute_of(day.day_start) + there, visit.slot_minutes)
            latest = round_down(minute_of(day.day_end) - back, visit.slot_minutes)
            for window in visit.windows_of(host.id, day.date):
                start, end = minute_of(window.start), minute_of(window.end)
                fitting |= end - start >= shortest
                reachable |= min(end, latest) - max(start, earliest) >= shortest
        if fitting and not reachable:
            found.append(
                f"host {host.id} ({host.name}) cannot be reached from the base, hold its "
                f"shortest session ({shortest} min) and return within any day's frame"
            )
    return found


def _ride(travel: TravelTable, a: str, b: str) -> int:
    """The quickest way between two places: by vehicle, or on foot where allowed."""
    walk = travel.walk(a, b)
    vehicle = travel.vehicle(a, b)
    return vehicle if walk is None else min(vehicle, walk)


def _sessions_too_large(visit: Visit) -> list[str]:
    delegates = len(visit.delegates)
    return [
        f"session {s.id} needs at least {s.min_size} attendees, "
        f"but the visit has {delegates} delegates"
        for s in visit.sessions
        if not s.is_all and s.min_size > delegates
    ]


def _must_attend_while_away(visit: Visit) -> list[str]:
    found = []
    for delegate in visit.delegates:
        for session_id in delegate.must_attend:
            session = visit.session(session_id)
            days = [
                day
                for day in _candidate_days(visit, session)
                if visit.windows_of(session.host_id, day.date)
                and stay(visit, delegate, day) is not None
            ]
            if not days:
                found.append(
                    f"delegate {delegate.id} must attend {session_id}, "
                    "but is present on no day it can be held"
                )
    return found


def _lunch_missed(visit: Visit) -> list[str]:
    """Rule 8 gives a break only to a delegate whose stay covers the lunch window: one
    who arrives after it opens, or leaves before it closes, gets none that day."""
    lunch = visit.lunch
    if lunch is None:
        return []
    frm, to = minute_of(lunch.start), minute_of(lunch.end)
    window = f"the lunch window ({hhmm(lunch.start)}–{hhmm(lunch.end)})"
    found = []
    for delegate in visit.delegates:
        for day in visit.programme_days:
            bounds = stay(visit, delegate, day)
            if bounds is None:
                continue
            lo, hi = bounds
            if frm < lo and minute_of(day.day_start) < lo:
                when = "after" if lo >= to else "during"
                found.append(_no_lunch(visit, delegate, "arrives", delegate.arrives, when, window))
            if hi < to and hi < minute_of(day.day_end):
                when = "before" if hi <= frm else "during"
                found.append(_no_lunch(visit, delegate, "leaves", delegate.departs, when, window))
    return found


def _no_lunch(
    visit: Visit, delegate: Delegate, verb: str, moment: datetime | None, when: str, window: str
) -> str:
    assert moment is not None  # a stay cut inside the frame comes from arrives or departs
    local = moment.astimezone(ZoneInfo(visit.timezone)).strftime("%Y-%m-%d %H:%M")
    return (
        f"delegate {delegate.id} {verb} {local}, {when} {window}: "
        "no lunch break is planned for them that day"
    )


def _step_free_hosts(visit: Visit) -> list[str]:
    """A delegate who needs step-free access attends only sessions at the base and at
    hosts marked step_free: say how many that leaves out, and which must_attend
    cannot be kept at all."""
    found = []
    barred = [s for s in visit.sessions if not _step_free(visit, s)]
    for delegate in visit.delegates:
        if "step_free" not in delegate.access:
            continue
        if barred:
            whole = sum(s.is_all for s in barred)
            excused = f" ({whole} for the whole delegation: they are excused)" if whole else ""
            found.append(
                f"delegate {delegate.id} needs step-free access: {len(barred)} of "
                f"{len(visit.sessions)} sessions are at hosts not marked step_free, "
                f"which they will not attend{excused}"
            )
        for session_id in delegate.must_attend:
            session = visit.session(session_id)
            if not _step_free(visit, session):
                found.append(
                    f"delegate {delegate.id} needs step-free access but must attend "
                    f"{session_id} at host {session.host_id}, which is not step_free: "
                    "no plan can keep both"
                )
    return found


def _step_free(visit: Visit, session: Session) -> bool:
    return session.host_id == BASE or visit.host(session.host_id).step_free
