"""Why a visit cannot be planned, in the organiser's words.

Cheap checks first (a session longer than every window of its host, a
must-attend session outside the delegate's stay).  Otherwise the schedule
model is built with one assumption literal per rule instance; CP-SAT's
sufficient assumptions give a first conflicting set, which is then shrunk by
deletion, each candidate verified by a fresh solve, to a minimal one (CP-SAT's
own core is neither minimal nor always right).  When time runs out the set is
reported as "not minimal"."""

from __future__ import annotations

import time as clock

from ortools.sat.python import cp_model

from ..model import BASE, Visit
from ..timegrid import hhmm, minute_of, stays_all_day
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
    return reasons


def _fleet_short(visit: Visit, ctx: Context, session) -> str | None:
    """A session pinned to a day and time whose attendees the fleet cannot bring in time.

    Every delegate starts the day at the base and every vehicle too; a vehicle
    reaches the host at the earliest after the drive from the base, and comes
    back with another load at the earliest after a round trip to the nearest
    other place.  Walkable hosts and unlimited fleets are not judged here."""
    transport, host = visit.transport, session.host_id
    cap = transport.riders_per_vehicle
    if cap is None or transport.vehicles is None or host == BASE:
        return None
    if session.pin_date is None or session.pin_start is None:
        return None
    places = [BASE, *(h.id for h in visit.hosts if h.id != host)]
    if any(ctx.travel.walk(p, host) is not None for p in places):
        return None
    day = visit.day(session.pin_date)
    must = [
        d
        for d in visit.delegates
        if session.id in d.must_attend or (session.is_all and stays_all_day(visit, d, day))
    ]
    start, day_start = minute_of(session.pin_start), minute_of(day.day_start)
    first = day_start + ctx.travel.vehicle(BASE, host)
    loop = min(ctx.travel.vehicle(host, p) + ctx.travel.vehicle(p, host) for p in places)
    trips = 0 if start < first else 1 + (start - first) // max(1, loop)
    capacity = transport.vehicles * trips * cap
    if len(must) <= capacity:
        return None
    return (
        f"Session {session.id} at {visit.place_name(host)} starts {day.date} "
        f"{hhmm(session.pin_start)}, {ctx.travel.vehicle(BASE, host)} min by vehicle from "
        f"{visit.base.name}: from the day's start at {hhmm(day.day_start)} the vehicles "
        f"({transport.vehicles}, {cap} seats each for delegates) can bring at most {capacity} of the "
        f"{len(must)} delegates who must attend it"
    )


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
    from . import build

    deadline = clock.monotonic() + options.explain_seconds
    ctx = build(visit, explaining=True, previous=options.previous)
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
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = max(0.5, min(5.0, deadline - clock.monotonic()))
    status = solver.Solve(model)
    if status == cp_model.INFEASIBLE:
        return True
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return False
    return None
