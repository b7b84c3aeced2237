"""The first plan of a schedule model, found fast so the goal stages can start from it.

With a lunch rule, CP-SAT searching the whole model for any plan spends most
of its time placing sessions so that every delegate keeps a break (on the M
benchmark: 31 s, against 10 s without the lunch rule).  So the sessions are
placed first, by the greedy rule of ``placement`` or else by the model
without the lunch rule; with their days and starts fixed, the whole model
then finds attendance and lunches in seconds.  When neither placement leaves
a plan (a session placed over someone's only lunch time), the whole model is
searched as before.  Either way the plan keeps every rule: the solve that
finds it is of the whole model."""

from __future__ import annotations

import time as clock
from collections.abc import Callable

from ortools.sat.python import cp_model

from ..model import BASE
from ..timegrid import minute_of
from . import placement, ranking
from .goals import all_goals, goal_order, objective
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
    polish: float | None = None,
    rebuild: Callable[[dict], Context] | None = None,
    greedy: bool = True,
) -> tuple[int, cp_model.CpSolver, Context]:
    """(CP-SAT status, solver, model) of the first plan found within ``limit`` seconds.

    The whole model gets a short try (``QUICK_SECONDS``); when it finds nothing,
    the sessions are placed and fixed: by ``placement`` when ``greedy`` (the
    model keeps the spec's rules alone), then, if that fixed solve finds no
    plan, by the model without the lunch rule (``relaxed``).  With ``rebuild``,
    once that fixed plan is found, the model is made again with each delegate's
    shortlist ranked by the placement (``ranking``) and its fixed plan replaces
    the first, time allowing (``REBUILD_ROOM``).  The model returned is the one
    the plan belongs to.

    ``polish`` is seconds: with the sessions still fixed, the plan is improved
    for the goals that long before it is returned.  Choosing who attends what
    and when they lunch is a far smaller problem than the whole model; on the M
    benchmark it lifts the least-served delegate's share from nothing, which
    the whole model could not do in the time left."""
    key = "max_time_in_seconds"
    deadline = clock.monotonic() + limit
    if relaxed is not None and ctx.visit.lunch is not None:
        if QUICK_SECONDS > 0:
            quick = _solver(params, key, min(QUICK_SECONDS, limit / 10))
            status = quick.Solve(ctx.model)
            if status in (cp_model.OPTIMAL, cp_model.FEASIBLE, cp_model.INFEASIBLE):
                return status, quick, ctx

        def by_cp_sat() -> dict:
            if deadline - clock.monotonic() < 2 * ctx.built_in:
                return {}  # no time to make its model and solve it (XL: 16 s to make)
            model = relaxed()
            left = max(0.5, deadline - clock.monotonic())
            return _placed(model, params, min(limit / 2, left / 2), min(polish or 0.0, left / 4))

        tries = [(GREEDY_SHARE, lambda: placement.place(ctx))] if greedy else []
        for share, place in [*tries, (1 / 2, by_cp_sat)]:
            placed = place()
            if not placed:
                continue
            solver = _solver(params, key, max(0.5, (deadline - clock.monotonic()) * share))
            began = clock.monotonic()
            status = _solve_fixed(ctx, solver, placed)
            found_in = clock.monotonic() - began
            if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                continue
            room = deadline - clock.monotonic() - (polish or 0.0)
            if rebuild is not None and room > REBUILD_ROOM * (ctx.built_in + found_in):
                again = rebuild(ranking.rank(ctx, placed))
                ranked = _fixed_plan(again, params, placed, room / 2)
                if ranked is not None:  # else the first model's plan stays
                    ctx, (solver, status) = again, ranked
            if polish is not None:
                seconds = min(polish, max(0.5, deadline - clock.monotonic()))
                return (*_polished(ctx, params, placed, solver, status, seconds), ctx)
            return status, solver, ctx
    solver = _solver(params, key, max(0.5, deadline - clock.monotonic()))
    return solver.Solve(ctx.model), solver, ctx


GREEDY_SHARE = 1 / 3
"""Of the time left, the most the fixed solve of the greedy placement may take
before CP-SAT's placement gets the rest (L: 17 s of about 70)."""
REBUILD_ROOM = 2
"""The model is made again for the ranking only when the time left besides the
polish's is this many times what making a model and finding the fixed plan
took.  On M: 2.4 s and 2.3 s, with about 11 s to spare.  On L: 8 s and 6-15 s,
with 20-40 s to spare.  Made again regardless, L once found no fixed plan in
the time left, and once ran 8 s over its limit."""


def _fixed_plan(ctx: Context, params, placed, seconds):
    """(solver, status) of the model's plan with the sessions placed, or None."""
    all_goals(ctx)  # their variables, before any solve whose values are read for them
    solver = _solver(params, "max_time_in_seconds", max(0.5, seconds))
    status = _solve_fixed(ctx, solver, placed)
    return (solver, status) if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


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


def _polished(ctx: Context, params, placed, solver, status, seconds):
    """The plan improved for the goals with the sessions fixed, or as it was.

    When the first goal is one variable (the least share, by default) and the
    model has at most ``FIRST_GOAL_LARGEST`` attendance choices, that goal is
    improved alone first, for ``FIRST_GOAL_SHARE`` of the time, then all goals
    with it held.  Given the weighted sum alone, CP-SAT left the M benchmark's
    least share at 120 in 10 s, where on its own it was proven 154 in 9 s for
    the same placement.  On L the least share alone found nothing in 13 s,
    and the plan kept none of the interest the weighted sum gives it (774 or
    545 against 24,000-30,000), so there all goals are improved together."""
    goals = all_goals(ctx)
    first, weighted = goals[goal_order(ctx)[0]].expr, objective(ctx, goals)
    steps = [(weighted, 1.0, None)]
    if isinstance(first, cp_model.IntVar) and len(ctx.attends) <= FIRST_GOAL_LARGEST:
        steps = [(first, FIRST_GOAL_SHARE, None), (weighted, 1 - FIRST_GOAL_SHARE, first)]
    for goal, share, held in steps:
        at_least = None if held is None else (held, solver.Value(held))
        better = _improved(ctx, params, placed, solver, goal, seconds * share, at_least)
        if better is not None:
            solver, status = better, cp_model.FEASIBLE
    return status, solver


FIRST_GOAL_SHARE = 2 / 3
"""Of the polish's time, the part for the first goal alone."""
FIRST_GOAL_LARGEST = 20_000
"""Most attendance choices for which the first goal is polished alone (M: about
5,300; L: 54,000)."""


def _improved(ctx, params, placed, solver, goal, seconds, at_least):
    """A solver with a better plan for ``goal`` with the sessions fixed, or None."""
    model = ctx.model
    hint_all(model, solver)
    model.Maximize(goal)
    better = _solver(params, "max_time_in_seconds", max(0.5, seconds), first=False)
    try:
        found = _solve_fixed(ctx, better, placed, at_least)
    finally:
        model.ClearObjective()
        model.ClearHints()
    return better if found in (cp_model.OPTIMAL, cp_model.FEASIBLE) else None


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


def _solve_fixed(
    ctx: Context, solver: cp_model.CpSolver, placed: dict, at_least: tuple | None = None
) -> int:
    """Solve with the sessions' scheduling and starts fixed, and ``at_least`` (variable,
    value) held, then free them again."""
    proto = ctx.model.Proto()
    saved = {}

    def narrow(var, lo: int, hi: int) -> None:
        index = var.Index()
        domain = proto.variables[index].domain
        if index not in saved:
            saved[index] = list(domain)
        domain.clear()
        domain.extend([lo, hi])

    for sid, (held, start) in placed.items():
        for var, value in ((ctx.scheduled[sid], held), (ctx.start[sid], start)):
            if value is not None:
                narrow(var, value, value)
    if at_least is not None:
        var, value = at_least
        top = list(proto.variables[var.Index()].domain)[-1]  # (its [-1] reads index 0)
        narrow(var, value, top)
    try:
        return solver.Solve(ctx.model)
    finally:
        for index, values in saved.items():
            domain = proto.variables[index].domain
            domain.clear()
            domain.extend(values)
