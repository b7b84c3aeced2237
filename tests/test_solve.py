"""solve(): the seed visits plan and check clean, the same input and seed give the
same plan, an impossible visit is explained, and random small visits never get
a plan that check_plan rejects."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import visitplan.solve as solve_module
from visitplan.check import check_plan
from visitplan.model import Transport
from visitplan.plan import plan_to_dict
from visitplan.read import load_visit

from .checkfixtures import make_plan, make_visit
from .solving import (
    DAY1,
    PLANNED,
    cannot_plan,
    delegate,
    host,
    lunch,
    plan_and_check,
    session,
    solve_visit,
    tiny_visit,
    window,
)

DATA = Path(__file__).resolve().parent.parent / "data"
TIMINGS = ("seconds", "first_plan_seconds")


def _without_timings(plan) -> dict:
    data = plan_to_dict(plan)
    for key in TIMINGS:
        data["report"].pop(key)
    return data


# -- the seed visits -----------------------------------------------------------------


@pytest.fixture(scope="module")
def latgale():
    return load_visit(DATA / "latgale-trondelag-2009")


def test_the_latgale_seed_visit_plans_and_checks_clean(latgale):
    # the heavy seed: a short deterministic limit gives a FEASIBLE plan in ~10 s
    plan = plan_and_check(latgale, deterministic_time=1.0)
    assert plan.report.status in PLANNED
    assert {a.delegate_id for a in plan.assignments} == {d.id for d in latgale.delegates}


def test_every_constraint_of_the_schedule_model_is_named_after_its_entities(latgale):
    names = [c.name for c in solve_module.build(latgale).model.Proto().constraints]
    assert names and all(names)
    assert {"min_size[stfk-rup]", "after[ws-proj,stfk-rup]", "must_attend[d01,stfk-rup]"} <= set(
        names
    )


def test_the_vidzeme_seed_visit_plans_and_checks_clean():
    visit = load_visit(DATA / "vidzeme-ostfold-2009")
    plan_and_check(visit, deterministic_time=2.0)


def test_a_visit_with_a_known_valid_plan_is_planned():
    visit = make_visit()
    assert check_plan(visit, make_plan()) == []
    plan_and_check(visit)


def test_time_to_first_plan_is_the_first_plans_not_the_improved_ones(monkeypatch):
    """The improvement runs after the first plan exists: the report's time to the
    first plan is before it began, whatever it found later."""
    real = solve_module.improve
    began = []

    def improve(visit, restrictions, start, budget, until, show=False):
        began.append(budget.elapsed())
        return real(visit, restrictions, start, budget, until, show)

    monkeypatch.setattr(solve_module, "improve", improve)
    plan = plan_and_check(make_visit(), deterministic_time=None, time_limit=6.0)
    assert len(began) == 1
    assert 0 < plan.report.first_plan_seconds <= round(began[0], 3) + 0.001
    assert began[0] <= plan.report.seconds


# -- determinism ---------------------------------------------------------------------


def test_the_same_seed_gives_the_same_plan_on_a_heavy_visit(latgale):
    first = plan_and_check(latgale, deterministic_time=0.5)
    second = plan_and_check(latgale, deterministic_time=0.5)
    assert _without_timings(first) == _without_timings(second)


def test_the_same_seed_gives_the_same_plan_with_shared_rides():
    visit = replace(make_visit(), transport=Transport(vehicles=2, seats=3, reserved_seats=1))
    first, second = plan_and_check(visit), plan_and_check(visit)
    assert first.report.status == "OPTIMAL"
    assert _without_timings(first) == _without_timings(second)
    assert first.report.seed == 0 and first.report.workers == 1


# -- explaining an impossible visit --------------------------------------------------


def _overbooked():
    """Two whole-delegation hours pinned at one time at a one-room host."""
    return tiny_visit(
        [
            session("s-a", "h1", 60, audience="all", start="10:00"),
            session("s-b", "h1", 60, audience="all", start="10:00"),
            session("s-c", "h1", 60),
        ]
    )


def test_an_impossible_visit_is_explained_in_plain_words():
    diagnosis = cannot_plan(_overbooked()).splitlines()
    assert diagnosis[0] == "These rules cannot all hold:"
    assert all(line.startswith("- ") for line in diagnosis[1:])
    assert "- session s-a (whole delegation) must be held" in diagnosis
    assert "- session s-b (whole delegation) must be held" in diagnosis
    assert not any("s-c" in line for line in diagnosis)  # the optional session is no part


def test_an_explanation_out_of_time_says_it_is_not_minimal():
    diagnosis = cannot_plan(_overbooked(), explain_seconds=0).splitlines()
    assert diagnosis[0] == "These rules cannot all hold (not minimal):"
    assert len(diagnosis) > 1


def test_an_obvious_impossibility_is_named_without_a_solve():
    plan, report = solve_visit(tiny_visit([session("s-x", "h1", 600, required=True)]))
    assert plan is None and report.status == "INFEASIBLE"
    (line,) = report.diagnosis
    assert line.startswith("Session s-x (600 min) at Host h1 cannot be held")
    assert "2009-08-24 08:30–18:00 (570 min)" in line


# -- property: no plan the judge rejects ---------------------------------------------

TOPICS = ("ports", "roads", "rails")


def solver_examples(count: int):
    """Hypothesis settings for tests that solve each example: a capped, repeatable set,
    with no per-example deadline (a solve takes what its deterministic limit allows)."""
    return settings(
        max_examples=count,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow],
    )


@st.composite
def small_visits(draw):
    interests = st.lists(st.sampled_from(TOPICS), max_size=3, unique=True)
    delegates = [
        delegate(f"d{i}", *draw(interests), weight=draw(st.integers(1, 10)))
        for i in range(1, draw(st.integers(2, 4)) + 1)
    ]
    hosts = [
        host(
            f"h{i}",
            km_north=draw(st.floats(-4.0, 4.0)),
            rooms=draw(st.integers(1, 2)),
        )
        for i in range(1, draw(st.integers(2, 3)) + 1)
    ]
    hosts = [
        replace(h, lon=h.lon + draw(st.floats(-0.06, 0.06)))  # about ±3 km east-west
        for h in hosts
    ]
    sessions = []
    for i in range(1, draw(st.integers(2, 5)) + 1):
        low = draw(st.integers(1, 3))
        high = draw(st.one_of(st.none(), st.integers(low, 4)))
        sessions.append(
            session(
                f"s{i}",
                draw(st.sampled_from([h.id for h in hosts])),
                draw(st.sampled_from([30, 45, 60, 75, 90])),
                topics=tuple(draw(st.lists(st.sampled_from(TOPICS), max_size=2, unique=True))),
                min_size=low,
                max_size=high,
                required=draw(st.booleans()),
            )
        )
    windows = []
    for h in hosts:
        if draw(st.booleans()):
            start = draw(st.sampled_from(["08:30", "09:00", "10:00", "12:00", "13:00"]))
            hours = draw(st.integers(2, 5))
            end = f"{int(start[:2]) + hours:02d}:{start[3:]}"
            windows.append(window(h.id, DAY1, start, end))
    vehicles = draw(st.one_of(st.none(), st.integers(1, 2)))
    seats = None if vehicles is None else draw(st.integers(3, 6))
    transport = Transport(
        vehicles=vehicles,
        seats=seats,
        reserved_seats=0 if seats is None else draw(st.integers(0, 1)),
        walk_km=draw(st.sampled_from([0.0, 1.0])),
    )
    return tiny_visit(
        sessions,
        delegates=delegates,
        hosts=hosts,
        windows=windows,
        lunch_rule=draw(st.one_of(st.none(), st.just(lunch("11:30", "13:30", 45)))),
        transport=transport,
    )


@solver_examples(15)
@given(visit=small_visits())
def test_random_small_visits_get_only_plans_that_check_clean(visit):
    plan, report = solve_visit(visit, deterministic_time=1.0)
    if report.status in PLANNED:
        assert plan is not None
        assert check_plan(visit, plan) == []
    else:
        assert report.status == "INFEASIBLE", f"{report.status}: {report.diagnosis}"
        assert plan is None
        assert report.diagnosis


@solver_examples(10)
@given(visit=small_visits())
def test_random_visits_replanned_without_a_delegate_keep_every_rule(visit):
    from visitplan.changes import diff
    from visitplan.solve import SolveOptions, solve
    from visitplan.solve.continuity import Previous

    plan, report = solve_visit(visit, deterministic_time=1.0)
    if report.status not in PLANNED or len(visit.delegates) < 2:
        return
    changed = replace(visit, delegates=visit.delegates[1:])
    options = SolveOptions(workers=1, deterministic_time=1.0, previous=Previous(plan))
    again, again_report = solve(changed, options, plan.issued)
    if again is None:  # the smaller delegation may miss a min_size: then a fresh plan fails too
        fresh, _ = solve_visit(changed, deterministic_time=1.0)
        assert fresh is None or again_report.status == "TIMEOUT"
        return
    assert check_plan(changed, again) == []
    dropped = visit.delegates[0].id
    changed_people = {c.id for c in diff(changed, plan, changed, again) if c.who == "delegate"}
    assert dropped in changed_people or dropped not in {a.delegate_id for a in plan.assignments}
