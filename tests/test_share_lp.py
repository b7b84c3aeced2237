"""The least share's LP (``solve.share_lp``): it holds for every plan, and where the
delegates compete for the same seats it is tighter than the count of each alone."""

from __future__ import annotations

import importlib

import numpy as np
from hypothesis import given

from visitplan.check import check_plan
from visitplan.solve.build import sessions_only
from visitplan.solve.seats import Seats
from visitplan.solve.share_lp import least_share

from .solving import PLANNED, delegate, plan_and_check, session, solve_visit, tiny_visit
from .test_solve import small_visits, solver_examples


def test_two_delegates_for_one_seat_share_it_at_best():
    """s1 seats one of the two who want only it: the count gives each 1000 alone,
    the LP half a seat each (500); every plan leaves one of them with nothing."""
    visit = tiny_visit([session("s1", "h1", 60, max_size=1)])
    seats = Seats.of(sessions_only(visit))
    plan = plan_and_check(visit)
    assert seats.fairness() == 1000
    assert least_share(seats, 10.0) == 500
    assert plan.report.goals["fairness"] == 0 <= 500


def test_a_seat_given_to_the_keener_still_leaves_the_other_a_part():
    """Two seats for three delegates, who want nothing else: two thirds of a seat
    each, 666 (rounded down), not the count's 1000."""
    visit = tiny_visit(
        [session("s1", "h1", 60, max_size=2)],
        delegates=[delegate(f"d{i}", "planning") for i in (1, 2, 3)],
    )
    seats = Seats.of(sessions_only(visit))
    assert seats.fairness() == 1000
    assert least_share(seats, 10.0) == 666


def test_a_delegate_no_seat_gains_anything_for_has_no_share():
    """d3 cares for a topic of a session on a day they are present, so has a
    potential, but ``Seats`` holds no pair of theirs: the least share is 0."""
    table = Seats(
        pairs=np.array([(0, 0, 5), (1, 0, 5)]),
        minutes=np.full(2, 60.0),
        hours=np.array([480.0, 480.0, 480.0]),
        seats=np.array([2]),
        potential=np.array([5, 5, 5]),
    )
    assert least_share(table, 10.0) == 0


def test_a_visit_larger_than_the_lp_keeps_the_count(monkeypatch):
    module = importlib.import_module("visitplan.solve.share_lp")
    seats = Seats.of(sessions_only(tiny_visit([session("s1", "h1", 60, max_size=1)])))
    monkeypatch.setattr(module, "LARGEST", len(seats.pairs) - 1)
    assert least_share(seats, 10.0) is None


@solver_examples(12)
@given(visit=small_visits())
def test_every_plan_keeps_within_the_lp(visit):
    """A bound below a plan would report a gap that is not there."""
    plan, report = solve_visit(visit, deterministic_time=1.0)
    if report.status not in PLANNED:
        return
    assert check_plan(visit, plan) == []
    lp = least_share(Seats.of(sessions_only(visit)), 10.0)
    assert lp is not None and lp >= report.goals["fairness"]
    assert report.goal_bounds["fairness"] >= report.goals["fairness"]
