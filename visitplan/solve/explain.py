"""Why a visit cannot be planned, in the organiser's words.

Cheap checks first (a session longer than every window of its host, a
must-attend session outside the delegate's stay, a fleet that cannot bring
everyone who must attend a session in time, from the base or from the
session before).  Otherwise the schedule model is built with one assumption
literal per rule instance; CP-SAT's sufficient assumptions give a first
conflicting set, which is then shrunk by deletion, each candidate verified by
a fresh solve, to a minimal one (CP-SAT's own core is neither minimal nor
always right).  When time runs out the set is reported as "not minimal".

When no schedule tried had rides the vehicles could serve, ``unserved`` names
the day and the rides of the last one, for the run that ends without a plan
and without a proof."""

from __future__ import annotations

import math
import time as clock
from itertools import pairwise

from ortools.sat.python import cp_model

from ..model import BASE, Visit
from ..timegrid import hhmm, minute_of, stay, stays_all_day
from .build import build
from .restrictions import Restrictions
from .rules.host_windows import session_starts
from .variables import Context, Guards


def precheck(visit: Visit) -> list[str]:
    from ..travel import TravelTable

    ctx = Context(visit, cp_model.CpModel(), TravelTable(visit), Guards(cp_model.CpModel(), False))
    reasons = []
    for session in visit.sessions:
        if session.id not in visit.must_schedule or session_starts(ctx, session):
            continue
        reasons.append(_no_room_for(visit, session))
    for session in visit.sessions:
        short = _fleet_short(visit, ctx, session)
        if short:
            reasons.append(short)
    reasons.extend(_transfers_short(visit, ctx))
    return reasons


def _one_day_sessions(visit: Visit, ctx: Context) -> dict[int, list[tuple[int, int, str]]]:
    """Per day, the sessions that must be held and can only be held that day: (earliest
    start, latest start, id)."""
    one_day: dict[int, list[tuple[int, int, str]]] = {}
    for session in visit.sessions:
        starts = session_starts(ctx, session) if session.id in visit.must_schedule else {}
        if len(starts) == 1:
            ((k, minutes),) = starts.items()
            one_day.setdefault(k, []).append((minutes[0], minutes[-1], session.id))
    return one_day


def _rides_between(visit: Visit, k: int, held: list) -> dict[tuple, list[str]]:
    """The rides day ``k``'s ``held`` sessions make delegates take, in a known order:
    (from session, its earliest end, to session or None for the base, latest
    arrival) to the delegates who must take it."""
    day = visit.days[k]
    rides: dict[tuple, list[str]] = {}
    for delegate in visit.delegates:
        bounds = stay(visit, delegate, day)
        if bounds is None:
            continue
        mine = sorted(
            (early, late, visit.session(sid))
            for early, late, sid in held
            if sid in delegate.must_attend
            or (visit.session(sid).is_all and stays_all_day(visit, delegate, day))
        )
        for (early, late, a), after in pairwise([*mine, None]):
            if after is not None and late + a.minutes > after[0]:
                continue  # their order is not known
            by = int(bounds[1]) if after is None else after[1]
            key = (a.id, early + a.minutes, None if after is None else after[2].id, by)
            rides.setdefault(key, []).append(delegate.id)
    return rides


def _transfers_short(visit: Visit, ctx: Context) -> list[str]:
    """Rides between two sessions that must be held on one day in a known order, or
    from the last back to the base by the end of the stay, that the fleet cannot
    make for everyone who must attend both.

    A session's possible starts (``session_starts``) give its earliest end and
    latest start; when the first's latest end is before the second's earliest
    start, its attendees leave the first no sooner than its earliest end and
    reach the second no later than its latest start.  The whole fleet on that
    one ride is judged by ``_loads_in_time``.  A host anyone may walk to is not
    judged."""
    transport = visit.transport
    cap, fleet = transport.riders_per_vehicle, transport.vehicles
    if cap is None or fleet is None:
        return []
    reasons = []
    for k, held in sorted(_one_day_sessions(visit, ctx).items()):
        day = visit.days[k]
        rides = _rides_between(visit, k, held)
        for (first, ends, then, by), riders in sorted(rides.items(), key=lambda kv: repr(kv[0])):
            origin = visit.session(first).host_id
            dest = BASE if then is None else visit.session(then).host_id
            if origin == dest or _walkable_into(ctx, dest):
                continue
            possible = fleet * _loads_in_time(ctx, k, origin, dest, ends, by) * cap
            if len(riders) <= possible:
                continue
            frm = f"{first} at {visit.place_name(origin)}, which ends {hhmm(ends)} at the earliest"
            to = (
                f"back at {visit.base.name} by {hhmm(by)}"
                if then is None
                else f"at {then} at {visit.place_name(dest)}, which starts {hhmm(by)} at the latest"
            )
            reasons.append(
                f"On {day.date} the {len(riders)} delegates who must attend {frm}, must be {to}, "
                f"{ctx.travel.vehicle(origin, dest)} min by vehicle: the vehicles ({fleet}, {cap} "
                f"seats each for delegates) can bring at most {possible} of them in time"
            )
    return reasons


def _walkable_into(ctx: Context, dest: str) -> bool:
    places = [BASE, *(h.id for h in ctx.visit.hosts)]
    return any(ctx.travel.walk(p, dest) is not None for p in places if p != dest)


def _loads_in_time(ctx: Context, k: int, origin: str, dest: str, earliest: int, by: int) -> int:
    """Most loads one vehicle can bring to ``dest`` by ``by`` of delegates who leave
    ``origin`` at ``earliest`` or later.

    Nobody arrives before ``earliest`` plus the shortest way there (by vehicle,
    or on foot to a place and on by vehicle); no vehicle arrives before the drive
    from the base at the day's start; and a vehicle that came comes again at the
    soonest after a round trip to the nearest other place, whoever it brings.
    Rides are taken to be no shorter than any way round (the travel table's
    triangle inequality).  Walking into ``dest`` is not counted: see
    ``_walkable_into``."""
    visit, travel = ctx.visit, ctx.travel
    places = [BASE, *(h.id for h in visit.hosts)]
    ways = [travel.vehicle(origin, dest)]
    for x in places:
        walk = travel.walk(origin, x) if x not in (origin, dest) else None
        if walk is not None:
            ways.append(walk + travel.vehicle(x, dest))
    start = minute_of(visit.days[k].day_start) + travel.vehicle(BASE, dest)
    first = max(earliest + min(ways), start)
    loop = min(travel.vehicle(dest, p) + travel.vehicle(p, dest) for p in places if p != dest)
    return 0 if first > by else 1 + (by - first) // max(1, loop)


def _fleet_short(visit: Visit, ctx: Context, session) -> str | None:
    """A session that must be held whose attendees the fleet cannot bring in time,
    whatever start its host's windows (and its pin) leave it.

    Every delegate starts the day at the base and every vehicle too; a vehicle
    reaches the host at the earliest after the drive from the base, and comes
    back with another load at the earliest after a round trip to the nearest
    other place.  A later start leaves more trips, so each day's latest start
    is the one to judge.  Walkable hosts and unlimited fleets are not judged here."""
    transport, host = visit.transport, session.host_id
    cap = transport.riders_per_vehicle
    if cap is None or transport.vehicles is None or host == BASE:
        return None
    if session.id not in visit.must_schedule:
        return None
    places = [BASE, *(h.id for h in visit.hosts if h.id != host)]
    if any(ctx.travel.walk(p, host) is not None for p in places):
        return None
    drive = ctx.travel.vehicle(BASE, host)
    short = []
    for k, starts in sorted(session_starts(ctx, session).items()):
        day = visit.days[k]
        must = [
            d
            for d in visit.delegates
            if session.id in d.must_attend or (session.is_all and stays_all_day(visit, d, day))
        ]
        start = starts[-1]
        trips = _loads_in_time(ctx, k, BASE, host, minute_of(day.day_start), start)
        capacity = transport.vehicles * trips * cap
        if len(must) <= capacity:
            return None  # that day's latest start leaves the fleet time enough
        short.append((day, start, capacity, len(must)))
    if not short:
        return None  # no start at all: ``_no_room_for`` says so
    fleet = f"the vehicles ({transport.vehicles}, {cap} seats each for delegates) can bring at most"
    where = f"Session {session.id} at {visit.place_name(host)}"
    if session.pin_date is not None and session.pin_start is not None:
        day, start, capacity, needed = short[0]
        return (
            f"{where} starts {day.date} {hhmm(start)}, {drive} min by vehicle from "
            f"{visit.base.name}: from the day's start at {hhmm(day.day_start)} {fleet} "
            f"{capacity} of the {needed} delegates who must attend it"
        )
    days = "; ".join(
        f"on {day.date} it starts at {hhmm(start)} at the latest and from the day's start at "
        f"{hhmm(day.day_start)} {fleet} {capacity} of the {needed} delegates who must attend it"
        for day, start, capacity, needed in short
    )
    return f"{where}, {drive} min by vehicle from {visit.base.name}: {days}"


def _no_room_for(visit: Visit, session) -> str:
    host = visit.place_name(session.host_id)
    windows = []
    for day in visit.programme_days:
        if session.pin_date is not None and session.pin_date != day.date:
            continue
        for w in visit.windows_of(session.host_id, day.date):
            length = minute_of(w.end) - minute_of(w.start)
            windows.append(f"{day.date} {hhmm(w.start)}–{hhmm(w.end)} ({length} min)")
    pin = ""
    if session.pin_start is not None:
        pin = f", pinned to start at {hhmm(session.pin_start)}"
    if session.pin_date is not None:
        pin += f", pinned to {session.pin_date}"
    if not windows:
        where = "the host receives the delegation on no programme day" + pin
    elif len(windows) == 1:
        where = f"the host's only window is {windows[0]}{pin}"
    else:
        where = "the host's windows are " + ", ".join(windows) + pin
    return f"Session {session.id} ({session.minutes} min) at {host} cannot be held: {where}"


def explain(visit: Visit, options) -> list[str]:
    deadline = clock.monotonic() + options.explain_seconds
    ctx = build(visit, Restrictions(previous=options.previous), explaining=True)
    keys = sorted(ctx.guard.literals)
    if not keys:
        return ["the rules conflict in a way no single rule instance explains"]
    core = _first_core(ctx, keys, deadline)
    if core is None:
        return ["the visit cannot be planned (the conflict could not be isolated in time)"]
    minimal = True
    for key in list(core):
        if clock.monotonic() > deadline:
            minimal = False
            break
        trial = [k for k in core if k != key]
        if _infeasible(ctx, trial, deadline) is True:
            core = trial
    lines = [ctx.guard.texts[k] for k in core]
    header = "These rules cannot all hold" + ("" if minimal else " (not minimal)") + ":"
    return [header, *(f"- {line}" for line in lines)]


def _first_core(ctx: Context, keys: list[str], deadline: float) -> list[str] | None:
    model = ctx.model
    model.ClearAssumptions()
    model.AddAssumptions([ctx.guard.literals[k] for k in keys])
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False  # Ctrl-C ends the run (cli)
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(1.0, deadline - clock.monotonic())
    if solver.Solve(model) != cp_model.INFEASIBLE:
        return None
    chosen = set(solver.SufficientAssumptionsForInfeasibility())
    core = [k for k in keys if ctx.guard.literals[k].Index() in chosen]
    if not core or _infeasible(ctx, core, deadline) is not True:
        return keys  # the reported core did not verify: start from every assumption
    return core


def _infeasible(ctx: Context, keys: list[str], deadline: float) -> bool | None:
    """Whether the rule instances in ``keys`` alone conflict (None: not known in time)."""
    model = ctx.model
    model.ClearAssumptions()
    model.AddAssumptions([ctx.guard.literals[k] for k in keys])
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False  # Ctrl-C ends the run (cli)
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.5, min(5.0, deadline - clock.monotonic()))
    status = solver.Solve(model)
    if status == cp_model.INFEASIBLE:
        return True
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    return None


def unserved(ctx: Context, times: dict, attends: dict, days) -> list[str]:
    """The rides of each day in ``days`` that the vehicles could not serve, in words.

    ``times`` and ``attends`` are the schedule whose rides failed (session to
    (day, start, end); delegate to sessions).  Each ride the delegates need,
    from one stop to the next by the next stop's start, is judged alone with
    the whole fleet on it: the first vehicle leaves the base at the day's
    start, each further load costs a round trip.  A ride the fleet cannot make
    even so is named with the trips it needs; when every ride passes that
    test alone, the day's largest rides are named, since together they were
    too many."""
    visit, lines = ctx.visit, []
    cap = visit.transport.riders_per_vehicle
    fleet = visit.transport.vehicles
    for k in sorted(days):
        demand = _ride_demand(ctx, times, attends, k)
        if not demand:
            continue
        day = visit.days[k]
        short = []
        for ride, (earliest, riders) in sorted(demand.items()):
            if cap is None or fleet is None:
                break
            if _walkable_into(ctx, ride[1]):
                continue
            possible = _loads_in_time(ctx, k, ride[0], ride[1], earliest, ride[2]) * fleet
            loads = math.ceil(len(riders) / cap)
            if loads > possible:
                short.append(
                    f"on {day.date} the {fleet} vehicle(s) cannot carry the {len(riders)} "
                    f"delegates {_ride_words(ctx, ride, earliest)}: "
                    f"{loads} vehicle trips of {cap} seats needed, at most {possible} possible"
                )
        if short:
            lines.extend(short)
            continue
        largest = sorted(demand.items(), key=lambda kv: (-len(kv[1][1]), kv[0]))[:3]
        rides = "; ".join(
            f"{len(riders)} delegates {_ride_words(ctx, ride, earliest)}"
            for ride, (earliest, riders) in largest
        )
        seats = "" if cap is None else f", {cap} seats each for delegates"
        vehicles = "the vehicles" if fleet is None else f"the {fleet} vehicle(s)"
        lines.append(f"on {day.date} {vehicles}{seats} could not serve the day's rides: {rides}")
    return lines


def _ride_demand(ctx: Context, times: dict, attends: dict, k: int) -> dict:
    """(from, to, by, next session or None) to (earliest departure, riders) for day k:
    rides by vehicle only, walks left out."""
    visit, demand = ctx.visit, {}
    riding = ctx.needing("no_walking")
    for delegate in visit.delegates:
        held = sorted(
            (times[sid][1], times[sid][2], sid)
            for sid in attends.get(delegate.id, ())
            if sid in times and times[sid][0] == k
        )
        bounds = ctx.stay_bounds(delegate, k)
        if not held or bounds is None:
            continue
        stops = [(bounds[0], bounds[0], BASE, None)]
        stops += [(start, end, ctx.host_of(sid), sid) for start, end, sid in held]
        stops.append((bounds[1], bounds[1], BASE, None))
        for (_s, ready, origin, _a), (deadline, _e, dest, sid) in pairwise(stops):
            if origin == dest:
                continue
            if ctx.travel.walk(origin, dest) is not None and delegate.id not in riding:
                continue
            earliest, riders = demand.setdefault((origin, dest, deadline, sid), (ready, []))
            riders.append(delegate.id)
            demand[(origin, dest, deadline, sid)] = (min(earliest, ready), riders)
    return demand


def _ride_words(ctx: Context, ride: tuple, earliest: int) -> str:
    origin, dest, deadline, sid = ride
    visit = ctx.visit
    to = visit.place_name(dest) if sid is None else f"{sid} ({visit.place_name(dest)})"
    after = "" if origin == BASE else f" after {hhmm(earliest)}"
    return f"from {visit.place_name(origin)}{after} to {to} by {hhmm(deadline)}"
