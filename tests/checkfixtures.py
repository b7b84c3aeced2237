"""A tiny two-day visit to Trøndelag and one hand-built plan that keeps every rule.

Shared builders for tests that need a Visit and a valid Plan without a solve.

The visit (Europe/Oslo, slot 15, lunch 11:30-13:30 for 45 minutes, one
vehicle with 3 seats of which 1 is reserved, so 2 delegates per ride):

- hosts: ``kommune`` (0.56 km from the base: 11 min by car, 20 on foot,
  2 rooms), ``ntnu`` (1.6 km: 13 min by car, too far to walk) and ``fylke``
  (no coordinates, travel.csv minutes, available 13:00-17:00 on day 1 only);
- delegates: ``d01`` (full stay), ``d02`` (leaves 2009-08-25 14:00), ``d03``
  (arrives 2009-08-24 13:00, must attend ``s-ntnu-b``);
- sessions: ``s-open`` (all, pinned 2009-08-24 09:00), ``s-ntnu-a``/``s-ntnu-b``
  (one group), ``s-fylke`` (required, 2..3 attendees, after ``s-open``),
  ``s-meal`` (a meal at the base), and the optional ``s-round`` and ``s-lab``
  left out of the plan.

The plan, day 1 (2009-08-24, 08:30-18:00)::

    d01  walk base->kommune 08:30-09:00, s-open 09:00-10:00,
         car kommune->ntnu 10:00-10:15, s-ntnu-a 10:15-11:45,
         lunch 11:45-12:30, car ntnu->base 12:30-12:45
    d02  walk base->kommune 08:30-09:00, s-open 09:00-10:00,
         walk kommune->base 10:00-10:30, lunch 11:30-12:15,
         car base->fylke 13:15-14:15, s-fylke 14:15-15:15, car fylke->base 15:15-16:15
    d03  (arrives 13:00) car base->fylke 13:15-14:15, s-fylke, car fylke->base

day 2 (2009-08-25, 08:30-16:00)::

    d03  car base->ntnu 09:00-09:15, s-ntnu-b 09:30-11:00, car ntnu->base 11:00-11:15
    all  s-meal 11:45-12:45 at the base, which is their lunch
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from visitplan.model import (
    Base,
    Day,
    Delegate,
    Host,
    Lunch,
    Session,
    Transport,
    TravelTime,
    Visit,
    Window,
)
from visitplan.plan import Assignment, Leg, LunchBreak, Plan, ScheduledSession

OSLO = ZoneInfo("Europe/Oslo")
DAY1 = date(2009, 8, 24)
DAY2 = date(2009, 8, 25)


def hm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def local(on: date, at: str) -> datetime:
    return datetime.combine(on, hm(at), tzinfo=OSLO)


def make_delegates() -> tuple[Delegate, ...]:
    return (
        Delegate("d01", "Anna Bērziņa", role="planner", interests=(("planning", 5),)),
        Delegate("d02", "Jānis Ozoliņš", role="politician", departs=local(DAY2, "14:00")),
        Delegate(
            "d03",
            "Ingrid Sørås",
            role="agency",
            must_attend=("s-ntnu-b",),
            arrives=local(DAY1, "13:00"),
        ),
    )


def make_hosts() -> tuple[Host, ...]:
    return (
        Host("kommune", "Trondheim kommune", lat=63.4305, lon=10.3951, rooms=2),
        Host("ntnu", "NTNU", lat=63.4195, lon=10.4020),
        Host("fylke", "Trøndelag fylkeskommune"),
    )


def make_sessions() -> tuple[Session, ...]:
    return (
        Session(
            "s-open",
            "Opening at the city hall",
            "kommune",
            60,
            kind="ceremony",
            audience="all",
            pin_date=DAY1,
            pin_start=hm("09:00"),
        ),
        Session("s-ntnu-a", "Regional planning at NTNU", "ntnu", 90, group="ntnu-course"),
        Session(
            "s-ntnu-b",
            "Regional planning at NTNU",
            "ntnu",
            90,
            group="ntnu-course",
            pin_start=hm("09:30"),
        ),
        Session(
            "s-fylke",
            "County planning",
            "fylke",
            60,
            required=True,
            min_size=2,
            max_size=3,
            after=("s-open",),
        ),
        Session("s-meal", "Lunch with the mayor", "base", 60, kind="meal"),
        Session("s-round", "Round table", "kommune", 60, after=("s-lab",)),
        Session("s-lab", "NTNU laboratory", "ntnu", 60),
    )


def make_visit() -> Visit:
    """The two-day Trøndelag visit described in the module docstring."""
    return Visit(
        id="trondelag-test",
        title="Test visit to Trøndelag",
        timezone="Europe/Oslo",
        first_day=DAY1,
        last_day=DAY2,
        day_start=hm("08:30"),
        day_end=hm("18:00"),
        base=Base("Scandic Nidelven", lat=63.4339, lon=10.4034),
        slot_minutes=15,
        lunch=Lunch(hm("11:30"), hm("13:30"), 45),
        transport=Transport(vehicles=1, seats=3, reserved_seats=1, walk_km=1.0),
        delegates=make_delegates(),
        hosts=make_hosts(),
        sessions=make_sessions(),
        days=(Day(DAY1, hm("08:30"), hm("18:00")), Day(DAY2, hm("08:30"), hm("16:00"))),
        windows=(Window("fylke", DAY1, hm("13:00"), hm("17:00")),),
        windowed_hosts=frozenset({"fylke"}),
        travel=(
            TravelTime("base", "fylke", 50),
            TravelTime("ntnu", "fylke", 40),
            TravelTime("fylke", "kommune", 45),
        ),
    )


# -- plan builders -------------------------------------------------------------------


def scheduled(session_id: str, host_id: str, on: date, start: str, end: str) -> ScheduledSession:
    return ScheduledSession(session_id, host_id, on, hm(start), hm(end))


def attend(delegate_id: str, session: ScheduledSession) -> Assignment:
    return Assignment(
        delegate_id, session.session_id, session.host_id, session.date, session.start, session.end
    )


def leg(
    delegate_id: str, route: str, on: date, depart: str, arrive: str, vehicle: str = "1"
) -> Leg:
    """A leg written as ``"from>to"``."""
    origin, destination = route.split(">")
    return Leg(delegate_id, origin, destination, on, hm(depart), hm(arrive), vehicle)


def lunch_break(
    delegate_id: str, on: date, start: str, end: str, place: str, session_id: str = ""
) -> LunchBreak:
    return LunchBreak(delegate_id, on, hm(start), hm(end), place, session_id)


def make_plan() -> Plan:
    """The valid plan described in the module docstring."""
    opening = scheduled("s-open", "kommune", DAY1, "09:00", "10:00")
    ntnu_a = scheduled("s-ntnu-a", "ntnu", DAY1, "10:15", "11:45")
    fylke = scheduled("s-fylke", "fylke", DAY1, "14:15", "15:15")
    ntnu_b = scheduled("s-ntnu-b", "ntnu", DAY2, "09:30", "11:00")
    meal = scheduled("s-meal", "base", DAY2, "11:45", "12:45")
    assignments = (
        attend("d01", opening),
        attend("d02", opening),
        attend("d01", ntnu_a),
        attend("d02", fylke),
        attend("d03", fylke),
        attend("d03", ntnu_b),
        attend("d01", meal),
        attend("d02", meal),
        attend("d03", meal),
    )
    legs = (
        leg("d01", "base>kommune", DAY1, "08:30", "09:00", "walk"),
        leg("d01", "kommune>ntnu", DAY1, "10:00", "10:15"),
        leg("d01", "ntnu>base", DAY1, "12:30", "12:45"),
        leg("d02", "base>kommune", DAY1, "08:30", "09:00", "walk"),
        leg("d02", "kommune>base", DAY1, "10:00", "10:30", "walk"),
        leg("d02", "base>fylke", DAY1, "13:15", "14:15"),
        leg("d02", "fylke>base", DAY1, "15:15", "16:15"),
        leg("d03", "base>fylke", DAY1, "13:15", "14:15"),
        leg("d03", "fylke>base", DAY1, "15:15", "16:15"),
        leg("d03", "base>ntnu", DAY2, "09:00", "09:15"),
        leg("d03", "ntnu>base", DAY2, "11:00", "11:15"),
    )
    lunches = (
        lunch_break("d01", DAY1, "11:45", "12:30", "ntnu"),
        lunch_break("d02", DAY1, "11:30", "12:15", "base"),
        lunch_break("d01", DAY2, "11:45", "12:45", "base", "s-meal"),
        lunch_break("d02", DAY2, "11:45", "12:45", "base", "s-meal"),
        lunch_break("d03", DAY2, "11:45", "12:45", "base", "s-meal"),
    )
    return Plan(
        visit_id="trondelag-test",
        timezone="Europe/Oslo",
        issued=datetime(2009, 8, 1, 12, 0, tzinfo=UTC),
        sessions=(opening, ntnu_a, fylke, ntnu_b, meal),
        assignments=assignments,
        legs=legs,
        lunches=lunches,
    )


# -- mutations -------------------------------------------------------------------------


def with_session(visit: Visit, session_id: str, **changes: object) -> Visit:
    """The visit with one session changed (dataclasses.replace keyword arguments)."""
    sessions = tuple(replace(s, **changes) if s.id == session_id else s for s in visit.sessions)
    return replace(visit, sessions=sessions)


def with_delegate(visit: Visit, delegate_id: str, **changes: object) -> Visit:
    delegates = tuple(replace(d, **changes) if d.id == delegate_id else d for d in visit.delegates)
    return replace(visit, delegates=delegates)


def without(rows: tuple, *unwanted: object) -> tuple:
    """The rows less the unwanted ones; fails loudly if one is not there."""
    for row in unwanted:
        assert row in rows, f"{row} is not in the plan"
    return tuple(row for row in rows if row not in unwanted)


def move_session(plan: Plan, session_id: str, on: date, start: str, end: str) -> Plan:
    """The plan with a session, its assignments and meal lunches moved together."""
    sessions = tuple(
        replace(s, date=on, start=hm(start), end=hm(end)) if s.session_id == session_id else s
        for s in plan.sessions
    )
    assignments = tuple(
        replace(a, date=on, start=hm(start), end=hm(end)) if a.session_id == session_id else a
        for a in plan.assignments
    )
    lunches = tuple(
        replace(b, date=on, start=hm(start), end=hm(end)) if b.session_id == session_id else b
        for b in plan.lunches
    )
    return replace(plan, sessions=sessions, assignments=assignments, lunches=lunches)


_ROWS = {
    "ScheduledSession": "sessions",
    "Assignment": "assignments",
    "Leg": "legs",
    "LunchBreak": "lunches",
}


def swap(plan: Plan, old: object, new: object | None = None) -> Plan:
    """The plan with one row replaced by another of its type (or dropped when new is None)."""
    name = _ROWS[type(old).__name__]
    rows = without(getattr(plan, name), old)
    return replace(plan, **{name: rows if new is None else (*rows, new)})


def add(plan: Plan, *rows: object) -> Plan:
    """The plan with more rows, each added to the list of its type."""
    for row in rows:
        name = _ROWS[type(row).__name__]
        plan = replace(plan, **{name: (*getattr(plan, name), row)})
    return plan


def find_leg(plan: Plan, delegate_id: str, route: str, on: date) -> Leg:
    """The delegate's leg ``"from>to"`` on a date (the fixture has at most one)."""
    origin, destination = route.split(">")
    (found,) = (
        g
        for g in plan.legs
        if (g.delegate_id, g.from_, g.to, g.date) == (delegate_id, origin, destination, on)
    )
    return found


def find_assignment(plan: Plan, delegate_id: str, session_id: str) -> Assignment:
    (found,) = (
        a for a in plan.assignments if (a.delegate_id, a.session_id) == (delegate_id, session_id)
    )
    return found


def find_lunch(plan: Plan, delegate_id: str, on: date) -> LunchBreak:
    (found,) = (b for b in plan.lunches if (b.delegate_id, b.date) == (delegate_id, on))
    return found


def find_session(plan: Plan, session_id: str) -> ScheduledSession:
    (found,) = (s for s in plan.sessions if s.session_id == session_id)
    return found


def dropped_and_moved() -> tuple[Visit, Plan]:
    """A re-plan of the hand-built plan: the visit and plan without d01 (and without
    s-ntnu-a, which only d01 attended), s-fylke and its rides a quarter of an hour
    later.  The scenario of the calendar-update and change-report tests."""
    visit, plan = make_visit(), make_plan()
    visit = replace(visit, delegates=tuple(d for d in visit.delegates if d.id != "d01"))
    plan = replace(
        plan,
        sessions=tuple(s for s in plan.sessions if s.session_id != "s-ntnu-a"),
        assignments=tuple(a for a in plan.assignments if a.delegate_id != "d01"),
        legs=tuple(g for g in plan.legs if g.delegate_id != "d01"),
        lunches=tuple(b for b in plan.lunches if b.delegate_id != "d01"),
    )
    plan = move_session(plan, "s-fylke", DAY1, "14:30", "15:30")
    for delegate_id in ("d02", "d03"):
        there = find_leg(plan, delegate_id, "base>fylke", DAY1)
        plan = swap(plan, there, leg(delegate_id, "base>fylke", DAY1, "13:30", "14:30"))
        back = find_leg(plan, delegate_id, "fylke>base", DAY1)
        plan = swap(plan, back, leg(delegate_id, "fylke>base", DAY1, "15:30", "16:30"))
    return visit, plan
