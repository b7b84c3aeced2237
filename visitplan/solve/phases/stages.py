"""Solving one model: a first solution, the goals one by one, or all goals weighted.

Every phase solves its models through these three, so the budget, the hint
from a Schedule, the live line and the reading of a solution are done in one
place.  Goal by goal (``by_goals``) each goal is maximised with the ones
before it held at the values found: that closes each goal's gap far sooner
than one weighted sum of very different magnitudes, and each stage's bound
is that goal's own.  The weighted sum (``goals.objective``, which orders
plans exactly as the goals do) is for the neighbourhoods, where one short
solve must improve whichever goal it can.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import partial

from ortools.sat.python import cp_model

from ...model import Visit
from ..budget import SHORTEST, Budget
from ..build import build
from ..goals import all_goals, goal_order, objective
from ..progress import Progress
from ..relaxation import Relaxation
from ..report import reported_value
from ..restrictions import Restrictions
from ..schedule import Found, Schedule
from ..solution import found as found_in
from ..solution import hint
from ..variables import Context

SOLVED = (cp_model.OPTIMAL, cp_model.FEASIBLE)

PRESOLVE_FIXED = False
"""Whether CP-SAT presolves a model whose session times are all fixed (attendance).
Such a model is already as small as presolve would make it: on the L benchmark
presolve took 18 s of a first solution's 25, and on M the goals reached more
without it in the same time (least share 187 against 175)."""


LAZY_ROWS_FIXED = False
"""Whether CP-SAT adds such a model's rows to its LP only once violated (its default).
Attendance with the times held is nearly a network flow whose LP is almost integral:
with every row in at once, CP-SAT proves one day of the block family's L (30,000
pairs, ``phases.days``) in 4.0 s instead of 8.0."""


@dataclass
class Outcome:
    """What one solve of a model gave: a status name, and the solution when there is one."""

    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN
    found: Found | None = None
    first: float | None = None
    """Wall-clock seconds since the solve began, at its first solution."""


def _run(ctx: Context, budget: Budget, limit: float, progress: Progress | None, **extra):
    all_goals(ctx)  # the goals' variables exist before any solution is read
    if all(s.id in ctx.fixed_start or s.id in ctx.held_out for s in ctx.visit.sessions):
        extra.setdefault("cp_model_presolve", PRESOLVE_FIXED)
        extra.setdefault("add_lp_constraints_lazily", LAZY_ROWS_FIXED)
    solver = cp_model.CpSolver()
    for key, value in budget.parameters(budget.limit(limit), **extra).items():
        setattr(solver.parameters, key, value)
    status = solver.Solve(ctx.model, progress)
    budget.charge(solver)
    if progress is not None:
        progress.end()
    return status, solver


def first_solution(
    ctx: Context,
    budget: Budget,
    limit: float,
    start: Found | None = None,
    show: bool = False,
    completing: bool = False,
) -> Outcome:
    """Any solution, as fast as CP-SAT finds one (from ``start`` as a hint).  With
    ``completing``, the one that keeps every value ``start`` gives (the search only
    fills in the rest), or INFEASIBLE when there is none."""
    ctx.model.ClearObjective()
    if start is not None:
        hint(ctx, start)
    progress = Progress(budget, "first plan", 0, None) if show else None
    held = {"fix_variables_to_their_hinted_value": True} if completing else {}
    if completing:  # every value the search needs is given: nothing to relax
        held["linearization_level"] = 0
    status, solver = _run(ctx, budget, limit, progress, stop_after_first_solution=True, **held)
    if status == cp_model.INFEASIBLE:
        return Outcome("INFEASIBLE")
    if status not in SOLVED:
        return Outcome("UNKNOWN")
    return Outcome("FEASIBLE", found_in(ctx, solver), budget.elapsed())


def valued(ctx: Context, budget: Budget, limit: float, start: Found) -> Found | None:
    """``start``'s schedule with its goals' values as this model counts them, or None
    when it breaks one of the model's rules: every variable the hint gives is held
    to it, and only what it leaves (the goals' own variables) is searched."""
    goals = all_goals(ctx)
    ctx.model.Maximize(objective(ctx, goals))
    hint(ctx, start)
    held = {"fix_variables_to_their_hinted_value": True, "linearization_level": 0}
    status, solver = _run(ctx, budget, limit, None, **held)
    ctx.model.ClearObjective()
    return found_in(ctx, solver) if status in SOLVED else None


def counted(
    visit: Visit, restrictions: Restrictions, schedule: Schedule, budget: Budget, limit: float
) -> Found | None:
    """A Schedule made outside the model (the top-up's moves, shedding) with its goals
    counted by ``valued``, the model built under ``restrictions`` with its times held
    and its pairs candidates; None when it breaks one of the model's rules."""
    out = frozenset(s.id for s in visit.sessions if s.id not in schedule.times)
    held = replace(restrictions.holding(schedule.starts(), out), kept_pairs=schedule.pairs())
    return valued(build(visit, held), budget, limit, Found(schedule, {}))


def filled(ctx: Context, budget: Budget, limit: float, start: Found) -> Found:
    """``start`` with the sum of interest met maximised alone, for a start to ``by_goals``.

    A first solution holds few sessions: holding one takes its min_size
    attendees at once, a move the search rarely makes while it keeps the least
    share up.  Maximised alone, the sum fills the programme within seconds (on
    the M benchmark: interest 198 to 12,712), and the goals in their order then
    start from a full one (least share 121 against 0 from the first solution)."""
    goals = all_goals(ctx)
    if "interest" not in goals:
        return start
    ctx.model.Maximize(goals["interest"].expr)
    hint(ctx, start)
    status, solver = _run(ctx, budget, limit, None)
    ctx.model.ClearObjective()
    return found_in(ctx, solver) if status in SOLVED else start


@dataclass(frozen=True)
class Pass:
    """How ``by_goals`` searches, beyond its model, time and start."""

    relaxation: Relaxation | None = None
    """Stop a stage as soon as it reaches the relaxation's bound for its goal (with the
    goals before it held): nothing better exists."""
    fresh: bool = False
    """Search the first goal without the start as a hint (it is kept if nothing better is
    found): a hint draws CP-SAT's LP search to itself, and from a plan of a narrower
    model it stays near it (the block family's M with every keen pair: interest
    21,031 to 21,694 in 14 s hinted, 25,342 in 5 s not)."""
    first: str = "first goal"
    """The ``budget.PARTS`` entry that says how many later stages' time the first gets."""
    leftover: bool = True
    """Hand the time a stage leaves unused to the stages after it, and what is left at
    the end to the first unproven goal; without it, each stage gets at most its
    part of the limit and the pass returns what it did not use to its caller."""
    passed: list[Found] | None = None
    """Where given, each stage's better plan is appended to it, oldest first: earlier
    plans the rides may serve should they fail the last (``improve``)."""


def by_goals(
    ctx: Context,
    budget: Budget,
    limit: float,
    start: Found,
    show: bool = False,
    how: Pass = Pass(),
) -> Found:
    """``start`` improved goal by goal within ``limit``, each stage's bound recorded.

    A stage that finds nothing within its time leaves its goal held at the value
    it has, and the next goal gets its turn (it used to end the pass: once in six
    10 s runs, Latgale's plan kept its first solution's least share of 0)."""
    goals, order = all_goals(ctx), goal_order(ctx)
    relaxation = how.relaxation
    best = replace(start, bounds={})
    until = budget.spent() + limit
    first = budget.part(how.first, 1.0)
    for index, name in enumerate(order):
        left = max(0.0, until - budget.spent())
        stages_left = len(order) - index + (first - 1 if index == 0 else 0)
        share = left * (first if index == 0 else 1) / stages_left
        if not how.leftover:
            share = min(share, limit * (first if index == 0 else 1) / (len(order) + first - 1))
        if share <= 0 or budget.left() <= 0:
            break
        hinted = not (how.fresh and index == 0)
        before = best
        best = _stage(ctx, budget, best, _Stage(name, share, show, relaxation, hinted=hinted))
        if how.passed is not None and best.schedule is not before.schedule:
            how.passed.append(best)
        ctx.model.Add(goals[name].expr >= best.values[name]).WithName(f"held[{name}]")
    unproven = [n for n in order if best.bounds.get(n, math.inf) > best.values[n]]
    left = until - budget.spent()
    if unproven and how.leftover and left > SHORTEST and budget.left() > 0:
        best = _stage(ctx, budget, best, _Stage(unproven[0], left, show, relaxation, again=True))
    ctx.model.ClearObjective()
    return best


@dataclass(frozen=True)
class _Stage:
    """One stage of ``by_goals``: goal ``name`` maximised within ``share``."""

    name: str
    share: float
    show: bool = False
    relaxation: Relaxation | None = None
    again: bool = False
    """The pass's last stage, on its first unproven goal: the model then holds the
    goals after it too, so its own bound is not the goal's."""
    hinted: bool = True


def _stage(ctx: Context, budget: Budget, best: Found, stage: _Stage) -> Found:
    """``best`` with the stage's goal maximised (the goals before it held by the
    model) and its bound recorded; ``best`` unchanged when the stage found nothing
    (and no bound recorded)."""
    order = goal_order(ctx)
    name, share, relaxation = stage.name, stage.share, stage.relaxation
    goal = all_goals(ctx)[name]
    held = {n: best.values[n] for n in order[: order.index(name)]}
    stop_at = None
    if relaxation is not None:
        stop_at = relaxation.bound(
            name, held, budget.parameters(budget.limit(budget.part("relaxation", share)))
        )
    ctx.model.Maximize(goal.expr)
    if stage.hinted:
        hint(ctx, best)
    else:
        ctx.model.ClearHints()
    shown = partial(reported_value, ctx.visit, name) if stage.show else None
    progress = Progress(budget, name, goal.expr, shown, stop_at)
    status, solver = _run(ctx, budget, share, progress)
    if status not in SOLVED:
        return best
    now = found_in(ctx, solver)
    if now.rank(order) >= best.rank(order):
        best = replace(now, bounds=best.bounds)
    value = best.values[name]
    bound = value if status == cp_model.OPTIMAL else int(solver.BestObjectiveBound() + 1e-6)
    if stage.again:
        bound = best.bounds.get(name, math.inf)
    if relaxation is not None and bound > value and (stop_at is None or stop_at > value):
        longer = budget.parameters(
            budget.limit(budget.part("relaxation again", share))
        )  # not proven by either: try on
        stop_at = relaxation.bound(name, held, longer) or stop_at
    if stop_at is not None:
        bound = min(bound, max(stop_at, value))
    if bound < math.inf:
        best.bounds[name] = max(bound, value)
    return best


def weighted(
    ctx: Context, budget: Budget, limit: float, start: Found, show: bool = False
) -> tuple[Found | None, bool]:
    """A solution better than ``start`` for the goals in order (or None) within ``limit``,
    and whether the search proved that nothing better exists in this model."""
    goals, order = all_goals(ctx), goal_order(ctx)
    ctx.model.Maximize(objective(ctx, goals))
    hint(ctx, start)
    first = goals[order[0]]
    shown = partial(reported_value, ctx.visit, order[0]) if show else None
    progress = Progress(budget, order[0], first.expr, shown)
    progress.bounded = False
    status, solver = _run(ctx, budget, limit, progress)
    ctx.model.ClearObjective()
    if status not in SOLVED:
        return None, status == cp_model.INFEASIBLE
    now = found_in(ctx, solver)
    better = now if now.rank(order) > start.rank(order) else None
    return better, status == cp_model.OPTIMAL
