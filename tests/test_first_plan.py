"""The first plan: sessions placed without the lunch rule, then the whole model.

The whole model is what is solved in the end, so the first plan keeps every
rule; when the placement leaves someone no lunch time, the whole model is
searched from scratch instead."""

from __future__ import annotations

import pytest

from visitplan.solve import build, first_plan, placement
from visitplan.solve.variables import DAY

from .solving import delegate, host, lunch, plan_and_check, session, tiny_visit

PARAMS = {"num_workers": 1, "random_seed": 0}


def _visit():
    """Three one-hour sessions at two hosts, each wanted by one of the delegates, and
    a 45-minute lunch in 11:30-13:30: any placement that blocks a lunch is wrong."""
    return tiny_visit(
        [
            session("s-a", "h1", 60, topics=("ports",)),
            session("s-b", "h2", 60, topics=("rails",)),
            session("s-c", "h1", 120, topics=("ports", "rails"), required=True),
        ],
        hosts=[host("h1", 0.5), host("h2", 3.0)],
        delegates=[delegate("d1", "ports"), delegate("d2", "rails")],
        lunch_rule=lunch("11:30", "13:30", 45),
    )


def _domains(ctx):
    return [list(v.domain) for v in ctx.model.Proto().variables]


@pytest.fixture(autouse=True)
def placed_first(monkeypatch):
    """No quick search of the whole model: the placement without lunch is what is tested."""
    monkeypatch.setattr(first_plan, "QUICK_SECONDS", 0.0)


def test_the_first_plan_keeps_the_lunch_rule_and_frees_the_sessions_afterwards():
    visit = _visit()
    ctx = build(visit)
    before = _domains(ctx)
    status, solver, _ctx = first_plan.find(
        ctx, PARAMS, 10.0, lambda: build(visit, without_lunch=True)
    )
    assert solver.StatusName(status) in ("OPTIMAL", "FEASIBLE")
    assert _domains(ctx) == before  # the placement fixed starts only for that solve
    _assert_lunches_clear(visit, ctx, solver)


def _assert_lunches_clear(visit, ctx, solver):
    assert len(ctx.lunch_start) == 2
    for (did, _k), start in ctx.lunch_start.items():
        lunch_at = solver.Value(start)
        for sid in visit.sessions:
            x = ctx.attends.get((did, sid.id))
            if x is None or not solver.Value(x):
                continue
            begin = solver.Value(ctx.start[sid.id])
            assert begin + sid.minutes <= lunch_at or lunch_at + 45 <= begin


def test_a_placement_over_the_lunch_window_falls_back_to_the_whole_model(monkeypatch):
    """s-c (120 min, required, both delegates) placed 11:30-13:30 leaves no break."""
    visit = _visit()
    blocking = {"s-a": (0, 0), "s-b": (0, 0), "s-c": (1, 11 * 60 + 30)}
    monkeypatch.setattr(placement, "place", lambda ctx: blocking)
    monkeypatch.setattr(first_plan, "_placed", lambda *args: blocking)
    ctx = build(visit)
    fixed = first_plan._solve_fixed(
        ctx, first_plan._solver(PARAMS, "max_time_in_seconds", 5), blocking
    )
    assert fixed == 3  # INFEASIBLE
    status, solver, _ctx = first_plan.find(
        ctx, PARAMS, 10.0, lambda: build(visit, without_lunch=True)
    )
    assert solver.StatusName(status) in ("OPTIMAL", "FEASIBLE")
    assert solver.Value(ctx.start["s-c"]) % DAY != 11 * 60 + 30
    _assert_lunches_clear(visit, ctx, solver)


def test_when_the_greedy_placement_leaves_no_plan_cp_sat_places_the_sessions(monkeypatch):
    visit = _visit()
    blocking = {"s-a": (0, 0), "s-b": (0, 0), "s-c": (1, 11 * 60 + 30)}
    monkeypatch.setattr(placement, "place", lambda ctx: blocking)
    fixed = []
    solve_fixed = first_plan._solve_fixed

    def recorded(ctx, solver, placed, at_least=None):
        fixed.append(dict(placed))
        return solve_fixed(ctx, solver, placed, at_least)

    monkeypatch.setattr(first_plan, "_solve_fixed", recorded)
    ctx = build(visit)
    status, solver, _ctx = first_plan.find(
        ctx, PARAMS, 10.0, lambda: build(visit, without_lunch=True)
    )
    assert solver.StatusName(status) in ("OPTIMAL", "FEASIBLE")
    assert fixed[0] == blocking and len(fixed) == 2  # the greedy one, then CP-SAT's
    assert fixed[1]["s-c"][1] == solver.Value(ctx.start["s-c"]) != 11 * 60 + 30
    _assert_lunches_clear(visit, ctx, solver)


def test_the_greedy_placement_comes_first_unless_the_model_has_fallback_levels(monkeypatch):
    visit = _visit()
    calls = []
    monkeypatch.setattr(placement, "place", lambda ctx: calls.append(ctx) or {})
    for greedy in (True, False):
        ctx = build(visit)
        status, solver, _ctx = first_plan.find(
            ctx, PARAMS, 10.0, lambda: build(visit, without_lunch=True), greedy=greedy
        )
        assert solver.StatusName(status) in ("OPTIMAL", "FEASIBLE")
    assert len(calls) == 1


def test_a_timed_solve_of_a_lunch_visit_goes_through_the_first_plan_and_checks_clean():
    """Tests otherwise use deterministic limits, which skip the first plan."""
    plan_and_check(_visit(), deterministic_time=None, time_limit=20.0, workers=1)


def test_a_polished_first_plan_gives_each_delegate_the_session_they_want():
    """Unpolished, the first plan may leave s-a and s-b out; polished for the goals
    with the sessions placed, d1 attends s-a and d2 s-b whenever both are placed."""
    visit = _visit()
    ctx = build(visit)
    status, solver, _ctx = first_plan.find(
        ctx, PARAMS, 10.0, lambda: build(visit, without_lunch=True), polish=5.0
    )
    assert solver.StatusName(status) == "FEASIBLE"  # fixed sessions prove nothing overall
    assert solver.Value(ctx.attends[("d1", "s-a")]) == 1
    assert solver.Value(ctx.attends[("d2", "s-b")]) == 1
    _assert_lunches_clear(visit, ctx, solver)
    assert not ctx.model.HasObjective()  # the polish leaves the model as it was


@pytest.mark.parametrize(
    ("start", "allowed"),
    [("10:30", True), ("10:45", False), ("11:30", False), ("12:15", False), ("12:30", True)],
)
def test_the_placement_leaves_a_lunch_slot_at_the_hotel_beside_a_whole_delegation_session(
    start, allowed
):
    """120 minutes for everybody at h1 (15 minutes from the hotel), lunch 45 minutes in
    11:30-13:30: the session ends by 12:30 (ride, lunch 12:45-13:30) or starts from
    12:30 (lunch 11:30-12:15, ride), else some delegate could have no break."""
    from ortools.sat.python import cp_model

    from visitplan.timegrid import minute_of

    from .solving import hm

    visit = tiny_visit(
        [session("s-all", "h1", 120, audience="all")],
        lunch_rule=lunch("11:30", "13:30", 45),
    )
    ctx = build(visit, without_lunch=True)
    ctx.model.Add(ctx.start["s-all"] == minute_of(hm(start)))
    status = cp_model.CpSolver().Solve(ctx.model)
    assert (status in (cp_model.OPTIMAL, cp_model.FEASIBLE)) is allowed


@pytest.mark.parametrize(("largest", "steps"), [(100, 2), (3, 1)])
def test_the_least_share_is_polished_alone_only_on_a_model_of_few_attendance_choices(
    monkeypatch, largest, steps
):
    """The tiny visit has 4 attendance choices: with room for 100 the least share
    goes alone, then all goals with it held; with room for 3 all goals at once."""
    from visitplan.solve.goals import all_goals

    monkeypatch.setattr(first_plan, "FIRST_GOAL_LARGEST", largest)
    visit = _visit()
    ctx = build(visit)
    assert len(ctx.attends) == 4
    least = all_goals(ctx)["fairness"].expr
    solver = first_plan._solver(PARAMS, "max_time_in_seconds", 5.0)
    placed = {"s-a": (None, 9 * 60), "s-b": (None, 14 * 60), "s-c": (1, 15 * 60 + 30)}
    assert solver.StatusName(first_plan._solve_fixed(ctx, solver, placed)) == "OPTIMAL"
    asked = []

    def improved(ctx, params, placed, solver, goal, seconds, at_least):
        asked.append((goal is least, round(seconds, 1), at_least is not None))
        return None

    monkeypatch.setattr(first_plan, "_improved", improved)
    first_plan._polished(ctx, PARAMS, placed, solver, 4, 9.0)
    expected = [(True, 6.0, False), (False, 3.0, True)] if steps == 2 else [(False, 9.0, False)]
    assert asked == expected
