"""Every ride but the ride home leaves as late as the rules let it: the ride to a
session arrives just before it starts, whichever planner placed it (the rides
model for numbered vehicles, its greedy rule, or the one-ride-per-request rule
without vehicle numbers), and the ride home leaves right after the last session.

Host ``near`` is 0.5 km north of the base (walkable with walk_km 1.0), ``mid``
1.2 km and ``far`` 2 km (both only by vehicle).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from visitplan.check import check_plan
from visitplan.model import Transport
from visitplan.timegrid import round_up
from visitplan.travel import TravelTable

from .solving import (
    DAY1,
    delegate,
    greedy_rides_only,
    held,
    host,
    lunch,
    minutes,
    plan_and_check,
    rides,
    session,
    tiny_visit,
)

HOSTS = [host("near", 0.5), host("mid", 1.2), host("far", 2.0)]
WALKING = Transport(walk_km=1.0)

PLANNERS = {
    "model": Transport(vehicles=2, seats=10, walk_km=1.0),
    "greedy": Transport(vehicles=2, seats=10, walk_km=1.0),
    "unnumbered": WALKING,
}


@pytest.fixture(params=sorted(PLANNERS))
def planner(request, monkeypatch) -> Transport:
    """The transport of each ride planner in turn; "greedy" forces the greedy rule."""
    if request.param == "greedy":
        used = greedy_rides_only(monkeypatch)
        yield PLANNERS[request.param]
        assert used, "the greedy rule planned no day"
        return
    yield PLANNERS[request.param]


def _least(visit, a: str, b: str, vehicle: str) -> int:
    """The shortest whole-grid ride between two places, on foot or by vehicle."""
    travel = TravelTable(visit)
    raw = travel.walk(a, b) if vehicle == "walk" else travel.vehicle(a, b)
    return round_up(raw, visit.slot_minutes)


def test_the_ride_to_a_morning_session_arrives_just_before_it(planner):
    """A 09:30 session a walk away from the base, the day from 08:30: nobody sets off
    at 08:30 to wait an hour, whether they walk or ride."""
    visit = tiny_visit(
        [session("s1", "near", 60, start="09:30", audience="all")],
        hosts=HOSTS,
        transport=planner,
    )
    plan = plan_and_check(visit)
    out = [g for g in plan.legs if g.from_ == "base"]
    assert out and len(out) == len(visit.delegates)
    for g in out:
        length = _least(visit, "base", "near", g.vehicle)
        assert minutes(g.depart) == minutes(held(plan, "s1").start) - length
        assert minutes(g.arrive) - minutes(g.depart) == length


def test_the_ride_between_sessions_arrives_just_before_the_next(planner):
    """A morning session, then one at another host in the afternoon: the delegates
    wait where the morning ends, and the ride brings them just in time."""
    visit = tiny_visit(
        [
            session("s1", "near", 60, start="09:00", audience="all"),
            session("s2", "far", 60, start="15:00", audience="all"),
        ],
        hosts=HOSTS,
        transport=planner,
    )
    plan = plan_and_check(visit)
    between = [g for g in plan.legs if (g.from_, g.to) == ("near", "far")]
    assert len(between) == len(visit.delegates)
    for g in between:
        assert minutes(g.arrive) == minutes(held(plan, "s2").start)
        assert minutes(g.arrive) - minutes(g.depart) == _least(visit, "near", "far", g.vehicle)


def test_the_ride_home_leaves_right_after_the_last_session(planner):
    visit = tiny_visit(
        [session("s1", "near", 60, start="09:30", audience="all")],
        hosts=HOSTS,
        transport=planner,
    )
    plan = plan_and_check(visit)
    home = [g for g in plan.legs if g.to == "base"]
    assert home and all(g.depart == held(plan, "s1").end for g in home)


def test_a_ride_beside_lunch_leaves_late_with_the_break_before_it(planner):
    """A gap over the lunch window between two hosts: lunch where the morning ends,
    then the ride, arriving just before the afternoon session."""
    visit = tiny_visit(
        [
            session("s1", "near", 60, start="10:00", audience="all"),
            session("s2", "far", 60, start="14:30", audience="all"),
        ],
        hosts=HOSTS,
        transport=planner,
        lunch_rule=lunch(),
    )
    plan = plan_and_check(visit)
    for d in visit.delegates:
        (ride,) = [g for g in plan.legs if g.delegate_id == d.id and g.to == "far"]
        assert minutes(ride.arrive) == minutes(held(plan, "s2").start)
        (meal,) = [b for b in plan.lunches if b.delegate_id == d.id]
        assert meal.end <= ride.depart


def test_a_ride_back_to_the_hotel_for_a_rest_leaves_right_after_the_session(planner):
    """Back at the hotel in the afternoon for a session there in the evening: the
    delegates rest at the hotel rather than wait at the host."""
    visit = tiny_visit(
        [
            session("s1", "far", 60, start="09:00", audience="all"),
            session("s2", "base", 60, start="16:00", audience="all"),
        ],
        hosts=HOSTS,
        transport=planner,
    )
    plan = plan_and_check(visit)
    back = [g for g in plan.legs if g.to == "base"]
    assert len(back) == len(visit.delegates)
    assert all(g.depart == held(plan, "s1").end for g in back)


@pytest.mark.parametrize("kind", ["model", "greedy"])
def test_no_ride_could_leave_a_slot_later_or_one_to_the_hotel_a_slot_earlier(kind, monkeypatch):
    """Two vehicles for three delegates at three hosts: each ride, moved on its own one
    slot later (a ride to the hotel: earlier), breaks a rule that check_plan names
    (a stop, the vehicle's ride before or after it, or the rider's next leg)."""
    if kind == "greedy":
        greedy_rides_only(monkeypatch)
    visit = tiny_visit(
        [
            session("s1", "near", 60, ("a",), start="09:00"),
            session("s2", "far", 60, ("a",), start="11:00"),
            session("s3", "mid", 60, ("b",), start="10:00"),
            session("s4", "near", 60, ("b",), start="13:00"),
            session("s5", "mid", 60, ("c",), start="11:00"),
        ],
        delegates=[
            delegate("d1", "a", must_attend=("s1", "s2")),
            delegate("d2", "b", must_attend=("s3", "s4")),
            delegate("d3", "c", must_attend=("s5",)),
        ],
        hosts=HOSTS,
        transport=Transport(vehicles=2, seats=4),
    )
    plan = plan_and_check(visit)
    slot = timedelta(minutes=visit.slot_minutes)
    judged = set()
    for (_on, origin, dest, depart, _arrive, vehicle), legs in rides(plan).items():
        step = -slot if dest == "base" else slot
        moved = [
            replace(g, depart=_plus(g.depart, step), arrive=_plus(g.arrive, step))
            if g in legs
            else g
            for g in plan.legs
        ]
        assert check_plan(visit, replace(plan, legs=tuple(moved))), (
            f"the {origin}->{dest} ride at {depart} in vehicle {vehicle} could move"
        )
        judged.add(dest == "base")
    assert judged == {True, False}


def _plus(t, delta):
    return (datetime.combine(DAY1, t) + delta).time()
