"""One solve of a stage's model by HiGHS as a MIP, on one thread.

The stages build their models with CP-SAT's modelling API and use only linear
constraints, at-most-ones and exactly-ones over plain literals, which read directly
as rows of a MIP.  Both stages are LP-shaped (the attendance nearly a network flow),
where HiGHS's simplex-based branch and bound proves faster than CP-SAT on one worker.
"""

from __future__ import annotations

import os
import sys
import time

import highspy
import numpy as np
from ortools.sat.python import cp_model

from .outcome import Limits, Outcome

INT_MIN, INT_MAX = -(2**62), 2**62


def _lp(model: cp_model.CpModel) -> highspy.HighsLp:
    proto = model.Proto()
    n = len(proto.variables)
    starts, indices, values, lower, upper = [0], [], [], [], []
    for constraint in proto.constraints:
        if len(constraint.enforcement_literal):
            raise ValueError("a constraint with an enforcement literal is not linear")
        if constraint.has_linear():
            linear = constraint.linear
            domain = list(linear.domain)
            lower.append(-highspy.kHighsInf if domain[0] <= INT_MIN else float(domain[0]))
            upper.append(highspy.kHighsInf if domain[-1] >= INT_MAX else float(domain[-1]))
            indices += linear.vars
            values += linear.coeffs
        elif constraint.has_at_most_one() or constraint.has_exactly_one():
            exactly = constraint.has_exactly_one()
            literals = list(
                (constraint.exactly_one if exactly else constraint.at_most_one).literals
            )
            if any(literal < 0 for literal in literals):
                raise ValueError("a negated literal is not linear")
            lower.append(1.0 if exactly else 0.0)
            upper.append(1.0)
            indices += literals
            values += [1.0] * len(literals)
        else:
            raise ValueError(f"constraint {constraint.name!r} is not linear")
        starts.append(len(indices))
    cost = np.zeros(n)
    for var, coefficient in zip(proto.objective.vars, proto.objective.coeffs, strict=True):
        cost[var] += coefficient  # CP-SAT keeps a maximisation negated: always minimise
    lp = highspy.HighsLp()
    lp.num_col_, lp.num_row_ = n, len(lower)
    lp.col_cost_ = cost
    bounds = [list(v.domain) for v in proto.variables]  # (these lists take no index -1)
    lp.col_lower_ = np.array([b[0] for b in bounds], dtype=float)
    lp.col_upper_ = np.array([b[-1] for b in bounds], dtype=float)
    lp.row_lower_ = np.array(lower, dtype=float)
    lp.row_upper_ = np.array(upper, dtype=float)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.start_ = np.array(starts, dtype=np.int32)
    lp.a_matrix_.index_ = np.array(indices, dtype=np.int32)
    lp.a_matrix_.value_ = np.array(values, dtype=float)
    lp.a_matrix_.num_col_, lp.a_matrix_.num_row_ = n, len(lower)
    lp.sense_ = highspy.ObjSense.kMinimize
    lp.integrality_ = [highspy.HighsVarType.kInteger] * n
    return lp


def _quiet_highs() -> highspy.Highs:
    """A Highs instance, without the banner its first construction prints to stdout
    (where the benchmark prints its table)."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "w") as null:
            os.dup2(null.fileno(), 1)
            highs = highspy.Highs()
    finally:
        os.dup2(saved, 1)
        os.close(saved)
    highs.silent()
    return highs


def run(
    model: cp_model.CpModel,
    limits: Limits,
    hint: np.ndarray | None = None,
    presolve: bool = True,
) -> Outcome:
    """Solve within ``limits.seconds``, starting from ``hint`` (a value per variable).

    ``presolve=False`` for the attendance: on block L (262,000 pairs) HiGHS 1.16 stalls
    after its presolve for minutes, past any time limit, and without it proves the
    optimum in about 7 seconds."""
    proto = model.Proto()
    highs = _quiet_highs()
    highs.setOptionValue("threads", 1)
    highs.setOptionValue("random_seed", limits.seed)
    highs.setOptionValue("time_limit", max(0.01, limits.seconds))
    highs.setOptionValue("mip_rel_gap", 0.0)  # objectives are whole numbers: a gap under 1
    highs.setOptionValue("mip_abs_gap", 0.999)  # is a proof
    if not presolve:
        highs.setOptionValue("presolve", "off")
    highs.passModel(_lp(model))
    if hint is not None:
        start = highspy.HighsSolution()
        start.col_value = [float(v) for v in hint]
        start.value_valid = True
        highs.setSolution(start)
    started = time.monotonic()
    first: list[float] = []

    def improved(_event) -> None:
        if not first:
            first.append(time.monotonic() - started)

    highs.cbMipImprovingSolution.subscribe(improved)
    highs.run()
    seconds = time.monotonic() - started
    info = highs.getInfo()
    has = info.primal_solution_status == 2  # a feasible solution
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    scale = proto.objective.scaling_factor or 1.0
    offset = proto.objective.offset
    values = np.round(np.array(highs.getSolution().col_value)).astype(np.int64) if has else None
    objective = scale * (info.objective_function_value + offset) if has else 0.0
    bound = scale * (info.mip_dual_bound + offset)
    if optimal:
        bound = objective
    return Outcome(
        status="OPTIMAL" if optimal else "FEASIBLE" if has else "UNKNOWN",
        values=values if values is not None else np.zeros(0, dtype=np.int64),
        objective=objective,
        bound=bound,
        seconds=seconds,
        first_seconds=first[0] if first else (seconds if has else None),
    )
