"""Rules 5-7 (rides): each delegate's rides chain their stops; a ride lasts at
least the travel time (on foot only when the places are walkable); with
vehicles, rides carry numbers 1..vehicles and no ride carries more than
seats − reserved_seats delegates.

Host ``near`` is 0.5 km from the base: 11 minutes by vehicle, and with
walk_km 1.0 walkable in ceil(60 × 1.3 × 0.5 / 4.5) + 10 = 19 minutes.  Host
``far`` has no coordinates: travel.csv gives 20 minutes, 30 with the buffer,
and it can never be walked to."""

from __future__ import annotations

from dataclasses import replace
from datetime import time, timedelta

import pytest

import visitplan.solve.repair as repair_module
from visitplan.check import check_plan
from visitplan.model import Transport
from visitplan.plan import Plan
from visitplan.solve import rides as rides_module
from visitplan.solve.phases import shed as shed_module
from visitplan.solve.rides import greedy as greedy_rides
from visitplan.travel import TravelTable

from ..checkfixtures import attend, leg, lunch_break, scheduled
from ..solving import (
    DAY1,
    ISSUED,
    delegate,
    greedy_rides_only,
    held,
    host,
    lunch,
    minutes,
    plan_and_check,
    rides,
    session,
    solve_visit,
    tiny_visit,
    travel,
)

PLACES = dict(
    hosts=[host("near", 0.5), host("far", None)],
    travel_times=[travel("base", "far", 20), travel("near", "far", 20)],
)
LEAST = {
    frozenset({"base", "near"}): (11, 19),  # by vehicle, on foot
    frozenset({"base", "far"}): (30, None),
    frozenset({"near", "far"}): (30, None),
}


def _day_of_moves(transport: Transport, delegates: int):
    """Whole-delegation sessions near 09:30, far 12:00, near 15:00: an hour between
    them, so one vehicle can take a load, drive back empty and take another."""
    return tiny_visit(
        [
            session("s-near", "near", 60, audience="all", start="09:30"),
            session("s-far", "far", 60, audience="all", start="12:00"),
            session("s-near-pm", "near", 60, audience="all", start="15:00"),
        ],
        delegates=[delegate(f"d{i}") for i in range(1, delegates + 1)],
        transport=transport,
        **PLACES,
    )


def _assert_rides_keep_the_fleet(plan, transport: Transport):
    numbers = {str(n) for n in range(1, (transport.vehicles or 0) + 1)}
    cap = transport.riders_per_vehicle
    for (_on, origin, dest, depart, arrive, vehicle), legs in rides(plan).items():
        assert origin != dest
        by_vehicle, on_foot = LEAST[frozenset({origin, dest})]
        length = minutes(arrive) - minutes(depart)
        if vehicle == "walk":
            assert on_foot is not None, f"{origin}->{dest} is too far to walk"
            assert length >= on_foot
            continue
        assert length >= by_vehicle
        if transport.numbered:
            assert vehicle != ""
            if transport.vehicles is not None:
                assert vehicle in numbers
        else:
            assert vehicle == ""
        if cap is not None:
            assert len(legs) <= cap, f"{len(legs)} riders on {origin}->{dest} at {depart}"
    _assert_each_vehicle_drives_one_ride_at_a_time(plan)


def _assert_each_vehicle_drives_one_ride_at_a_time(plan):
    """Rule 7: from the base at 08:30, rides in turn, driving empty between them."""
    by_vehicle: dict[str, list] = {}
    for _on, origin, dest, depart, arrive, vehicle in rides(plan):
        if vehicle not in ("", "walk"):
            by_vehicle.setdefault(vehicle, []).append((depart, arrive, origin, dest))
    for vehicle, its_rides in by_vehicle.items():
        at, free = "base", 8 * 60 + 30
        for depart, arrive, origin, dest in sorted(its_rides):
            empty = 0 if at == origin else LEAST[frozenset({at, origin})][0]
            assert minutes(depart) >= free + empty, f"vehicle {vehicle} cannot be at {origin}"
            at, free = dest, minutes(arrive)


def test_one_small_vehicle_carries_two_riders_at_a_time():
    transport = Transport(vehicles=1, seats=3, reserved_seats=1, walk_km=1.0)
    plan = plan_and_check(_day_of_moves(transport, 3))
    _assert_rides_keep_the_fleet(plan, transport)
    to_far = [legs for key, legs in rides(plan).items() if key[2] == "far"]
    assert sum(len(legs) for legs in to_far) == 3 and len(to_far) >= 2
    assert {g.vehicle for g in plan.legs} <= {"1", "walk"}


def test_two_vehicles_are_numbered_one_and_two():
    transport = Transport(vehicles=2, seats=4, reserved_seats=1)
    plan = plan_and_check(_day_of_moves(transport, 4))
    _assert_rides_keep_the_fleet(plan, transport)
    assert {g.vehicle for g in plan.legs} <= {"1", "2"}
    assert all(g.vehicle != "walk" for g in plan.legs)  # walk_km 0: nothing is walkable


def test_the_walkable_pair_is_walked_or_ridden_in_time():
    transport = Transport(walk_km=1.0)
    plan = plan_and_check(_day_of_moves(transport, 2))
    _assert_rides_keep_the_fleet(plan, transport)
    near_legs = [g for g in plan.legs if {g.from_, g.to} == {"base", "near"}]
    assert len(near_legs) == 4  # each delegate: there in the morning, back at the end
    assert all(g.vehicle in ("walk", "") for g in near_legs)
    assert any(g.vehicle == "walk" for g in near_legs)  # walking saves vehicle minutes
    assert all(g.vehicle == "" for g in plan.legs if "far" in (g.from_, g.to))


def test_without_numbered_vehicles_rides_carry_no_number():
    transport = Transport()
    plan = plan_and_check(_day_of_moves(transport, 3))
    _assert_rides_keep_the_fleet(plan, transport)
    assert {g.vehicle for g in plan.legs} == {""}
    for did in ("d1", "d2", "d3"):
        route = sorted((g.depart, g.from_, g.to) for g in plan.legs if g.delegate_id == did)
        stops = ["base"] + [to for _, _, to in route]
        assert [f for _, f, _ in route] == stops[:-1], f"{did}'s rides do not chain"
        assert stops == ["base", "near", "far", "near", "base"]


def _too_few_seats():
    """Four delegates, one two-seat vehicle, and a far session at 09:00: the
    first ride leaves at 08:30 and arrives at 09:00; nobody else can be there."""
    return tiny_visit(
        [session("s-far", "far", 60, audience="all", start="09:00", date=DAY1)],
        delegates=[delegate(f"d{i}") for i in range(1, 5)],
        transport=Transport(vehicles=1, seats=2),
        **PLACES,
    )


def test_a_fleet_too_small_for_the_delegation_gives_no_plan():
    plan, report = solve_visit(_too_few_seats())
    assert plan is None
    assert report.status in ("INFEASIBLE", "TIMEOUT")
    assert any("vehicles" in line for line in report.diagnosis), report.diagnosis


def test_a_fleet_too_small_for_the_delegation_is_infeasible_and_says_why():
    plan, report = solve_visit(_too_few_seats())
    assert report.status == "INFEASIBLE"
    assert report.diagnosis == (
        "Session s-far at Host far starts 2009-08-24 09:00, 30 min by vehicle from "
        "Scandic Nidelven: from the day's start at 08:30 the vehicles (1, 2 seats each for "
        "delegates) can bring at most 2 of the 4 delegates who must attend it",
    )


def test_a_fleet_that_can_shuttle_in_time_is_not_judged_short():
    """With the session at 10:30 the vehicle brings two by 09:00, drives back empty and
    brings two more by 10:00 (a round trip to the base is 60 minutes)."""
    visit = _too_few_seats()
    later = replace(visit.sessions[0], pin_start=time(10, 30))
    plan = plan_and_check(replace(visit, sessions=(later,)))
    assert {leg.vehicle for leg in plan.legs} == {"1"}
    assert len({(leg.depart, leg.from_) for leg in plan.legs if leg.to == "far"}) == 2


def _split_first_rides():
    """Two delegates, one vehicle: a tiny visit found by the property test.

    travel.csv: base-east 6, base-west 5, east-west 7 (16, 15 and 17 minutes
    with the buffer).  Keeping the delegation together gives a valid plan
    (``_together_plan``), but the solver's first schedule starts d1 at east and
    d2 at west at once, and its retry keeps the same split."""
    return tiny_visit(
        [
            session("s1", "east", 90, topics=("ports", "rails"), required=True, min_size=2),
            session("s2", "west", 90, topics=("ports",), min_size=2),
            session("s3", "east", 30, topics=()),
        ],
        hosts=[host("east", None), host("west", None, rooms=2)],
        travel_times=[
            travel("base", "east", 6),
            travel("base", "west", 5),
            travel("east", "west", 7),
        ],
        delegates=[
            delegate("d1", "ports", "rails", "roads", weight=4),
            delegate("d2", "ports", "rails", "roads", weight=3),
        ],
        lunch_rule=lunch("11:30", "13:30", 45),
        transport=Transport(vehicles=1, seats=5, reserved_seats=1, walk_km=1.0),
    )


def _together_plan():
    s3 = scheduled("s3", "east", DAY1, "09:00", "09:30")
    s1 = scheduled("s1", "east", DAY1, "09:30", "11:00")
    s2 = scheduled("s2", "west", DAY1, "12:15", "13:45")
    rows = []
    for did in ("d1", "d2"):
        rows += [attend(did, s) for s in (s3, s1, s2)]
    legs = []
    for did in ("d1", "d2"):
        legs += [
            leg(did, "base>east", DAY1, "08:30", "09:00"),
            leg(did, "east>west", DAY1, "11:00", "11:30"),
            leg(did, "west>base", DAY1, "13:45", "14:00"),
        ]
    lunches = [lunch_break(did, DAY1, "11:30", "12:15", "west") for did in ("d1", "d2")]
    return Plan(
        "tiny-test",
        "Europe/Oslo",
        ISSUED,
        (s3, s1, s2),
        tuple(rows),
        tuple(legs),
        tuple(lunches),
    )


def test_the_split_visit_has_a_valid_plan():
    assert check_plan(_split_first_rides(), _together_plan()) == []


def test_one_vehicle_serves_a_delegation_that_can_stay_together():
    plan = plan_and_check(_split_first_rides())
    _assert_rides_keep_the_fleet_loose(plan)


def _assert_rides_keep_the_fleet_loose(plan):
    for (_on, _origin, _dest, _depart, _arrive, vehicle), legs in rides(plan).items():
        assert vehicle in ("1", "walk")
        assert len(legs) <= 4


def test_one_vehicle_drops_delegates_off_on_a_tour():
    """Two groups start at 09:00 at hosts 6 and 7 km north: one coach leaving the
    base at 08:30 drops the first group and carries the second on (rule 5 lets a
    chain pass through another place)."""
    visit = tiny_visit(
        [
            session("near", "h1", 60, topics=("ports",), start="09:15", required=True),
            session("far", "h2", 60, topics=("roads",), start="09:15", required=True),
        ],
        delegates=[delegate("d1", "ports"), delegate("d2", "roads")],
        hosts=[host("h1", km_north=6.0), host("h2", km_north=7.0)],
        transport=Transport(vehicles=1, seats=4),
    )
    plan = plan_and_check(visit)

    def morning(did: str) -> list[tuple[str, str]]:
        legs = sorted((g for g in plan.legs if g.delegate_id == did), key=lambda g: g.depart)
        return [(g.from_, g.to) for g in legs if g.arrive <= held(plan, "near").start]

    tours = {"d1": [("base", "h2"), ("h2", "h1")], "d2": [("base", "h1"), ("h1", "h2")]}
    assert any(morning(did) == legs for did, legs in tours.items())


def test_one_vehicle_keeps_places_apart_when_one_route_is_impossible():
    """s-small at far takes one delegate, so not everyone can visit every place
    (one route); with places kept apart the lone vehicle still carries d1 or d2
    there and back around the session at near, and the plan says so."""
    visit = tiny_visit(
        [
            session("s-all", "near", 60, audience="all", start="09:30"),
            session("s-small", "far", 60, required=True, max_size=1),
        ],
        transport=Transport(vehicles=1, seats=4),
        **PLACES,
    )
    plan = plan_and_check(visit)
    assert any("kept apart" in line for line in plan.report.diagnosis)
    small, common = held(plan, "s-small"), held(plan, "s-all")
    assert small.end <= common.start or common.end <= small.start


# -- the greedy rule for days too large for the rides model ------------------------


@pytest.fixture
def greedy_only(monkeypatch):
    """Every day's rides planned by ``greedy_rides``, as on a large visit."""
    return greedy_rides_only(monkeypatch)


def test_greedy_rides_carry_two_riders_at_a_time_in_one_small_vehicle(greedy_only):
    transport = Transport(vehicles=1, seats=3, reserved_seats=1, walk_km=1.0)
    plan = plan_and_check(_day_of_moves(transport, 3))
    assert greedy_only == [0]
    _assert_rides_keep_the_fleet(plan, transport)
    to_far = [legs for key, legs in rides(plan).items() if key[2] == "far"]
    assert sum(len(legs) for legs in to_far) == 3 and len(to_far) >= 2


def test_greedy_rides_number_two_vehicles_and_shuttle_loads_in_time(greedy_only):
    transport = Transport(vehicles=2, seats=4, reserved_seats=1)
    plan = plan_and_check(_day_of_moves(transport, 8))
    assert greedy_only == [0]
    _assert_rides_keep_the_fleet(plan, transport)
    assert {g.vehicle for g in plan.legs} == {"1", "2"}


def test_greedy_rides_bring_a_full_session_in_two_loads(greedy_only):
    later = replace(_too_few_seats().sessions[0], pin_start=time(10, 30))
    plan = plan_and_check(replace(_too_few_seats(), sessions=(later,)))
    assert greedy_only == [0]
    loads = {(g.depart, g.vehicle) for g in plan.legs if g.to == "far"}
    assert len(loads) == 2 and {v for _, v in loads} == {"1"}


def test_greedy_rides_serve_the_request_that_must_leave_first_before_a_free_one():
    """One vehicle; d1 may ride near -> far any time from 09:45 to 15:00, d2 must
    leave the base for far at 10:00.  Taken by earliest departure, d1's ride
    would hold the vehicle at 09:45 and d2 would find none; deadline first, d2
    leaves at 10:00 and d1 rides once the vehicle is back from far."""
    transport = Transport(vehicles=1, seats=10)
    visit = _day_of_moves(transport, 2)
    planner = rides_module.RidePlanner(visit, TravelTable(visit), 0, 1, 1.0)
    free = rides_module.Request("near", "far", 9 * 60 + 45, 15 * 60, ("d1",), False, False)
    bound = rides_module.Request("base", "far", 10 * 60, 10 * 60 + 30, ("d2",), False, False)
    day = greedy_rides.plan_day(planner, 0, [free, bound])
    assert day is not None
    legs = {
        did: (origin, dest, depart, arrive) for did, origin, dest, depart, arrive, _v in day.legs
    }
    assert legs["d2"] == ("base", "far", 600, 630)
    # the vehicle drives far -> near (30 min) before it can take d1
    assert legs["d1"][2] >= 630 + 30 and legs["d1"][3] <= 15 * 60
    assert {v for *_rest, v in day.legs} == {"1"}


def _spare_session_visit():
    return tiny_visit(
        [
            session("s-near", "near", 60, audience="all", start="09:30"),
            session("s-spare", "near", 60, topics=("nothing",)),
        ],
        transport=Transport(vehicles=2, seats=4),
        **PLACES,
    )


def _rides_failing(monkeypatch, fails):
    """Make the rides fail on the calls ``fails(n)`` names (n counts from 1), and every
    try of the repair's shedding (``phases.shed``); returns the schedules' session
    times the calls were asked for, in order."""
    tried = []
    real = repair_module.serve

    def served(ctx, schedule, budget, previous=None, **kw):
        tried.append(dict(schedule.times))
        if fails(len(tried)):
            raise rides_module.RideFailure(0, "made to fail")
        return real(ctx, schedule, budget, previous, **kw)

    def unserved(ctx, schedule, budget, previous=None, **kw):
        raise rides_module.RideFailure(0, "made to fail")  # fewer riders change nothing

    monkeypatch.setattr(repair_module, "serve", served)
    monkeypatch.setattr(shed_module, "serve", unserved)
    return tried


def test_the_first_plan_is_served_when_no_repair_finds_rides(monkeypatch):
    """The improved schedule (which keeps the optional session nobody cares for)
    fails, and so does every repair: the plan is the first plan kept in reserve,
    not none."""
    tried = _rides_failing(monkeypatch, lambda n: n < 3)
    plan = plan_and_check(_spare_session_visit())
    assert len(tried) >= 3
    assert {s.session_id for s in plan.sessions} == set(tried[-1])  # the reserve, served


def test_a_repair_that_serves_its_rides_is_the_plan(monkeypatch):
    """Only the first schedule's rides fail: the repair (which must change that day)
    is served and becomes the plan, its day kept at a stricter fleet level."""
    tried = _rides_failing(monkeypatch, lambda n: n == 1)
    plan = plan_and_check(_spare_session_visit())
    assert len(tried) == 2 and tried[0] != tried[1]
    assert any("drives at once" in line for line in plan.report.diagnosis)


def test_every_day_whose_rides_fail_is_solved_again_in_one_repair(monkeypatch):
    """The first schedule's rides fail on both days: both are reported at once, so
    the one repair keeps each of them at the fleet's stricter level."""
    visit = tiny_visit(
        [
            session("s-mon", "far", 60, audience="all", date=DAY1),
            session("s-tue", "far", 60, audience="all", date=DAY1 + timedelta(days=1)),
        ],
        days=2,
        transport=Transport(vehicles=2, seats=4),
        **PLACES,
    )
    calls = []
    real_rides, real_day = repair_module.serve, rides_module.RidePlanner.plan_day

    def served(ctx, schedule, budget, previous=None, **kw):
        calls.append(kw.get("every_day", True))
        return real_rides(ctx, schedule, budget, previous, **kw)

    def day(self, k, requests):
        if len(calls) == 1:
            raise rides_module.RideFailure(k, "made to fail")
        return real_day(self, k, requests)

    monkeypatch.setattr(repair_module, "serve", served)
    monkeypatch.setattr(rides_module.RidePlanner, "plan_day", day)
    plan = plan_and_check(visit)
    assert calls.count(True) == 2  # the failed schedule, then one repair served
    fleet = [line for line in plan.report.diagnosis if "drives at once" in line]
    assert [line[:10] for line in fleet] == ["2009-08-24", "2009-08-25"]
