"""The relaxation without the clock (``solve.relaxation``): its bound on a goal
must hold for every plan, and where it is tight it is the true optimum."""

from __future__ import annotations

from hypothesis import given

from visitplan.solve import build
from visitplan.solve.build import every_pair, sessions_and_candidates
from visitplan.solve.relaxation import Relaxation
from visitplan.solve.rules import attendance

from .solving import (
    DAY1,
    PLANNED,
    delegate,
    host,
    plan_and_check,
    session,
    solve_visit,
    tiny_visit,
    window,
)
from .test_solve import small_visits, solver_examples

LIMIT = {"max_deterministic_time": 1.0, "random_seed": 0}


def test_a_full_session_proves_the_interest_it_leaves_out():
    """s1 takes one delegate: interest 5 is the best any plan can do, and the
    relaxation says so without times; it does not claim 4 is."""
    visit = tiny_visit([session("s1", "h1", 60, max_size=1)])
    relaxation = Relaxation(build(visit))
    assert relaxation.bound("interest", {}, LIMIT) == 5


def test_a_fairness_floor_is_held_when_interest_is_bounded():
    """d1 cares for s1 (weight 5), d2 for s1 and s2 (weight 2 each).  s1 takes one,
    so one of them misses it: fairness is at most 500 (d2 with s2 only), and
    then interest at most 5 + 2."""
    visit = tiny_visit(
        [
            session("s1", "h1", 60, topics=("ports",), max_size=1),
            session("s2", "h1", 60, topics=("roads",)),
        ],
        delegates=[delegate("d1", "ports"), delegate("d2", "ports", "roads", weight=2)],
    )
    relaxation = Relaxation(build(visit))
    assert relaxation.bound("fairness", {}, LIMIT) == 500  # d2 gets s2 but not s1
    assert relaxation.bound("interest", {"fairness": 500}, LIMIT) == 7
    assert relaxation.bound("interest", {"fairness": 501}, LIMIT) is None  # no such plan


@solver_examples(12)
@given(visit=small_visits())
def test_every_plan_is_a_solution_of_the_relaxation(visit):
    """If the relaxation left out something a plan can do, its bound could fall
    below that plan's value and a stage would be stopped or proven too soon."""
    plan, report = solve_visit(visit, deterministic_time=1.0)
    if report.status not in PLANNED:
        return
    ctx = build(visit)
    relaxation = Relaxation(ctx)
    optional = len([s for s in visit.sessions if s.id not in visit.must_schedule])
    values = dict(report.goals, optional=optional - report.goals["optional"])
    held: dict[str, int] = {}
    for name in ("fairness", "interest", "optional"):
        assert relaxation.bound(name, held, LIMIT) >= values[name], (name, values)
        held[name] = values[name]


def test_a_bound_holds_for_plans_beyond_a_shortlist(monkeypatch):
    """With shortlists of one session a day, d1 is a candidate for s1 only (s2 has
    d2, so needs no filler); the bound is made from every keen pair, so it covers
    the plan in which d1 attends both."""
    monkeypatch.setattr(attendance, "SHORTLIST_PER_DAY", 1)
    visit = tiny_visit(
        [session("s1", "h1", 60), session("s2", "h1", 60, topics=("planning", "ports"))],
        delegates=[delegate("d1", "planning"), delegate("d2", "ports")],
    )
    shortlisted = Relaxation(sessions_and_candidates(visit)).bound("interest", {}, LIMIT)
    bound = Relaxation(every_pair(visit)).bound("interest", {}, LIMIT)
    plan = plan_and_check(visit)
    assert plan.report.goals["interest"] == 15 == bound > shortlisted == 10


def test_a_delegate_sits_in_one_session_at_a_time():
    """Three four-hour sessions in a day of 9.5 hours: any plan gives d1 two of them,
    and so does the bound; without the time they have, it said three."""
    visit = tiny_visit(
        [session(f"s{i}", f"h{i}", 240) for i in (1, 2, 3)],
        delegates=[delegate("d1", "planning")],
        hosts=[host(f"h{i}", 0.5 * i) for i in (1, 2, 3)],
    )
    assert Relaxation(every_pair(visit)).bound("interest", {}, LIMIT) == 10
    assert plan_and_check(visit).report.goals["interest"] == 10


def test_a_hosts_rooms_bound_what_it_holds():
    """h1 has one room for a 3-hour window: of two 2-hour sessions, one is held."""
    visit = tiny_visit(
        [session("s1", "h1", 120), session("s2", "h1", 120, topics=("ports",))],
        delegates=[delegate("d1", "planning"), delegate("d2", "ports")],
        windows=[window("h1", DAY1, "09:00", "12:00")],
    )
    assert Relaxation(every_pair(visit)).bound("interest", {}, LIMIT) == 5
    assert plan_and_check(visit).report.goals["interest"] == 5
