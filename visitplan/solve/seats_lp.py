"""Bounds from the seats and hours for every delegate at once: their linear
programme, solved by PDLP and certified by its Lagrangian.

The count (``seats``) fills each delegate's hours with their best as if no one
else wanted a seat, and prices only the hours for interest: where every
delegate wants the same popular sessions, its least share stays far above
what the seats allow all of them together.  The LP keeps both rules for
everyone: each pair attends a fraction x ≤ 1, a session seats at most its
max_size, a delegate's fractions fill at most their usable minutes
(``hours``), and each delegate's share 1000·Σ w·x / potential is at least the
least share.  Every plan is a solution (its attendances as 0 or 1), so its
optimum bounds every plan: the least share, and interest with the least
share held at the plan's; where interest comes first (the block family), the
least share with interest held, by one more row.

PDLP (first-order, in OR-Tools) solves it approximately: L's 250,000 pairs
in about 4 s, where GLOP's simplex took 60 s.  Its answer is never trusted
as such: its prices for the seats (λ), the shares (π) and interest (μ) go into the
Lagrangian, in which each delegate's hours are filled exactly
(``Seats.filled``), and any prices ≥ 0 give an upper bound there.  So the
bound holds whatever PDLP's accuracy, and is the LP's optimum to within
it.  Least share, seed 1: M 394 from the count down to 319, L 243 to 165;
interest with the least share held, L 278,511 down to about 266,000."""

from __future__ import annotations

import numpy as np
from ortools.linear_solver.python import model_builder as mb

from .seats import Seats

PRECISION = 1e-4
"""PDLP's relative and absolute tolerance: L's least share 165.73 (165.76 at 1e-3),
the simplex's 165.72."""

ITERATIONS = 5_000
"""PDLP's iterations at most, so that the bound is the same on every run (L needs
fewer than 500); the time given caps it as well."""

LARGEST = 500_000
"""Most (delegate, session) pairs the LP is built for: L has about 250,000 (built in
1.2 s, solved in 2.6 s); XL's 1,000,000 take 7 s to build and 23 s to solve, more
than its bound phase has."""

MARGIN = 1e-6
"""Relative slack added before a certified bound is rounded down: the Lagrangian's
sums in floating point."""


def least_share(seats: Seats, seconds: float, interest_held: int = 0) -> int | None:
    """No plan's least share is above this, nor, with ``interest_held``, that of any plan
    with at least that much interest (where interest is the goal before it, as in the
    block family); None for a visit too large for the LP or when PDLP returns no
    prices in ``seconds``."""
    if len(seats.pairs) > LARGEST:
        return None
    has = seats.potential > 0
    if not has.any() or _without_pairs(seats).any():
        return 0  # no one has a share, or one with potential gains from no seat: 0
    programme = _Programme(seats)
    least = programme.model.new_num_var(0.0, 1000.0, "least")
    shares = programme.shares(least)
    met = programme.interest_row(interest_held)
    programme.model.maximize(least)
    prices = programme.prices(shares, seconds, met)
    if prices is None:
        return None
    seat_prices, share_prices, interest_price = prices
    if share_prices.sum() <= 0:
        return None
    share_prices = share_prices / share_prices.sum()  # t's coefficient 1 - Σπ is then 0
    values = share_prices[seats.delegate] * programme.share + interest_price * seats.weight
    return _certified(seats, seat_prices, values, interest_price * interest_held)


def interest(seats: Seats, least: int, seconds: float) -> int | None:
    """No plan whose least share is at least ``least`` has more interest than this;
    None for a visit too large for the LP or when PDLP returns no prices in
    ``seconds``."""
    if len(seats.pairs) > LARGEST:
        return None
    if not len(seats.pairs):
        return 0
    if least > 0 and _without_pairs(seats).any():
        return None  # no plan has that least share: nothing to say
    programme = _Programme(seats)
    shares = programme.shares(least) if least > 0 else {}
    programme.model.maximize(programme.met())
    prices = programme.prices(shares, seconds)
    if prices is None:
        return None
    seat_prices, share_prices, _none = prices
    values = seats.weight + share_prices[seats.delegate] * programme.share
    return _certified(seats, seat_prices, values, least * share_prices.sum())


class _Programme:
    """The LP's variables and its seats and hours rows; the shares' rows on request."""

    def __init__(self, seats: Seats):
        self.seats = seats
        self.model = mb.Model()
        self.attends = [self.model.new_num_var(0.0, 1.0, f"x{r}") for r in range(len(seats.pairs))]
        self.share = seats.weight * 1000.0 / np.maximum(seats.potential[seats.delegate], 1)
        """Per pair, the share of the delegate's potential its interest is."""
        self.by_delegate = list(_rows_by(seats.delegate))
        """(delegate index, their pairs' rows), for the hours' and the shares' rows."""
        self.seat_rows = {}
        for session, rows in _rows_by(seats.session):
            chosen = [self.attends[r] for r in rows]
            self.seat_rows[session] = self.model.add(
                mb.LinearExpr.sum(chosen) <= float(seats.seats[session])
            )
        for delegate, rows in self.by_delegate:
            chosen = [self.attends[r] for r in rows]
            self.model.add(
                mb.LinearExpr.weighted_sum(chosen, seats.minutes[rows])
                <= float(seats.hours[delegate])
            )

    def shares(self, least) -> dict:
        """Each delegate with a potential: their share at least ``least`` (a variable
        or a number); their rows by delegate index."""
        rows = {}
        for delegate, pairs in self.by_delegate:
            if self.seats.potential[delegate] > 0:
                chosen = [self.attends[r] for r in pairs]
                met = mb.LinearExpr.weighted_sum(chosen, self.share[pairs])
                rows[delegate] = self.model.add(met - least >= 0)
        return rows

    def met(self):
        """Interest: Σ w·x over every pair."""
        return mb.LinearExpr.weighted_sum(self.attends, self.seats.weight)

    def interest_row(self, at_least: int):
        """Interest at least ``at_least``, when above 0: its row, else None."""
        if at_least <= 0:
            return None
        return self.model.add(self.met() >= float(at_least))

    def prices(self, shares: dict, seconds: float, interest_row=None):
        """PDLP's prices of the seats, the shares and the interest row (all ≥ 0; the
        last 0 without the row), or None."""
        solver = mb.Solver("PDLP")
        solver.set_time_limit_in_seconds(seconds)
        eps = f"eps_optimal_absolute: {PRECISION} eps_optimal_relative: {PRECISION}"
        solver.set_solver_specific_parameters(
            f"num_threads: 1 termination_criteria {{ iteration_limit: {ITERATIONS}"
            f" simple_optimality_criteria {{ {eps} }} }}"
        )
        if solver.solve(self.model) != mb.SolveStatus.OPTIMAL:
            return None
        seat_prices = np.zeros(len(self.seats.seats))
        for session, row in self.seat_rows.items():
            seat_prices[session] = abs(float(solver.dual_value(row)))
        share_prices = np.zeros(len(self.seats.hours))
        for delegate, row in shares.items():
            share_prices[delegate] = abs(float(solver.dual_value(row)))
        interest_price = 0.0 if interest_row is None else abs(solver.dual_value(interest_row))
        return seat_prices, share_prices, float(interest_price)


def _without_pairs(seats: Seats) -> np.ndarray:
    """Per delegate: has a potential but no pair (no seat gains them anything)."""
    counted = np.bincount(seats.delegate, minlength=len(seats.hours))
    return (seats.potential > 0) & (counted == 0)


def _certified(seats: Seats, seat_prices: np.ndarray, values: np.ndarray, held: float) -> int:
    """The Lagrangian's bound: each pair's value ``values`` less its seat's price, each
    delegate's hours filled exactly with those (``Seats.filled``), plus the prices of
    all seats, less ``held`` (the held rows' prices times their right-hand sides);
    rounded down with ``MARGIN``."""
    values = values - seat_prices[seats.session]
    value = seat_prices @ seats.seats - held + seats.filled(values).sum()
    return int(np.floor(value + MARGIN * max(1.0, abs(value))))


def _rows_by(keys: np.ndarray):
    """(key, the rows holding it) for each key, in order."""
    order = np.argsort(keys, kind="stable")
    cuts = np.flatnonzero(np.diff(keys[order])) + 1
    for rows in np.split(order, cuts):
        if len(rows):
            yield int(keys[rows[0]]), rows
