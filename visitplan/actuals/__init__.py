"""Actual attendance: who was where after the visit, and what it cost.

``visitplan actuals VISIT PLAN_DIR ACTUALS`` reads what the organiser recorded, an
``actual.csv`` (:mod:`.read_csv`) or the kit's ticked sign-in sheets in ``kit.xlsx``
(:mod:`.read_kit`), holds it against the visit and the plan (:mod:`.validate`),
works out each delegate's actual sessions, journey and no-show days
(:mod:`.attendance`), recounts rule 9 and the per diems with them
(:mod:`.stays`, :mod:`.compare`), lists every difference (:mod:`.differences`) and
writes actuals.xlsx (:mod:`.sheet`).
"""

from __future__ import annotations

from pathlib import Path

from visitplan.model import Visit
from visitplan.plan import Plan

from . import read_csv, read_kit
from .compare import Comparison, compare
from .records import Actuals, InvalidActuals, Problem
from .summary import summary_lines
from .validate import check

__all__ = [
    "Actuals",
    "Comparison",
    "InvalidActuals",
    "Problem",
    "FILE",
    "compare",
    "read_actuals",
    "summary_lines",
]

FILE = "actuals.xlsx"


def read_actuals(visit: Visit, plan: Plan, path: Path) -> Actuals:
    """The actuals in ``path`` (a workbook is read as the kit's kit.xlsx, anything else
    as actual.csv), checked against the visit and the plan.

    Raises
    ------
    InvalidActuals
        With every problem found, when there is any.
    """
    path = Path(path)
    reader = read_kit if path.suffix.casefold() in (".xlsx", ".xlsm") else read_csv
    return check(visit, plan, reader.read(path))
