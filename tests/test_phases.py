"""Each phase of the engine on its own, on tiny visits, through the production code.

The visits here take the large visits' path (``large`` below): the greedy
timetable, attendance with its times fixed, neighbourhoods.  Every plan a
phase makes is assembled and judged by ``check_plan``."""

from __future__ import annotations

import importlib
import random
from dataclasses import replace

import pytest

from visitplan.check import check_plan
from visitplan.model import GOALS, Transport
from visitplan.solve import build, goals, placement, repair
from visitplan.solve.assemble import assemble
from visitplan.solve.budget import SHARES, Budget, Limits
from visitplan.solve.build import bare, open_days
from visitplan.solve.fallback import APART, FLEET_LOAD, ONE_ROUTE
from visitplan.solve.phases import bound, construct, days, improve, stages
from visitplan.solve.phases import moves as moves_module
from visitplan.solve.phases import shed as shed_module
from visitplan.solve.phases import top_up as top_up_module
from visitplan.solve.phases.fill import fill
from visitplan.solve.restrictions import Restrictions
from visitplan.solve.rides import RideFailure, serve
from visitplan.solve.rules import attendance as attendance_rule
from visitplan.solve.rules import delegate_travel
from visitplan.solve.rules.attendance import interest
from visitplan.solve.schedule import DAY, Found, Schedule
from visitplan.solve.solution import found as found_in
from visitplan.solve.solution import hint

from .solving import (
    DAY1,
    ISSUED,
    delegate,
    host,
    lunch,
    plan_and_check,
    session,
    tiny_visit,
)


@pytest.fixture
def large(monkeypatch):
    """Tiny visits take the large visits' path: no whole model goal by goal."""
    monkeypatch.setattr(importlib.import_module("visitplan.solve.build"), "WHOLE_LARGEST", 0)


def _budget(deterministic: float = 2.0) -> Budget:
    return Budget(Limits(time_limit=60.0, deterministic_time=deterministic, workers=1, seed=0))


def _visit():
    """Six delegates, three hosts, eight sessions on two days, a lunch rule: enough
    for the timetable to matter (s-a and s-b are wanted by the same people)."""
    topics = ("ports", "rails", "yards", "parks")
    delegates = [
        delegate(f"d{i}", topics[i % 4], topics[(i + 1) % 4], weight=3 + i % 3) for i in range(6)
    ]
    sessions = [
        session(f"s-{name}", f"h{i % 3}", 90, topics=(topics[i % 4],), min_size=1)
        for i, name in enumerate("abcdefgh")
    ]
    hosts = [host("h0", 0.5), host("h1", 2.0), host("h2", 4.0)]
    return tiny_visit(
        sessions, delegates=delegates, hosts=hosts, days=2, lunch_rule=lunch("11:30", "13:30", 45)
    )


def _interest_first(visit):
    """``visit`` with interest as its first goal, as in the benchmark's block family."""
    order = ("interest", *(g for g in visit.objective_order if g != "interest"))
    return replace(visit, objective_order=order)


def _checked(visit, found) -> None:
    ctx = bare(visit)
    plan = assemble(ctx, found.schedule, serve(ctx, found.schedule, _budget()), ISSUED)
    assert check_plan(visit, plan) == []


# -- budget ---------------------------------------------------------------------------


def test_the_deterministic_budget_counts_each_solves_deterministic_time(large):
    visit = _visit()
    budget = _budget(deterministic=1.0)
    assert budget.left() == pytest.approx(1.0)
    outcome, _held = construct.construct(visit, Restrictions(), budget)
    assert outcome.found is not None
    assert 0 < budget.spent() <= 1.0 + 0.2  # one solve may overrun its share a little
    assert budget.parameters(0.3)["max_deterministic_time"] == 0.3


def test_every_time_share_is_a_fraction_of_the_budget():
    assert all(0 < share < 1 for share in SHARES.values())
    wall = Budget(Limits(time_limit=10.0, deterministic_time=None, workers=2, seed=0))
    assert wall.schedule_total() == pytest.approx(10.0 - 1.5)  # the rides keep 15 %
    assert "max_deterministic_time" not in wall.parameters(1.0)


def test_once_the_rides_are_timed_they_keep_a_few_times_that_and_each_day_its_share():
    """The first plan's rides timed, the schedule's phases get what the rides will not
    need; a day's model still gets its share of the whole, and never past the cap."""
    budget = Budget(Limits(time_limit=120.0, deterministic_time=None, workers=2, seed=0))
    assert budget.rides_seconds() == budget.rides_allowed() == pytest.approx(18.0)
    before = budget.schedule_total()
    budget.rides_timed(1.5)
    assert budget.rides_seconds() == pytest.approx(4 * 1.5)
    assert budget.schedule_total() == pytest.approx(before + 18.0 - 6.0)
    assert budget.rides_allowed() == pytest.approx(18.0)
    budget.rides_timed(30.0)  # slower than the share: the share holds
    assert budget.rides_seconds() == pytest.approx(18.0)
    budget.rides_served()
    assert budget.rides_seconds() == 0.0


# -- construct -------------------------------------------------------------------------


def test_the_first_plan_keeps_the_greedy_timetable_and_checks_clean(large):
    """The placement's times are the first plan's: attendance was solved with them fixed."""
    visit = _visit()
    times, out, _ranked = construct._placed(visit, Restrictions())
    outcome, _held = construct.construct(visit, Restrictions(), _budget())
    assert outcome.status == "FEASIBLE" and outcome.first is not None
    starts = outcome.found.schedule.starts()
    assert set(starts) <= set(times) and not set(starts) & out
    assert all(starts[sid] == times[sid] for sid in starts)
    _checked(visit, outcome.found)


def test_with_the_times_fixed_the_model_decides_each_pair_of_sessions_itself(large):
    """No ordering literal between two sessions whose starts are fixed: the rule is
    decided before the solver sees it, so the attendance model is small."""
    visit = _visit()
    times, out, _ranked = construct._placed(visit, Restrictions())
    free, fixed = build(visit), build(visit, Restrictions().holding(times, out))
    assert free.before and not fixed.before
    assert len(fixed.model.Proto().variables) < len(free.model.Proto().variables)


def test_with_the_times_fixed_clashing_sessions_are_cliques_covering_every_pair(large):
    """Every two sessions one delegate cannot both attend at their fixed times share a
    clique, no clique holds two that can, and a delegate keen on three sessions at
    once gets one AtMostOne over all three, not a clause per pair: the LP relaxation
    then cannot give a third of each."""
    h = (host("h0", 0.5), host("h1", 0.5), host("h2", 0.5), host("h3", 20.0))
    sessions = [
        session("s-a", "h0", 60, date=DAY1, start="09:00"),
        session("s-b", "h1", 60, date=DAY1, start="09:00"),
        session("s-c", "h2", 90, date=DAY1, start="09:30"),
        session("s-d", "h3", 60, date=DAY1, start="11:15"),  # the ride from s-c is too long
        session("s-e", "h0", 60, date=DAY1, start="15:00"),  # clashes with none
    ]
    visit = tiny_visit(sessions, hosts=h)
    times, _out, _ranked = construct._placed(visit, Restrictions())
    ctx = build(visit, Restrictions().holding(times, frozenset()))
    cover = delegate_travel._fixed_cliques(ctx)[True]  # the delegates walk (no need)
    for clique in cover:
        assert all(
            not delegate_travel._apart(ctx, a, b, True) for a in clique for b in clique if a < b
        )
    for a in times:
        for b in times:
            if a < b and not delegate_travel._apart(ctx, a, b, True):
                assert any({a, b} <= clique for clique in cover), (a, b)
    assert {"s-a", "s-b", "s-c"} in cover and {"s-c", "s-d"} in cover
    assert not any("s-e" in clique for clique in cover)
    proto = ctx.model.Proto()
    ones = [c for c in proto.constraints if c.name.startswith("one_place[d1,")]
    assert sorted(len(c.at_most_one.literals) for c in ones) == [2, 3]


def test_a_visit_of_middle_size_is_solved_again_with_every_keen_pair(large, monkeypatch):
    """With the times held, the attendance is solved on the shortlists and then with
    every keen delegate a candidate, from that plan: no goal gets worse, and the plan
    checks clean.  Only where interest comes first, or on a re-plan, and there is no
    fleet limit (``build.wide``): the top-up fills the others."""
    built = importlib.import_module("visitplan.solve.build")
    monkeypatch.setattr(built, "WIDE_LARGEST", 10**6)
    monkeypatch.setattr(attendance_rule, "SHORTLIST_PER_DAY", 1)
    visit = _interest_first(_visit())
    assert built.wide(visit) and not built.topped(visit)
    for other in (replace(visit, transport=Transport(vehicles=3, seats=8)), _visit()):
        assert not built.wide(other) and built.topped(other)
    # a re-plan's first goals count the changes: sums the wider model proves, as interest
    assert built.wide(_visit(), replanning=True)
    assert not built.wide(replace(visit, transport=Transport(vehicles=3, seats=8)), True)
    times, out, _ranked = construct._placed(visit, Restrictions())
    held = Restrictions().holding(times, out)
    narrow = build(visit, held)
    everyone = build(visit, replace(held, every_pair=True))
    for d in visit.delegates:
        keen = {s.id for s in visit.sessions if d.weight(s.topics[0])}
        assert len(attendance_rule.shortlist(narrow, d)) == 2 < len(keen)
        assert attendance_rule.shortlist(everyone, d) == keen
        assert {(d.id, sid) for sid in keen} <= set(everyone.attends)
    monkeypatch.setattr(built, "WIDE_LARGEST", 0)
    start = construct.attendance(visit, held, _budget()).found
    widened = construct._widened(visit, held, _budget(), start, False)
    order = list(start.values)
    assert widened.rank(order) >= start.rank(order)
    assert widened.values["fairness"] >= start.values["fairness"]
    _checked(visit, widened)


def test_a_large_visit_solves_each_days_attendance_again_counting_the_other_days(
    large, monkeypatch
):
    """Too large for every keen pair at once (``build.day_by_day``), attendance with the
    times held is solved again one day at a time: each day's model counts the rest of
    the plan in its goals, so that the plan it starts from has the same goal values
    there; a group spanning both days stays one session per delegate; the merged plan
    is a solution of the whole model with those values, no goal is worse, and it
    checks clean."""
    built = importlib.import_module("visitplan.solve.build")
    monkeypatch.setattr(built, "WIDE_LARGEST", 0)
    monkeypatch.setattr(attendance_rule, "SHORTLIST_PER_DAY", 1)
    visit = _interest_first(_visit())
    grouped = {"s-a", "s-e"}  # same topic, wanted by the same delegates
    visit = replace(
        visit,
        sessions=tuple(replace(s, group="tour") if s.id in grouped else s for s in visit.sessions),
    )
    assert built.day_by_day(visit) and not built.wide(visit) and not built.by_top_up(visit)
    for other in (replace(visit, transport=Transport(vehicles=3, seats=8)), _visit()):
        assert not built.day_by_day(other) and built.by_top_up(other)
    times, out, _ranked = construct._placed(visit, Restrictions())
    held = Restrictions().holding(times, out)
    ctx = build(visit, held)
    greedy = Found(fill(ctx, dict(held.fixed)), {})
    start = stages.first_solution(ctx, _budget(), 1.0, greedy, completing=True).found
    assert start is not None
    potentials = days._potentials(visit)
    on_days = sorted({at // DAY for at in times.values()})
    assert len(on_days) == 2
    for k in on_days:
        day, restricted = days._day_model(visit, held, start, k, potentials)
        assert {s.id for s in day.sessions} >= {sid for sid, at in times.items() if at // DAY == k}
        again = stages.first_solution(
            build(day, restricted), _budget(), 1.0, start, completing=True
        )
        assert again.found is not None and again.found.values == start.values
    better = days.by_days(visit, held, _budget(deterministic=4.0), 4.0, start)
    order = list(start.values)
    assert better.rank(order) > start.rank(order)
    for did, sids in better.schedule.attends.items():
        assert len(grouped & set(sids)) <= 1, did
    whole = build(visit, replace(held, kept_pairs=better.schedule.pairs()))
    same = stages.first_solution(whole, _budget(), 1.0, better, completing=True)
    assert same.found is not None  # a solution of the whole model
    attends = better.schedule.attends
    met = {
        d.id: sum(interest(d, visit.session(sid)) for sid in attends.get(d.id, ()))
        for d in visit.delegates
    }
    shares = [
        1000 * met[d.id] // pot
        for d in visit.delegates
        if (pot := goals.potential(visit, whole, d)) > 0
    ]
    assert better.values["interest"] == sum(met.values())
    assert better.values["fairness"] == min(shares)
    assert better.values["optional"] == len(better.schedule.times)  # none required
    _checked(visit, better)


def test_only_the_whole_model_says_no_plan_exists(large):
    """s-x must be held but its host receives nobody: the timetables have no place for
    it, and the whole model proves there is no plan."""
    visit = tiny_visit([session("s-x", "h1", 60, required=True, date=DAY1, start="07:00")])
    outcome, _held = construct.construct(visit, Restrictions(), _budget())
    assert outcome.status == "INFEASIBLE" and outcome.found is None


# -- improve ---------------------------------------------------------------------------


def test_neighbourhoods_improve_a_poor_first_plan_and_never_make_it_worse(large):
    visit = _visit()
    budget = _budget(deterministic=3.0)
    held = Restrictions()
    ctx = build(visit, held)
    poor = stages.first_solution(ctx, budget, 1.0).found  # no goal considered yet
    order = list(poor.values)
    improved = improve.improve(visit, held, poor, budget, until=0.0)
    best = improved.best
    assert best.rank(order) > poor.rank(order)
    _checked(visit, best)
    for earlier in improved.earlier:  # in reserve: better than the start, below the best
        assert best.rank(order) >= earlier.rank(order) > poor.rank(order)
        _checked(visit, earlier)


def test_rides_failing_the_best_plan_fall_back_on_a_better_one_passed_on_the_way(monkeypatch):
    """The improvement's best plan fails its rides and no repair serves it: the plan
    comes from the newest better plan the improvement passed, not the first plan."""
    solve_module = importlib.import_module("visitplan.solve")
    real_serve, real_served_plan, tried, reserves = repair.serve, solve_module.served_plan, [], []

    def serve(ctx, schedule, budget, previous=None, **kw):
        tried.append(schedule)
        if len(tried) == 1:
            raise RideFailure(0, "made to fail")
        return real_serve(ctx, schedule, budget, previous, **kw)

    def served_plan(visit, restrictions, best, budget, reserve):
        reserves.append(list(reserve))
        return real_served_plan(visit, restrictions, best, budget, reserve)

    monkeypatch.setattr(repair, "serve", serve)
    monkeypatch.setattr(repair, "shed", lambda *a, **k: None)
    monkeypatch.setattr(repair, "_days_again", lambda *a, **k: None)
    monkeypatch.setattr(repair, "construct", lambda v, held, b: (stages.Outcome("UNKNOWN"), held))
    monkeypatch.setattr(solve_module, "served_plan", served_plan)
    plan = plan_and_check(_visit(), deterministic_time=2.0)
    (reserve,) = reserves
    first, newest = reserve[0], reserve[-1]
    assert len(reserve) >= 2 and newest.rank(list(first.values)) > first.rank(list(first.values))
    assert tried[-1] is newest.schedule
    assert plan.report.goals["interest"] == newest.values["interest"]


def test_the_neighbourhoods_free_a_day_a_host_and_the_least_served_in_turn():
    visit = _visit()
    hoods = improve.Neighbourhoods(visit, random.Random(0))
    ctx = build(visit)
    start = stages.first_solution(ctx, _budget(), 1.0).found
    turns = [hoods.next(start.schedule) for _ in range(4)]
    (day_freed, day_kept), (least_freed, _), (host_freed, host_kept), _ = turns
    assert day_freed and set(day_kept) == day_freed and len(set(day_kept.values())) == 1
    assert least_freed
    hosts = {visit.session(sid).host_id for sid in host_freed}
    assert len(hosts) == 1 and host_kept == {}


def test_improvement_is_the_same_for_the_same_seed_in_deterministic_time(large):
    visit = _visit()
    plans = [plan_and_check(visit, deterministic_time=2.0) for _ in range(2)]
    assert plans[0].sessions == plans[1].sessions
    assert plans[0].assignments == plans[1].assignments


# -- bound -----------------------------------------------------------------------------


def test_bounds_are_never_below_the_plan_and_the_relaxation_tightens_interest(large):
    """d1 cares for two sessions pinned at the same hour: interest can never reach the
    sum of what delegates care for, and the relaxation sees only one of them fits
    into a day's attendance... when the two are one group."""
    visit = tiny_visit(
        [
            session("s-a", "h1", 60, topics=("ports",), group="g"),
            session("s-b", "h1", 60, topics=("rails",), group="g"),
        ],
        delegates=[delegate("d1", "ports", "rails")],
    )
    budget = _budget()
    outcome, held = construct.construct(visit, Restrictions(), budget)
    found = outcome.found
    proven = bound.bounds(visit, held, found, budget, 1.0)
    assert all(proven[name] >= value for name, value in found.values.items())
    assert proven["interest"] == found.values["interest"] < found.ranges["interest"]


def test_a_visit_too_large_for_the_relaxation_is_bounded_by_its_seats(large, monkeypatch):
    """With the relaxation refused, as on L, the count of seats and hours still says a
    one-seat session wanted by two leaves 5 of their 10 out, and its LP that no
    least share is above half the seat each (``seats_lp``: 500, where either alone
    could have 1000)."""
    monkeypatch.setattr(importlib.import_module("visitplan.solve.relaxation"), "LARGEST", 0)
    visit = tiny_visit([session("s1", "h1", 60, max_size=1)])
    budget = _budget()
    outcome, held = construct.construct(visit, Restrictions(), budget)
    found = outcome.found
    proven = bound.bounds(visit, held, found, budget, 1.0)
    assert found.values["interest"] == proven["interest"] == 5 < found.ranges["interest"] == 10
    assert proven["fairness"] == 500 and found.values["fairness"] == 0


def test_interest_first_holds_the_least_share_bound_to_the_interest_found(large, monkeypatch):
    """Interest first, as in the block family: the one seat goes to d1 (9), and with
    that interest held, no plan gives d2 (1) any of it (``seats_lp``: 0), where the
    least share alone could be 500."""
    monkeypatch.setattr(importlib.import_module("visitplan.solve.relaxation"), "LARGEST", 0)
    visit = tiny_visit(
        [session("s1", "h1", 60, max_size=1)],
        delegates=[delegate("d1", "planning", weight=9), delegate("d2", "planning", weight=1)],
        objective_order=("interest", "fairness", *GOALS[2:]),
    )
    budget = _budget()
    outcome, held = construct.construct(visit, Restrictions(), budget)
    found = outcome.found
    proven = bound.bounds(visit, held, found, budget, 1.0)
    assert found.values["interest"] == proven["interest"] == 9
    assert found.values["fairness"] == proven["fairness"] == 0


def test_rides_placed_by_rule_leave_the_schedule_more_time():
    """Without numbered vehicles no rides model runs: the phases get what it would keep."""
    limits = Limits(time_limit=120.0, deterministic_time=None, workers=2, seed=0)
    by_rule, modelled = Budget(limits, rides_model=False), Budget(limits)
    assert by_rule.rides_seconds() < modelled.rides_seconds()
    assert by_rule.schedule_total() + by_rule.rides_seconds() == 120.0
    assert by_rule.schedule_total() > modelled.schedule_total()


def test_a_deterministic_solve_stops_on_the_wall_clock_before_the_rides_time():
    """The wall clock caps a deterministic stage where the schedule's time ends, so
    that the rides keep their share; once they are served, the bounds have it."""
    limits = Limits(time_limit=60.0, deterministic_time=500.0, workers=1, seed=0)
    budget = Budget(limits)
    capped = budget.parameters(100.0)["max_time_in_seconds"]
    assert capped <= 60.0 - budget.rides_seconds() < 60.0
    budget.rides_served()
    assert budget.parameters(100.0)["max_time_in_seconds"] > capped + budget.rides_share * 50


# -- repair ----------------------------------------------------------------------------


def test_each_failed_day_climbs_one_level_and_its_schedule_is_cut():
    visit = _visit()
    ctx = build(visit)
    found = stages.first_solution(ctx, _budget(), 1.0).found
    once = repair.stricter(Restrictions(), found.schedule, (0, 1))
    assert dict(once.levels) == {0: FLEET_LOAD, 1: FLEET_LOAD} and len(once.cuts) == 2
    twice = repair.stricter(once, found.schedule, (1,))
    assert dict(twice.levels) == {0: FLEET_LOAD, 1: APART}
    top = replace(twice, levels={1: ONE_ROUTE})
    assert dict(repair.stricter(top, found.schedule, (1,)).levels) == {1: ONE_ROUTE}
    assert all(cut.k in (0, 1) for cut in twice.cuts)


def test_on_a_very_large_visit_the_failed_days_climb_one_at_a_time(large, monkeypatch):
    """Beyond ``WIDE_LARGEST`` a repair frees one failed day, never several days' or
    every time at once (the regular L benchmark: 106 s and 4.2 GB to build nine
    days free), and the plan the repairs reach still keeps every rule."""
    monkeypatch.setattr(importlib.import_module("visitplan.solve.build"), "WIDE_LARGEST", 0)
    visit = replace(_visit(), transport=Transport(vehicles=2, seats=8))
    real, freed, rebuilt = repair.serve, [], []

    def served(ctx, schedule, budget, previous=None, **kw):
        if not freed:
            raise RideFailure(0, "made to fail", (0, 1))
        return real(ctx, schedule, budget, previous, **kw)

    real_again = repair._days_again

    def again(visit, held, current, failed, budget):
        freed.append((tuple(failed), dict(held.levels)))
        return real_again(visit, held, current, failed, budget)

    monkeypatch.setattr(repair, "serve", served)
    monkeypatch.setattr(repair, "_days_again", again)
    monkeypatch.setattr(repair, "construct", lambda *a, **k: rebuilt.append(a))
    plan = plan_and_check(visit, deterministic_time=2.0)
    assert freed[0] == ((0,), {0: FLEET_LOAD})  # day 1 waits for its own turn
    assert rebuilt == []
    assert any(line.startswith("2009-08-24") for line in plan.report.diagnosis)


def test_on_a_very_large_visit_a_day_not_repaired_takes_the_reserve(large, monkeypatch):
    """When the failed day's own model finds nothing, a very large visit does not make
    the whole first plan again: it ends with the reserve, or says the vehicles failed."""
    monkeypatch.setattr(importlib.import_module("visitplan.solve.build"), "WIDE_LARGEST", 0)
    visit = replace(_visit(), transport=Transport(vehicles=2, seats=8))
    ctx = build(visit)
    found = stages.first_solution(ctx, _budget(), 1.0).found
    rebuilt = []

    def fails(ctx, schedule, budget, previous=None, **kw):
        raise RideFailure(0, "made to fail", (0, 1))

    monkeypatch.setattr(repair, "serve", fails)
    monkeypatch.setattr(repair, "_days_again", lambda *a: None)
    monkeypatch.setattr(repair, "construct", lambda *a, **k: rebuilt.append(a))
    result = repair.served_plan(visit, Restrictions(), found, _budget(), [])
    assert isinstance(result, repair.Unserved) and rebuilt == []
    assert result.words  # the failed days, in words


def test_a_plan_hints_a_model_made_under_other_restrictions_with_a_solution(large):
    """Hinted by name across restrictions, the free model's plan is a solution of the
    model with its times fixed: held to the hint, CP-SAT finds it, unchanged."""
    visit = _visit()
    budget = _budget()
    free = build(visit)
    first = stages.first_solution(free, budget, 1.0).found
    start, _proven = stages.weighted(free, budget, 1.0, first)
    times = start.schedule.starts()
    assert times  # sessions held, so the hint has something to hold
    out = frozenset(s.id for s in visit.sessions if s.id not in times)
    fixed = build(visit, Restrictions(kept_pairs=start.schedule.pairs()).holding(times, out))
    hint(fixed, start)
    status, solver = stages._run(fixed, budget, 1.0, None, fix_variables_to_their_hinted_value=True)
    assert status in stages.SOLVED
    again = found_in(fixed, solver)
    assert again.schedule.starts() == times
    assert again.schedule.pairs() == start.schedule.pairs()
    assert again.values == start.values


def test_the_greedy_attendance_is_kept_whole_by_the_attendance_model(large):
    """``fill`` keeps the model's rules: held to it, the model completes it unchanged,
    and the plan it makes checks clean."""
    visit = _visit()
    times, out, _ranked = construct._placed(visit, Restrictions())
    ctx = build(visit, Restrictions().holding(times, out))
    greedy = fill(ctx, times)
    assert greedy.attends  # sessions taken, not only left out
    budget = _budget()
    outcome = stages.first_solution(ctx, budget, 1.0, Found(greedy, {}), completing=True)
    assert outcome.found is not None
    assert outcome.found.schedule.pairs() >= greedy.pairs()
    assert set(outcome.found.schedule.times) == set(greedy.times)
    _checked(visit, outcome.found)


def test_the_greedy_attendance_fills_a_required_session_nobody_cares_for(large):
    """A session that must be held but interests nobody takes other candidates up to
    its min_size, so that the model completes the greedy attendance as it is."""
    base = _visit()
    dull = session("s-z", "h0", 60, topics=("nothing",), required=True, min_size=2)
    visit = replace(base, sessions=(*base.sessions, dull))
    times, out, _ranked = construct._placed(visit, Restrictions())
    assert "s-z" in times
    ctx = build(visit, Restrictions().holding(times, out))
    greedy = fill(ctx, times)
    seated = [did for did, sids in greedy.attends.items() if "s-z" in sids]
    assert len(seated) == 2 and set(seated) <= set(ctx.candidates["s-z"])
    outcome = stages.first_solution(ctx, _budget(), 1.0, Found(greedy, {}), completing=True)
    assert outcome.found is not None and outcome.found.schedule.pairs() >= greedy.pairs()
    _checked(visit, outcome.found)


def test_a_day_whose_rides_model_ran_out_of_time_gets_the_time_left(monkeypatch):
    """On the wall clock, a day whose rides model stopped without a solution (UNKNOWN:
    out of time, not proven unservable) and that the greedy rule cannot serve is
    tried again with what the run has left, before the plan falls back on its
    reserve; a day proven unservable is not."""
    planner_module = importlib.import_module("visitplan.solve.rides.planner")
    visit = replace(_visit(), transport=Transport(vehicles=3, seats=8))
    model = build(visit)
    first = stages.first_solution(model, _budget(), 1.0).found
    found = stages.weighted(model, _budget(), 1.0, first)[0] or first
    ctx = bare(visit)
    wall = Budget(Limits(time_limit=60.0, deterministic_time=None, workers=1, seed=0))
    first_try = {}
    real = planner_module.RidePlanner._numbered

    def hurried(planner, k, requests):
        first_try.setdefault(k, planner.seconds)
        if planner.seconds <= first_try[k]:  # as if the model needed more than that
            raise RideFailure(k, "UNKNOWN")
        return real(planner, k, requests)

    monkeypatch.setattr(planner_module.RidePlanner, "_numbered", hurried)
    monkeypatch.setattr(planner_module.greedy, "plan_day", lambda *_args: None)
    served = serve(ctx, found.schedule, wall)
    days = {leg.date for leg in served.legs}
    assert len(first_try) == len(days) == 2  # both days ride, each tried twice
    assert [leg.date for leg in served.legs] == sorted(leg.date for leg in served.legs)
    plan = assemble(ctx, found.schedule, served, ISSUED)
    assert check_plan(visit, plan) == []

    tried = []

    def unservable(planner, k, requests):
        tried.append(k)
        raise RideFailure(k, "INFEASIBLE")

    monkeypatch.setattr(planner_module.RidePlanner, "_numbered", unservable)
    with pytest.raises(RideFailure) as failed:
        serve(ctx, found.schedule, wall)
    assert failed.value.days == (0, 1) and tried == [0, 1]  # at once, no second try


def test_on_a_large_visit_a_day_the_first_plans_rides_fail_stays_strict(large, monkeypatch):
    """The first plan's rides are tried before the improvement: a day they fail is
    repaired then, and keeps its fleet level through the neighbourhoods to the plan."""
    visit = replace(_visit(), transport=Transport(vehicles=2, seats=8))
    real, calls = repair.serve, []

    def served(ctx, schedule, budget, previous=None, **kw):
        calls.append(dict(schedule.times))
        if len(calls) == 1:
            raise RideFailure(0, "made to fail")
        return real(ctx, schedule, budget, previous, **kw)

    monkeypatch.setattr(repair, "serve", served)
    monkeypatch.setattr(repair, "shed", lambda *a, **k: None)  # nor do fewer riders serve it
    plan = plan_and_check(visit, deterministic_time=2.0)
    assert len(calls) >= 3  # the first plan, its repair, then the improved plan
    assert any(line.startswith("2009-08-24") for line in plan.report.diagnosis)


# -- top-up ----------------------------------------------------------------------------


def _thinned(visit):
    """A plan with one attendee taken from each session above its min_size (not from
    the host they lunch at): seats free that keen delegates could take."""
    model = build(visit)
    first = stages.first_solution(model, _budget(), 1.0).found
    found = stages.weighted(model, _budget(), 1.0, first)[0] or first
    schedule = found.schedule
    counts: dict[str, list[str]] = {}
    for did, sid in sorted(schedule.pairs()):
        counts.setdefault(sid, []).append(did)
    lunched = {(did, schedule.lunch_place.get((did, k))) for did, k in schedule.lunch_place}
    dropped = {
        (dids[-1], sid)
        for sid, dids in counts.items()
        if len(dids) > visit.session(sid).min_size
        and not visit.session(sid).is_all
        and (dids[-1], visit.session(sid).host_id) not in lunched  # where they lunch
    }
    attends = {
        did: [sid for sid in sids if (did, sid) not in dropped]
        for did, sids in schedule.attends.items()
    }
    thin = replace(schedule, attends=attends)
    return replace(found, schedule=thin, named={}), dropped


def test_the_top_up_offers_free_seats_to_keen_delegates_and_every_first_part_keeps_the_rules():
    visit = _visit()
    found, dropped = _thinned(visit)
    assert dropped
    ctx = open_days(visit)
    moves = moves_module.moves_for(ctx, found.schedule)
    assert moves
    met = _met(visit, found.schedule)
    for n in range(1, len(moves) + 1):
        more = moves_module.with_moves(ctx, found.schedule, moves[:n])
        did, sid, given, bumped = moves[n - 1]
        assert (did, sid) in more.pairs() - found.schedule.pairs()
        assert interest(visit.delegate(did), visit.session(sid)) > 0
        assert given is None or (did, given) not in more.pairs()
        assert bumped is None or (bumped, sid) not in more.pairs()
        seated = [s for _did, s in more.pairs()]
        for held in visit.sessions:
            assert held.max_size is None or seated.count(held.id) <= held.max_size
        now = _met(visit, more)
        assert all(now[d] >= met[d] for d in met)  # nobody's interest falls
        _checked(visit, Found(more, {}))


def test_a_delegate_gives_up_a_session_for_a_keener_one_it_alone_blocks():
    """d0 sits in s-low; s-high, at the same time and keener for d0, has a free seat:
    the top-up moves d0 there, as s-low keeps its min_size without them."""
    people = [
        replace(delegate("d0"), interests=(("ports", 9), ("rails", 1))),
        delegate("d1", "rails"),
        delegate("d2", "rails"),
    ]
    low = session("s-low", "h0", 60, topics=("rails",), min_size=1)
    high = session("s-high", "h0", 60, topics=("ports",), max_size=1)
    visit = tiny_visit([low, high], delegates=people, hosts=[host("h0", 0.5, rooms=2)])
    schedule = Schedule(
        times={"s-low": (0, 600, 660), "s-high": (0, 600, 660)},
        attends={did: ["s-low"] for did in ("d0", "d1", "d2")},
    )
    ctx = open_days(visit)
    moves = moves_module.moves_for(ctx, schedule)
    assert moves == [("d0", "s-high", "s-low", None)]
    more = moves_module.with_moves(ctx, schedule, moves)
    assert more.attends["d0"] == ["s-high"]
    _checked(visit, Found(more, {}))


def _met(visit, schedule) -> dict[str, int]:
    return {
        d.id: sum(
            interest(d, visit.session(sid))
            for sid in schedule.attends.get(d.id, ())
            if not visit.session(sid).is_all
        )
        for d in visit.delegates
    }


def test_a_day_whose_rides_fail_with_the_top_up_keeps_fewer_of_its_additions(monkeypatch):
    """The additions of a day the vehicles cannot serve are halved until they can;
    the other days keep theirs, no goal falls, and the model counts the goals."""
    visit = replace(_visit(), transport=Transport(vehicles=3, seats=8))
    found, _dropped = _thinned(visit)
    base = found.schedule.pairs()
    model = build(
        visit, Restrictions(kept_pairs=base).holding(found.schedule.starts(), frozenset())
    )
    found = stages.valued(model, _budget(), 1.0, found)
    assert found is not None and found.schedule.pairs() == base
    on = {sid: k for sid, (k, _s, _e) in found.schedule.times.items()}
    tried = []

    def day_zero_grows_at_most_by_one(ctx, schedule, budget, previous=None, **kw):
        more = [p for p in schedule.pairs() - base if on[p[1]] == 0]
        tried.append(len(more))
        if len(more) > 1:
            raise RideFailure(0, "made to fail")
        return serve(ctx, schedule, budget, previous, **kw)

    monkeypatch.setattr(top_up_module, "serve", day_zero_grows_at_most_by_one)
    topped = top_up_module.topped_up(visit, Restrictions(), found, _budget())
    added = topped.schedule.pairs() - base
    assert tried[0] > 1 and min(tried) <= 1  # halved, then served
    assert len([p for p in added if on[p[1]] == 0]) <= 1
    assert [p for p in added if on[p[1]] == 1]  # the other day kept its additions
    assert topped.rank(list(found.values)) > found.rank(list(found.values))
    _checked(visit, topped)


def test_a_day_whose_rides_fail_whatever_the_top_up_adds_is_left_to_the_repair(monkeypatch):
    """Day 0 fails with or without the additions (the improved plan's own day): it keeps
    none of them, and the other day keeps its own, where it once lost them all."""
    visit = replace(_visit(), transport=Transport(vehicles=3, seats=8))
    found, _dropped = _thinned(visit)
    base = found.schedule.pairs()
    held = Restrictions(kept_pairs=base).holding(found.schedule.starts(), frozenset())
    found = stages.valued(build(visit, held), _budget(), 1.0, found)
    on = {sid: k for sid, (k, _s, _e) in found.schedule.times.items()}

    def day_zero_fails(ctx, schedule, budget, previous=None, only=None, **kw):
        if only is None or 0 in only:
            raise RideFailure(0, "made to fail")
        return serve(ctx, schedule, budget, previous, only=only, **kw)

    monkeypatch.setattr(top_up_module, "serve", day_zero_fails)
    topped = top_up_module.topped_up(visit, Restrictions(), found, _budget())
    added = topped.schedule.pairs() - base
    assert added and all(on[sid] == 1 for _did, sid in added)
    assert topped.rank(list(found.values)) > found.rank(list(found.values))


def test_a_second_pass_of_the_top_up_starts_from_the_first(monkeypatch):
    """The second pass's moves start from the first pass's result, the model counts
    only the last; with no time left beyond what the phases after keep, one pass."""
    visit = replace(_visit(), transport=Transport(vehicles=3, seats=8))
    found, _dropped = _thinned(visit)
    base = found.schedule.pairs()
    held = Restrictions(kept_pairs=base).holding(found.schedule.starts(), frozenset())
    found = stages.valued(build(visit, held), _budget(), 1.0, found)
    assert found is not None and found.schedule.pairs() == base
    seen, counts = [], []
    real_moves, real_count = top_up_module.moves_for, stages.counted

    def moves(ctx, schedule, *rest):
        seen.append(schedule.pairs())
        return real_moves(ctx, schedule, *rest)

    def count(*args):
        counts.append(args[2].pairs())
        return real_count(*args)

    monkeypatch.setattr(top_up_module, "moves_for", moves)
    monkeypatch.setattr(stages, "counted", count)
    monkeypatch.setattr(top_up_module, "PASSES", 2)
    topped = top_up_module.topped_up(visit, Restrictions(), found, _budget())
    assert len(seen) == 2
    assert seen[0] == found.schedule.pairs() < seen[1] <= counts[0]
    assert len(counts) == 1 and topped.schedule.pairs() == counts[0]
    _checked(visit, topped)
    seen.clear()
    budget = _budget()
    top_up_module.topped_up(visit, Restrictions(), found, budget, keep=budget.left() + 1)
    assert len(seen) == 1


@pytest.mark.parametrize("vehicles", [3, None])
def test_a_very_large_visit_keeps_its_first_solution_for_the_top_up(large, monkeypatch, vehicles):
    """Beyond ``WIDE_LARGEST``, under a fleet or with the least share first, attendance
    is not improved goal by goal on the shortlists nor day by day: the top-up fills
    the first solution, whose goals are counted exactly (a first solution's least
    share is any value below the true one)."""
    monkeypatch.setattr(importlib.import_module("visitplan.solve.build"), "WIDE_LARGEST", 0)
    visit = replace(_visit(), transport=Transport(vehicles=vehicles, seats=8))
    passes, topped = [], []
    real_pass, real_top = stages.by_goals, top_up_module.topped_up
    monkeypatch.setattr(stages, "by_goals", lambda *a, **k: passes.append(a) or real_pass(*a, **k))
    solve_module = importlib.import_module("visitplan.solve")

    def counted(visit, restrictions, found, budget, keep=0.0):
        topped.append(found.values["fairness"])
        return real_top(visit, restrictions, found, budget, keep)

    monkeypatch.setattr(solve_module, "topped_up", counted)
    plan = plan_and_check(visit, deterministic_time=2.0)
    assert passes == [] and topped
    ctx = open_days(visit)
    shares = []
    for d in visit.delegates:
        pot = goals.potential(visit, ctx, d)
        met = sum(
            interest(d, visit.session(a.session_id))
            for a in plan.assignments
            if a.delegate_id == d.id
        )
        if pot > 0:
            shares.append(met * 1000 // pot)
    assert plan.report.goals["fairness"] == min(shares) > 0


def test_the_improved_plan_is_served_then_topped_up_again(large, monkeypatch):
    """Under a fleet the improvement's plan, once its rides are made, takes the seats
    its neighbourhoods left free (a second top-up): the plan holds every pair the
    improvement's had and more, counted by the model, and keeps every rule."""
    visit = replace(_visit(), transport=Transport(vehicles=3, seats=8))
    thin, _dropped = _thinned(visit)
    held = Restrictions(kept_pairs=thin.schedule.pairs()).holding(
        thin.schedule.starts(), frozenset()
    )
    thin = stages.valued(build(visit, held), _budget(), 1.0, thin)
    solve_module = importlib.import_module("visitplan.solve")
    real_top, given = top_up_module.topped_up, []

    def topped(visit, restrictions, found, budget, keep=0.0):
        given.append(found)
        return real_top(visit, restrictions, found, budget, keep)

    monkeypatch.setattr(solve_module, "topped_up", topped)
    monkeypatch.setattr(solve_module, "improve", lambda *a: improve.Improved(thin, ()))
    plan = plan_and_check(visit, deterministic_time=2.0)
    assert len(given) == 2 and given[1].schedule.pairs() == thin.schedule.pairs()
    pairs = {(a.delegate_id, a.session_id) for a in plan.assignments}
    assert pairs > thin.schedule.pairs()
    assert plan.report.goals["interest"] > thin.values["interest"]


def test_a_least_served_delegate_takes_a_seat_from_a_better_served_one():
    """s-full's one seat is d1's, who also has s-b; d0 cares only for s-full: the
    top-up gives d0 the seat (least share 0 to 500), interest unchanged."""
    people = [delegate("d0", "ports"), delegate("d1", "ports", "rails")]
    full = session("s-full", "h0", 60, topics=("ports",), max_size=1)
    other = session("s-b", "h0", 60, topics=("rails",))
    visit = tiny_visit([full, other], delegates=people, hosts=[host("h0", 0.5)])
    schedule = Schedule(
        times={"s-full": (0, 600, 660), "s-b": (0, 720, 780)},
        attends={"d1": ["s-b", "s-full"]},
    )
    ctx = open_days(visit)
    moves = moves_module.moves_for(ctx, schedule)
    assert moves == [("d0", "s-full", None, "d1")]
    more = moves_module.with_moves(ctx, schedule, moves)
    assert more.attends == {"d0": ["s-full"], "d1": ["s-b"]}
    _checked(visit, Found(more, {}))


@pytest.mark.parametrize("d1_ports, d1_yards, moved", [(2, 5, True), (5, 2, False)])
def test_a_keener_delegate_takes_a_seat_from_one_who_cares_for_it_less(d1_ports, d1_yards, moved):
    """s-full's one seat is d1's; d0 cares for it more (ports 9) and is not the least
    served (d2 is): for interest alone the seat goes to d0 when d1 keeps a share at or
    above the least share (5 of 7: 714), not when it would fall below it (2 of 7:
    285, below d2's 300)."""
    people = [
        replace(delegate("d0"), interests=(("ports", 9), ("rails", 9))),
        replace(delegate("d1"), interests=(("ports", d1_ports), ("yards", d1_yards))),
        replace(delegate("d2"), interests=(("parks", 3), ("docks", 7))),
    ]
    sessions = [
        session("s-full", "h0", 60, topics=("ports",), max_size=1),
        *(session(f"s-{t}", "h0", 60, topics=(t,)) for t in ("rails", "yards", "parks", "docks")),
    ]
    visit = tiny_visit(sessions, delegates=people, hosts=[host("h0", 0.5, rooms=3)])
    later = (0, 720, 780)
    schedule = Schedule(
        times={"s-full": (0, 600, 660), "s-rails": later, "s-yards": later, "s-parks": later},
        attends={"d0": ["s-rails"], "d1": ["s-full", "s-yards"], "d2": ["s-parks"]},
    )
    ctx = open_days(visit)
    moves = moves_module.moves_for(ctx, schedule)
    if not moved:
        assert moves == []
        return
    assert moves == [("d0", "s-full", None, "d1")]
    more = moves_module.with_moves(ctx, schedule, moves)
    assert _met(visit, more) == {"d0": 18, "d1": 5, "d2": 3}
    _checked(visit, Found(more, {}))


@pytest.mark.parametrize("min_size, opened", [(2, True), (3, False)])
def test_the_top_up_opens_a_session_left_out_when_its_min_size_of_keen_delegates_fit(
    min_size, opened
):
    """s-out is not held; two delegates care for it and have the time: the top-up
    opens it at a start the placement gives (interest 5 to 15, one more optional
    session held), but not when its min_size asks for three."""
    people = [delegate("d0", "ports"), delegate("d1", "ports"), delegate("d2", "rails")]
    held = session("s-held", "h0", 60, topics=("rails",))
    out = session("s-out", "h1", 60, topics=("ports",), min_size=min_size)
    visit = tiny_visit([held, out], delegates=people, hosts=[host("h0", 0.5), host("h1", 1.0)])
    base = Schedule(times={"s-held": (0, 600, 660)}, attends={"d2": ["s-held"]})
    found = stages.valued(
        build(visit, Restrictions(kept_pairs=base.pairs()).holding(base.starts(), {"s-out"})),
        _budget(),
        1.0,
        Found(base, {}),
    )
    assert found is not None and found.values["interest"] == 5
    offered = placement.beside(bare(visit), base.starts())
    assert list(offered) == ["s-out"]
    moves = moves_module.moves_for(open_days(visit), base, offered)
    assert moves == ([("d0", "s-out", None, None), ("d1", "s-out", None, None)] if opened else [])
    topped = top_up_module.topped_up(visit, Restrictions(), found, _budget())
    assert ("s-out" in topped.schedule.times) is opened
    if opened:
        assert topped.values["interest"] == 15
        assert topped.values["optional"] == found.values["optional"] + 1
    _checked(visit, topped)


def test_a_failed_day_loses_half_its_openings_then_all_and_never_part_of_one():
    """A day whose rides fail loses half the moves that open sessions (they come last),
    then all of them, then half of the rest; a cut inside the run that opens one
    session moves back to its start."""
    day = [
        ("d0", "s-a", None, None),
        ("d1", "s-b", None, None),
        ("d2", "s-open", None, None),
        ("d3", "s-open", None, None),
        ("d4", "s-next", None, None),
        ("d5", "s-next", None, None),
        ("d6", "s-next", None, None),
    ]
    offered = {"s-open": 600, "s-next": 720}
    assert top_up_module._cut(day, 7, offered, 1) == 4  # 2 + 5 // 2: s-open kept whole
    assert top_up_module._cut(day, 4, offered, 2) == 2  # no opening at the second failure
    assert top_up_module._cut(day, 2, offered, 3) == 1  # none left: half of them all
    assert top_up_module._cut(day, 6, offered, 1) == 4  # 2 + 4 // 2 = 4: kept
    assert top_up_module._cut(day, 5, offered, 1) == 2  # 2 + 3 // 2 = 3 splits s-open's run


def test_a_delegate_gives_up_a_session_for_one_the_top_up_opens():
    """s-out opens for d1 and d2 at 10:00; d0 cares for it more than for s-low at the
    same time, which keeps its min_size without them: d0 trades s-low for it."""
    people = [
        replace(delegate("d0"), interests=(("ports", 9), ("rails", 1))),
        delegate("d1", "ports"),
        delegate("d2", "ports"),
        delegate("d3", "rails"),
    ]
    low = session("s-low", "h0", 60, topics=("rails",), min_size=1)
    out = session("s-out", "h0", 60, topics=("ports",), min_size=2)
    visit = tiny_visit([low, out], delegates=people, hosts=[host("h0", 0.5, rooms=2)])
    base = Schedule(times={"s-low": (0, 600, 660)}, attends={"d0": ["s-low"], "d3": ["s-low"]})
    ctx = open_days(visit)
    moves = moves_module.moves_for(ctx, base, {"s-out": 600})
    assert moves == [
        ("d1", "s-out", None, None),
        ("d2", "s-out", None, None),
        ("d0", "s-out", "s-low", None),
    ]
    more = moves_module.with_moves(ctx, base, moves, {"s-out": 600})
    assert more.times["s-out"] == (0, 600, 660)
    assert more.attends["d0"] == ["s-out"]
    _checked(visit, Found(more, {}))


def test_the_top_up_leaves_a_day_the_repair_made_stricter_as_it_is():
    """A day at a stricter fleet level keeps its delegation together by rules the moves
    do not know: it gains nothing, the other day does, and the model confirms it."""
    visit = replace(_visit(), transport=Transport(vehicles=3, seats=8))
    found, _dropped = _thinned(visit)
    strict = Restrictions(levels={0: FLEET_LOAD})
    base = found.schedule.pairs()
    held = replace(strict.holding(found.schedule.starts(), frozenset()), kept_pairs=base)
    found = stages.valued(build(visit, held), _budget(), 1.0, found)
    assert found is not None
    on = {sid: k for sid, (k, _s, _e) in found.schedule.times.items()}
    topped = top_up_module.topped_up(visit, strict, found, _budget())
    added = topped.schedule.pairs() - base
    assert added and all(on[sid] == 1 for _did, sid in added)
    day_zero = {p for p in topped.schedule.pairs() if on.get(p[1]) == 0}
    assert day_zero == {p for p in base if on[p[1]] == 0}
    _checked(visit, topped)


def test_no_move_touches_a_day_left_as_it_is():
    """``moves_for`` plans nothing on a day it is told to leave: no later move counts
    on a gain there that the top-up would then drop."""
    visit = replace(_visit(), transport=Transport(vehicles=3, seats=8))
    found, _dropped = _thinned(visit)
    on = {sid: k for sid, (k, _s, _e) in found.schedule.times.items()}
    ctx = open_days(visit)
    every = moves_module.moves_for(ctx, found.schedule)
    assert {on[sid] for _did, sid, _given, _bumped in every} == {0, 1}
    left = moves_module.moves_for(ctx, found.schedule, left=frozenset({0}))
    assert left and {on[sid] for _did, sid, _given, _bumped in left} == {1}
    _checked(visit, replace(found, schedule=moves_module.with_moves(ctx, found.schedule, left)))


def _three_at_port(unserved: bool = True):
    """s-port on day 0 with three attendees (min_size 2), d1 the least keen of them;
    d3 cares only for s-dock, not held, so the least share is 0 (without
    ``unserved``, no d3: everyone has all they care for, and the least share is 1000)."""
    people = [
        delegate("d0", "ports", weight=9),
        replace(delegate("d1"), interests=(("ports", 2), ("rails", 9))),
        replace(delegate("d2"), interests=(("ports", 5), ("rails", 9))),
        *([delegate("d3", "docks")] if unserved else []),
    ]
    sessions = [
        session("s-port", "h0", 60, topics=("ports",), min_size=2),
        session("s-rail", "h0", 60, topics=("rails",)),
        session("s-dock", "h0", 60, topics=("docks",)),
    ]
    visit = replace(
        tiny_visit(sessions, delegates=people, hosts=[host("h0", 2.0)], days=2),
        transport=Transport(vehicles=3, seats=8),
    )
    base = Schedule(
        times={"s-port": (0, 600, 660), "s-rail": (1, 600, 660)},
        attends={"d0": ["s-port"], "d1": ["s-port", "s-rail"], "d2": ["s-port", "s-rail"]},
    )
    held = Restrictions(kept_pairs=base.pairs()).holding(base.starts(), frozenset({"s-dock"}))
    found = stages.valued(build(visit, held), _budget(), 1.0, Found(base, {}))
    assert found is not None
    return visit, found


def _fewer_riders(ctx, schedule, budget, previous=None, **kw):
    """The rides, failing day 0 while s-port has three attendees."""
    if sum(sid == "s-port" for _did, sid in schedule.pairs()) > 2:
        raise RideFailure(0, "made to fail")
    return serve(ctx, schedule, budget, previous, **kw)


def test_a_day_the_vehicles_cannot_serve_sheds_its_least_keen_attendees(monkeypatch):
    """Day 0's rides fail while s-port has three attendees: shedding takes d1's seat
    there (the least keen), never d0's, whom s-port's min_size of 2 needs with d2
    once d1 has gone; nobody else's day changes, and the model counts the result
    (interest 2 less)."""
    visit, found = _three_at_port()
    base = found.schedule
    assert shed_module._sheddable(open_days(visit), base, {0}) == {0: [("d1", "s-port")]}
    monkeypatch.setattr(shed_module, "serve", _fewer_riders)
    lighter = shed_module.shed(visit, Restrictions(), found, (0,), _budget())
    assert lighter is not None
    assert found.schedule.pairs() - lighter.schedule.pairs() == {("d1", "s-port")}
    assert lighter.schedule.pairs() < found.schedule.pairs()
    assert lighter.values["interest"] == found.values["interest"] - 2
    assert lighter.values["fairness"] == found.values["fairness"] == 0
    _checked(visit, lighter)


def test_each_failed_day_sheds_only_as_much_as_its_rides_need(monkeypatch):
    """Day 0 is served once its first tenth is gone, day 1 only once all that may go
    has gone: day 0 keeps the rest, and day 1 sheds everything shedding allows."""
    people = [delegate(f"d{i}", weight=1 + i) for i in range(11)]
    people = [
        replace(d, interests=(("ports", 1 + i), ("rails", 1 + i))) for i, d in enumerate(people)
    ]
    people.append(delegate("d-dock", "docks"))  # served nothing: the least share is 0
    sessions = [
        session("s-port", "h0", 60, topics=("ports",)),
        session("s-rail", "h0", 60, topics=("rails",)),
        session("s-dock", "h0", 60, topics=("docks",)),
    ]
    visit = replace(
        tiny_visit(sessions, delegates=people, hosts=[host("h0", 2.0)], days=2),
        transport=Transport(vehicles=3, seats=8),
    )
    everyone = [d.id for d in people[:-1]]
    base = Schedule(
        times={"s-port": (0, 600, 660), "s-rail": (1, 600, 660)},
        attends={did: ["s-port", "s-rail"] for did in everyone},
    )
    held = Restrictions(kept_pairs=base.pairs()).holding(base.starts(), frozenset({"s-dock"}))
    found = stages.valued(build(visit, held), _budget(), 1.0, Found(base, {}))
    order = shed_module._sheddable(open_days(visit), base, {0, 1})
    assert len(order[0]) == len(order[1]) == 10  # all but one: min_size 1
    whole, last = base.pairs(), set(order[1])

    def picky(ctx, schedule, budget, previous=None, only=None, **kw):
        pairs = schedule.pairs()
        failed = [k for k in (only or (0, 1)) if (whole <= pairs if k == 0 else last & pairs)]
        if failed:
            raise RideFailure.of_days([RideFailure(k, "made to fail") for k in failed])
        return serve(ctx, schedule, budget, previous, only=only, **kw)

    monkeypatch.setattr(shed_module, "serve", picky)
    lighter = shed_module.shed(visit, Restrictions(), found, (0, 1), _budget())
    assert lighter is not None
    assert whole - lighter.schedule.pairs() == {order[0][0]} | last
    _checked(visit, lighter)


def test_the_repair_sheds_attendees_before_it_climbs_the_ladder(monkeypatch):
    """A plan whose day 0 fails with three at s-port is served with two, at no
    stricter fleet level: the day kept its times and lost one seat."""
    visit, found = _three_at_port()
    monkeypatch.setattr(shed_module, "serve", _fewer_riders)
    monkeypatch.setattr(repair, "serve", _fewer_riders)
    repaired = repair.served_plan(visit, Restrictions(), found, _budget(), [])
    assert isinstance(repaired, repair.Repaired)
    assert repaired.restrictions.levels == {} and repaired.restrictions.cuts == ()
    assert repaired.found.schedule.times == found.schedule.times
    assert found.schedule.pairs() - repaired.found.schedule.pairs() == {("d1", "s-port")}
    _checked(visit, repaired.found)


def test_the_least_share_is_given_up_before_the_whole_plan_is_made_again(monkeypatch):
    """Every seat's loss takes its delegate below the least share (1000), so shedding
    finds nothing to shed; the day's sessions solved again find nothing either.
    Before the whole first plan is made again, the day sheds d1's seat at s-port all
    the same: the least share falls, the times stay."""
    visit, found = _three_at_port(unserved=False)
    assert found.values["fairness"] == 1000
    ctx = open_days(visit)
    assert shed_module._sheddable(ctx, found.schedule, {0}) == {0: []}
    assert shed_module._sheddable(ctx, found.schedule, {0}, keep_least=False) == {
        0: [("d1", "s-port")]
    }
    monkeypatch.setattr(shed_module, "serve", _fewer_riders)
    monkeypatch.setattr(repair, "serve", _fewer_riders)
    monkeypatch.setattr(repair, "_days_again", lambda *a, **k: None)

    def made_again(*_a, **_k):
        raise AssertionError("the whole first plan made again")

    monkeypatch.setattr(repair, "construct", made_again)
    repaired = repair.served_plan(visit, Restrictions(), found, _budget(), [])
    assert isinstance(repaired, repair.Repaired)
    assert repaired.found.schedule.times == found.schedule.times
    assert found.schedule.pairs() - repaired.found.schedule.pairs() == {("d1", "s-port")}
    assert repaired.found.values["fairness"] < 1000
    _checked(visit, repaired.found)


def test_a_repair_with_time_to_ride_once_more_still_sheds(monkeypatch):
    """With the wall clock between one and two rides' shares from its limit (where
    the improvement leaves it), shedding still runs, and the plan is not lost to
    the reserve; with less than one, the reserve is served."""
    visit, found = _three_at_port()
    reserve = replace(found, schedule=replace(found.schedule, attends={}))
    monkeypatch.setattr(shed_module, "serve", _fewer_riders)
    monkeypatch.setattr(repair, "serve", _fewer_riders)
    for rides, shed in ((1.5, True), (0.5, False)):
        budget = _budget()
        budget.started -= budget.limits.time_limit - rides * budget.rides_seconds()
        repaired = repair.served_plan(visit, Restrictions(), found, budget, [reserve])
        assert isinstance(repaired, repair.Repaired)
        lost = found.schedule.pairs() - repaired.found.schedule.pairs()
        assert (lost == {("d1", "s-port")}) is shed, rides
