"""What one solve of a stage's model gave, whichever solver ran it."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from ortools.sat.python import cp_model_helper


@dataclass(frozen=True)
class Limits:
    """Seconds of wall clock, and of CP-SAT's deterministic time when set (tests)."""

    seconds: float
    deterministic: float | None = None
    seed: int = 0


@dataclass
class Outcome:
    status: str
    """OPTIMAL (proven), FEASIBLE (a solution, not proven) or what else the solver said."""
    values: np.ndarray
    """Each model variable's value, by its index."""
    objective: float
    bound: float
    seconds: float
    first_seconds: float | None
    """When the first solution came, from the start of the solve."""
    work: float = 0.0
    """Deterministic seconds spent (CP-SAT), to share a deterministic limit."""

    @property
    def found(self) -> bool:
        return self.status in ("OPTIMAL", "FEASIBLE")

    @property
    def proven(self) -> bool:
        return self.status == "OPTIMAL"

    def value(self, expr) -> int:
        """The value of a variable or linear expression of the model in the solution."""
        if isinstance(expr, int):
            return expr
        flat = cp_model_helper.FlatIntExpr(expr)
        total = flat.offset
        for var, coefficient in zip(flat.vars, flat.coeffs, strict=True):
            total += coefficient * int(self.values[var.index])
        return int(total)

    def true(self, var) -> bool:
        return bool(self.values[var.index] > 0.5)
