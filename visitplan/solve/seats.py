"""Bounds counted from seats and hours, for visits the relaxation is too large for.

No plan seats more delegates in a session than it holds, and no delegate sits
in more minutes of sessions than their days there hold (``hours``: less lunch,
their ``all`` sessions and the rides between places).  Keeping only those two
rules, interest is at most

    Σ_d μ_d·U_d + Σ_s (the max_size largest of w_ds − μ_d·m_s that are positive)

for any μ ≥ 0 (U_d a delegate's usable minutes, m_s a session's with its rides, w_ds the
interest: a Lagrangian dual, each delegate's hours priced at μ_d).  At μ = 0
it is the seats alone; a fixed number of subgradient steps then prices the
hours of the delegates the seats over-book.  Every μ gives a bound, and so
does each delegate's hours filled with what they care for most, seats aside
(a fractional knapsack); the least is kept, the same on every run.  Block L
(1,000 × 600): 340,115 from the seats, about 332,600 after the steps, against
the relaxation's 1,564,476, for plans of about 307,000; regular L about
280,800 against 1,449,506 (plans of about 136,000: there the plans are far,
not the bound alone).  The fairness bound is that knapsack as a share of each
delegate's potential: no plan's least share is above the least of those.

Groups, rooms, days and times are dropped: each only takes plans away, so the
bounds hold for every plan, if loosely where those rules bind.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .goals import potential
from .hours import Hours
from .rules import attendance
from .rules.attendance import interest
from .variables import Context

STEPS = 30
"""Subgradient steps on the hours' prices: block L's bound (257,767 pairs, about 40 ms a
step) falls from 340,115 to 332,728 in 20 steps and to 332,501 in 100."""


@dataclass(frozen=True)
class Seats:
    """The (delegate, session) pairs that gain interest, with the seats and hours."""

    pairs: np.ndarray
    """One row a pair: delegate index, session index, interest."""
    minutes: np.ndarray
    """Per pair, the minutes its session takes of the delegate's days (``hours``)."""
    hours: np.ndarray
    """Per delegate index, the minutes of sessions their days hold."""
    seats: np.ndarray
    """Per session index, its max_size (or all who want it)."""
    potential: np.ndarray
    """Per delegate index, their potential (``goals.potential``)."""

    @classmethod
    def of(cls, ctx: Context) -> Seats:
        """The count for a visit, ``ctx`` giving its sessions' days with every pair a
        candidate (``build.sessions_only``): the candidates of every plan
        (``rules.attendance``) less the fillers, whose seats gain no goal."""
        visit = ctx.visit
        choice = [s for s in visit.sessions if not s.is_all]
        index = {d.id: i for i, d in enumerate(visit.delegates)}
        lists = {d.id: attendance.shortlist(ctx, d) for d in visit.delegates}
        hours = Hours.of(ctx, choice)
        pairs, minutes = [], []  # (delegate index, session index, interest), minutes
        for j, session in enumerate(choice):
            for did in attendance.candidates(ctx, session, lists):
                weight = interest(visit.delegate(did), session)
                if weight > 0:
                    pairs.append((index[did], j, weight))
                    minutes.append(hours.minutes[session.id])
        table = np.array(pairs, dtype=np.int64).reshape(-1, 3)
        wanted = np.bincount(table[:, 1], minlength=len(choice))
        return cls(
            table,
            np.array(minutes, dtype=float),
            np.array([hours.usable[d.id] for d in visit.delegates], dtype=float),
            np.array(
                [wanted[j] if s.max_size is None else s.max_size for j, s in enumerate(choice)]
            ),
            np.array([potential(visit, ctx, d) for d in visit.delegates]),
        )

    @property
    def delegate(self) -> np.ndarray:
        return self.pairs[:, 0]

    @property
    def session(self) -> np.ndarray:
        return self.pairs[:, 1]

    @property
    def weight(self) -> np.ndarray:
        return self.pairs[:, 2].astype(float)

    def per_session(self) -> np.ndarray:
        """Per session index, how many delegates it could gain a goal from."""
        return np.bincount(self.session, minlength=len(self.seats))

    def bound(self, name: str, reached: int) -> int | None:
        """Goal ``name``'s bound, or None for a goal the count says nothing of."""
        if name == "fairness":
            return self.fairness()
        return self.interest(reached) if name == "interest" else None

    def fairness(self) -> int:
        """The least share no plan exceeds: each delegate's hours filled with their best."""
        has = self.potential > 0
        if not has.any():
            return 0
        best = np.floor(self._own_best() + 1e-6)
        return int(np.min(1000 * best[has] // self.potential[has]))

    def interest(self, reached: int) -> int:
        """The interest no plan exceeds; ``reached`` (a plan's) only sizes the steps."""
        if not len(self.weight):
            return 0
        own = int(np.floor(self._own_best().sum() + 1e-6))
        prices = np.zeros(len(self.hours))
        least, pace, stalled = float(own), 1.0, 0
        for _ in range(STEPS):
            value, booked = self._priced(prices)
            if value < least - 1e-6:
                least, stalled = value, 0
            else:
                stalled += 1
                if stalled == 3:  # Polyak's step overshoots near the optimum: halve it
                    pace, stalled = pace / 2, 0
            slack = self.hours - booked
            norm = float(slack @ slack)
            if norm == 0:
                break  # every delegate's hours exactly booked: this price is optimal
            step = pace * max(value - reached, 1.0) / norm
            prices = np.maximum(0.0, prices - step * slack)
        return int(np.floor(least + 1e-6))

    def _priced(self, prices):
        """The dual's value at ``prices`` and the minutes it books for each delegate."""
        reduced = self.weight - prices[self.delegate] * self.minutes
        order = np.lexsort((-reduced, self.session))
        sessions = self.session[order]
        first = np.searchsorted(sessions, sessions, side="left")
        rank = np.arange(len(order)) - first
        taken = order[(reduced[order] > 0) & (rank < self.seats[sessions])]
        value = float(prices @ self.hours) + float(reduced[taken].sum())
        booked = np.bincount(
            self.delegate[taken], weights=self.minutes[taken], minlength=len(self.hours)
        )
        return value, booked

    def _own_best(self):
        """Per delegate, the interest of their hours filled best, seats aside."""
        return self.filled(self.weight)

    def filled(self, values: np.ndarray) -> np.ndarray:
        """Per delegate, the most their hours hold of ``values`` (one a pair; those not
        positive are left out), seats aside: the fractional knapsack, pairs by value a
        minute and the last one in part.  ``seats_lp`` certifies its bounds with it."""
        gain = np.maximum(values, 0.0)
        order = np.lexsort((-gain / self.minutes, self.delegate))
        who, minutes, gain = self.delegate[order], self.minutes[order], gain[order]
        before = np.cumsum(minutes) - minutes
        used = before - before[np.searchsorted(who, who, side="left")]  # theirs before it
        room = np.clip(self.hours[who] - used, 0.0, None)
        part = np.minimum(1.0, room / minutes)
        return np.bincount(who, weights=part * gain, minlength=len(self.hours))
