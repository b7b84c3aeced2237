"""Shared helpers for tests that solve: tiny visits built in code, a solve that is
always judged by ``check_plan``, and small readers of the resulting plan.

Every plan a test gets from ``plan_and_check`` has been checked clean by the
independent judge, so a test only asserts the effect of the rule it is about.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from visitplan.check import check_plan
from visitplan.model import Base, Day, Delegate, Host, Lunch, Session, Transport, TravelTime, Visit
from visitplan.model import Window as _Window
from visitplan.plan import Leg, Plan, ScheduledSession, SolveReport
from visitplan.solve import SolveOptions, solve
from visitplan.solve.rides import greedy as greedy_rides
from visitplan.solve.rides import planner as rides_planner

from .checkfixtures import DAY1, DAY2, OSLO, hm

__all__ = [
    "DAY1",
    "DAY2",
    "ISSUED",
    "OPTIONS",
    "PLANNED",
    "attendees",
    "cannot_plan",
    "delegate",
    "greedy_rides_only",
    "held",
    "host",
    "local",
    "lunch",
    "minutes",
    "plan_and_check",
    "rides",
    "session",
    "sessions_of",
    "solve_visit",
    "tiny_visit",
    "travel",
    "window",
]

ISSUED = datetime(2009, 8, 1, 12, 0, tzinfo=UTC)
"""A fixed issue time, so plans do not depend on the clock."""

OPTIONS = SolveOptions(workers=1, seed=0, deterministic_time=2.0, explain_seconds=10)
"""One worker, a fixed seed and a deterministic limit: the same plan on every run."""

PLANNED = ("OPTIMAL", "FEASIBLE")

BASE_HOTEL = Base("Scandic Nidelven", lat=63.4339, lon=10.4034)
KM_PER_DEGREE_LAT = 111.195  # 6371.0 km × π / 180


# -- building tiny visits ------------------------------------------------------------


def delegate(delegate_id: str, *topics: str, weight: int = 5, **changes: object) -> Delegate:
    """A delegate interested in ``topics`` (each with ``weight``)."""
    interests = tuple(sorted((topic, weight) for topic in topics))
    return Delegate(delegate_id, f"Delegate {delegate_id}", interests=interests, **changes)


def host(
    host_id: str, km_north: float | None = 0.5, rooms: int = 1, name: str = "", **changes: object
) -> Host:
    """A host ``km_north`` km due north of the base (no coordinates when None)."""
    name = name or f"Host {host_id}"
    if km_north is None:
        return Host(host_id, name, rooms=rooms, **changes)
    lat = BASE_HOTEL.lat + km_north / KM_PER_DEGREE_LAT
    return Host(host_id, name, lat=lat, lon=BASE_HOTEL.lon, rooms=rooms, **changes)


def session(
    session_id: str,
    host_id: str,
    minutes: int = 60,
    topics: tuple[str, ...] = ("planning",),
    **changes: object,
) -> Session:
    """A session on ``topics``; ``start``/``date`` pin it (``start`` as "HH:MM")."""
    pin_start = changes.pop("start", None)
    if isinstance(pin_start, str):
        changes["pin_start"] = hm(pin_start)
    pin_date = changes.pop("date", None)
    if pin_date is not None:
        changes["pin_date"] = pin_date
    return Session(session_id, f"Session {session_id}", host_id, minutes, topics=topics, **changes)


def window(host_id: str, on: date, start: str, end: str) -> _Window:
    return _Window(host_id, on, hm(start), hm(end))


def travel(a: str, b: str, minutes_by_vehicle: int) -> TravelTime:
    """Organiser-given minutes between two places (the buffer is added on top)."""
    return TravelTime(a, b, minutes_by_vehicle)


def lunch(start: str = "11:30", end: str = "13:30", minutes_long: int = 45) -> Lunch:
    return Lunch(hm(start), hm(end), minutes_long)


def local(on: date, at: str) -> datetime:
    """An aware Europe/Oslo date-time, for ``arrives`` and ``departs``."""
    return datetime.combine(on, hm(at), tzinfo=OSLO)


def tiny_visit(
    sessions: tuple[Session, ...] | list[Session],
    *,
    delegates: tuple[Delegate, ...] | list[Delegate] | None = None,
    hosts: tuple[Host, ...] | list[Host] | None = None,
    days: int = 1,
    frame: tuple[str, str] = ("08:30", "18:00"),
    day_rows: tuple[Day, ...] | None = None,
    windows: tuple[_Window, ...] | list[_Window] = (),
    windowed_hosts: frozenset[str] | None = None,
    travel_times: tuple[TravelTime, ...] | list[TravelTime] = (),
    lunch_rule: Lunch | None = None,
    transport: Transport | None = None,
    **changes: object,
) -> Visit:
    """A small visit in Trondheim from 2009-08-24 over ``days`` programme days.

    Defaults: delegates ``d1`` and ``d2`` who care for "planning"; one host
    ``h1`` 0.5 km north of the base; every day 08:30-18:00; no lunch rule;
    unlimited vehicles that cannot walk.  Hosts named in ``windows`` receive
    only inside them (unless ``windowed_hosts`` says otherwise).
    """
    if delegates is None:
        delegates = (delegate("d1", "planning"), delegate("d2", "planning"))
    if hosts is None:
        hosts = (host("h1"),)
    if day_rows is None:
        day_rows = tuple(
            Day(DAY1 + timedelta(days=i), hm(frame[0]), hm(frame[1])) for i in range(days)
        )
    if windowed_hosts is None:
        windowed_hosts = frozenset(w.host_id for w in windows)
    return Visit(
        id="tiny-test",
        title="Tiny test visit",
        timezone="Europe/Oslo",
        first_day=day_rows[0].date,
        last_day=day_rows[-1].date,
        day_start=hm(frame[0]),
        day_end=hm(frame[1]),
        base=BASE_HOTEL,
        slot_minutes=15,
        lunch=lunch_rule,
        transport=transport or Transport(),
        delegates=tuple(delegates),
        hosts=tuple(hosts),
        sessions=tuple(sessions),
        days=day_rows,
        windows=tuple(windows),
        windowed_hosts=windowed_hosts,
        travel=tuple(travel_times),
        **changes,
    )


# -- solving -------------------------------------------------------------------------


def solve_visit(visit: Visit, **options: object) -> tuple[Plan | None, SolveReport]:
    """Solve with the test options (``options`` overrides SolveOptions fields)."""
    return solve(visit, replace(OPTIONS, **options), ISSUED)


def plan_and_check(visit: Visit, **options: object) -> Plan:
    """Solve, insist on a plan, and insist that check_plan finds nothing wrong with it."""
    plan, report = solve_visit(visit, **options)
    assert report.status in PLANNED, f"{report.status}: {report.diagnosis}"
    assert plan is not None
    violations = check_plan(visit, plan)
    assert violations == [], "check_plan on the solver's plan:\n" + "\n".join(map(str, violations))
    return plan


def cannot_plan(visit: Visit, **options: object) -> str:
    """Solve, insist the visit is INFEASIBLE, and return the diagnosis as one text."""
    plan, report = solve_visit(visit, **options)
    assert report.status == "INFEASIBLE", f"{report.status}: {report.diagnosis}"
    assert plan is None
    assert report.diagnosis, "an infeasible visit needs a diagnosis"
    assert all(isinstance(line, str) and line for line in report.diagnosis)
    return "\n".join(report.diagnosis)


# -- reading plans -------------------------------------------------------------------


def minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def held(plan: Plan, session_id: str) -> ScheduledSession | None:
    """The session's scheduled entry, or None when it was left out."""
    found = [s for s in plan.sessions if s.session_id == session_id]
    assert len(found) <= 1, f"{session_id} scheduled {len(found)} times"
    return found[0] if found else None


def attendees(plan: Plan, session_id: str) -> set[str]:
    return {a.delegate_id for a in plan.assignments if a.session_id == session_id}


def sessions_of(plan: Plan, delegate_id: str) -> set[str]:
    return {a.session_id for a in plan.assignments if a.delegate_id == delegate_id}


def rides(plan: Plan) -> dict[tuple, list[Leg]]:
    """Rule 7's rides: Legs rows grouped by (date, from, to, depart, arrive, vehicle)."""
    grouped: dict[tuple, list[Leg]] = defaultdict(list)
    for g in plan.legs:
        grouped[(g.date, g.from_, g.to, g.depart, g.arrive, g.vehicle)].append(g)
    return dict(grouped)


def greedy_rides_only(monkeypatch) -> list[int]:
    """Every day's rides planned by ``greedy_rides``, as on a large visit; the list
    returned fills with the index of each day it plans."""
    monkeypatch.setattr(rides_planner, "MODEL_SIZE", 0)
    planned: list[int] = []
    real = greedy_rides.plan_day

    def counted(*args):
        planned.append(args[1])
        return real(*args)

    monkeypatch.setattr(greedy_rides, "plan_day", counted)
    return planned
