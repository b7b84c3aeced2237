"""Rides timed once a day's rides are planned: out as late as they can leave,
back to the hotel as early.

The rides model and the greedy rule decide who rides together, in which
vehicle and in which order; the minute a ride leaves inside its window
matters to none of their goals but idle minutes, and those only for a day's
first and last rides.  Left to themselves they sent delegates out at the day's
start for a session an hour later.  Here every ride is moved inside what
every rule lets it: its riders' windows (the stops before and after), their
other legs on a drop-off tour, the vehicle's rides before and after it with
the empty drive between, the vehicle's start at the base, and a lunch break
beside it.

A ride to the hotel (home at the end of the day, or back for a rest) leaves
as early as it can: resting at the hotel beats waiting at a host, and coming
home early is the idle goal.  Every other ride, which takes delegates to a
session (or to lunch at a third place), leaves as late as it can, so that it
arrives just before the session starts.  Rides to the hotel move first, each
in turn from the day's start; then the others from the day's end, each
bounded by the rides already moved, so the vehicles' days stay as valid as
they were.  A ride a re-plan keeps from the earlier plan keeps its time.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ...model import BASE
from ...timegrid import minute_of
from .requests import DayRides, Request

WALK = "walk"


@dataclass(eq=False)
class _Ride:
    """Legs (indices into DayRides.legs) that leave and arrive together in one vehicle,
    or one request's legs on foot or in an unnumbered vehicle."""

    origin: str
    dest: str
    depart: int
    arrive: int
    vehicle: str
    legs: list[int] = field(default_factory=list)

    @property
    def length(self) -> int:
        return self.arrive - self.depart

    @property
    def numbered(self) -> bool:
        return self.vehicle not in (WALK, "")


class _Day:
    """The day's rides as the rules tie them: legs to requests and rides, each
    delegate's legs in order inside a request, and each vehicle's rides in order."""

    def __init__(self, planner, k: int, requests: list[Request], result: DayRides):
        self.planner, self.requests, self.result = planner, requests, result
        day = planner.visit.days[k]
        self.day_start = minute_of(day.day_start)
        self.owner = _requests_of(requests, result)
        self.rides = _rides(result, self.owner)
        self.ride_of = {j: ride for ride in self.rides for j in ride.legs}
        self.leg_after: dict[int, int] = {}
        self.leg_before: dict[int, int] = {}
        chains: dict[tuple[str, int | None], list[int]] = {}
        for j, leg in enumerate(result.legs):
            chains.setdefault((leg[0], self.owner[j]), []).append(j)
        for legs in chains.values():
            legs.sort(key=lambda j: result.legs[j][3])
            for a, b in zip(legs, legs[1:], strict=False):
                self.leg_after[a], self.leg_before[b] = b, a
        self.ride_after: dict[_Ride, _Ride] = {}  # by identity (eq=False)
        self.ride_before: dict[_Ride, _Ride] = {}
        fleet: dict[str, list[_Ride]] = {}
        for ride in self.rides:
            if ride.numbered:
                fleet.setdefault(ride.vehicle, []).append(ride)
        for schedule in fleet.values():
            schedule.sort(key=lambda r: r.depart)
            for a, b in zip(schedule, schedule[1:], strict=False):
                self.ride_after[a], self.ride_before[b] = b, a

    def movable(self, ride: _Ride) -> bool:
        """Every leg serves a known request, and no rider's ride is kept from the
        earlier plan (a re-plan)."""
        for j in ride.legs:
            if self.owner[j] is None:
                return False
            kept = self.planner.preferred.get((self.result.legs[j][0], ride.origin, ride.dest))
            if kept is not None and kept == (ride.depart, ride.vehicle == WALK):
                return False
        return True

    def earliest(self, ride: _Ride) -> int:
        """The earliest departure on the grid that keeps the windows, tours and vehicle."""
        earliest = max(self.requests[self.owner[j]].earliest for j in ride.legs)
        for j in ride.legs:
            if j in self.leg_before:
                earliest = max(earliest, self.ride_of[self.leg_before[j]].arrive)
        if ride.numbered:
            before = self.ride_before.get(ride)
            if before is None:
                ready = self.day_start + self._empty(BASE, ride.origin)
            else:
                ready = before.arrive + self._empty(before.dest, ride.origin)
            earliest = max(earliest, ready)
        slot = self.planner.slot
        return -(-earliest // slot) * slot

    def latest(self, ride: _Ride) -> int:
        """The latest departure on the grid that keeps the windows, tours and vehicle."""
        latest = min(self.requests[self.owner[j]].latest for j in ride.legs) - ride.length
        for j in ride.legs:
            if j in self.leg_after:
                latest = min(latest, self.ride_of[self.leg_after[j]].depart - ride.length)
        after = self.ride_after.get(ride)
        if after is not None:
            latest = min(latest, after.depart - self._empty(ride.dest, after.origin) - ride.length)
        return latest - latest % self.planner.slot

    def lunches_beside(self, ride: _Ride, depart: int) -> dict[str, int] | None:
        """Each rider's lunch break in this gap, clear of the ride leaving at
        ``depart``: the one planned when it still is, else the first that is; None
        when some rider would have none."""
        arrive = depart + ride.length
        lunches = {}
        for j in ride.legs:
            need = self.requests[self.owner[j]].lunch
            if need is None:
                continue
            did = self.result.legs[j][0]
            lo, hi, minutes = need
            starts = list(range(lo, hi - minutes + 1, self.planner.slot))
            planned = self.result.lunches.get(did)
            if planned in starts:
                starts.insert(0, planned)
            start = next((s for s in starts if s + minutes <= depart or arrive <= s), None)
            if start is None:
                return None
            lunches[did] = start
        return lunches

    def move(self, ride: _Ride, departs) -> None:
        """To the first of ``departs`` that leaves every rider a lunch break."""
        for depart in departs:
            lunches = self.lunches_beside(ride, depart)
            if lunches is None:
                continue
            ride.depart, ride.arrive = depart, depart + ride.length
            for j in ride.legs:
                did, origin, dest, _depart, _arrive, vehicle = self.result.legs[j]
                self.result.legs[j] = (did, origin, dest, ride.depart, ride.arrive, vehicle)
            self.result.lunches.update(lunches)
            return

    def _empty(self, a: str, b: str) -> int:
        return 0 if a == b else self.planner.travel.vehicle(a, b)


def timed(planner, k: int, requests: list[Request], result: DayRides) -> DayRides:
    """The day's rides with rides to the hotel as early and the others as late as
    the rules allow; who rides with whom, and in which vehicle, stay as planned."""
    day = _Day(planner, k, requests, result)
    homeward = sorted(
        (r for r in day.rides if r.dest == BASE), key=lambda r: (r.depart, r.origin, r.vehicle)
    )
    for ride in homeward:
        if day.movable(ride):
            day.move(ride, range(day.earliest(ride), ride.depart, planner.slot))
    outward = sorted(
        (r for r in day.rides if r.dest != BASE), key=lambda r: (-r.depart, r.dest, r.vehicle)
    )
    for ride in outward:
        if day.movable(ride):
            day.move(ride, range(day.latest(ride), ride.depart, -planner.slot))
    return result


def _requests_of(requests: list[Request], result: DayRides) -> list[int | None]:
    """For each leg, the index of the request it serves: the delegate's request whose
    window holds the leg (a delegate's windows of one day never overlap)."""
    mine: dict[str, list[int]] = {}
    for i, req in enumerate(requests):
        for did in req.members:
            mine.setdefault(did, []).append(i)
    owner: list[int | None] = []
    for did, _origin, _dest, depart, arrive, _vehicle in result.legs:
        owner.append(
            next(
                (
                    i
                    for i in mine.get(did, ())
                    if requests[i].earliest <= depart and arrive <= requests[i].latest
                ),
                None,
            )
        )
    return owner


def _rides(result: DayRides, owner: list[int | None]) -> list[_Ride]:
    """Legs sharing a numbered vehicle at one time are one ride; legs on foot or in an
    unnumbered vehicle move with their own request's only."""
    rides: dict[tuple, _Ride] = {}
    for j, (_did, origin, dest, depart, arrive, vehicle) in enumerate(result.legs):
        shared = vehicle not in (WALK, "")
        key = (origin, dest, depart, arrive, vehicle, None if shared else owner[j])
        if key not in rides:
            rides[key] = _Ride(origin, dest, depart, arrive, vehicle)
        rides[key].legs.append(j)
    return list(rides.values())
