"""One solve of a stage's model by CP-SAT: one worker, a fixed seed, the limits."""

from __future__ import annotations

import time

import numpy as np
from ortools.sat.python import cp_model

from .outcome import Limits, Outcome


class _FirstSolution(cp_model.CpSolverSolutionCallback):
    def __init__(self, started: float):
        super().__init__()
        self.started = started
        self.first: float | None = None

    def on_solution_callback(self) -> None:
        if self.first is None:
            self.first = time.monotonic() - self.started


def run(model: cp_model.CpModel, limits: Limits, hint: np.ndarray | None = None) -> Outcome:
    """Solve within the limits, starting from ``hint`` (a value per variable) if given."""
    model.ClearHints()
    if hint is not None:
        for index, value in enumerate(hint):
            model.AddHint(model.GetIntVarFromProtoIndex(index), int(value))
    solver = cp_model.CpSolver()
    params = solver.parameters
    params.num_workers = 1
    params.random_seed = limits.seed
    params.linearization_level = 2  # at-most-ones in the LP: stage 2 proves in a blink
    params.max_time_in_seconds = max(0.01, limits.seconds)
    if limits.deterministic is not None:
        params.max_deterministic_time = max(0.01, limits.deterministic)
    started = time.monotonic()
    first = _FirstSolution(started)
    status = solver.Solve(model, first)
    seconds = time.monotonic() - started
    found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    values = np.array(solver.ResponseProto().solution if found else [], dtype=np.int64)
    return Outcome(
        status=solver.StatusName(status),
        values=values,
        objective=solver.ObjectiveValue() if found else 0.0,
        bound=solver.BestObjectiveBound(),
        seconds=seconds,
        first_seconds=first.first,
        work=solver.deterministic_time,
    )
