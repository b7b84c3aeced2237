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

from ..model import Visit
from ..timegrid import hhmm, minute_of
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
    return reasons


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
