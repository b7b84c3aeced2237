"""The least share's bound from the seats and hours together, as a linear program.

``Seats.fairness`` fills each delegate's hours with their best as if no one
else wanted a seat: on a visit where every delegate wants the same popular
sessions, it stays far above what the seats allow all of them at once.  The
LP keeps both rules for everyone together: each pair attends a fraction
x ≤ 1, a session seats at most its max_size, a delegate's fractions fill
at most their usable minutes (``hours``), and the least share t is at most
each delegate's 1000·Σ w·x / potential.  Every plan is a solution (its
attendances as 0 or 1), so no plan's least share is above the LP's t.

GLOP solves it exactly: M (12,000 pairs) in 0.4 s, 394 from ``Seats`` down to
319; L (250,000 pairs) takes about 60 s on 2 cores, more than its bound phase
has, and keeps the count's."""

from __future__ import annotations

import numpy as np
from ortools.linear_solver.python import model_builder as mb

from .seats import Seats

LARGEST = 60_000
"""Most (delegate, session) pairs the LP is built for: M has about 12,000 and
is solved in 0.4 s; L's 250,000 take about 60 s."""

MARGIN = 1e-3
"""Added to the LP's optimum before it is rounded down: GLOP's answer is exact
to within its tolerances (1e-8 or so), and a bound a hair too low would be wrong."""


def least_share(seats: Seats, seconds: float) -> int | None:
    """No plan's least share is above this; None for a visit too large for the LP, or
    when GLOP does not prove its optimum within ``seconds``."""
    if len(seats.pairs) > LARGEST:
        return None
    has = seats.potential > 0
    if not has.any() or (has & (np.bincount(seats.delegate, minlength=len(has)) == 0)).any():
        return 0  # no one has a share, or one with potential gains from no seat: always 0
    model = mb.Model()
    attends = [model.new_num_var(0.0, 1.0, f"x{row}") for row in range(len(seats.pairs))]
    least = model.new_num_var(0.0, 1000.0, "least")
    for session, rows in _rows_by(seats.session):
        if len(rows) > seats.seats[session]:
            model.add(mb.LinearExpr.sum([attends[r] for r in rows]) <= float(seats.seats[session]))
    for delegate, rows in _rows_by(seats.delegate):
        chosen = [attends[r] for r in rows]
        model.add(
            mb.LinearExpr.weighted_sum(chosen, seats.minutes[rows]) <= float(seats.hours[delegate])
        )
        if has[delegate]:
            share = seats.weight[rows] * 1000.0 / float(seats.potential[delegate])
            model.add(mb.LinearExpr.weighted_sum(chosen, share) >= least)
    model.maximize(least)
    solver = mb.Solver("GLOP")
    solver.set_time_limit_in_seconds(max(seconds, 0.1))
    if solver.solve(model) != mb.SolveStatus.OPTIMAL:
        return None
    return int(np.floor(solver.objective_value + MARGIN))


def _rows_by(keys: np.ndarray):
    """(key, the rows holding it) for each key, in order."""
    order = np.argsort(keys, kind="stable")
    sorted_keys = keys[order]
    cuts = np.flatnonzero(np.diff(sorted_keys)) + 1
    for rows in np.split(order, cuts):
        yield int(keys[rows[0]]), rows
