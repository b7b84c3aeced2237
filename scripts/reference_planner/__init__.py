"""A two-stage reference planner for the benchmark's block family, written only to
measure visitplan against (issue 18).  It shares no code with ``visitplan.solve``: it
reads the visit through the public model, plans with its own CP-SAT models and has
its plan judged by ``visitplan.check.check_plan``.

1. Timetable (``timetable``): each session gets a (day, block) slot, its start the
   block's start, within its host's windows and rooms, maximising a surrogate of the
   interest the delegates present can reach.
2. Attendance (``attendance``): with the times fixed, who attends what, exactly
   (for its candidate pairs), goal by goal in the visit's ``[objective] order``.

Both models are built with CP-SAT's modelling API and use only linear rows, so
either HiGHS (``highs``, the default: LP-based branch and bound suits them) or
CP-SAT (``cpsat``) solves them.  Then ``assemble`` writes the Plan (each delegate
rides alone, unnumbered) and ``goals`` counts section 4's goals on it the same way
for any plan.  One thread and a fixed seed: a solve that ends proven gives the same
plan every time.
"""

from .goals import measure, potentials
from .planner import ReferenceOptions, ReferenceResult, plan_reference
from .slots import NotApplicable

__all__ = [
    "NotApplicable",
    "ReferenceOptions",
    "ReferenceResult",
    "measure",
    "plan_reference",
    "potentials",
]
