"""Planning with CP-SAT: ``solve(visit, options) -> (Plan | None, SolveReport)``.

First the cheap proofs that no plan exists (``explain.precheck``: a session
that must be held but fits no window, a fleet that cannot bring everyone in
time).  Then two models, one after the other.  The *schedule* model
(``rules/``, ``goals``; for a re-plan ``continuity`` first) decides when
sessions happen, who attends them and where each delegate's lunch break falls,
keeping every rule for each delegate on their own: gaps long enough for the
rides and the lunch, by vehicle for a delegate who needs no walking, and only
step-free hosts for one who needs step-free access (``rules.access``).  The
*rides* model (``rides``) then decides, day by day, who rides together and in
which vehicle, and ``ride_timing`` moves each ride as late (to a session) or
as early (to the hotel) as the rules let it.  When a day's rides cannot be
served by the vehicles, that day's sessions at different places are kept apart
by the ride between them (so the delegation moves as one) and the schedule is
solved again.

This package is the only importer of ortools.
"""

from __future__ import annotations

import sys
import time as clock
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import partial

import ortools
from ortools.sat.python import cp_model
from ortools.sat.python.cp_model_helper import ResponseHelper

from ..model import BASE, Visit
from ..plan import (
    Assignment,
    Leg,
    LunchBreak,
    Plan,
    ScheduledSession,
    SolveReport,
    idle_minutes,
)
from ..timegrid import minute_of, time_of
from ..travel import TravelTable
from . import continuity, day_spread, explain, first_plan, placement
from .continuity import Previous
from .fallback import (
    APART,
    ONE_ROUTE,
    Cut,
    day_cut,
    describe,
    exclude,
    keep_together,
    starting_levels,
)
from .goals import all_goals, goal_order, objective, weigh
from .relaxation import Relaxation
from .rides import Request, RideFailure, RidePlanner, group_requests
from .rules import RULES
from .rules import attendance as attendance_rule
from .rules import lunch as lunch_rule
from .search import hint_all, solver_for
from .variables import DAY, Context, Guards


@dataclass(frozen=True)
class SolveOptions:
    time_limit: float = 60.0
    seed: int = 0
    workers: int = 2
    deterministic_time: float | None = None
    """When set, limits each solve by CP-SAT's deterministic time instead (tests)."""
    progress: bool = False
    explain_seconds: float = 20.0
    previous: Previous | None = None
    """For a re-plan: the earlier plan, and the moment before which nothing changes."""


@dataclass
class _Schedule:
    times: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # sid -> (k, start, end)
    attends: dict[str, list[str]] = field(default_factory=dict)  # did -> session ids
    lunch: dict[tuple[str, int], int | str] = field(default_factory=dict)  # start or meal id
    lunch_place: dict[tuple[str, int], str] = field(default_factory=dict)


def parameters(options: SolveOptions) -> dict:
    """The CP-SAT parameters used, recorded in the report.

    linearization_level 2 gives the schedule model's many reified inequalities
    a useful LP bound, which closes the gap on the seed visits far sooner than
    the default level 1 on two cores.
    """
    params = {
        "num_workers": options.workers,
        "random_seed": options.seed,
        "linearization_level": 2,
    }
    if options.deterministic_time is not None:
        params["max_deterministic_time"] = options.deterministic_time
    else:
        params["max_time_in_seconds"] = options.time_limit
    return params


def build(
    visit: Visit,
    explaining: bool = False,
    fallback: dict[int, int] | None = None,
    previous: Previous | None = None,
    cuts: list | None = None,
    without_lunch: bool = False,
    spread: bool = False,
    ranking: dict | None = None,
) -> Context:
    """The schedule model; ``fallback`` maps day indices to how tightly that day's
    delegation must keep together and ``cuts`` are day schedules the vehicles could
    not serve (``fallback`` module); ``previous`` makes it a re-plan.
    ``without_lunch`` leaves the lunch rule out: ``first_plan`` uses it to place
    the sessions quickly; ``spread`` gives each session one day (``day_spread``);
    ``ranking`` orders each delegate's shortlist by a placement (``ranking``)."""
    began = clock.monotonic()
    model = cp_model.CpModel()
    ctx = Context(visit, model, TravelTable(visit), Guards(model, explaining), ranking=ranking)
    if previous is not None:
        ctx.previous_attended = frozenset(
            (a.delegate_id, a.session_id) for a in previous.plan.assignments
        )
    ctx.convoy_days = frozenset(k for k, level in (fallback or {}).items() if level >= ONE_ROUTE)
    if spread:
        ctx.day_choice = day_spread.choose_days(ctx)
    for rule in RULES:
        if without_lunch and rule is lunch_rule:
            continue
        rule.add(ctx)
    if without_lunch:
        first_plan.leave_lunch_room(ctx)
    ctx.rule_variables = len(model.Proto().variables)
    for k, level in sorted((fallback or {}).items()):
        keep_together(ctx, k, level)
    for cut in cuts or ():
        exclude(ctx, cut)
    if previous is not None:
        ctx.extra_goals = continuity.add(ctx, previous)
    ctx.built_in = clock.monotonic() - began
    return ctx


class _Snapshot:
    """A solution the search passed on its way, answering ``Value`` as a solver does."""

    def __init__(self, response):
        self.response = response

    def Value(self, expression) -> int:  # noqa: N802 (the name CP-SAT's solvers use)
        return ResponseHelper.value(self.response, expression)


RUNNERS_UP = 3
"""Solutions a goal stage keeps besides its last: should the vehicles not serve the
last one's rides, the one before it is nearly as good and may be served."""


class _Progress(cp_model.CpSolverSolutionCallback):
    """The live line on a terminal; the search stops once it reaches ``stop_at``, a
    bound known from elsewhere (the relaxation): nothing better exists.  The last
    few solutions are kept (``recent``), newest last."""

    def __init__(
        self,
        started: float,
        show: Callable[[int], int] | None,
        goal: str = "",
        stop_at: int | None = None,
    ):
        """``show`` turns the model's value of ``goal`` into the count the summary
        prints (``_as_reported``); None keeps the terminal quiet."""
        super().__init__()
        self.started = started
        self.show = show
        self.goal = goal
        self.stop_at = stop_at
        self.first: float | None = None
        self.recent: deque[_Snapshot] = deque(maxlen=RUNNERS_UP + 1)

    def on_solution_callback(self) -> None:
        now = clock.monotonic() - self.started
        if self.first is None:
            self.first = now
        self.recent.append(_Snapshot(self.response_proto))
        if self.stop_at is not None and self.ObjectiveValue() >= self.stop_at:
            self.StopSearch()
        if self.show is not None:
            best = self.show(round(self.ObjectiveValue()))
            could = self.show(round(self.BestObjectiveBound()))
            sys.stderr.write(
                f"\r  {now:6.1f}s  {self.goal}: {best} so far, {could} at best possible   "
            )
            sys.stderr.flush()


def solve(visit: Visit, options: SolveOptions, issued: datetime) -> tuple[Plan | None, SolveReport]:
    """Plan a visit: the schedule goal by goal, then the rides day by day.

    The first aim is a plan whose rides the vehicles can serve: a day they
    cannot serve is solved again at a stricter ``fallback`` level.  Time left
    after the first such plan goes to improving the schedule from it; an
    improvement whose rides fail is dropped."""
    started = clock.monotonic()
    params = parameters(options)
    report_base = {
        "seed": options.seed,
        "workers": options.workers,
        "parameters": params,
        "ortools_version": ortools.__version__,
    }

    def elapsed() -> float:
        return round(clock.monotonic() - started, 3)

    obvious = explain.precheck(visit)
    if obvious:
        return None, SolveReport("INFEASIBLE", diagnosis=tuple(obvious), **report_base)
    start_levels = starting_levels(visit)
    fallback = dict(start_levels)
    hint = None  # the previous attempt's schedule, to start the next one from
    found = None
    cuts: list = []  # day schedules whose rides the vehicles could not serve
    reserve = None  # (plan, levels): the best earlier-stage schedule served, should no retry be
    ranking = None  # the shortlists' ranking, made once and kept by every attempt
    if options.previous is None and not fallback:
        ranking = placement.ranking_ahead(visit)
    unserved: tuple[str, ...] = ()  # the latest failed rides, in words
    out_of_time = False
    for _round in range(1 + (ONE_ROUTE + 2) * len(visit.days)):
        budget = _attempt_budget(visit, options, params, fallback, started)
        if budget is None:
            out_of_time = True
            break
        attempt_began = clock.monotonic()
        result = _attempt(visit, options, params, fallback, budget, started, hint, cuts, ranking)
        if isinstance(result, _Planned):
            found = result
            break
        ranking = result.ranking
        unserved = result.unserved or unserved
        if result.served is not None and (
            reserve is None or result.served.outcome.objective > reserve[0].outcome.objective
        ):
            reserve = (result.served, dict(fallback))
        if result.status == "INFEASIBLE" and fallback and fallback == start_levels:
            # one route every day is too strict: keep places apart, then not even that
            start_levels = {k: APART for k, level in start_levels.items() if level > APART}
            fallback = dict(start_levels)
            continue
        if result.status == "INFEASIBLE" and not any(fallback.values()):
            reasons = explain.explain(visit, options)
            return None, SolveReport(
                "INFEASIBLE", seconds=elapsed(), diagnosis=tuple(reasons), **report_base
            )
        if not result.failed_days:  # no schedule in time, or none under the fallback
            if not any(fallback.values()) and reserve is None:
                return None, SolveReport(
                    "TIMEOUT", seconds=elapsed(), diagnosis=(result.why,), **report_base
                )
            out_of_time = result.status != "INFEASIBLE"
            break
        hint = result.hint
        cuts.extend(result.cuts)
        poor = reserve is None or reserve[0].outcome.objective < 0.9 * result.objective
        for k in result.failed_days:
            fallback[k] = _next_level(
                fallback.get(k, 0), options, params, started, attempt_began, poor
            )
    if reserve is not None and (
        found is None or reserve[0].outcome.objective > found.outcome.objective
    ):
        found, fallback = reserve  # an earlier stage's served schedule, better than any since
    if found is None:  # exit 4, but it was the rides: say which (a proof is ``precheck``'s)
        tried = "of the schedules tried" + (
            f" within the limit ({_limit_text(params)})"
            if out_of_time
            else ", and the stricter schedules left none"
        )
        return None, SolveReport(
            "TIMEOUT",
            seconds=elapsed(),
            diagnosis=(
                f"the vehicles could not serve every ride {tried}: "
                "add vehicles or seats, or give the days more time between places",
                *unserved,
            ),
            **report_base,
        )
    first_plan = found.outcome.first  # an improvement found later does not make it later
    while found.outcome.status != "OPTIMAL" and "max_time_in_seconds" in params:
        remaining = _schedule_time_left(options.time_limit, started)
        if remaining < 2.0:
            break
        hint = (found.outcome.solver, found.ctx.rule_variables)
        better = _attempt(
            visit, options, params, fallback, remaining, started, hint, cuts, found.ctx.ranking
        )
        if not isinstance(better, _Planned) or better.outcome.objective < found.outcome.objective:
            break
        improved = better.outcome.objective > found.outcome.objective
        found = better
        if not improved:
            break
    outcome = found.outcome
    plan = found.plan(issued)
    goal_values = _as_reported(visit, outcome.values)
    goal_values.update(found.ride_goals, idle_minutes=idle_minutes(plan))
    report = SolveReport(
        outcome.status,
        objective=outcome.objective,
        best_bound=outcome.bound,
        gap=round(abs(outcome.bound - outcome.objective) / max(1.0, abs(outcome.bound)), 6),
        seconds=elapsed(),
        first_plan_seconds=first_plan,
        goals=goal_values,
        goal_bounds=_as_reported(visit, outcome.bounds),
        diagnosis=tuple(describe(visit, k, level) for k, level in sorted(fallback.items()))
        + day_spread.describe(found.ctx.day_choice)
        + _dropped(found, options.previous),
        **report_base,
    )
    return _with_report(plan, report), report


def _dropped(found: _Planned, previous: Previous | None) -> tuple[str, ...]:
    """For a re-plan: each session of the earlier plan left out, and why."""
    if previous is None:
        return ()
    outcome = found.outcome
    proven = outcome.bounds.get("dropped") == outcome.values.get("dropped")
    return continuity.dropped_reasons(found.ctx, previous, set(found.schedule.times), proven)


def _next_level(level: int, options, params, started, attempt_began, poor: bool) -> int:
    """The level a day whose rides failed is solved at next: one step stricter, or
    straight to ``APART`` when the time left is less than the failed attempt took
    and the plan in reserve is ``poor`` (none, or well below the failed schedule).
    Then the last attempt is one whose rides the fleet can almost surely serve: on
    S with three minibuses, a second failure at ``FLEET_LOAD`` left only the bare
    first plan.  With a reserve close to the failed schedule, the gentler step is
    worth its risk (on Latgale ``APART`` cost about 100 of interest)."""
    step = min(ONE_ROUTE, level + 1)
    if "max_time_in_seconds" not in params or not poor:
        return step
    took = clock.monotonic() - attempt_began
    if _schedule_time_left(options.time_limit, started) < took:
        return max(step, APART)
    return step


def _as_reported(visit: Visit, values: dict[str, int]) -> dict[str, int]:
    """Goal values as the spec counts them: optional sessions left out (the model
    maximises those kept), and the re-plan counts (maximised as negatives)."""
    reported = dict(values)
    if "optional" in reported:
        optional = len([s for s in visit.sessions if s.id not in visit.must_schedule])
        reported["optional"] = optional - reported["optional"]
    for name in continuity.REPLAN_GOALS:
        if name in reported:
            reported[name] = -reported[name]
    return reported


def _reported_value(visit: Visit, goal: str, value: int) -> int:
    """One goal's model value as the summary prints it, for the live line."""
    return _as_reported(visit, {goal: value})[goal]


@dataclass
class _Planned:
    """A schedule whose rides the vehicles serve."""

    ctx: Context
    schedule: _Schedule
    legs: list
    ride_goals: dict
    outcome: _Outcome

    def plan(self, issued: datetime) -> Plan:
        return _assemble(self.ctx.visit, self.ctx, self.schedule, self.legs, issued)


@dataclass
class _Failed:
    status: str
    why: str = ""
    failed_days: tuple[int, ...] = ()
    hint: tuple | None = None
    cuts: tuple[Cut, ...] = ()
    served: _Planned | None = None
    """An earlier goal stage's schedule whose rides the vehicles do serve: the plan
    to fall back on if no later attempt finds one."""
    objective: float = 0.0
    """The weighted goals of the schedule whose rides failed."""
    ranking: dict | None = None
    """The shortlists' ranking its model was made with, for the next attempt's model."""
    unserved: tuple[str, ...] = ()
    """The failed days' rides in words (``explain.unserved``), for the organiser."""


def _attempt(
    visit, options, params, fallback, budget, started, hint, cuts, ranking=None
) -> _Planned | _Failed:
    """One schedule, goal by goal, and its rides.  ``ranking`` is an earlier attempt's
    (``ranking``); without one, the first plan may make one from its placement."""
    begun = clock.monotonic()
    spread = day_spread.needed(visit)
    model_of = partial(
        build, visit, fallback=fallback, previous=options.previous, cuts=cuts, ranking=ranking
    )
    ctx = model_of(spread=spread)
    goals = all_goals(ctx)
    relaxed = partial(model_of, without_lunch=True, spread=spread, ranking=None)

    def ranked(tiers: dict) -> Context:
        return model_of(spread=spread, ranking=tiers)

    rebuild = None
    if ranking is None and options.previous is None and attendance_rule.truncated(ctx):
        rebuild = ranked
    # the greedy placement knows the spec's rules only: not fallback levels, cuts or a re-plan
    greedy = not any(fallback.values()) and not cuts and options.previous is None
    outcome = _staged(
        ctx, goals, params, budget, started, options.progress, hint, relaxed, rebuild, greedy
    )
    ctx = outcome.ctx or ctx
    goals = all_goals(ctx)
    if spread and outcome.status == "INFEASIBLE":  # the chosen days may be what failed
        ctx = model_of()
        goals = all_goals(ctx)
        left = max(1.0, budget - (clock.monotonic() - begun))
        outcome = _staged(ctx, goals, params, left, started, options.progress, None, None)
    if outcome.status == "INFEASIBLE":
        return _Failed("INFEASIBLE")
    if outcome.solver is None:
        return _Failed(
            "TIMEOUT",
            f"no schedule found within the limit ({_limit_text(params)}); "
            f"the schedule model had {len(ctx.attends)} attendance choices "
            f"and {len(ctx.before)} ordering choices",
        )
    schedule = _read_schedule(ctx, outcome.solver)
    try:
        legs, ride_goals = _plan_rides(visit, ctx, schedule, options)
    except RideFailure as failure:
        cuts = tuple(day_cut(k, schedule.times, schedule.attends) for k in failure.days)
        served = _earlier_served(visit, ctx, goals, outcome, options, started, cuts)
        hint = (outcome.solver, ctx.rule_variables)
        unserved = explain.unserved(ctx, schedule.times, schedule.attends, failure.days)
        return _Failed(
            "RIDES",
            str(failure),
            failure.days,
            hint,
            cuts,
            served,
            outcome.objective,
            ctx.ranking,
            tuple(unserved),
        )
    return _Planned(ctx, schedule, legs, ride_goals, outcome)


def _earlier_served(visit, ctx, goals, outcome, options, started, failed: tuple[Cut, ...]):
    """The latest earlier schedule whose rides the vehicles serve, or None.

    When the final schedule's rides fail, the retry at a stricter level starts a
    new search; on M it found nothing in the time left, and the run ended with
    no plan although the stages before had found schedules.  Within the limit,
    the solutions found before the last are tried, newest first: the last
    stage's runners-up, then the stages before.  The one served is kept in
    reserve: the retry still comes first, as it may do better.  A schedule
    with any failed day the same as the last one's is skipped unplanned: each
    day's rides depend on that day alone."""
    for solver in reversed(outcome.earlier):
        if clock.monotonic() - started > options.time_limit:
            return None
        schedule = _read_schedule(ctx, solver)
        if any(day_cut(cut.k, schedule.times, schedule.attends) == cut for cut in failed):
            continue  # the same day schedule: its rides fail the same way
        try:
            legs, ride_goals = _plan_rides(visit, ctx, schedule, options, every_day=False)
        except RideFailure:
            continue
        found = replace(
            outcome,
            status="FEASIBLE",
            solver=solver,
            values={name: int(solver.Value(goal.expr)) for name, goal in goals.items()},
            objective=float(solver.Value(objective(ctx, goals))),
            earlier=[],
        )
        return _Planned(ctx, schedule, legs, ride_goals, found)
    return None


def ride_reserve(time_limit: float) -> float:
    """Seconds of the time limit kept for planning the rides after the schedule."""
    return min(60.0, 0.15 * time_limit)


def _schedule_time_left(time_limit: float, started: float) -> float:
    """Seconds left for the schedule model: the time limit less what has run and the rides'."""
    return time_limit - ride_reserve(time_limit) - (clock.monotonic() - started)


def _attempt_budget(visit, options, params, fallback, started) -> float | None:
    """Seconds (or deterministic time) for one schedule attempt; None when none is left.

    With a fleet to fit, the first attempts keep a quarter of what is left for a
    retry, should the vehicles not serve the schedule's rides."""
    last = visit.transport.vehicles is None
    if "max_deterministic_time" in params:
        return params["max_deterministic_time"]
    remaining = _schedule_time_left(options.time_limit, started)
    if remaining < 1.0:
        return None
    return remaining if last else max(1.0, remaining * 0.75)


@dataclass
class _Outcome:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN
    solver: cp_model.CpSolver | None = None
    values: dict[str, int] = field(default_factory=dict)
    bounds: dict[str, int] = field(default_factory=dict)
    """Per schedule goal, the best value it could have with the goals before it as found."""
    objective: float = 0.0
    bound: float = 0.0
    first: float | None = None
    earlier: list = field(default_factory=list)
    """Solutions found before the last, oldest first: each stage's last few and the
    stages' own.  Their schedules are fallbacks should the last one's rides fail."""
    ctx: Context | None = None
    """The model the solutions belong to: the first plan may have made it again."""


def _staged(
    ctx: Context,
    goals,
    params: dict,
    budget: float,
    started: float,
    show: bool,
    hint=None,
    relaxed=None,
    rebuild=None,
    greedy=True,
) -> _Outcome:
    """Lexicographic optimisation, one goal at a time.

    Each goal is maximised with the ones before it held at the values found,
    starting from the previous solution as a hint.  Solving the goals one by
    one closes each gap far sooner than one weighted sum of very different
    magnitudes; the weighted sum (``goals.objective``) still reports the
    result as one number.  The plan is OPTIMAL only when every goal is."""
    order = goal_order(ctx)
    weighted = objective(ctx, goals)
    outcome = _Outcome("UNKNOWN", ctx=ctx)
    limit_key = (
        "max_deterministic_time" if "max_deterministic_time" in params else "max_time_in_seconds"
    )
    proven = True
    bounds = {}
    deadline = clock.monotonic() + budget
    values: dict[str, int] = {}  # each goal's value as its stage left it
    if hint is None and limit_key == "max_time_in_seconds":
        # any plan first, as fast as CP-SAT finds one: the goals start from it
        ctx.model.ClearObjective()
        # the first plan may use the whole time left, not only this attempt's share
        left = _schedule_time_left(params[limit_key], started)
        limit = min(max(budget, left * 0.9), max(1.0, left))  # never into the rides' time
        status, solver, found_in = first_plan.find(
            ctx, params, limit, relaxed, budget * POLISH_SHARE, rebuild, greedy
        )
        if found_in is not ctx:  # made again with a ranked shortlist
            ctx = outcome.ctx = found_in
            goals = all_goals(ctx)
            weighted = objective(ctx, goals)
        if status == cp_model.INFEASIBLE:
            return _Outcome("INFEASIBLE")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return outcome
        outcome.solver, outcome.first = solver, round(clock.monotonic() - started, 3)
        proven = False  # until a goal stage proves otherwise, this plan is only feasible
        deadline = max(deadline, clock.monotonic() + 1.0)
    relaxation = Relaxation.of(ctx)
    for index, name in enumerate(order):
        goal = goals[name]
        ctx.model.Maximize(goal.expr)
        if outcome.solver is not None:
            hint_all(ctx.model, outcome.solver)
        elif hint is not None:
            hint_all(ctx.model, hint)
        if limit_key == "max_deterministic_time":
            share = budget / len(order)
        else:  # until a first plan exists, most of what is left goes to finding one
            left = deadline - clock.monotonic()
            share = max(0.5, left * 0.7 if outcome.solver is None else left / (len(order) - index))
        relaxed = None
        if relaxation is not None:
            held = {n: v for n, v in values.items() if n in relaxation.goals}
            begun = clock.monotonic()
            relaxed = relaxation.bound(name, held, {**params, limit_key: share * RELAXATION_SHARE})
            if limit_key == "max_time_in_seconds":  # what it took, usually far below its share
                share -= clock.monotonic() - begun
            else:
                share *= 1 - RELAXATION_SHARE
        solver = solver_for({**params, limit_key: max(0.1, share)})
        shown = partial(_reported_value, ctx.visit, name) if show else None
        progress = _Progress(started, shown, name, relaxed)
        status = solver.Solve(ctx.model, progress)
        if (
            status == cp_model.UNKNOWN
            and outcome.solver is None
            and limit_key == "max_deterministic_time"
            and index < len(order) - 1
        ):  # no plan yet (a re-plan has no first plan): the stage takes the later ones' share
            solver = solver_for({**params, limit_key: budget - share})
            progress = _Progress(started, shown, name, relaxed)
            status = solver.Solve(ctx.model, progress)
        if show:
            sys.stderr.write("\n")
        if status == cp_model.INFEASIBLE and index == 0:
            return _Outcome("INFEASIBLE")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            proven = False
            break
        if outcome.first is None:
            outcome.first = None if progress.first is None else round(progress.first, 3)
        if outcome.solver is not None:
            outcome.earlier.append(outcome.solver)
        outcome.earlier.extend(list(progress.recent)[:-1])  # the stage's runners-up
        outcome.solver = solver
        value = int(round(solver.ObjectiveValue()))
        bounds[name] = int(solver.BestObjectiveBound()) if status != cp_model.OPTIMAL else value
        if relaxation is not None and bounds[name] > value and (relaxed is None or relaxed > value):
            # not proven by either: give the relaxation more time (fairness on S needs it)
            longer = min(share / 4, max(0.5, share * RELAXATION_SHARE))
            longer_bound = relaxation.bound(name, held, {**params, limit_key: longer})
            relaxed = relaxed if longer_bound is None else longer_bound
        if relaxed is not None and relaxed >= value:  # (below would be a wrong relaxation)
            bounds[name] = min(bounds[name], relaxed)
        values[name] = value
        proven = (proven or index == 0) and value >= bounds[name]
        ctx.model.Add(goal.expr >= value).WithName(f"held[{name}]")
    if outcome.solver is None:
        return outcome
    solver = outcome.solver
    outcome.values = {name: int(solver.Value(goal.expr)) for name, goal in goals.items()}
    if relaxation is not None:  # goals whose stage did not run: the relaxation's bounds
        limit = 0.5 if limit_key == "max_time_in_seconds" else budget / len(order)
        for index, name in enumerate(order):
            if name in bounds:
                continue
            held = {n: outcome.values[n] for n in order[:index] if n in relaxation.goals}
            relaxed = relaxation.bound(name, held, {**params, limit_key: limit})
            if relaxed is None and held:  # a weaker bound, but one the goals before need not meet
                relaxed = relaxation.bound(name, {}, {**params, limit_key: limit})
            if relaxed is not None and relaxed >= outcome.values[name]:
                bounds[name] = relaxed
    outcome.status = "OPTIMAL" if proven and len(bounds) == len(order) else "FEASIBLE"
    outcome.objective = float(solver.Value(weighted))
    outcome.bounds = {n: bounds.get(n, goals[n].range) for n in order}
    outcome.bound = float(weigh(ctx, goals, outcome.bounds))
    return outcome


RELAXATION_SHARE = 0.1
"""Of a goal stage's time, at most the part the relaxation's bound may take first."""

POLISH_SHARE = 0.5
"""Of an attempt's time, the part for improving its first plan with the sessions
fixed where they were placed (``first_plan``), when it was found that way."""


def _limit_text(params: dict) -> str:
    if "max_deterministic_time" in params:
        return f"deterministic time {params['max_deterministic_time']}"
    return f"{params['max_time_in_seconds']} s"


def _read_schedule(ctx: Context, solver: cp_model.CpSolver) -> _Schedule:
    schedule = _Schedule()
    for session in ctx.visit.sessions:
        sid = session.id
        if not solver.Value(ctx.scheduled[sid]):
            continue
        start = solver.Value(ctx.start[sid])
        k, minute = divmod(start, DAY)
        schedule.times[sid] = (k, minute, minute + session.minutes)
    for (did, sid), x in sorted(ctx.attends.items()):
        if solver.Value(x):
            schedule.attends.setdefault(did, []).append(sid)
    for key, start in ctx.lunch_start.items():
        if solver.Value(ctx.lunch_by_meal[key]):
            schedule.lunch[key] = "meal"
        else:
            schedule.lunch[key] = solver.Value(start) % DAY
            places = ctx.lunch_place.get(key, {})
            schedule.lunch_place[key] = next(
                (place for place, lit in places.items() if solver.Value(lit)), BASE
            )
    return schedule


def _stops(ctx: Context, schedule: _Schedule, did: str, k: int):
    sessions = sorted(
        (schedule.times[sid][1], schedule.times[sid][2], sid)
        for sid in schedule.attends.get(did, [])
        if schedule.times[sid][0] == k
    )
    if not sessions:
        return None
    lo, hi = ctx.stay_bounds(ctx.visit.delegate(did), k)
    stops = [(lo, lo, BASE, "base-start")]
    stops += [(s, e, ctx.host_of(sid), sid) for s, e, sid in sessions]
    stops.append((hi, hi, BASE, "base-end"))
    return stops


def _plan_rides(
    visit: Visit, ctx: Context, schedule: _Schedule, options: SolveOptions, every_day=True
):
    """Rides and lunch breaks of every day; the schedule fixes in which gap each lunch falls.

    In a re-plan with a freeze, days that ended before it keep their rides and
    lunches as they were, and on the freeze day a ride or lunch that had begun
    keeps its times.

    A day whose rides fail does not stop the others: every failed day is
    reported at once (``RideFailure.days``), so one retry changes them all
    rather than one retry per day, each solving the whole schedule again.
    Without ``every_day``, the first failed day ends it (the reserve search
    only asks whether a schedule is served)."""
    planner = RidePlanner(
        visit, ctx.travel, options.seed, options.workers, options.deterministic_time or 10.0
    )
    if options.deterministic_time is None:
        planner.seconds = max(
            1.0, ride_reserve(options.time_limit) / max(1, len(visit.programme_days))
        )
    previous = options.previous
    freeze = None if previous is None else continuity.frozen_minute(ctx, previous.freeze_before)
    legs, failures = [], []
    totals = {"vehicle_minutes": 0, "rider_minutes": 0}
    for k, day in enumerate(visit.days):
        if freeze is not None and k * DAY + minute_of(day.day_end) <= freeze:
            present = {d.id for d in visit.delegates}
            legs.extend(
                g for g in previous.plan.legs if g.date == day.date and g.delegate_id in present
            )
            for lunch in previous.plan.lunches:
                if lunch.date == day.date and lunch.delegate_id in present:
                    schedule.lunch[(lunch.delegate_id, k)] = minute_of(lunch.start)
            continue
        begun = _begun(previous.plan, day.date, freeze - k * DAY) if freeze is not None else {}
        raw = []
        for delegate in visit.delegates:
            stops = _stops(ctx, schedule, delegate.id, k)
            if stops is None:
                continue
            lunch = schedule.lunch.get((delegate.id, k))
            if isinstance(lunch, int):
                stops = _with_lunch_stop(
                    stops, lunch, visit.lunch.minutes, schedule.lunch_place.get((delegate.id, k))
                )
            for index in range(len(stops) - 1):
                _s0, p_end, p_place, _p = stops[index]
                n_start, _e1, n_place, _n = stops[index + 1]
                need = None
                if (
                    isinstance(lunch, int)
                    and p_end <= lunch
                    and lunch + visit.lunch.minutes <= n_start
                ):
                    frm, to = minute_of(visit.lunch.start), minute_of(visit.lunch.end)
                    need = (max(p_end, frm), min(n_start, to), visit.lunch.minutes)
                    kept = begun.get((delegate.id, "lunch"))
                    if kept is not None:
                        need = (kept[0], kept[1], visit.lunch.minutes)
                if p_place == n_place:
                    continue
                earliest, latest = p_end, n_start
                kept = begun.get((delegate.id, p_place, n_place))
                if kept is not None and earliest <= kept[0] and kept[1] <= latest:
                    earliest, latest = kept
                first, last = index == 0, index == len(stops) - 2
                raw.append((p_place, n_place, earliest, latest, delegate.id, first, last, need))
        if previous is not None:
            planner.preferred = {
                (g.delegate_id, g.from_, g.to): (minute_of(g.depart), g.vehicle == "walk")
                for g in previous.plan.legs
                if g.date == day.date
            }
        try:
            result = planner.plan_day(k, group_requests(raw))
        except RideFailure as failure:
            if not every_day:
                raise
            failures.append(failure)
            continue
        totals["vehicle_minutes"] += result.vehicle_minutes
        totals["rider_minutes"] += result.rider_minutes
        for did, start in result.lunches.items():
            schedule.lunch[(did, k)] = start
        for did, origin, dest, depart, arrive, vehicle in result.legs:
            legs.append(Leg(did, origin, dest, day.date, time_of(depart), time_of(arrive), vehicle))
    if failures:
        raise RideFailure.of_days(failures)
    return legs, totals


def _with_lunch_stop(stops, lunch: int, minutes: int, place: str | None):
    """The day's stops with the lunch break as a stop of its own when it is eaten at a
    third place (neither the stop before it nor the one after): the rides then go
    there and on.  Eaten at either neighbour, the rides model places it beside the ride."""
    for index in range(len(stops) - 1):
        p_end, p_place = stops[index][1], stops[index][2]
        n_start, n_place = stops[index + 1][0], stops[index + 1][2]
        if p_end <= lunch and lunch + minutes <= n_start:
            if place is None or place in (p_place, n_place):
                return stops
            return [
                *stops[: index + 1],
                (lunch, lunch + minutes, place, "lunch"),
                *stops[index + 1 :],
            ]
    return stops


def _begun(plan: Plan, on, minute: int) -> dict:
    """Rides and lunch breaks of the earlier plan that began on ``on`` before ``minute``:
    (delegate, from, to) or (delegate, "lunch") to their (start, end)."""
    begun = {}
    for leg in plan.legs:
        if leg.date == on and minute_of(leg.depart) < minute:
            begun[(leg.delegate_id, leg.from_, leg.to)] = (
                minute_of(leg.depart),
                minute_of(leg.arrive),
            )
    for lunch in plan.lunches:
        if lunch.date == on and minute_of(lunch.start) < minute and not lunch.session_id:
            begun[(lunch.delegate_id, "lunch")] = (minute_of(lunch.start), minute_of(lunch.end))
    return begun


def _assemble(
    visit: Visit, ctx: Context, schedule: _Schedule, legs: list[Leg], issued: datetime
) -> Plan:
    sessions, assignments, lunches = [], [], []
    for sid, (k, start, end) in schedule.times.items():
        day = visit.days[k].date
        host = ctx.host_of(sid)
        sessions.append(ScheduledSession(sid, host, day, time_of(start), time_of(end)))
    for did, sids in schedule.attends.items():
        for sid in sids:
            k, start, end = schedule.times[sid]
            assignments.append(
                Assignment(
                    did, sid, ctx.host_of(sid), visit.days[k].date, time_of(start), time_of(end)
                )
            )
    for (did, k), value in sorted(schedule.lunch.items()):
        stops = _stops(ctx, schedule, did, k)
        if stops is None:
            continue
        if value == "meal":
            meal = _meal_in_window(visit, schedule, did, k)
            lunches.append(
                LunchBreak(
                    did, visit.days[k].date, time_of(meal[1]), time_of(meal[2]), meal[3], meal[0]
                )
            )
            continue
        place = _place_at(stops, legs, did, visit.days[k].date, value)
        lunches.append(
            LunchBreak(
                did, visit.days[k].date, time_of(value), time_of(value + visit.lunch.minutes), place
            )
        )
    return Plan(
        visit.id,
        visit.timezone,
        issued,
        tuple(sessions),
        tuple(assignments),
        tuple(legs),
        tuple(lunches),
    )


def _meal_in_window(visit: Visit, schedule: _Schedule, did: str, k: int):
    frm, to = minute_of(visit.lunch.start), minute_of(visit.lunch.end)
    for sid in schedule.attends.get(did, []):
        session = visit.session(sid)
        day, start, end = schedule.times[sid]
        if (
            day == k
            and session.kind == "meal"
            and session.minutes >= visit.lunch.minutes
            and frm <= start
            and end <= to
        ):
            return sid, start, end, session.host_id
    raise AssertionError(f"no meal session for {did} on day {k}")


def _place_at(stops, legs: list[Leg], did: str, on, minute: int) -> str:
    """Where the delegate is when lunch starts: the place of their latest arrival."""
    events = [(end, 0, host) for _start, end, host, _sid in stops if end <= minute]
    events += [
        (minute_of(g.arrive), 1, g.to)
        for g in legs
        if g.delegate_id == did and g.date == on and minute_of(g.arrive) <= minute
    ]
    return max(events)[2] if events else BASE


def _with_report(plan: Plan, report: SolveReport) -> Plan:
    return replace(plan, report=report)


__all__ = ["SolveOptions", "solve", "Request"]
