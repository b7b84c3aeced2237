"""The count of seats and hours (``solve.seats``): its bounds hold for every plan,
never fall below the linear programme they are the dual of, and are tighter than
the seats or the hours alone where both bind."""

from __future__ import annotations

import importlib

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from ortools.linear_solver import pywraplp

from visitplan.check import check_plan
from visitplan.solve.build import every_pair, sessions_only
from visitplan.solve.relaxation import Relaxation
from visitplan.solve.rules.attendance import interest
from visitplan.solve.seats import Seats

from .solving import PLANNED, delegate, host, plan_and_check, session, solve_visit, tiny_visit
from .test_solve import small_visits, solver_examples


def test_a_full_session_bounds_the_interest_it_leaves_out():
    """s1 seats one of the two who want it: interest 5, as the plan has, not 10."""
    visit = tiny_visit([session("s1", "h1", 60, max_size=1)])
    seats = Seats.of(sessions_only(visit))
    assert seats.interest(0) == 5 == plan_and_check(visit).report.goals["interest"]
    assert seats.fairness() == 1000  # either of them alone could have it


def test_a_delegate_sits_in_one_session_at_a_time():
    """Three four-hour sessions in a day of 9.5 hours: the plan gives d1 two, and
    their hours hold less than the third whole (the count is fractional)."""
    visit = tiny_visit(
        [session(f"s{i}", f"h{i}", 240) for i in (1, 2, 3)],
        delegates=[delegate("d1", "planning")],
        hosts=[host(f"h{i}", 0.5 * i) for i in (1, 2, 3)],
    )
    seats = Seats.of(sessions_only(visit))
    goals = plan_and_check(visit).report.goals
    assert goals["interest"] == 10 <= seats.interest(10) < 15
    assert goals["fairness"] == 666 <= seats.fairness() < 1000


def test_the_relaxation_is_skipped_only_where_it_would_refuse(monkeypatch):
    """``too_large`` spares building every pair on L; it must never skip a relaxation
    that ``of`` would have built (two days, two sessions, two keen delegates each)."""
    visit = tiny_visit([session("s1", "h1", 60), session("s2", "h1", 60)], days=2)
    sessions = sessions_only(visit)
    keen = Seats.of(sessions).per_session()
    assert list(keen) == [2, 2]
    module = importlib.import_module("visitplan.solve.relaxation")
    for largest, refused in ((3, True), (4, False)):  # 8 choices over 2 days: 4 a day
        monkeypatch.setattr(module, "LARGEST", largest)
        assert Relaxation.too_large(sessions, keen) is refused
        assert (Relaxation.of(every_pair(visit)) is None) is refused


def test_pricing_the_hours_beats_the_seats_and_the_hours_alone():
    """Three one-seat sessions; d1 (weight 10 each) has hours for two, d2 (9 each)
    for two.  The seats alone say 30, the hours alone 38; the best is 20 + 9."""
    table = Seats(
        pairs=np.array([(d, s, 10 - d) for d in (0, 1) for s in (0, 1, 2)]),
        minutes=np.full(6, 60.0),
        hours=np.array([120.0, 120.0]),
        seats=np.array([1, 1, 1]),
        potential=np.array([30, 27]),
    )
    assert _lp(table, seats=False) == 38 and _lp(table, hours=False) == 30
    assert table.interest(29) == 29 == _lp(table)


@st.composite
def seat_tables(draw) -> Seats:
    """Up to five delegates and sessions, a random half of the pairs with interest 1-10
    and 30-240 minutes, 0-480 minutes of hours, 1-4 seats; potentials their sums."""
    delegates, sessions = draw(st.integers(1, 5)), draw(st.integers(1, 5))
    pairs = [
        (d, s, draw(st.integers(1, 10)), draw(st.sampled_from([30, 60, 90, 240])))
        for d in range(delegates)
        for s in range(sessions)
        if draw(st.booleans())
    ]
    assume(pairs)
    owners, weights = [p[0] for p in pairs], [p[2] for p in pairs]
    return Seats(
        pairs=np.array([p[:3] for p in pairs]),
        minutes=np.array([float(p[3]) for p in pairs]),
        hours=np.array([float(draw(st.integers(0, 480))) for _ in range(delegates)]),
        seats=np.array([draw(st.integers(1, 4)) for _ in range(sessions)]),
        potential=np.bincount(owners, weights=weights, minlength=delegates).astype(int),
    )


@settings(max_examples=60, deadline=None, derandomize=True)
@given(table=seat_tables())
def test_the_bound_is_never_below_the_linear_programme(table):
    """Weak duality: any price gives at least the LP's optimum (whole: a plan's
    interest is), and the count keeps the better of the seats and the hours alone."""
    bound = table.interest(0)
    assert int(_lp(table) + 1e-6) <= bound <= min(_lp(table, seats=False), _lp(table, hours=False))


@solver_examples(12)
@given(visit=small_visits())
def test_every_plan_keeps_within_the_seats_and_hours(visit):
    """A bound below a plan would stop a stage as proven, or report a gap that is not."""
    plan, report = solve_visit(visit, deterministic_time=1.0)
    if report.status not in PLANNED:
        return
    assert check_plan(visit, plan) == []
    seats = Seats.of(sessions_only(visit))
    assert seats.interest(report.goals["interest"]) >= report.goals["interest"]
    assert seats.fairness() >= report.goals["fairness"]
    candidates = every_pair(visit).candidates  # the pairs the relaxation and plans use
    gaining = {
        (d.id, sid)
        for sid, ids in candidates.items()
        for d in visit.delegates
        if d.id in ids and interest(d, visit.session(sid)) > 0 and not visit.session(sid).is_all
    }
    choice = [s for s in visit.sessions if not s.is_all]
    counted = {(visit.delegates[i].id, choice[j].id) for i, j, _w in seats.pairs}
    assert counted == gaining


def _lp(table: Seats, seats: bool = True, hours: bool = True) -> float:
    """The linear programme the count bounds, solved by GLOP (its rows optional)."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    x = [solver.NumVar(0, 1, f"x{i}") for i in range(len(table.pairs))]
    for s, seat_count in enumerate(table.seats if seats else ()):
        row = [x[i] for i, p in enumerate(table.pairs) if p[1] == s]
        if row:
            solver.Add(sum(row) <= int(seat_count))
    for d, minutes in enumerate(table.hours if hours else ()):
        row = [x[i] * table.minutes[i] for i, p in enumerate(table.pairs) if p[0] == d]
        if row:
            solver.Add(sum(row) <= float(minutes))
    solver.Maximize(sum(x[i] * p[2] for i, p in enumerate(table.pairs)))
    assert solver.Solve() == pywraplp.Solver.OPTIMAL
    return solver.Objective().Value()
