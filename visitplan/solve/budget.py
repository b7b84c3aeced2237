"""The one clock of a solve, and every share of its time in one table.

A phase never reads the wall clock itself: it asks the budget how much is
left and what CP-SAT limit to pass, and hands back each solver it ran.  With
``--deterministic-time`` the budget counts CP-SAT's deterministic time (the
same on every run for a given seed and worker count), so the same phases run
in the same order and give the same plan; the wall clock is then only the
outer cap, ``time_limit``, which a busy machine may reach.  Without it the
budget counts seconds, and a busy machine gives a slower plan, never a run
that ends past its limit.
"""

from __future__ import annotations

import time as clock
from dataclasses import dataclass

SHARES = {
    "rides": 0.15,
    "rides by rule": 0.02,
    "construct": 0.5,
    "goals": 0.25,
    "wide goals": 0.6,
    "neighbourhood": 0.06,
    "bound": 0.08,
    "repair": 0.1,
    "top-up again": 0.08,
    "top-up count": 0.5,
    "shed count": 0.1,
}
"""Fractions of the schedule's time (the time limit less the rides'), except
``rides`` and ``rides by rule``, which are of the whole limit (at most
``RIDES_MOST`` seconds):

- ``rides``: kept for the rides' models, a CP-SAT model a day with numbered
  vehicles; ``rides by rule`` where there are none and each ride is placed by
  rule (block L's ten days: 0.5 s; the whole ``rides`` share left 15-45 s unused);
  once the first plan's rides are timed, less is kept (``RIDES_TIMED``), but a
  day's model may still take its part of the share;

- ``construct``: the most one rung of the first plan's ladder may take;
- ``goals``: the goal-by-goal pass over the first plan's attendance;
- ``wide goals``: the pass after it with every keen delegate a candidate
  (``build.WIDE_LARGEST``); a visit solved a day at a time (``phases.days``)
  gives that pass ``goals`` and ``wide goals`` both;
- ``neighbourhood``: the most one neighbourhood of the improvement may take;
- ``bound``: the least the relaxation's bounds get at the end (they take all
  that is left once the rides are made, the rides' share included);
- ``repair``: kept back from the improvement when a fleet is to be fitted, for
  the days whose rides the vehicles cannot serve;
- ``top-up again``: kept back from the improvement, beside ``repair``, for the
  top-up of its result (``phases.top_up``; M: a pass and its count take 1-5 s);
- ``top-up count``: the most the model's count of the top-up's result may take
  (``stages.counted``: building it is most of that, 7-10 s on L);
- ``shed count``: the same for a day that shed attendees, within a repair."""

PARTS = {
    "first goal": 2.0,
    "first goal of a day": 8.0,
    "relaxation": 0.1,
    "relaxation again": 0.25,
    "filled": 0.5,
    "repair polish": 0.5,
    "pass and count": 1.2,
    "seats lp": 0.5,
    "relaxation built": 0.5,
}
"""Parts of one stage's time, where a stage splits it:

- ``first goal``: how many times a later goal's stage the first goal's gets (it
  is the hardest to move: a least share rises only when every delegate's does,
  and it decides the most);
- ``first goal of a day``: the same for a day's model of attendance (``phases.days``);
- ``relaxation``: of a goal stage, the most the relaxation's bound may take first;
- ``relaxation again``: of a goal stage, the relaxation's second try when
  neither it nor the stage proved the goal;
- ``filled``: of the attendance's ``goals`` share, the interest-alone stage
  before them (``stages.filled``);
- ``repair polish``: of a repair's share, the improvement after its first
  solution;
- ``pass and count``: of the top-up's last pass, what another pass and the
  model's count of its result take (``phases.top_up``): the count takes less
  than a pass (regular L: 16 s against 20 s), and the phases after have their
  own time; with 2.0, L at 120 s never had time for a second pass, and with
  1.5 none for a third (47 s left where 51 were asked; 1.2 asks 44);
- ``seats lp``: of the wall clock left when the bounds begin, the most the
  seats and hours LP may take for one goal (``seats_lp``: about 4 s on L),
  so that the relaxation and the plan's files keep theirs;
- ``relaxation built``: of the ``bound`` share, the least the bounds must have
  left for the relaxation to be built at all: building it takes about a
  second on the block family's M, where at 15 s the first plan had left the
  bounds 0.2 s, and the run ended at 16.9 s."""

RIDES_MOST = 60.0
"""Seconds at most kept for the rides, whatever the limit."""

SHORTEST = 0.2
"""The least limit worth giving one CP-SAT solve (seconds or deterministic time)."""

RIDES_TIMED = 4.0
"""Once the first plan's rides are made (a visit the top-up fills, ``build.topped``), the
rides keep this many times what they took, never more than their share: the final plan's
take longer (L seed 1: 1.5 s for the first, 2.7 s for the final), and a failed day rides
again.  With the whole share kept, L at 120 s ended at 91-102 s."""

RIDES_MARGIN = 1.0
"""Seconds the rides leave before the wall clock's cap, however their days are timed:
the plan is still to be assembled and bounded."""


@dataclass(frozen=True)
class Limits:
    """What the caller asked for: the wall clock's cap and, when set, a deterministic one."""

    time_limit: float
    deterministic_time: float | None
    workers: int
    seed: int


class Budget:
    """Counts what the phases spend and says what each may still spend."""

    def __init__(self, limits: Limits, rides_model: bool = True):
        """``rides_model``: whether the rides are a CP-SAT model a day (numbered vehicles)."""
        self.limits = limits
        self.rides_share = SHARES["rides" if rides_model else "rides by rule"]
        self.started = clock.monotonic()
        self.spent_deterministic = 0.0
        self.served = False
        self.rides_kept: float | None = None  # set once the rides are timed

    @property
    def deterministic(self) -> bool:
        return self.limits.deterministic_time is not None

    def elapsed(self) -> float:
        """Wall-clock seconds since the solve began (for the report)."""
        return clock.monotonic() - self.started

    def rides_seconds(self) -> float:
        """Wall-clock seconds kept for the rides after the schedule; none once the plan
        is served (``rides_served``): the bounds then have them."""
        if self.served:
            return 0.0
        if self.rides_kept is not None:
            return min(self.rides_kept, self.rides_allowed())
        return self.rides_allowed()

    def rides_allowed(self) -> float:
        """Wall-clock seconds the rides of one schedule may take, all days together."""
        return min(RIDES_MOST, self.rides_share * self.limits.time_limit)

    def rides_timed(self, seconds: float) -> None:
        """The first plan's rides took ``seconds``: keep ``RIDES_TIMED`` times that."""
        self.rides_kept = RIDES_TIMED * seconds

    def rides_served(self) -> None:
        """The rides of the final schedule are made: nothing more is kept for them."""
        self.served = True

    def schedule_total(self) -> float:
        """The schedule phases' whole budget, in the unit the budget counts."""
        if self.deterministic:
            return self.limits.deterministic_time
        return self.limits.time_limit - self.rides_seconds()

    def share(self, name: str) -> float:
        return SHARES[name] * self.schedule_total()

    @staticmethod
    def part(name: str, of: float) -> float:
        """``PARTS[name]`` of a stage's time ``of``."""
        return PARTS[name] * of

    def spent(self) -> float:
        return self.spent_deterministic if self.deterministic else self.elapsed()

    def left(self) -> float:
        """What the schedule phases may still spend; never more than the wall clock allows."""
        wall = self.limits.time_limit - self.rides_seconds() - self.elapsed()
        if not self.deterministic:
            return wall
        return min(self.schedule_total() - self.spent_deterministic, max(0.0, wall))

    def wall_left(self) -> float:
        """Seconds until the outer cap, rides included."""
        return self.limits.time_limit - self.elapsed()

    def limit(self, wanted: float) -> float:
        """``wanted``, cut to what is left (never below ``SHORTEST``)."""
        return max(SHORTEST, min(wanted, self.left()))

    def parameters(self, limit: float, **extra) -> dict:
        """CP-SAT parameters for one solve limited to ``limit`` in the budget's unit.  In
        deterministic mode the wall clock still caps it, at what the schedule phases
        have left (capped at the whole run's, L's goal pass ran into the rides' time
        and the run ended 12 s past its limit).

        CP-SAT never takes SIGINT over: a Ctrl-C ends the whole run (``cli``), and
        its handler, left behind by one of the many short solves, once aborted the
        process instead."""
        params = {
            "num_workers": self.limits.workers,
            "random_seed": self.limits.seed,
            "linearization_level": 2,
            "catch_sigint_signal": False,
            **extra,
        }
        if self.deterministic:  # capped where the schedule's time ends, the rides' kept
            params["max_deterministic_time"] = limit
            wall = self.wall_left() - self.rides_seconds()
            params["max_time_in_seconds"] = max(SHORTEST, wall)
        else:
            params["max_time_in_seconds"] = limit
        return params

    def charge(self, solver) -> None:
        """Count a finished solve's deterministic time."""
        self.spent_deterministic += solver.deterministic_time

    def recorded(self) -> dict:
        """The parameters the report records: those every solve shares, and the limit."""
        params = {
            "num_workers": self.limits.workers,
            "random_seed": self.limits.seed,
            "linearization_level": 2,
        }
        if self.deterministic:
            params["max_deterministic_time"] = self.limits.deterministic_time
        else:
            params["max_time_in_seconds"] = self.limits.time_limit
        return params

    def limit_text(self) -> str:
        if self.deterministic:
            return f"deterministic time {self.limits.deterministic_time}"
        return f"{self.limits.time_limit} s"
