"""The rides model of one day (rules 5–8): who rides together, when, in which vehicle.

With ``vehicles``/``seats`` set, a small CP-SAT model per day assigns ride
requests to shared rides, rides to vehicles, and keeps every vehicle's rides
apart by the empty drive between them (rule 7).

Goals here, in the relative order of ``[objective] order``: vehicle minutes,
rider minutes, idle minutes (approximated by how late the first ride or walk
of a day leaves and how early the last one returns).  Once a day is planned,
``timing`` moves each ride inside what the rules allow: to a session as late
as it can leave, to the hotel as early.  A delegate with the access need
``no_walking`` is never walked: their request is split from the walkers'
(``RidePlanner._by_access``), and may still share their vehicle.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from ...model import BASE, Visit
from ...timegrid import round_up
from ..schedule import DAY
from . import greedy, timing
from .requests import DayRides, Request, RideFailure, fit

RIDE_GOALS = ("vehicle_minutes", "rider_minutes", "idle_minutes")
MODEL_SIZE = 1500
"""Above this many ride requests × vehicles a day, the rides are planned by
``greedy``: the model grows with both (on M, 137 requests and 25 vehicles
made 350,000 variables and took 23 s to build and search).  The greedy rule
also plans a day the model could not (no plan in time, or none with its
candidate rides)."""


@dataclass(eq=False)
class Ride:
    """A candidate shared ride of one class (origin, dest) on one day."""

    index: int
    origin: str
    dest: str
    length: int
    depart: object
    present: object
    users: list = field(default_factory=list)
    riders: list = field(default_factory=list)
    vehicle: list = field(default_factory=list)


class RidePlanner:
    def __init__(self, visit: Visit, travel, seed: int, workers: int, deterministic_time: float):
        self.visit = visit
        self.travel = travel
        self.slot = visit.slot_minutes
        self.seed = seed
        self.workers = workers
        self.deterministic_time = deterministic_time
        self.seconds: float | None = None
        """A wall-clock limit per day as well, when the plan has a time limit: on a
        large visit ten units of deterministic time took a minute."""
        self.preferred: dict[tuple[str, str, str], tuple[int, bool]] = {}
        """For a re-plan: (delegate, from, to) to the earlier ride's (depart, walked).
        Keeping a delegate's earlier rides comes before every other ride goal."""
        self.riding = frozenset(d.id for d in visit.delegates if "no_walking" in d.access)
        """Delegates who never walk a leg (the access need ``no_walking``)."""

    def _preference(self, req: Request) -> tuple[int, bool] | None:
        """The earlier ride all members of a request took, when they took the same one."""
        choices = {self.preferred.get((did, req.origin, req.dest)) for did in req.members}
        if len(choices) != 1:
            return None
        return choices.pop()

    def vehicle_minutes(self, a: str, b: str) -> int:
        return round_up(self.travel.vehicle(a, b), self.slot)

    def walk_minutes(self, a: str, b: str) -> int | None:
        walk = self.travel.walk(a, b)
        return None if walk is None else round_up(walk, self.slot)

    def walk_for(self, req: Request) -> int | None:
        """Minutes on foot for the request's members, None when they may not walk it."""
        return self.walk_minutes(req.origin, req.dest) if req.on_foot else None

    def plan_day(self, k: int, requests: list[Request]) -> DayRides:
        """The day's rides, each to a session leaving as late as it can and each to
        the hotel as early (``timing``)."""

        requests = self._by_access(requests)
        return timing.timed(self, k, requests, self._planned(k, requests))

    def _by_access(self, requests: list[Request]) -> list[Request]:
        """Members who never walk apart from those who may: they can still share a
        vehicle, but a request with one of them is never walked."""
        if not self.riding:
            return requests
        split = []
        for req in requests:
            riding = tuple(did for did in req.members if did in self.riding)
            walking = tuple(did for did in req.members if did not in self.riding)
            if walking:
                split.append(replace(req, members=walking))
            if riding:
                split.append(replace(req, members=riding, on_foot=False))
        return split

    def _planned(self, k: int, requests: list[Request]) -> DayRides:
        if not requests:
            return DayRides()
        if not self.visit.transport.numbered:
            return self._unnumbered(requests)
        size = len(requests) * (self.visit.transport.vehicles or len(requests))
        if size <= MODEL_SIZE:
            try:
                return self._numbered(k, requests)
            except RideFailure as failure:
                status = failure.status
        else:
            status = f"{len(requests)} ride requests, too many for the rides model"

        by_rule = greedy.plan_day(self, k, requests)
        if by_rule is None:
            raise RideFailure(k, status)
        return by_rule

    # -- no vehicle numbers: every request rides on its own, rides with equal keys merge
    def _unnumbered(self, requests: list[Request]) -> DayRides:
        result = DayRides()
        for req in requests:
            walk = self.walk_for(req)
            drive = self.vehicle_minutes(req.origin, req.dest)
            choice = self._earlier_ride(req, walk, drive)
            if choice is None and walk is not None:
                placed = fit(req, walk, self.slot)
                choice = None if placed is None else (placed, walk, "walk")
            if choice is None:
                choice = (fit(req, drive, self.slot), drive, "")
            (depart, lunch), length, vehicle = choice
            if vehicle != "walk":
                result.vehicle_minutes += length
            for did in req.members:
                result.legs.append((did, req.origin, req.dest, depart, depart + length, vehicle))
                if lunch is not None:
                    result.lunches[did] = lunch
            result.rider_minutes += length * len(req.members)
        return result

    def _earlier_ride(self, req: Request, walk: int | None, drive: int):
        """The members' earlier ride, ((depart, lunch), length, vehicle), if it still fits."""
        earlier = self._preference(req)
        if earlier is None:
            return None
        depart, walked = earlier
        length = walk if walked else drive
        if length is None or depart < req.earliest or depart + length > req.latest:
            return None
        if req.lunch is None:
            return (depart, None), length, "walk" if walked else ""
        lo, hi, minutes = req.lunch
        for start in range(lo, hi - minutes + 1, self.slot):
            if start + minutes <= depart or depart + length <= start:
                return (depart, start), length, "walk" if walked else ""
        return None

    # -- numbered vehicles: CP-SAT over shared rides
    def _numbered(self, k: int, requests: list[Request]) -> DayRides:
        transport = self.visit.transport
        model = cp_model.CpModel()
        cap = transport.riders_per_vehicle
        day = self.visit.days[k]
        day_start = day.day_start.hour * 60 + day.day_start.minute
        classes: dict[tuple[str, str], list[int]] = {}
        for i, req in enumerate(requests):
            classes.setdefault((req.origin, req.dest), []).append(i)

        rides: list[Ride] = []
        shares: dict[tuple[int, int], cp_model.IntVar] = {}
        on_foot: dict[int, cp_model.IntVar] = {}
        lunch_starts: dict[int, cp_model.IntVar] = {}
        walk_departs: dict[int, cp_model.IntVar] = {}
        rider_terms, idle_terms, vehicle_terms, keep_terms = [], [], [], []
        direct: dict[int, tuple] = {}
        keep_flags: dict[int, cp_model.IntVar] = {}
        self._bounds = {"vehicle": 0, "rider": 0, "keep": 0}
        for (origin, dest), members in sorted(classes.items()):
            length = self.vehicle_minutes(origin, dest)
            lo = min(requests[i].earliest for i in members)
            hi = max(requests[i].latest for i in members) - length
            needed = sum(math.ceil(len(requests[i].members) / cap) if cap else 1 for i in members)
            own = []
            for n in range(needed if hi >= lo else 0):
                name = f"{origin}->{dest}#{n}"
                depart = model.NewIntVarFromDomain(
                    cp_model.Domain.FromValues(
                        list(range(round_up(lo, self.slot), hi + 1, self.slot))
                    ),
                    f"depart[{name}]",
                )
                ride = Ride(
                    len(rides), origin, dest, length, depart, model.NewBoolVar(f"ride[{name}]")
                )
                if own:  # symmetry: used rides of a class first, in time order
                    model.AddImplication(ride.present, own[-1].present).WithName(
                        f"rides_in_order[{ride.index}]"
                    )
                    model.Add(ride.depart >= own[-1].depart).WithName(
                        f"rides_in_order[{ride.index}]"
                    ).OnlyEnforceIf(ride.present)
                own.append(ride)
                rides.append(ride)
                vehicle_terms.append(length * ride.present)
                self._bounds["vehicle"] += length
            for i in members:
                req = requests[i]
                size = len(req.members)
                walk = self.walk_for(req)
                walking = model.NewBoolVar(f"walks[{i}]")
                if walk is None or walk > req.latest - req.earliest:
                    model.Add(walking == 0).WithName(f"no_walk[{i}]")
                on_foot[i] = walking
                lunch = None
                if req.lunch is not None:
                    lo_l, hi_l, minutes = req.lunch
                    lunch = model.NewIntVarFromDomain(
                        cp_model.Domain.FromValues(
                            list(range(lo_l, hi_l - minutes + 1, self.slot))
                        ),
                        f"lunch[{i}]",
                    )
                    lunch_starts[i] = lunch
                if walk is not None and walk <= req.latest - req.earliest:
                    walk_departs[i] = model.NewIntVarFromDomain(
                        cp_model.Domain.FromValues(
                            list(range(req.earliest, req.latest - walk + 1, self.slot))
                        ),
                        f"walk_depart[{i}]",
                    )
                    if lunch is not None:
                        _apart(model, walk_departs[i], walk, lunch, req.lunch[2], walking)
                    idle_terms.extend(_walk_idle(model, req, i, walk_departs[i], walk, walking))
                parts, ride_uses = [], []
                for ride in own:
                    n = model.NewIntVar(0, size, f"riders[{i},{ride.index}]")
                    used = model.NewBoolVar(f"uses[{i},{ride.index}]")
                    model.Add(n >= 1).WithName(f"uses[{i},{ride.index}]").OnlyEnforceIf(used)
                    model.Add(n == 0).WithName(f"uses[{i},{ride.index}]").OnlyEnforceIf(used.Not())
                    model.AddImplication(used, ride.present).WithName(f"uses[{i},{ride.index}]")
                    model.Add(ride.depart >= req.earliest).WithName(
                        f"ride_window[{i},{ride.index}]"
                    ).OnlyEnforceIf(used)
                    model.Add(ride.depart + length <= req.latest).WithName(
                        f"ride_window[{i},{ride.index}]"
                    ).OnlyEnforceIf(used)
                    if lunch is not None:
                        _apart(model, ride.depart, length, lunch, req.lunch[2], used)
                    ride.users.append(used)
                    ride_uses.append(used)
                    ride.riders.append(n)
                    shares[(i, ride.index)] = n
                    parts.append(n)
                    if req.first_of_day:  # idle: leave as late as the window allows
                        wait = model.NewIntVar(0, DAY, f"early[{i},{ride.index}]")
                        model.Add(wait >= req.latest - length - ride.depart).WithName(
                            f"early[{i},{ride.index}]"
                        ).OnlyEnforceIf(used)
                        idle_terms.append(wait)
                    if req.last_of_day:  # idle: come back as early as the window allows
                        wait = model.NewIntVar(0, DAY, f"late[{i},{ride.index}]")
                        model.Add(wait >= ride.depart - req.earliest).WithName(
                            f"late[{i},{ride.index}]"
                        ).OnlyEnforceIf(used)
                        idle_terms.append(wait)
                direct[i] = (parts, walking, size)
                earlier = self._preference(req)
                if earlier is not None:
                    kept = model.NewBoolVar(f"keeps_ride[{i}]")
                    keep_flags[i] = kept
                    model.Add(walking == int(earlier[1])).WithName(
                        f"keeps_ride[{i}]"
                    ).OnlyEnforceIf(kept)
                    if earlier[1] and i in walk_departs:
                        model.Add(walk_departs[i] == earlier[0]).WithName(
                            f"keeps_ride[{i}]"
                        ).OnlyEnforceIf(kept)
                    elif earlier[1]:
                        model.Add(kept == 0).WithName(f"keeps_ride[{i}]")
                    for ride, used in zip(own, ride_uses, strict=True):
                        model.Add(ride.depart == earlier[0]).WithName(
                            f"keeps_ride[{i},{ride.index}]"
                        ).OnlyEnforceIf([kept, used])
                    keep_terms.append(size * (1 - kept))
                    self._bounds["keep"] += size
                extra = (walk or length) - length
                rider_terms.append(size * length + size * extra * walking)
                self._bounds["rider"] += size * (length + abs(extra))
        vias = self._drop_off_tours(model, requests, rides, vehicle_terms, rider_terms)
        for i, (parts, walking, size) in direct.items():
            touring = [via.chosen for via in vias.get(i, ())]
            model.Add(sum(parts) == size * (1 - walking - sum(touring))).WithName(
                f"everyone_carried[{i}]"
            )
            if i in keep_flags:
                for chosen in touring:
                    model.AddImplication(keep_flags[i], chosen.Not()).WithName(f"keeps_ride[{i}]")
        for ride in rides:
            if ride.users:
                model.AddBoolOr(ride.users).WithName(f"ride_used[{ride.index}]").OnlyEnforceIf(
                    ride.present
                )
                if cap is not None:
                    model.Add(sum(ride.riders) <= cap).WithName(f"seats[{ride.index}]")
            else:
                model.Add(ride.present == 0).WithName(f"ride_used[{ride.index}]")
            model.Add(ride.depart >= day_start + self.travel.vehicle(BASE, ride.origin)).WithName(
                f"from_base_in_time[{ride.index}]"
            ).OnlyEnforceIf(ride.present)
        self._vehicles(model, rides)
        model.Minimize(self._objective(vehicle_terms, rider_terms, idle_terms, keep_terms))
        solver = cp_model.CpSolver()
        solver.parameters.catch_sigint_signal = False  # Ctrl-C ends the run (cli)
        solver.parameters.random_seed = self.seed
        solver.parameters.num_workers = self.workers
        solver.parameters.max_deterministic_time = self.deterministic_time
        if self.seconds is not None:
            solver.parameters.max_time_in_seconds = self.seconds
        status = solver.Solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise RideFailure(k, solver.StatusName(status))
        result = self._extract(solver, requests, rides, shares, (on_foot, walk_departs, vias))
        for i, lunch in lunch_starts.items():
            for did in requests[i].members:
                result.lunches[did] = solver.Value(lunch)
        return result

    def _drop_off_tours(self, model, requests, rides, vehicle_terms, rider_terms) -> dict:
        """Rule 5 lets a chain pass through other places: a request A→C may ride along
        A→B with a vehicle dropping others at B and go on B→C, as a coach on a
        drop-off tour does.  Offered for every B some ride from A goes to."""
        by_class: dict[tuple[str, str], list[Ride]] = {}
        for ride in rides:
            by_class.setdefault((ride.origin, ride.dest), []).append(ride)
        vias: dict[int, list[_Tour]] = {}
        for i, req in enumerate(requests):
            if req.lunch is not None:
                continue
            size = len(req.members)
            for (origin, stop), firsts in sorted(by_class.items()):
                if origin != req.origin or stop in (req.dest, req.origin):
                    continue
                second_length = self.vehicle_minutes(stop, req.dest)
                first_length = firsts[0].length
                if first_length + second_length > req.latest - req.earliest:
                    continue
                lo = req.earliest + first_length
                hi = req.latest - second_length
                name = f"{stop}->{req.dest}#via{i}"
                depart = model.NewIntVarFromDomain(
                    cp_model.Domain.FromValues(
                        list(range(round_up(lo, self.slot), hi + 1, self.slot))
                    ),
                    f"depart[{name}]",
                )
                second = Ride(
                    len(rides),
                    stop,
                    req.dest,
                    second_length,
                    depart,
                    model.NewBoolVar(f"ride[{name}]"),
                )
                rides.append(second)
                vehicle_terms.append(second_length * second.present)
                self._bounds["vehicle"] += second_length
                tour = _Tour(
                    model.NewBoolVar(f"tours[{i},{stop}]"), second, first_length + second_length
                )
                model.AddImplication(tour.chosen, second.present).WithName(f"tours[{i},{stop}]")
                second.users.append(tour.chosen)
                second.riders.append(size * tour.chosen)
                picks = []
                for first in firsts:
                    pick = model.NewBoolVar(f"tour_leg[{i},{first.index}]")
                    model.AddImplication(pick, first.present).WithName(
                        f"tour_leg[{i},{first.index}]"
                    )
                    model.Add(first.depart >= req.earliest).WithName(
                        f"tour_leg[{i},{first.index}]"
                    ).OnlyEnforceIf(pick)
                    model.Add(depart >= first.depart + first.length).WithName(
                        f"tour_leg[{i},{first.index}]"
                    ).OnlyEnforceIf(pick)
                    first.users.append(pick)
                    first.riders.append(size * pick)
                    picks.append((pick, first))
                model.Add(sum(p for p, _f in picks) == tour.chosen).WithName(f"tours[{i},{stop}]")
                tour.firsts = picks
                extra = tour.minutes - self.vehicle_minutes(req.origin, req.dest)
                rider_terms.append(size * extra * tour.chosen)
                self._bounds["rider"] += size * abs(extra)
                vias.setdefault(i, []).append(tour)
            if len(vias.get(i, ())) > 1:
                model.AddAtMostOne(t.chosen for t in vias[i]).WithName(f"one_tour[{i}]")
        return vias

    def _vehicles(self, model, rides: list[Ride]) -> None:
        """Rule 7: rides of one vehicle never overlap, with the empty drive between them."""
        count = self.visit.transport.vehicles or len(rides)
        for ride in rides:
            ride.vehicle = [
                model.NewBoolVar(f"vehicle[{ride.index},{j + 1}]") for j in range(count)
            ]
            model.Add(sum(ride.vehicle) == ride.present).WithName(f"vehicle[{ride.index}]")
        for a_i, a in enumerate(rides):
            for b in rides[a_i + 1 :]:
                ab = model.NewBoolVar(f"precedes[{a.index},{b.index}]")
                ba = model.NewBoolVar(f"precedes[{b.index},{a.index}]")
                gap_ab = a.length + self._empty(a.dest, b.origin)
                gap_ba = b.length + self._empty(b.dest, a.origin)
                model.Add(b.depart >= a.depart + gap_ab).WithName(
                    f"precedes[{a.index},{b.index}]"
                ).OnlyEnforceIf(ab)
                model.Add(a.depart >= b.depart + gap_ba).WithName(
                    f"precedes[{b.index},{a.index}]"
                ).OnlyEnforceIf(ba)
                for va, vb in zip(a.vehicle, b.vehicle, strict=True):
                    model.AddBoolOr([va.Not(), vb.Not(), ab, ba]).WithName(
                        f"one_place_per_vehicle[{a.index},{b.index}]"
                    )

    def _empty(self, a: str, b: str) -> int:
        return 0 if a == b else self.travel.vehicle(a, b)

    def _objective(self, vehicle_terms, rider_terms, idle_terms, keep_terms):
        """Lexicographic by scaling: each goal's weight exceeds the range of those after it.
        In a re-plan, riders moved off their earlier rides come first."""
        terms = {
            "keep": sum(keep_terms) if keep_terms else 0,
            "vehicle_minutes": sum(vehicle_terms) if vehicle_terms else 0,
            "rider_minutes": sum(rider_terms) if rider_terms else 0,
            "idle_minutes": sum(idle_terms) if idle_terms else 0,
        }
        bound = {
            "keep": self._bounds["keep"],
            "vehicle_minutes": self._bounds["vehicle"],
            "rider_minutes": self._bounds["rider"],
            "idle_minutes": DAY * len(idle_terms),
        }
        order = [g for g in self.visit.objective_order if g in RIDE_GOALS]
        order = ["keep"] + order + [g for g in RIDE_GOALS if g not in order]
        expr, scale = 0, 1
        for name in reversed(order):
            expr = expr + scale * terms[name]
            scale *= bound[name] + 1
        return expr

    def _extract(self, solver, requests, rides, shares, choices) -> DayRides:
        """The day's legs from a solution; ``choices`` are (on foot, walk departs, vias),
        per request."""
        on_foot, walk_departs, vias = choices
        result = DayRides()
        vehicle_no = {}
        for ride in rides:
            if solver.Value(ride.present):
                number = next(j for j, v in enumerate(ride.vehicle) if solver.Value(v)) + 1
                vehicle_no[ride.index] = number
                result.vehicle_minutes += ride.length
        by_class = {}
        for ride in rides:
            by_class.setdefault((ride.origin, ride.dest), []).append(ride)
        for i, req in enumerate(requests):
            members = list(req.members)
            if solver.Value(on_foot[i]):
                length = self.walk_minutes(req.origin, req.dest)
                depart = solver.Value(walk_departs[i])
                for did in members:
                    result.legs.append((did, req.origin, req.dest, depart, depart + length, "walk"))
                result.rider_minutes += length * len(members)
                continue
            tour = next((v for v in vias.get(i, ()) if solver.Value(v.chosen)), None)
            if tour is not None:
                for did in members:
                    for leg in tour.legs(solver, vehicle_no):
                        result.legs.append((did, *leg))
                result.rider_minutes += tour.minutes * len(members)
                continue
            for ride in by_class.get((req.origin, req.dest), ()):
                if (i, ride.index) not in shares:  # a tour's second leg, not this request's
                    continue
                n = solver.Value(shares[(i, ride.index)])
                depart = solver.Value(ride.depart)
                for did in members[:n]:
                    result.legs.append(
                        (
                            did,
                            req.origin,
                            req.dest,
                            depart,
                            depart + ride.length,
                            str(vehicle_no[ride.index]),
                        )
                    )
                result.rider_minutes += ride.length * n
                members = members[n:]
        return result


def _walk_idle(model, req: Request, i: int, depart, walk: int, walking) -> list:
    """Idle before the day's first walk and after its last, as for rides by vehicle."""
    terms = []
    if req.first_of_day:
        wait = model.NewIntVar(0, DAY, f"early_walk[{i}]")
        model.Add(wait >= req.latest - walk - depart).WithName(f"early_walk[{i}]").OnlyEnforceIf(
            walking
        )
        terms.append(wait)
    if req.last_of_day:
        wait = model.NewIntVar(0, DAY, f"late_walk[{i}]")
        model.Add(wait >= depart - req.earliest).WithName(f"late_walk[{i}]").OnlyEnforceIf(walking)
        terms.append(wait)
    return terms


def _apart(model, depart, length: int, lunch, minutes: int, when) -> None:
    """When ``when`` holds, the ride [depart, depart+length) and the lunch break do not overlap."""
    ride_first = model.NewBoolVar(f"ride_first[{depart.Name()}]")
    model.Add(depart + length <= lunch).WithName(
        f"ride_before_lunch[{depart.Name()}]"
    ).OnlyEnforceIf([ride_first, when])
    model.Add(lunch + minutes <= depart).WithName(
        f"ride_before_lunch[{depart.Name()}]"
    ).OnlyEnforceIf([ride_first.Not(), when])


@dataclass(eq=False)
class _Tour:
    """A request's ride along a drop-off tour: one of ``firsts`` to the stop, then ``second``."""

    chosen: object
    second: Ride
    minutes: int
    firsts: list = field(default_factory=list)

    def legs(self, solver, vehicle_no: dict[int, int]):
        first = next(ride for pick, ride in self.firsts if solver.Value(pick))
        one = solver.Value(first.depart)
        two = solver.Value(self.second.depart)
        return [
            (first.origin, first.dest, one, one + first.length, str(vehicle_no[first.index])),
            (
                self.second.origin,
                self.second.dest,
                two,
                two + self.second.length,
                str(vehicle_no[self.second.index]),
            ),
        ]
