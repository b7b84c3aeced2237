"""The seats and hours LP (``solve.seats_lp``): its bounds hold for every plan, are
the LP's optimum to within PDLP's accuracy, and where the delegates compete for
the same seats they are tighter than the count of each alone."""

from __future__ import annotations

import importlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from ortools.linear_solver import pywraplp

from visitplan.check import check_plan
from visitplan.solve import seats_lp
from visitplan.solve.build import sessions_only
from visitplan.solve.seats import Seats

from .solving import PLANNED, delegate, plan_and_check, session, solve_visit, tiny_visit
from .test_seats import seat_tables
from .test_solve import small_visits, solver_examples


def test_two_delegates_for_one_seat_share_it_at_best():
    """s1 seats one of the two who want only it: the count gives each 1000 alone,
    the LP half a seat each (500); every plan leaves one of them with nothing."""
    visit = tiny_visit([session("s1", "h1", 60, max_size=1)])
    seats = Seats.of(sessions_only(visit))
    plan = plan_and_check(visit)
    assert seats.fairness() == 1000
    assert seats_lp.least_share(seats, 10.0) == 500
    assert plan.report.goals["fairness"] == 0 <= 500


def test_two_seats_for_three_leave_each_two_thirds():
    visit = tiny_visit(
        [session("s1", "h1", 60, max_size=2)],
        delegates=[delegate(f"d{i}", "planning") for i in (1, 2, 3)],
    )
    seats = Seats.of(sessions_only(visit))
    assert seats.fairness() == 1000
    assert seats_lp.least_share(seats, 10.0) == 666


def test_a_least_share_held_costs_the_keener_half_the_seat():
    """One seat, wanted by d0 (10) and d1 (5), each wanting nothing else: interest
    10 at most, but 7.5 once each must have half their potential."""
    table = Seats(
        pairs=np.array([(0, 0, 10), (1, 0, 5)]),
        minutes=np.full(2, 60.0),
        hours=np.array([480.0, 480.0]),
        seats=np.array([1]),
        potential=np.array([10, 5]),
    )
    assert seats_lp.interest(table, 0, 10.0) == 10 == table.interest(0)
    assert seats_lp.least_share(table, 10.0) == 500
    assert seats_lp.interest(table, 500, 10.0) == 7
    assert seats_lp.interest(table, 400, 10.0) == 8  # x0 ≤ 0.6


def test_interest_held_first_costs_the_least_share():
    """One seat, wanted by d0 (5) and d1 (1), each wanting nothing else.  Where
    interest comes first and is held at 4, d0 needs three quarters of the seat
    (5·x0 + x1 ≥ 4 with x0 + x1 ≤ 1): d1 keeps a quarter, 250; held at 3, half."""
    table = Seats(
        pairs=np.array([(0, 0, 5), (1, 0, 1)]),
        minutes=np.full(2, 60.0),
        hours=np.array([480.0, 480.0]),
        seats=np.array([1]),
        potential=np.array([5, 1]),
    )
    assert seats_lp.least_share(table, 10.0) == 500
    assert seats_lp.least_share(table, 10.0, 3) == 500
    assert seats_lp.least_share(table, 10.0, 4) == 250
    assert seats_lp.least_share(table, 10.0, 5) == 0


def test_a_delegate_no_seat_gains_anything_for_has_no_share():
    """d2 has a potential but no pair: no plan has a least share above 0, nor any
    interest with a least share above 0 held."""
    table = Seats(
        pairs=np.array([(0, 0, 5), (1, 0, 5)]),
        minutes=np.full(2, 60.0),
        hours=np.array([480.0, 480.0, 480.0]),
        seats=np.array([2]),
        potential=np.array([5, 5, 5]),
    )
    assert seats_lp.least_share(table, 10.0) == 0
    assert seats_lp.interest(table, 0, 10.0) == 10
    assert seats_lp.interest(table, 1, 10.0) is None


def test_a_visit_larger_than_the_lp_keeps_the_count(monkeypatch):
    module = importlib.import_module("visitplan.solve.seats_lp")
    seats = Seats.of(sessions_only(tiny_visit([session("s1", "h1", 60, max_size=1)])))
    monkeypatch.setattr(module, "LARGEST", len(seats.pairs) - 1)
    assert seats_lp.least_share(seats, 10.0) is None
    assert seats_lp.interest(seats, 0, 10.0) is None


@settings(max_examples=40, deadline=None, derandomize=True)
@given(table=seat_tables(), data=st.data())
def test_the_bounds_are_the_linear_programmes(table, data):
    """Certified from PDLP's prices, each bound is at least the LP's optimum (GLOP's,
    exact), so it holds, and at most a hair above it, so it is the LP's."""
    share = _lp(table)
    assert int(share + 1e-6) <= seats_lp.least_share(table, 10.0) <= share + 1 + share / 1000
    least = data.draw(st.integers(0, int(share + 1e-6)))
    most = _lp(table, least)
    assert int(most + 1e-6) <= seats_lp.interest(table, least, 10.0) <= most + 1 + most / 1000
    met = data.draw(st.integers(0, int(_lp(table, 0) + 1e-6)))  # interest held first
    share = _lp(table, interest_held=met)
    bound = seats_lp.least_share(table, 10.0, met)
    assert int(share + 1e-6) <= bound <= share + 1 + share / 1000


@solver_examples(12)
@given(visit=small_visits())
def test_every_plan_keeps_within_the_lp(visit):
    """A bound below a plan would report a gap that is not there."""
    plan, report = solve_visit(visit, deterministic_time=1.0)
    if report.status not in PLANNED:
        return
    assert check_plan(visit, plan) == []
    seats = Seats.of(sessions_only(visit))
    goals = report.goals
    assert seats_lp.least_share(seats, 10.0) >= goals["fairness"]
    assert seats_lp.interest(seats, goals["fairness"], 10.0) >= goals["interest"]
    assert report.goal_bounds["fairness"] >= goals["fairness"]
    assert report.goal_bounds["interest"] >= goals["interest"]


def _lp(table: Seats, least: int | None = None, interest_held: int = 0) -> float:
    """GLOP's optimum: the least share (with interest at least ``interest_held``) when
    ``least`` is None, else interest with every share at least ``least``."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    x = [solver.NumVar(0, 1, f"x{i}") for i in range(len(table.pairs))]
    t = solver.NumVar(0, 1000, "t")
    for s, seat_count in enumerate(table.seats):
        row = [x[i] for i, p in enumerate(table.pairs) if p[1] == s]
        if row:
            solver.Add(sum(row) <= int(seat_count))
    for d, minutes in enumerate(table.hours):
        mine = [i for i, p in enumerate(table.pairs) if p[0] == d]
        solver.Add(sum(x[i] * table.minutes[i] for i in mine) <= float(minutes))
        if table.potential[d] > 0:
            share = sum(x[i] * (1000.0 * table.pairs[i][2] / table.potential[d]) for i in mine)
            solver.Add(share >= (t if least is None else least))
    interest = sum(x[i] * p[2] for i, p in enumerate(table.pairs))
    if least is None:
        if interest_held:
            solver.Add(interest >= interest_held)
        solver.Maximize(t)
    else:
        solver.Maximize(interest)
    assert solver.Solve() == pywraplp.Solver.OPTIMAL
    return solver.Objective().Value()
