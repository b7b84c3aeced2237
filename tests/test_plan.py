"""The goals counted on a plan itself (the spec's section 4), independent of the solver."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

from visitplan.plan import Assignment, Leg, LunchBreak, Plan, idle_minutes

DAY = date(2009, 8, 24)
NEXT = date(2009, 8, 25)


def at(text: str) -> time:
    return time.fromisoformat(text)


def plan_of(legs=(), assignments=(), lunches=()) -> Plan:
    return Plan(
        "v",
        "Europe/Oslo",
        datetime(2009, 8, 1, tzinfo=UTC),
        assignments=tuple(assignments),
        legs=tuple(legs),
        lunches=tuple(lunches),
    )


def leg(did, frm, to, depart, arrive, on=DAY):
    return Leg(did, frm, to, on, at(depart), at(arrive), "1")


def attends(did, sid, start, end, on=DAY):
    return Assignment(did, sid, "h", on, at(start), at(end))


def test_idle_minutes_are_the_gaps_between_first_departure_and_last_return():
    day = plan_of(
        legs=[
            leg("d1", "base", "a", "08:30", "08:50"),
            leg("d1", "a", "b", "10:30", "10:45"),
            leg("d1", "b", "base", "15:00", "15:20"),
        ],
        assignments=[attends("d1", "s1", "09:00", "10:30"), attends("d1", "s2", "11:00", "12:00")],
        lunches=[LunchBreak("d1", DAY, at("12:30"), at("13:15"), "b")],
    )
    # 08:50–09:00 (10), 10:45–11:00 (15), 12:00–12:30 (30), 13:15–15:00 (105)
    assert idle_minutes(day) == 160


def test_a_day_without_rides_has_nothing_idle_and_days_add_up():
    only_sessions = plan_of(assignments=[attends("d1", "s1", "09:00", "10:00")])
    assert idle_minutes(only_sessions) == 0
    two_days = plan_of(
        legs=[
            leg("d1", "base", "a", "08:30", "08:50"),
            leg("d1", "a", "base", "10:00", "10:20"),
            leg("d2", "base", "a", "09:00", "09:20", NEXT),
            leg("d2", "a", "base", "11:00", "11:20", NEXT),
        ],
        assignments=[
            attends("d1", "s1", "09:00", "10:00"),
            attends("d2", "s1", "09:30", "10:30", NEXT),
        ],
    )
    # d1: 08:50–09:00 (10); d2: 09:20–09:30 (10) and 10:30–11:00 (30)
    assert idle_minutes(two_days) == 50


def test_overlapping_busy_times_are_counted_once():
    """A lunch eaten during a walk's slack, or a ride leaving as a session ends."""
    day = plan_of(
        legs=[leg("d1", "base", "a", "08:30", "09:00"), leg("d1", "a", "base", "11:00", "11:30")],
        assignments=[attends("d1", "s1", "08:45", "10:00")],
        lunches=[LunchBreak("d1", DAY, at("09:45"), at("10:30"), "a")],
    )
    # busy 08:30–10:30, idle 10:30–11:00
    assert idle_minutes(day) == 30
