"""Between a model and a Schedule, both ways: the Schedule a solution stands for,
and the hint a Schedule gives a model (by variable name, so it holds across
models made under other restrictions)."""

from __future__ import annotations

from collections.abc import Callable

from ortools.sat.python import cp_model

from ..model import BASE
from .goals import all_goals, goal_order
from .schedule import DAY, Found, Schedule
from .variables import Context

Value = Callable[[object], int]
"""A solution's value of a variable or expression (``CpSolver.Value``)."""


def found(ctx: Context, solver: cp_model.CpSolver) -> Found:
    """The Schedule of a solver's solution, its goal values and its variables by name."""
    goals = all_goals(ctx)
    order = goal_order(ctx)
    values = {name: int(solver.Value(goals[name].expr)) for name in order}
    ranges = {name: goals[name].range for name in order}
    solution = list(solver.ResponseProto().solution)
    named = {name: solution[index] for index, name in enumerate(names(ctx)) if name}

    def value(var) -> int:  # a variable's from the list: Value() a call took 0.4 s on L
        if isinstance(var, cp_model.IntVar):
            return solution[var.Index()]
        return solver.Value(var)

    return Found(schedule_of(ctx, value), values, ranges, named)


def names(ctx: Context) -> list[str]:
    """The model's variable names by index, read from its proto once: each stage of a
    pass reads its solution back by name, and reading 210,000 names from the proto
    took 0.7 s on L.  Variables made since the last read (goals, held values) are
    read on top."""
    variables = ctx.model.Proto().variables
    ctx.names.extend(variables[i].name for i in range(len(ctx.names), len(variables)))
    return ctx.names


def schedule_of(ctx: Context, value: Value) -> Schedule:
    schedule = Schedule()
    for session in ctx.visit.sessions:
        sid = session.id
        if not value(ctx.scheduled[sid]):
            continue
        k, minute = divmod(value(ctx.start[sid]), DAY)
        schedule.times[sid] = (k, minute, minute + session.minutes)
    for (did, sid), x in sorted(ctx.attends.items()):
        if value(x):
            schedule.attends.setdefault(did, []).append(sid)
    for key, start in ctx.lunch_start.items():
        if value(ctx.lunch_by_meal[key]):
            schedule.lunch[key] = "meal"
            continue
        schedule.lunch[key] = value(start) % DAY
        places = ctx.lunch_place.get(key, {})
        schedule.lunch_place[key] = next(
            (place for place, lit in places.items() if value(lit)), BASE
        )
    return schedule


def hint(ctx: Context, start: Found) -> None:
    """Hint the model with a Found: every variable the model it came from shared by
    name, then what its Schedule says of the rest (session days and starts,
    attendance, lunches, the orderings they imply).  Where the Schedule keeps
    every rule of the model, CP-SAT takes the hint as a first solution at once."""
    all_goals(ctx)  # their variables exist, to be hinted too
    model = ctx.model
    model.ClearHints()
    schedule = start.schedule
    starts = schedule.starts()
    hinted: dict[int, int] = {}  # variable index to its hint, written at once at the end
    if start.named:
        for index, name in enumerate(names(ctx)):
            if name in start.named:
                hinted[index] = start.named[name]

    def put(var, val: int) -> None:
        if isinstance(var, cp_model.IntVar):
            hinted.setdefault(var.Index(), val)

    for sid, start in ctx.start.items():
        held = sid in starts
        put(ctx.scheduled[sid], int(held))
        if held:
            put(start, starts[sid])
    for (sid, k), on in ctx.on_day.items():
        put(on, int(sid in starts and starts[sid] // DAY == k))
    attended = schedule.pairs()
    for key, x in ctx.attends.items():
        if key in attended or not ctx.visit.session(key[1]).is_all:  # (rule 3 says who)
            put(x, int(key in attended))
    for (first, second, _foot), literal in ctx.before.items():
        if first in starts and second in starts:
            end = starts[first] + ctx.visit.session(first).minutes
            put(literal, int(starts[second] >= end))
    _hint_lunches(ctx, schedule, starts, put)
    hints = model.Proto().solution_hint  # one write, not an add_hint a variable
    hints.vars.extend(hinted.keys())
    hints.values.extend(hinted.values())


def _hint_lunches(ctx: Context, schedule: Schedule, starts: dict, put) -> None:
    for (did, k), start in ctx.lunch_start.items():
        eaten = schedule.lunch.get((did, k))
        put(ctx.lunch_by_meal[(did, k)], int(eaten == "meal"))
        if not isinstance(eaten, int):
            continue
        put(start, k * DAY + eaten)
        place = schedule.lunch_place.get((did, k), BASE)
        for where, literal in ctx.lunch_place.get((did, k), {}).items():
            put(literal, int(where == place))
        for sid in schedule.attends.get(did, ()):
            literal = ctx.lunch_before.get((did, sid, k))
            if literal is not None and sid in starts and starts[sid] // DAY == k:
                put(literal, int(starts[sid] >= k * DAY + eaten))
