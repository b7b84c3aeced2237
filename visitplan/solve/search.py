"""Two small CP-SAT habits shared by the schedule stages and the first plan."""

from __future__ import annotations

from ortools.sat.python import cp_model


def solver_for(params: dict) -> cp_model.CpSolver:
    """A solver with these CP-SAT parameters (the ones recorded in the report)."""
    solver = cp_model.CpSolver()
    for key, value in params.items():
        setattr(solver.parameters, key, value)
    return solver


def hint_all(model: cp_model.CpModel, source) -> None:
    """Hint every variable with its value in ``source``: a solver of this model, or
    (solver, count) of an earlier attempt whose first ``count`` variables are the same."""
    solver, count = source if isinstance(source, tuple) else (source, len(model.Proto().variables))
    model.ClearHints()
    for index in range(min(count, len(model.Proto().variables))):
        var = model.GetIntVarFromProtoIndex(index)
        model.AddHint(var, solver.Value(var))
