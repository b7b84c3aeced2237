"""Planning with CP-SAT: ``solve(visit, options, issued) -> (Plan | None, SolveReport)``.

The story of a solve.  A **budget** (``budget``) is the one clock: every
phase asks it what it may spend, in seconds or, when asked, in CP-SAT's
deterministic time.  After the cheap proofs that no plan exists
(``explain.precheck``), **construct** (``phases.construct``) makes the first
plan: a timetable from a short ladder (the earlier plan's, the greedy
placement's, CP-SAT's, and last the whole model, the only rung that can
prove there is no plan, whereupon ``explain`` names a minimal set of rules),
then attendance and lunch with those times fixed, a far smaller model (each
delegate's one-place rule a few cliques a day) started from a greedy
attendance (``phases.fill``) and improved goal by goal on shortlists; where
interest comes first (or on a re-plan) and no fleet limits the rides
(``build.exact``), again with every keen delegate, at once (``build.wide``)
or a day at a time (``phases.days``).  Any other visit too large for the
whole model (``build.topped``) has its first plan's rides made at once (a
day they fail stays stricter from then on), and is **topped up**
(``phases.top_up``): free seats go to keen delegates, least served first,
seats of full sessions to the least served and the keener, and sessions left
out open for those who fit them, where the vehicles still serve the day.
**Improve** (``phases.improve``) solves a small visit's whole model goal by
goal, and a larger one by large neighbourhoods that free a day's, a host's
or the least-served delegates' sessions, hold the rest, and keep what is
better; a topped-up visit, its improved plan's rides made, is topped up once
more.  The **rides** (``rides``) follow, day by day; a day the vehicles
cannot serve goes to **repair** (``repair``): its least keen attendees shed
(``phases.shed``), then one ladder of stricter restrictions for that day (a
very large visit frees one failed day at a time), with the first plan and
the improvement's last better plans in reserve.  **Bound**
(``phases.bound``) then says how far each goal could go, from the count of
seats and hours (``seats``, ``hours``), their LP for every delegate at once
(``seats_lp``) and, where small enough, a relaxation (``relaxation``), all
from the spec's rules alone, so that they hold for every plan.  Phases hand
each other a ``Schedule`` (``schedule``), plain values; each model is built
from the spec's rules (``rules.RULES``) and a phase's restrictions
(``restrictions.RESTRICTIONS``), and read back or hinted by ``solution``.

This package is the only importer of ortools.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

import ortools

from ..model import Visit
from ..plan import Plan, SolveReport, idle_minutes
from . import continuity, day_spread, explain
from .assemble import assemble
from .budget import SHARES, Budget, Limits
from .build import bare, build, sessions_and_candidates, topped
from .continuity import Previous
from .fallback import APART, describe, starting_levels
from .goals import weigh_values
from .phases.bound import bounds
from .phases.construct import construct
from .phases.improve import improve
from .phases.top_up import topped_up
from .repair import Repaired, served_plan
from .report import as_reported
from .restrictions import Restrictions
from .rides import Request
from .schedule import Found


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 60.0
    seed: int = 0
    workers: int = 2
    deterministic_time: float | None = None
    """When set, the schedule phases count CP-SAT's deterministic time up to this
    much instead of seconds (the time limit still caps the run): the same plan on
    every run for a given seed and worker count."""
    progress: bool = False
    explain_seconds: float = 20.0
    previous: Previous | None = None
    """For a re-plan: the earlier plan, and the moment before which nothing changes."""


def solve(visit: Visit, options: SolveOptions, issued: datetime) -> tuple[Plan | None, SolveReport]:
    """Plan a visit: construct, improve, rides (and repair), bound."""
    budget = Budget(
        Limits(options.time_limit, options.deterministic_time, options.workers, options.seed),
        rides_model=visit.transport.numbered,
    )
    base = {
        "seed": options.seed,
        "workers": options.workers,
        "parameters": budget.recorded(),
        "ortools_version": ortools.__version__,
    }
    obvious = explain.precheck(visit)
    if obvious:
        return None, SolveReport("INFEASIBLE", diagnosis=tuple(obvious), **base)
    show = options.progress
    start = Restrictions(levels=starting_levels(visit), previous=options.previous)
    outcome, restrictions = _first_plan(visit, start, budget, show)
    seconds = round(budget.elapsed(), 3)
    if outcome.status == "INFEASIBLE":
        reasons = explain.explain(visit, options)
        return None, SolveReport("INFEASIBLE", seconds=seconds, diagnosis=tuple(reasons), **base)
    if outcome.found is None:
        why = f"no schedule found within the limit ({budget.limit_text()})"
        return None, SolveReport("TIMEOUT", seconds=seconds, diagnosis=(why,), **base)
    keep = budget.share("bound")
    tops = topped(visit)
    if tops:
        if visit.transport.vehicles is not None:
            keep += budget.share("repair")  # without a fleet the vehicles serve every day
        riding = budget.elapsed()
        first = served_plan(visit, restrictions, outcome.found, budget, [])
        if not isinstance(first, Repaired):
            return None, _unserved(first, budget, base)
        budget.rides_timed(budget.elapsed() - riding)
        restrictions = first.restrictions  # the days the vehicles failed stay stricter
        found = first.found
        if restrictions.previous is None:
            found = topped_up(visit, restrictions, found, budget, keep)
        outcome = replace(outcome, found=found)
    top_up_again = tops and restrictions.previous is None
    kept = keep + (budget.share("top-up again") if top_up_again else 0.0)
    improved = improve(visit, restrictions, outcome.found, budget, kept, show)
    reserve = [outcome.found, *improved.earlier]
    result = served_plan(visit, restrictions, improved.best, budget, reserve)
    if not isinstance(result, Repaired):
        return None, _unserved(result, budget, base)
    if top_up_again and improved.best is not outcome.found:
        result = _topped_up_again(visit, result, budget, keep, reserve)
    found = result.found
    budget.rides_served()
    proven = bounds(visit, result.restrictions, found, budget, budget.left())
    plan = assemble(bare(visit), found.schedule, result.served, issued)
    timing = (outcome.first, round(budget.elapsed(), 3))
    report = _report(visit, result, proven, plan, timing, base)
    return replace(plan, report=report), report


def _topped_up_again(visit: Visit, result: Repaired, budget: Budget, keep: float, reserve):
    """``result`` with the seats the neighbourhoods left free taken (``topped_up``)
    and its rides made again; ``result`` itself where nothing was added (M seeds 1
    and 2 at 60 s: interest +500 and +968)."""
    more = topped_up(visit, result.restrictions, result.found, budget, keep)
    if more is result.found:
        return result
    again = served_plan(visit, result.restrictions, more, budget, [*reserve, result.found])
    return again if isinstance(again, Repaired) else result


def _unserved(result, budget: Budget, base: dict) -> SolveReport:
    """Exit 4, and why: the rides of every schedule tried, in words."""
    tried = "of the schedules tried" + (
        f" within the limit ({budget.limit_text()})"
        if result.out_of_time
        else ", and the stricter schedules left none"
    )
    why = (
        f"the vehicles could not serve every ride {tried}: "
        "add vehicles or seats, or give the days more time between places"
    )
    seconds = round(budget.elapsed(), 3)
    return SolveReport("TIMEOUT", seconds=seconds, diagnosis=(why, *result.words), **base)


def _first_plan(visit: Visit, restrictions: Restrictions, budget: Budget, show: bool):
    """``construct`` under the fleet levels a visit starts at, eased when they leave no
    plan: one route every day is too strict, then places kept apart, then none."""
    tried = []
    eased = {k: APART for k, level in restrictions.levels.items() if level > APART}
    for levels in (dict(restrictions.levels), eased, {}):
        if levels in tried:
            continue
        tried.append(levels)
        held = replace(restrictions, levels=levels)
        outcome, made = construct(visit, held, budget, show)
        if outcome.status != "INFEASIBLE" or not levels:
            return outcome, made
    return outcome, made


def _report(visit, result: Repaired, proven, plan: Plan, timing, base: dict) -> SolveReport:
    """``timing``: seconds to the first plan and in all."""
    found, (first, seconds) = result.found, timing
    order = list(found.values)
    objective = weigh_values(order, found.ranges, found.values)
    bound = weigh_values(order, found.ranges, proven)
    optimal = all(proven[name] <= found.values[name] for name in order)
    goals = as_reported(visit, found.values)
    goals.update(result.served.goals, idle_minutes=idle_minutes(plan))
    levels = result.restrictions.levels
    return SolveReport(
        "OPTIMAL" if optimal else "FEASIBLE",
        objective=float(objective),
        best_bound=float(bound),
        gap=round(abs(bound - objective) / max(1.0, abs(bound)), 6),
        seconds=seconds,
        first_plan_seconds=None if first is None else round(first, 3),
        goals=goals,
        goal_bounds=as_reported(visit, proven),
        diagnosis=tuple(describe(visit, k, level) for k, level in sorted(levels.items()))
        + _dropped(visit, found, proven, result.restrictions.previous),
        **base,
    )


def _dropped(visit: Visit, found: Found, proven, previous: Previous | None) -> tuple[str, ...]:
    """For a re-plan: each session of the earlier plan left out, and why."""
    if previous is None:
        return ()
    ctx = sessions_and_candidates(visit, Restrictions(previous=previous))
    certain = proven.get("dropped") == found.values.get("dropped")
    return continuity.dropped_reasons(ctx, previous, set(found.schedule.times), certain)


__all__ = ["SHARES", "SolveOptions", "solve", "build", "day_spread", "Request"]
