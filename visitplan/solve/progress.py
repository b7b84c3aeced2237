"""The live line on a terminal while a phase searches, in the summary's words."""

from __future__ import annotations

import sys
from collections.abc import Callable

from ortools.sat.python import cp_model

from .budget import Budget


class Progress(cp_model.CpSolverSolutionCallback):
    """Prints the goal's value as the summary counts it (``show``) at each solution,
    and stops the search once it reaches ``stop_at``, a bound known from elsewhere
    (the relaxation): nothing better exists."""

    def __init__(
        self,
        budget: Budget,
        goal: str,
        expr,
        show: Callable[[int], int] | None,
        stop_at: int | None = None,
    ):
        super().__init__()
        self.budget = budget
        self.goal = goal
        self.expr = expr
        self.show = show
        self.stop_at = stop_at
        self.solutions = 0
        self.first: float | None = None
        """Wall-clock seconds since the solve began, at the first solution."""
        self.bounded = True
        """Whether the objective is ``expr`` itself, so its bound is the goal's."""

    def on_solution_callback(self) -> None:
        self.solutions += 1
        if self.first is None:
            self.first = self.budget.elapsed()
        value = round(self.Value(self.expr)) if not isinstance(self.expr, int) else self.expr
        if self.stop_at is not None and self.bounded and value >= self.stop_at:
            self.StopSearch()
        if self.show is None:
            return
        line = f"\r  {self.budget.elapsed():6.1f}s  {self.goal}: {self.show(value)} so far"
        if self.bounded:
            line += f", {self.show(round(self.BestObjectiveBound()))} at best possible"
        sys.stderr.write(line + "   ")
        sys.stderr.flush()

    def end(self) -> None:
        if self.show is not None and self.solutions:
            sys.stderr.write("\n")
            sys.stderr.flush()
