"""One day's rides as a CP-SAT model, for a fleet of numbered vehicles (rules 5–8).

Each class of requests (origin, destination) gets as many candidate shared rides
as its members could fill; a request's members are carried by some of them, walk
(where they may), or ride along a drop-off tour through another place.  Every
ride used goes to one vehicle, and a vehicle's rides keep apart by the empty drive
between them.  The goals are weighed into one objective (``_objective``).  The
model is built in the constructor, one method per family of variables and
constraints, always in the same order, so that the same requests give the same
model and, for a seed and worker count, the same rides.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from ...model import BASE
from ...timegrid import round_up
from ..schedule import DAY
from .requests import DayRides, Request, RideFailure

RIDE_GOALS = ("vehicle_minutes", "rider_minutes", "idle_minutes")

MOST = 250_000
"""Most candidate rides squared × vehicles a day's model is built for: keeping every
two rides of a vehicle apart takes that many clauses, and building them is not
bounded by the solver's time limit (M seed 3, a day after the repair: 203 rides
for 25 vehicles took 4 s, 254 took 6 s; five such days ran a 60 s solve to 84 s).
Beyond it the day goes by ``greedy``'s rule, as a day with too many requests does."""


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


@dataclass
class _Carried:
    """How one request's members may go: its shares of the class's rides, on foot,
    along a tour, and, in a re-plan, whether it keeps its earlier ride."""

    size: int
    walking: object
    parts: list = field(default_factory=list)
    shares: dict = field(default_factory=dict)  # ride index -> riders of this request
    walk_depart: object = None
    lunch: object = None
    tours: list = field(default_factory=list)
    kept: object = None


class DayModel:
    """The rides model of day ``k``; ``planner`` (a ``RidePlanner``) gives the
    visit, the travel times, the solver's settings and a re-plan's earlier rides."""

    def __init__(self, planner, k: int, requests: list[Request]):
        self.planner = planner
        self.k = k
        self.requests = requests
        self.model = cp_model.CpModel()
        self.cap = planner.visit.transport.riders_per_vehicle
        self.rides: list[Ride] = []
        self.carried: dict[int, _Carried] = {}
        self.terms: dict[str, list] = {"keep": [], "vehicle": [], "rider": [], "idle": []}
        self.most = {"vehicle": 0, "rider": 0, "keep": 0}
        """Each goal's largest value, for weighing the goals into one objective."""
        classes: dict[tuple[str, str], list[int]] = {}
        for i, req in enumerate(requests):
            classes.setdefault((req.origin, req.dest), []).append(i)
        for (origin, dest), members in sorted(classes.items()):
            own = self._class_rides(origin, dest, members)
            for i in members:
                self._request(i, own)
        self._tours()
        vehicles = planner.visit.transport.vehicles or len(self.rides)
        if len(self.rides) ** 2 * vehicles > MOST:
            raise RideFailure(
                k, f"{len(self.rides)} candidate rides for {vehicles} vehicles, too many to model"
            )
        self._everyone_carried()
        self._rides_used()
        self._vehicles()
        self.model.Minimize(self._objective())

    # -- variables and constraints, one family a method
    def _class_rides(self, origin: str, dest: str, members: list[int]) -> list[Ride]:
        """The class's candidate rides, enough for every member a seat, used in time order."""
        planner, model = self.planner, self.model
        length = planner.vehicle_minutes(origin, dest)
        lo = min(self.requests[i].earliest for i in members)
        hi = max(self.requests[i].latest for i in members) - length
        cap = self.cap
        needed = sum(math.ceil(len(self.requests[i].members) / cap) if cap else 1 for i in members)
        own: list[Ride] = []
        for n in range(needed if hi >= lo else 0):
            name = f"{origin}->{dest}#{n}"
            ride = Ride(
                len(self.rides),
                origin,
                dest,
                length,
                self._departs(lo, hi, f"depart[{name}]"),
                model.NewBoolVar(f"ride[{name}]"),
            )
            if own:  # symmetry: used rides of a class first, in time order
                model.AddImplication(ride.present, own[-1].present).WithName(
                    f"rides_in_order[{ride.index}]"
                )
                model.Add(ride.depart >= own[-1].depart).WithName(
                    f"rides_in_order[{ride.index}]"
                ).OnlyEnforceIf(ride.present)
            own.append(ride)
            self.rides.append(ride)
            self.terms["vehicle"].append(length * ride.present)
            self.most["vehicle"] += length
        return own

    def _departs(self, lo: int, hi: int, name: str):
        """A departure on the slot grid between ``lo`` (rounded up) and ``hi``."""
        slot = self.planner.slot
        return self.model.NewIntVarFromDomain(
            cp_model.Domain.FromValues(list(range(round_up(lo, slot), hi + 1, slot))), name
        )

    def _request(self, i: int, own: list[Ride]) -> None:
        """Request ``i``'s ways to go: on foot, its lunch, a share of each ride of its class."""
        req = self.requests[i]
        walk = self.planner.walk_for(req)
        walks = walk is not None and walk <= req.latest - req.earliest
        carried = _Carried(len(req.members), self.model.NewBoolVar(f"walks[{i}]"))
        self.carried[i] = carried
        if not walks:
            self.model.Add(carried.walking == 0).WithName(f"no_walk[{i}]")
        if req.lunch is not None:
            lo, hi, minutes = req.lunch
            carried.lunch = self.model.NewIntVarFromDomain(
                cp_model.Domain.FromValues(list(range(lo, hi - minutes + 1, self.planner.slot))),
                f"lunch[{i}]",
            )
        if walks:
            self._on_foot(i, walk)
        for ride in own:
            self._share(i, ride)
        self._keeps_ride(i, own)
        length = self.planner.vehicle_minutes(req.origin, req.dest)
        extra = (walk or length) - length
        self.terms["rider"].append(carried.size * length + carried.size * extra * carried.walking)
        self.most["rider"] += carried.size * (length + abs(extra))

    def _on_foot(self, i: int, walk: int) -> None:
        """The walk's departure, apart from lunch; idle before the day's first walk
        and after its last, as for rides by vehicle."""
        req, carried, model = self.requests[i], self.carried[i], self.model
        depart = model.NewIntVarFromDomain(
            cp_model.Domain.FromValues(
                list(range(req.earliest, req.latest - walk + 1, self.planner.slot))
            ),
            f"walk_depart[{i}]",
        )
        carried.walk_depart = depart
        if carried.lunch is not None:
            self._apart(depart, walk, i, carried.walking)
        if req.first_of_day:
            wait = model.NewIntVar(0, DAY, f"early_walk[{i}]")
            model.Add(wait >= req.latest - walk - depart).WithName(
                f"early_walk[{i}]"
            ).OnlyEnforceIf(carried.walking)
            self.terms["idle"].append(wait)
        if req.last_of_day:
            wait = model.NewIntVar(0, DAY, f"late_walk[{i}]")
            model.Add(wait >= depart - req.earliest).WithName(f"late_walk[{i}]").OnlyEnforceIf(
                carried.walking
            )
            self.terms["idle"].append(wait)

    def _share(self, i: int, ride: Ride) -> None:
        """How many of request ``i``'s members ride ``ride``: inside their window, apart
        from their lunch, the day's first ride as late and its last as early as it can."""
        req, carried, model = self.requests[i], self.carried[i], self.model
        n = model.NewIntVar(0, carried.size, f"riders[{i},{ride.index}]")
        used = model.NewBoolVar(f"uses[{i},{ride.index}]")
        model.Add(n >= 1).WithName(f"uses[{i},{ride.index}]").OnlyEnforceIf(used)
        model.Add(n == 0).WithName(f"uses[{i},{ride.index}]").OnlyEnforceIf(used.Not())
        model.AddImplication(used, ride.present).WithName(f"uses[{i},{ride.index}]")
        model.Add(ride.depart >= req.earliest).WithName(
            f"ride_window[{i},{ride.index}]"
        ).OnlyEnforceIf(used)
        model.Add(ride.depart + ride.length <= req.latest).WithName(
            f"ride_window[{i},{ride.index}]"
        ).OnlyEnforceIf(used)
        if carried.lunch is not None:
            self._apart(ride.depart, ride.length, i, used)
        ride.users.append(used)
        ride.riders.append(n)
        carried.shares[ride.index] = (n, used)
        carried.parts.append(n)
        if req.first_of_day:  # idle: leave as late as the window allows
            wait = model.NewIntVar(0, DAY, f"early[{i},{ride.index}]")
            model.Add(wait >= req.latest - ride.length - ride.depart).WithName(
                f"early[{i},{ride.index}]"
            ).OnlyEnforceIf(used)
            self.terms["idle"].append(wait)
        if req.last_of_day:  # idle: come back as early as the window allows
            wait = model.NewIntVar(0, DAY, f"late[{i},{ride.index}]")
            model.Add(wait >= ride.depart - req.earliest).WithName(
                f"late[{i},{ride.index}]"
            ).OnlyEnforceIf(used)
            self.terms["idle"].append(wait)

    def _keeps_ride(self, i: int, own: list[Ride]) -> None:
        """In a re-plan: whether request ``i`` keeps the ride its members took before."""
        earlier = self.planner.preference(self.requests[i])
        if earlier is None:
            return
        carried, model = self.carried[i], self.model
        kept = model.NewBoolVar(f"keeps_ride[{i}]")
        carried.kept = kept
        model.Add(carried.walking == int(earlier[1])).WithName(f"keeps_ride[{i}]").OnlyEnforceIf(
            kept
        )
        if earlier[1] and carried.walk_depart is not None:
            model.Add(carried.walk_depart == earlier[0]).WithName(f"keeps_ride[{i}]").OnlyEnforceIf(
                kept
            )
        elif earlier[1]:
            model.Add(kept == 0).WithName(f"keeps_ride[{i}]")
        for ride in own:
            used = carried.shares[ride.index][1]
            model.Add(ride.depart == earlier[0]).WithName(
                f"keeps_ride[{i},{ride.index}]"
            ).OnlyEnforceIf([kept, used])
        self.terms["keep"].append(carried.size * (1 - kept))
        self.most["keep"] += carried.size

    def _apart(self, depart, length: int, i: int, when) -> None:
        """When ``when`` holds, the ride [depart, depart+length) and request ``i``'s
        lunch break do not overlap."""
        model, lunch, minutes = self.model, self.carried[i].lunch, self.requests[i].lunch[2]
        ride_first = model.NewBoolVar(f"ride_first[{depart.Name()}]")
        model.Add(depart + length <= lunch).WithName(
            f"ride_before_lunch[{depart.Name()}]"
        ).OnlyEnforceIf([ride_first, when])
        model.Add(lunch + minutes <= depart).WithName(
            f"ride_before_lunch[{depart.Name()}]"
        ).OnlyEnforceIf([ride_first.Not(), when])

    def _tours(self) -> None:
        """Rule 5 lets a chain pass through other places: a request A→C may ride along
        A→B with a vehicle dropping others at B and go on B→C, as a coach on a
        drop-off tour does.  Offered for every B some ride from A goes to."""
        by_class: dict[tuple[str, str], list[Ride]] = {}
        for ride in self.rides:
            by_class.setdefault((ride.origin, ride.dest), []).append(ride)
        for i, req in enumerate(self.requests):
            if req.lunch is not None:
                continue
            for (origin, stop), firsts in sorted(by_class.items()):
                if origin != req.origin or stop in (req.dest, req.origin):
                    continue
                second_length = self.planner.vehicle_minutes(stop, req.dest)
                if firsts[0].length + second_length > req.latest - req.earliest:
                    continue
                self._tour(i, stop, firsts, second_length)
            tours = self.carried[i].tours
            if len(tours) > 1:
                self.model.AddAtMostOne(t.chosen for t in tours).WithName(f"one_tour[{i}]")

    def _tour(self, i: int, stop: str, firsts: list[Ride], second_length: int) -> None:
        """Request ``i`` along one of ``firsts`` to ``stop``, then on by a ride of its own."""
        req, carried, model = self.requests[i], self.carried[i], self.model
        first_length = firsts[0].length
        name = f"{stop}->{req.dest}#via{i}"
        depart = self._departs(
            req.earliest + first_length, req.latest - second_length, f"depart[{name}]"
        )
        second = Ride(
            len(self.rides),
            stop,
            req.dest,
            second_length,
            depart,
            model.NewBoolVar(f"ride[{name}]"),
        )
        self.rides.append(second)
        self.terms["vehicle"].append(second_length * second.present)
        self.most["vehicle"] += second_length
        tour = _Tour(model.NewBoolVar(f"tours[{i},{stop}]"), second, first_length + second_length)
        model.AddImplication(tour.chosen, second.present).WithName(f"tours[{i},{stop}]")
        second.users.append(tour.chosen)
        second.riders.append(carried.size * tour.chosen)
        for first in firsts:
            pick = model.NewBoolVar(f"tour_leg[{i},{first.index}]")
            model.AddImplication(pick, first.present).WithName(f"tour_leg[{i},{first.index}]")
            model.Add(first.depart >= req.earliest).WithName(
                f"tour_leg[{i},{first.index}]"
            ).OnlyEnforceIf(pick)
            model.Add(depart >= first.depart + first.length).WithName(
                f"tour_leg[{i},{first.index}]"
            ).OnlyEnforceIf(pick)
            first.users.append(pick)
            first.riders.append(carried.size * pick)
            tour.firsts.append((pick, first))
        model.Add(sum(p for p, _f in tour.firsts) == tour.chosen).WithName(f"tours[{i},{stop}]")
        extra = tour.minutes - self.planner.vehicle_minutes(req.origin, req.dest)
        self.terms["rider"].append(carried.size * extra * tour.chosen)
        self.most["rider"] += carried.size * abs(extra)
        carried.tours.append(tour)

    def _everyone_carried(self) -> None:
        """Each member of a request rides, walks or tours; a kept ride is no tour."""
        for i, carried in self.carried.items():
            touring = [tour.chosen for tour in carried.tours]
            self.model.Add(
                sum(carried.parts) == carried.size * (1 - carried.walking - sum(touring))
            ).WithName(f"everyone_carried[{i}]")
            if carried.kept is not None:
                for chosen in touring:
                    self.model.AddImplication(carried.kept, chosen.Not()).WithName(
                        f"keeps_ride[{i}]"
                    )

    def _rides_used(self) -> None:
        """A ride runs only when someone rides it, within its seats, and no earlier
        than a vehicle can come from the base at the day's start."""
        model, planner = self.model, self.planner
        day = planner.visit.days[self.k]
        day_start = day.day_start.hour * 60 + day.day_start.minute
        for ride in self.rides:
            if ride.users:
                model.AddBoolOr(ride.users).WithName(f"ride_used[{ride.index}]").OnlyEnforceIf(
                    ride.present
                )
                if self.cap is not None:
                    model.Add(sum(ride.riders) <= self.cap).WithName(f"seats[{ride.index}]")
            else:
                model.Add(ride.present == 0).WithName(f"ride_used[{ride.index}]")
            model.Add(
                ride.depart >= day_start + planner.travel.vehicle(BASE, ride.origin)
            ).WithName(f"from_base_in_time[{ride.index}]").OnlyEnforceIf(ride.present)

    def _vehicles(self) -> None:
        """Rule 7: rides of one vehicle never overlap, with the empty drive between them."""
        model, rides = self.model, self.rides
        count = self.planner.visit.transport.vehicles or len(rides)
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
        return 0 if a == b else self.planner.travel.vehicle(a, b)

    def _objective(self):
        """Lexicographic by scaling: each goal's weight exceeds the range of those after it.
        In a re-plan, riders moved off their earlier rides come first."""
        terms = {
            "keep": self.terms["keep"],
            "vehicle_minutes": self.terms["vehicle"],
            "rider_minutes": self.terms["rider"],
            "idle_minutes": self.terms["idle"],
        }
        most = {
            "keep": self.most["keep"],
            "vehicle_minutes": self.most["vehicle"],
            "rider_minutes": self.most["rider"],
            "idle_minutes": DAY * len(self.terms["idle"]),
        }
        order = [g for g in self.planner.visit.objective_order if g in RIDE_GOALS]
        order = ["keep"] + order + [g for g in RIDE_GOALS if g not in order]
        expr, scale = 0, 1
        for name in reversed(order):
            expr = expr + scale * (sum(terms[name]) if terms[name] else 0)
            scale *= most[name] + 1
        return expr

    # -- solving and reading back
    def solve(self) -> DayRides:
        """The day's legs and lunches; ``RideFailure`` when the model finds none in time."""
        planner = self.planner
        solver = cp_model.CpSolver()
        solver.parameters.catch_sigint_signal = False  # Ctrl-C ends the run (cli)
        solver.parameters.random_seed = planner.seed
        solver.parameters.num_workers = planner.workers
        solver.parameters.max_deterministic_time = planner.deterministic_time
        if planner.seconds is not None:
            solver.parameters.max_time_in_seconds = planner.seconds
        status = solver.Solve(self.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            raise RideFailure(self.k, solver.StatusName(status))
        result = DayRides()
        vehicle_no = {}
        for ride in self.rides:
            if solver.Value(ride.present):
                number = next(j for j, v in enumerate(ride.vehicle) if solver.Value(v)) + 1
                vehicle_no[ride.index] = number
                result.vehicle_minutes += ride.length
        for i, req in enumerate(self.requests):
            self._legs(solver, i, vehicle_no, result)
            lunch = self.carried[i].lunch
            if lunch is not None:
                for did in req.members:
                    result.lunches[did] = solver.Value(lunch)
        return result

    def _legs(self, solver, i: int, vehicle_no: dict[int, int], result: DayRides) -> None:
        """Request ``i``'s legs in a solution: walked, along a tour, or its rides' shares."""
        req, carried = self.requests[i], self.carried[i]
        members = list(req.members)
        if solver.Value(carried.walking):
            length = self.planner.walk_minutes(req.origin, req.dest)
            depart = solver.Value(carried.walk_depart)
            for did in members:
                result.legs.append((did, req.origin, req.dest, depart, depart + length, "walk"))
            result.rider_minutes += length * len(members)
            return
        tour = next((t for t in carried.tours if solver.Value(t.chosen)), None)
        if tour is not None:
            for did in members:
                for leg in tour.legs(solver, vehicle_no):
                    result.legs.append((did, *leg))
            result.rider_minutes += tour.minutes * len(members)
            return
        for index, (n_var, _used) in carried.shares.items():
            ride = self.rides[index]
            n = solver.Value(n_var)
            depart = solver.Value(ride.depart)
            vehicle = str(vehicle_no[index]) if n else ""
            for did in members[:n]:
                result.legs.append(
                    (did, req.origin, req.dest, depart, depart + ride.length, vehicle)
                )
            result.rider_minutes += ride.length * n
            members = members[n:]
