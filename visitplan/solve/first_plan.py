"""The first plan of a schedule model, found fast so the goal stages can start from it.

With a lunch rule, CP-SAT searching the whole model for any plan spends most
of its time placing sessions so that every delegate keeps a break (on the M
benchmark: 31 s, against 10 s without the lunch rule).  So the sessions are
placed first by the model without the lunch rule; with their days and starts
fixed, the whole model then finds attendance and lunches in seconds.  When
that fixing leaves no plan (a session placed over someone's only lunch
time), the whole model is searched as before.  Either way the plan keeps
every rule: the second solve is of the whole model."""

from __future__ import annotations

import time as clock
from collections.abc import Callable

from ortools.sat.python import cp_model

from ..model import BASE
from ..timegrid import minute_of
from .goals import all_goals, objective
from .search import hint_all, solver_for
from .variables import DAY, Context

FIRST = {"stop_after_first_solution": True}
QUICK_SECONDS = 3.0
"""The whole model is searched this long first: on the seed visits it finds a
plan in well under a second, and the goal stages do better from it than from
a placement made without the lunch rule."""


def find(
    ctx: Context,
    params: dict,
    limit: float,
    relaxed: Callable[[], Context] | None,
    polish: tuple[object, float] | None = None,
) -> tuple[int, cp_model.CpSolver]:
    """(CP-SAT status, solver) of the first plan found within ``limit`` seconds.

    The whole model gets a short try (``QUICK_SECONDS``); when it finds nothing,
    the sessions are placed without the lunch rule and fixed.

    ``polish`` is (objective, seconds): with the sessions still fixed, the plan is
    improved for that long before it is returned.  Choosing who attends what and
    when they lunch is a far smaller problem than the whole model; on the M
    benchmark it lifts the least-served delegate's share from nothing, which
    the whole model could not do in the time left."""
    key = "max_time_in_seconds"
    deadline = clock.monotonic() + limit
    if relaxed is not None and ctx.visit.lunch is not None:
        if QUICK_SECONDS > 0:
            quick = _solver(params, key, min(QUICK_SECONDS, limit / 10))
            status = quick.Solve(ctx.model)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE):
                return status, quick
        placed = _placed(relaxed(), params, limit / 2, polish[1] if polish else 0.0)
        if placed:
            solver = _solver(params, key, max(0.5, (deadline - clock.monotonic()) / 2))
            status = _solve_fixed(ctx, solver, placed)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                if polish is not None:
                    return _polished(ctx, params, placed, solver, status, *polish)
                return status, solver
    solver = _solver(params, key, max(0.5, deadline - clock.monotonic()))
    return solver.Solve(ctx.model), solver


def leave_lunch_room(ctx: Context) -> None:
    """For the placement without the lunch rule: each day keeps one lunch slot free of
    every session that must be held, with time to ride to the hotel before it and
    back after it, so everybody can lunch there.  Optional sessions are left free:
    the fixed solve may drop them.  Without this, two sessions that must be held
    close together around noon left some delegate no lunch and the fixed solve
    failed (on the L benchmark, and on M when the placement held many sessions)."""
    lunch, model = ctx.visit.lunch, ctx.model
    if lunch is None:
        return
    frm, to = minute_of(lunch.start), minute_of(lunch.end)
    slots = list(range(frm, to - lunch.minutes + 1, ctx.slot))
    by_day: dict[int, list] = {}
    for session in ctx.visit.sessions:
        if session.id in ctx.visit.must_schedule and session.kind != "meal":
            for k in ctx.possible_days(session):
                by_day.setdefault(k, []).append(session)
    for k, sessions in sorted(by_day.items()):
        noon = model.NewIntVarFromDomain(
            cp_model.Domain.FromValues([k * DAY + m for m in slots]), f"lunch_slot[{k}]"
        )
        for session in sessions:
            sid, host = session.id, session.host_id
            before = model.NewBoolVar(f"before_lunch_slot[{sid},{k}]")
            on = ctx.on_day[(sid, k)]
            model.Add(ctx.end[sid] + ctx.hop(host, BASE) <= noon).WithName(
                f"before_lunch_slot[{sid},{k}]"
            ).OnlyEnforceIf([on, before])
            model.Add(ctx.start[sid] >= noon + lunch.minutes + ctx.hop(BASE, host)).WithName(
                f"after_lunch_slot[{sid},{k}]"
            ).OnlyEnforceIf([on, before.Not()])


def _solver(params: dict, key: str, seconds: float, first: bool = True) -> cp_model.CpSolver:
    return solver_for({**params, key: seconds, **(FIRST if first else {})})


def _polished(ctx: Context, params, placed, solver, status, objective, seconds):
    """The plan improved for ``objective`` with the sessions fixed, or as it was."""
    model = ctx.model
    hint_all(model, solver)
    model.Maximize(objective)
    better = _solver(params, "max_time_in_seconds", max(0.5, seconds), first=False)
    try:
        found = _solve_fixed(ctx, better, placed)
    finally:
        model.ClearObjective()
        model.ClearHints()
    if found in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return cp_model.FEASIBLE, better
    return status, solver


def _placed(
    ctx: Context, params: dict, limit: float, polish: float
) -> dict[str, tuple[int | None, int]]:
    """Session id to (scheduled or None, start) in a plan without the lunch rule; {} if none.

    CP-SAT's first plan holds few optional sessions, so with ``polish`` seconds
    the placement is improved for the goals first.  Only the sessions that
    must be held are fixed as held: the whole model may drop an optional one
    whose place leaves somebody no lunch."""
    solver = _solver(params, "max_time_in_seconds", limit)
    if solver.Solve(ctx.model) not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return {}
    if polish > 0:
        model = ctx.model
        hint_all(model, solver)
        model.Maximize(objective(ctx, all_goals(ctx)))
        better = _solver(params, "max_time_in_seconds", polish, first=False)
        if better.Solve(model) in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            solver = better
    must, placed = ctx.visit.must_schedule, {}
    for sid, start in ctx.start.items():
        held = solver.Value(ctx.scheduled[sid])
        placed[sid] = (1 if sid in must else (None if held else 0), solver.Value(start))
    return placed


def _solve_fixed(ctx: Context, solver: cp_model.CpSolver, placed: dict) -> int:
    """Solve with the sessions' scheduling and starts fixed, then free them again."""
    proto = ctx.model.Proto()
    saved = {}
    for sid, (held, start) in placed.items():
        for var, value in ((ctx.scheduled[sid], held), (ctx.start[sid], start)):
            if value is None:
                continue
            index = var.Index()
            domain = proto.variables[index].domain
            if index not in saved:
                saved[index] = list(domain)
            domain.clear()
            domain.extend([value, value])
    try:
        return solver.Solve(ctx.model)
    finally:
        for index, values in saved.items():
            domain = proto.variables[index].domain
            domain.clear()
            domain.extend(values)
