"""The evaluation after the visit: forms out, answers in, figures for the organiser.

``visitplan evaluation PLAN_DIR OUT_DIR`` writes one form per delegate (:mod:`.form`),
listing only the sessions they attended in the plan, and ``evaluation.csv``, the header
an online form is built from (:mod:`.online`).  ``--collect`` reads filled forms and CSV
exports back (:mod:`.reading`), checks every answer against the plan (:mod:`.checking`),
sums them up (:mod:`.summary`) and writes ``evaluation.xlsx`` (:mod:`.workbook`) and
``evaluation.json`` into the plan folder, whose site then gets an evaluation page
(:mod:`.folders`).  Everything is built from the views, never the solver.
"""

from __future__ import annotations

from .checking import check_answers
from .folders import FORMS_MARKER, write_forms, write_results
from .reading import read_answers
from .summary import Summary, summarise

__all__ = [
    "FORMS_MARKER",
    "Summary",
    "check_answers",
    "read_answers",
    "summarise",
    "write_forms",
    "write_results",
]
