"""A day's rides by a greedy rule, for days too large for the rides model.

On the M benchmark a day has hundreds of ride requests; the CP-SAT rides
model then takes longer to build than the whole time limit allows, and its
search does not finish.  This plans the same day in well under a second:
requests in order of their latest departure (deadline first), each walked
when it can be, otherwise put on a ride of the same route and time with free
seats, or on a new ride in the vehicle whose day it fits (rule 7: the empty
drive from the ride before and to the ride after).  Its rides are valid but
not shared as cleverly as the model shares them, and it makes no drop-off
tours.

Taken by their earliest departure instead, a request free all afternoon took
the vehicles at its first minute from those that had to leave then, and the
M benchmark's busiest day needed 28 vehicles; deadline first it needs 15.  If
that order finds no vehicle for some request, the earliest-first order is
tried too."""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import BASE
from .requests import DayRides, Request


@dataclass
class _Ride:
    origin: str
    dest: str
    depart: int
    arrive: int
    vehicle: int
    riders: int = 0


@dataclass
class _Vehicle:
    rides: list[_Ride] = field(default_factory=list)


def plan_day(planner, k: int, requests: list[Request]) -> DayRides | None:
    """The day's rides, or None when this rule finds no vehicle for some request."""

    def deadline(req: Request) -> tuple:
        return (req.latest - planner.vehicle_minutes(req.origin, req.dest), req.earliest)

    def earliest(req: Request) -> tuple:
        return (req.earliest, req.latest)

    for key in (deadline, earliest):
        ordered = sorted(requests, key=lambda r: (*key(r), r.origin, r.dest, r.members))
        result = _in_order(planner, k, ordered)
        if result is not None:
            return result
    return None


def _in_order(planner, k: int, requests: list[Request]) -> DayRides | None:
    transport = planner.visit.transport
    cap = transport.riders_per_vehicle or 10**9
    limit = transport.vehicles
    day = planner.visit.days[k]
    day_start = day.day_start.hour * 60 + day.day_start.minute
    fleet: list[_Vehicle] = [_Vehicle() for _ in range(limit or 0)]
    rides: list[_Ride] = []
    result = DayRides()
    for req in requests:
        walk = planner.walk_for(req)
        if walk is not None:
            placed = _first_fit(planner, req, walk)
            if placed is not None:
                depart, lunch = placed
                _add_legs(result, req, req.members, (depart, walk), "walk", lunch)
                continue
        drive = planner.vehicle_minutes(req.origin, req.dest)
        members = list(req.members)
        while members:
            ride, lunch = _join(planner, req, drive, rides, cap)
            if ride is None:
                ride, lunch = _new_ride(planner, req, drive, fleet, limit, day_start)
                if ride is None:
                    return None
                rides.append(ride)
                result.vehicle_minutes += drive
            taken, members = members[: cap - ride.riders], members[cap - ride.riders :]
            ride.riders += len(taken)
            _add_legs(result, req, taken, (ride.depart, drive), str(ride.vehicle), lunch)
    return result


def _departs(planner, req: Request, length: int) -> list[int]:
    """Departures on the grid inside the window; the first ride of a day as late as it can."""
    departs = list(range(req.earliest, req.latest - length + 1, planner.slot))
    return departs[::-1] if req.first_of_day else departs


def _lunch_beside(planner, req: Request, depart: int, length: int) -> int | None | bool:
    """A lunch start clear of the ride; None when no lunch is needed, False when none fits."""
    if req.lunch is None:
        return None
    lo, hi, minutes = req.lunch
    for start in range(lo, hi - minutes + 1, planner.slot):
        if start + minutes <= depart or depart + length <= start:
            return start
    return False


def _first_fit(planner, req: Request, length: int) -> tuple[int, int | None] | None:
    for depart in _departs(planner, req, length):
        lunch = _lunch_beside(planner, req, depart, length)
        if lunch is not False:
            return depart, lunch
    return None


def _join(planner, req: Request, length: int, rides: list[_Ride], cap: int):
    """A ride already planned on this route, inside the window, with a free seat."""
    for ride in rides:
        if (ride.origin, ride.dest) != (req.origin, req.dest) or ride.riders >= cap:
            continue
        if ride.depart < req.earliest or ride.arrive > req.latest:
            continue
        lunch = _lunch_beside(planner, req, ride.depart, length)
        if lunch is not False:
            return ride, lunch
    return None, None


def _new_ride(planner, req: Request, length: int, fleet, limit, day_start: int):
    for depart in _departs(planner, req, length):
        lunch = _lunch_beside(planner, req, depart, length)
        if lunch is False:
            continue
        ride = _Ride(req.origin, req.dest, depart, depart + length, 0)
        for number, vehicle in enumerate(fleet, start=1):
            if _fits(planner, vehicle, ride, day_start):
                ride.vehicle = number
                _insert(vehicle, ride)
                return ride, lunch
        if limit is None and _fits(planner, _Vehicle(), ride, day_start):
            fleet.append(_Vehicle([ride]))
            ride.vehicle = len(fleet)
            return ride, lunch
    return None, None


def _fits(planner, vehicle: _Vehicle, ride: _Ride, day_start: int) -> bool:
    """Rule 7: the vehicle can drive empty from its ride before and on to its ride after."""
    before = [r for r in vehicle.rides if r.depart < ride.depart]
    after = [r for r in vehicle.rides if r.depart >= ride.depart]
    if before:
        last = before[-1]
        ready = last.arrive + planner.travel.vehicle(last.dest, ride.origin)
    else:
        ready = day_start + planner.travel.vehicle(BASE, ride.origin)
    if ride.depart < ready:
        return False
    if after:
        following = after[0]
        return ride.arrive + planner.travel.vehicle(ride.dest, following.origin) <= (
            following.depart
        )
    return True


def _insert(vehicle: _Vehicle, ride: _Ride) -> None:
    vehicle.rides.append(ride)
    vehicle.rides.sort(key=lambda r: r.depart)


def _add_legs(result: DayRides, req: Request, members, span, vehicle, lunch) -> None:
    """Legs of ``members`` on one ride: ``span`` is (depart, minutes)."""
    depart, length = span
    for did in members:
        result.legs.append((did, req.origin, req.dest, depart, depart + length, vehicle))
        if lunch is not None:
            result.lunches[did] = lunch
    result.rider_minutes += length * len(members)
