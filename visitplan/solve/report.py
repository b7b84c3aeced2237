"""Goal values as the spec counts them, for the report and the live line.

The model maximises every goal; the spec counts optional sessions left out
(the model: those kept) and the re-plan's changes (the model: their
negatives)."""

from __future__ import annotations

from ..model import Visit
from .continuity import REPLAN_GOALS


def as_reported(visit: Visit, values: dict[str, int]) -> dict[str, int]:
    reported = dict(values)
    if "optional" in reported:
        optional = len([s for s in visit.sessions if s.id not in visit.must_schedule])
        reported["optional"] = optional - reported["optional"]
    for name in REPLAN_GOALS:
        if name in reported:
            reported[name] = -reported[name]
    return reported


def reported_value(visit: Visit, goal: str, value: int) -> int:
    """One goal's model value as the summary prints it."""
    return as_reported(visit, {goal: value})[goal]
