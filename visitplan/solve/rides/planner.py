"""One day's rides (rules 5–8): who rides together, when, in which vehicle.

With ``vehicles``/``seats`` set, a small CP-SAT model per day (``day_model``)
assigns ride requests to shared rides, rides to vehicles, and keeps every
vehicle's rides apart by the empty drive between them (rule 7); a day too large
for it, or one it cannot plan, goes by ``greedy``'s rule.  Without numbered
vehicles every request rides on its own (``_unnumbered``).

Goals here, in the relative order of ``[objective] order``: vehicle minutes,
rider minutes, idle minutes (approximated by how late the first ride or walk
of a day leaves and how early the last one returns).  Once a day is planned,
``timing`` moves each ride inside what the rules allow: to a session as late
as it can leave, to the hotel as early.  A delegate with the access need
``no_walking`` is never walked: their request is split from the walkers'
(``RidePlanner._by_access``), and may still share their vehicle.
"""

from __future__ import annotations

from dataclasses import replace

from ...model import Visit
from ...timegrid import round_up
from . import greedy, timing
from .day_model import DayModel
from .requests import DayRides, Request, RideFailure, fit

MODEL_SIZE = 1500
"""Above this many ride requests × vehicles a day, the rides are planned by
``greedy``: the model grows with both (on M, 137 requests and 25 vehicles
made 350,000 variables and took 23 s to build and search).  The greedy rule
also plans a day the model could not (no plan in time, or none with its
candidate rides)."""


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

    def preference(self, req: Request) -> tuple[int, bool] | None:
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
        earlier = self.preference(req)
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

    def _numbered(self, k: int, requests: list[Request]) -> DayRides:
        """The day's rides by the CP-SAT model; ``RideFailure`` when it finds none."""
        return DayModel(self, k, requests).solve()
