"""Planning with CP-SAT: ``solve(visit, options) -> (Plan | None, SolveReport)``.

Two models, one after the other.  The *schedule* model (``rules/``, ``goals``)
decides when sessions happen, who attends them and where each delegate's
lunch break falls, keeping every rule for each delegate on their own: gaps
long enough for the rides and the lunch.  The *rides* model (``rides``) then
decides, day by day, who rides together, when, and in which vehicle.  When a
day's rides cannot be served by the vehicles, that day's sessions at different
places are kept apart by the ride between them (so the delegation moves as
one) and the schedule is solved again.

This package is the only importer of ortools.
"""

from __future__ import annotations

import math
import sys
import time as clock
from dataclasses import dataclass, field
from datetime import datetime

import ortools
from ortools.sat.python import cp_model

from ..model import BASE, Visit
from ..plan import Assignment, Leg, LunchBreak, Plan, ScheduledSession, SolveReport
from ..timegrid import minute_of, round_up, stay, time_of
from ..travel import TravelTable
from . import explain
from .goals import goal_order, objective, schedule_goals, weigh
from .rides import Request, RideFailure, RidePlanner, group_requests
from .rules import RULES
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


@dataclass
class _Schedule:
    times: dict[str, tuple[int, int, int]] = field(default_factory=dict)  # sid -> (k, start, end)
    attends: dict[str, list[str]] = field(default_factory=dict)  # did -> session ids
    lunch: dict[tuple[str, int], int | str] = field(default_factory=dict)  # start or meal id


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


def _solver(params: dict) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    for key, value in params.items():
        setattr(solver.parameters, key, value)
    return solver


def build(
    visit: Visit, explaining: bool = False, fallback: dict[int, int] | None = None
) -> Context:
    """The schedule model; ``fallback`` maps day indices to how tightly that day's
    delegation must keep together (1: one place at a time, 2: one route for all)."""
    model = cp_model.CpModel()
    ctx = Context(visit, model, TravelTable(visit), Guards(model, explaining))
    ctx.convoy_days = frozenset(k for k, level in (fallback or {}).items() if level >= 2)
    for rule in RULES:
        rule.add(ctx)
    for k, level in sorted((fallback or {}).items()):
        order = _move_together(ctx, k)
        if level >= 2:
            _one_route(ctx, k, order)
    return ctx


def _move_together(ctx: Context, k: int) -> None:
    """Sessions of day k at different places never overlap, with time for the fleet.

    Between two places, and from and to the base, the gap holds as many round
    trips of the fleet as the day's delegates need (``trips`` shuttles there
    and ``trips - 1`` empty returns), so every delegate can be carried
    whatever route their choices make."""
    visit = ctx.visit
    present = sum(1 for d in visit.delegates if ctx.stay_bounds(d, k) is not None)
    cap = visit.transport.riders_per_vehicle or present or 1
    fleet = visit.transport.vehicles or present or 1
    loads = math.ceil(present / cap)
    trips = max(1, math.ceil(loads / fleet))
    factor = 2 * trips - 1
    lo, hi = ctx.frame(k)
    order: dict = {}
    ids = sorted(sid for (sid, day) in ctx.on_day if day == k)
    for sid in ids:
        host, on = ctx.host_of(sid), ctx.on_day[(sid, k)]
        into, back = _fleet_gap(ctx, BASE, host, factor), _fleet_gap(ctx, host, BASE, factor)
        ctx.model.Add(ctx.start[sid] >= k * DAY + lo + into).OnlyEnforceIf(on)
        ctx.model.Add(ctx.end[sid] + back <= k * DAY + hi).OnlyEnforceIf(on)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if ctx.host_of(a) == ctx.host_of(b):
                continue
            ab = ctx.model.NewBoolVar(f"together[{a},{b}]")
            both = [ctx.on_day[(a, k)], ctx.on_day[(b, k)]]
            gap_ab = _fleet_gap(ctx, ctx.host_of(a), ctx.host_of(b), factor)
            gap_ba = _fleet_gap(ctx, ctx.host_of(b), ctx.host_of(a), factor)
            ctx.model.Add(ctx.start[b] >= ctx.end[a] + gap_ab).OnlyEnforceIf([ab, *both])
            ctx.model.Add(ctx.start[a] >= ctx.end[b] + gap_ba).OnlyEnforceIf([ab.Not(), *both])
            order[(a, b)], order[(b, a)] = ab, ab.Not()
    return order


def _fleet_gap(ctx: Context, a: str, b: str, factor: int) -> int:
    """Time for the fleet to carry everyone from a to b: walking needs no vehicle."""
    driven = factor * ctx.hop(a, b)
    walk = ctx.travel.walk(a, b)
    if walk is None:
        return driven
    return min(driven, round_up(walk, ctx.slot))


def _one_route(ctx: Context, k: int, order: dict) -> None:
    """Every delegate present all day k visits every place used that day, each place once.

    With one route for the whole delegation, its rides are the same for all,
    so the fleet only has to follow it."""
    model, visit = ctx.model, ctx.visit
    ids = sorted(sid for (sid, day) in ctx.on_day if day == k)
    by_place: dict[str, list[str]] = {}
    for sid in ids:
        by_place.setdefault(ctx.host_of(sid), []).append(sid)
    for place, here in sorted(by_place.items()):
        used = model.NewBoolVar(f"visited[{place},{k}]")
        model.AddMaxEquality(used, [ctx.on_day[(sid, k)] for sid in here])
        for other in ids:  # a place's sessions are not split by a visit elsewhere
            if ctx.host_of(other) == place:
                continue
            for i, a in enumerate(here):
                for b in here[i + 1 :]:
                    both = [ctx.on_day[(a, k)], ctx.on_day[(b, k)], ctx.on_day[(other, k)]]
                    model.Add(order[(a, other)] == order[(b, other)]).OnlyEnforceIf(both)
        for delegate in visit.delegates:
            if not _all_day(ctx, delegate, k):
                continue
            there = []
            for sid in here:
                x = ctx.attends.get((delegate.id, sid))
                if x is None:
                    continue
                z = model.NewBoolVar(f"attends_on[{delegate.id},{sid},{k}]")
                model.AddBoolAnd([x, ctx.on_day[(sid, k)]]).OnlyEnforceIf(z)
                there.append(z)
            model.Add(sum(there) >= used)


def _all_day(ctx: Context, delegate, k: int) -> bool:
    day = ctx.visit.days[k]
    bounds = stay(ctx.visit, delegate, day)
    return (
        bounds is not None
        and bounds[0] <= minute_of(day.day_start)
        and bounds[1] >= minute_of(day.day_end)
    )


class _Progress(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float, show: bool, goal: str = ""):
        super().__init__()
        self.started = started
        self.show = show
        self.goal = goal
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        now = clock.monotonic() - self.started
        if self.first is None:
            self.first = now
        if self.show:
            best, bound = self.ObjectiveValue(), self.BestObjectiveBound()
            gap = abs(bound - best) / max(1.0, abs(bound))
            sys.stderr.write(
                f"\r  {now:6.1f}s  {self.goal}: best {best:.0f}  bound {bound:.0f}  gap {gap:.2%}   "
            )
            sys.stderr.flush()


def solve(visit: Visit, options: SolveOptions, issued: datetime) -> tuple[Plan | None, SolveReport]:
    """Plan a visit: the schedule goal by goal, then the rides day by day."""
    started = clock.monotonic()
    params = parameters(options)
    base_report = {
        "seed": options.seed,
        "workers": options.workers,
        "parameters": params,
        "ortools_version": ortools.__version__,
    }
    obvious = explain.precheck(visit)
    if obvious:
        return None, SolveReport("INFEASIBLE", diagnosis=tuple(obvious), **base_report)

    def elapsed() -> float:
        return round(clock.monotonic() - started, 3)

    fallback: dict[int, int] = {}
    for _attempt in range(1 + 2 * len(visit.days)):
        ctx = build(visit, fallback=fallback)
        goals = schedule_goals(ctx)
        budget = _attempt_budget(visit, options, params, fallback, started)
        if budget is None:
            break
        outcome = _staged(ctx, goals, params, budget, started, options.progress)
        if outcome.status == "INFEASIBLE" and fallback:
            break
        if outcome.status == "INFEASIBLE":
            reasons = explain.explain(visit, options)
            return None, SolveReport(
                "INFEASIBLE", seconds=elapsed(), diagnosis=tuple(reasons), **base_report
            )
        if outcome.solver is None:
            return None, SolveReport(
                "TIMEOUT",
                seconds=elapsed(),
                diagnosis=(
                    f"no plan found within the limit ({_limit_text(params)}); "
                    f"the schedule model had {len(ctx.attends)} attendance choices "
                    f"and {len(ctx.before)} ordering choices",
                ),
                **base_report,
            )
        schedule = _read_schedule(ctx, outcome.solver)
        try:
            legs, ride_goals = _plan_rides(visit, ctx, schedule, options)
        except RideFailure as failure:
            fallback[failure.k] = fallback.get(failure.k, 0) + 1
            if fallback[failure.k] > 2:
                break
            continue
        plan = _assemble(visit, ctx, schedule, legs, issued)
        goal_values = dict(outcome.values)
        goal_values["optional"] = (
            len([s for s in visit.sessions if s.id not in visit.must_schedule])
            - goal_values["optional"]
        )
        goal_values.update(ride_goals)
        report = SolveReport(
            outcome.status,
            objective=outcome.objective,
            best_bound=outcome.bound,
            gap=round(abs(outcome.bound - outcome.objective) / max(1.0, abs(outcome.bound)), 6),
            seconds=elapsed(),
            first_plan_seconds=outcome.first,
            goals=goal_values,
            diagnosis=tuple(
                _fallback_text(visit, k, level) for k, level in sorted(fallback.items())
            ),
            **base_report,
        )
        return _with_report(plan, report), report
    return None, SolveReport(
        "TIMEOUT",
        seconds=elapsed(),
        diagnosis=(
            "the vehicles could not serve every ride of the schedules tried: "
            "add vehicles or seats, or give the days more time between places",
        ),
        **base_report,
    )


def _attempt_budget(visit, options, params, fallback, started) -> float | None:
    """Seconds (or deterministic time) for one schedule attempt; None when none is left.

    With a fleet to fit, the first attempts keep half of what is left for a
    retry, should the vehicles not serve the schedule's rides."""
    last = visit.transport.vehicles is None or any(v >= 2 for v in fallback.values())
    if "max_deterministic_time" in params:
        return params["max_deterministic_time"]
    remaining = options.time_limit - (clock.monotonic() - started)
    if remaining < 1.0:
        return None
    return remaining if last else max(1.0, remaining / 2)


@dataclass
class _Outcome:
    status: str  # OPTIMAL, FEASIBLE, INFEASIBLE or UNKNOWN
    solver: cp_model.CpSolver | None = None
    values: dict[str, int] = field(default_factory=dict)
    objective: float = 0.0
    bound: float = 0.0
    first: float | None = None


def _staged(
    ctx: Context, goals, params: dict, budget: float, started: float, show: bool
) -> _Outcome:
    """Lexicographic optimisation, one goal at a time.

    Each goal is maximised with the ones before it held at the values found,
    starting from the previous solution as a hint.  Solving the goals one by
    one closes each gap far sooner than one weighted sum of very different
    magnitudes; the weighted sum (``goals.objective``) still reports the
    result as one number.  The plan is OPTIMAL only when every goal is."""
    order = goal_order(ctx.visit)
    weighted = objective(ctx, goals)
    outcome = _Outcome("UNKNOWN")
    limit_key = (
        "max_deterministic_time" if "max_deterministic_time" in params else "max_time_in_seconds"
    )
    deadline = clock.monotonic() + budget
    proven = True
    bounds = {}
    for index, name in enumerate(order):
        goal = goals[name]
        ctx.model.Maximize(goal.expr)
        if outcome.solver is not None:
            _hint(ctx.model, outcome.solver)
        share = (
            budget / len(order)
            if limit_key == "max_deterministic_time"
            else max(0.5, (deadline - clock.monotonic()) / (len(order) - index))
        )
        solver = _solver({**params, limit_key: share})
        progress = _Progress(started, show, name)
        status = solver.Solve(ctx.model, progress)
        if show:
            sys.stderr.write("\n")
        if status == cp_model.INFEASIBLE and index == 0:
            return _Outcome("INFEASIBLE")
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            break
        if outcome.first is None:
            outcome.first = None if progress.first is None else round(progress.first, 3)
        outcome.solver = solver
        value = int(round(solver.ObjectiveValue()))
        bounds[name] = int(solver.BestObjectiveBound()) if status != cp_model.OPTIMAL else value
        proven = proven and status == cp_model.OPTIMAL
        ctx.model.Add(goal.expr >= value)
    if outcome.solver is None:
        return outcome
    solver = outcome.solver
    outcome.values = {name: int(solver.Value(goal.expr)) for name, goal in goals.items()}
    outcome.status = "OPTIMAL" if proven and len(bounds) == len(order) else "FEASIBLE"
    outcome.objective = float(solver.Value(weighted))
    outcome.bound = float(weigh(ctx, goals, {n: bounds.get(n, goals[n].range) for n in order}))
    return outcome


def _hint(model: cp_model.CpModel, solver: cp_model.CpSolver) -> None:
    model.ClearHints()
    for index in range(len(model.Proto().variables)):
        var = model.GetIntVarFromProtoIndex(index)
        model.AddHint(var, solver.Value(var))


def _fallback_text(visit: Visit, k: int, level: int) -> str:
    day = visit.days[k].date
    if level >= 2:
        return f"{day}: the whole delegation follows one route so the vehicles can carry everyone"
    return f"{day}: sessions at different places kept apart so the vehicles can carry everyone"


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


def _plan_rides(visit: Visit, ctx: Context, schedule: _Schedule, options: SolveOptions):
    """Rides and lunch breaks of every day; the schedule fixes in which gap each lunch falls."""
    planner = RidePlanner(
        visit, ctx.travel, options.seed, options.workers, options.deterministic_time or 10.0
    )
    legs = []
    totals = {"vehicle_minutes": 0, "rider_minutes": 0}
    for k, day in enumerate(visit.days):
        raw = []
        for delegate in visit.delegates:
            stops = _stops(ctx, schedule, delegate.id, k)
            if stops is None:
                continue
            lunch = schedule.lunch.get((delegate.id, k))
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
                if p_place == n_place:
                    continue
                first, last = index == 0, index == len(stops) - 2
                raw.append((p_place, n_place, p_end, n_start, delegate.id, first, last, need))
        result = planner.plan_day(k, group_requests(raw))
        totals["vehicle_minutes"] += result.vehicle_minutes
        totals["rider_minutes"] += result.rider_minutes
        for did, start in result.lunches.items():
            schedule.lunch[(did, k)] = start
        for did, origin, dest, depart, arrive, vehicle in result.legs:
            legs.append(Leg(did, origin, dest, day.date, time_of(depart), time_of(arrive), vehicle))
    return legs, totals


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
    return Plan(
        plan.visit_id,
        plan.timezone,
        plan.issued,
        plan.sessions,
        plan.assignments,
        plan.legs,
        plan.lunches,
        report,
    )


__all__ = ["SolveOptions", "solve", "Request"]
