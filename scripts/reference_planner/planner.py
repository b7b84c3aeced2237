"""The two stages in order, timed, and their plan judged by visitplan's own check."""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial

import ortools

from visitplan.check import Violation, check_plan
from visitplan.model import Visit
from visitplan.plan import Plan, SolveReport
from visitplan.travel import TravelTable

from . import cpsat, highs
from .assemble import build_plan
from .attendance import Attendance, plan_attendance
from .candidates import gather
from .goals import measure
from .outcome import Limits
from .slots import Block, NotApplicable, Presence, premises_broken, visit_slots
from .timetable import Timetable, plan_timetable

ISSUED = datetime(2027, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class ReferenceOptions:
    time_limit: float = 60.0
    """Wall-clock seconds for both stages together."""
    deterministic_time: float | None = None
    """CP-SAT deterministic seconds for both stages together (for tests)."""
    timetable_share: float = 0.3
    """The part of each limit stage 1 may use; stage 2 gets the rest."""
    seed: int = 0
    solver: str = "highs"
    """``highs`` (HiGHS's MIP) or ``cpsat``; a deterministic_time needs ``cpsat``."""


@dataclass
class ReferenceResult:
    plan: Plan | None
    status: str
    """OPTIMAL: every goal of stage 2 proven for the timetable; FEASIBLE; or NO PLAN (none
    found within the limits, or none exists)."""
    seconds: float
    first_plan_seconds: float | None
    timetable: Timetable | None
    attendance: Attendance | None
    goals: dict[str, int] = field(default_factory=dict)
    """Measured on the plan (``goals.measure``)."""
    violations: list[Violation] = field(default_factory=list)


def plan_reference(
    visit: Visit, blocks: Sequence[Block], options: ReferenceOptions = ReferenceOptions()
) -> ReferenceResult:
    """Plan ``visit`` in two stages with sessions at the starts of ``blocks``.

    Raises NotApplicable when the visit breaks the planner's premises (``slots``).
    """
    broken = premises_broken(visit, blocks)
    if broken:
        raise NotApplicable(broken)
    started = time.monotonic()
    presence = Presence(visit, TravelTable(visit))
    found = gather(visit, presence, visit_slots(visit, blocks))
    share = options.timetable_share
    deterministic = options.deterministic_time
    run = {"cpsat": cpsat.run, "highs": highs.run}[options.solver]
    run_two = partial(highs.run, presolve=False) if options.solver == "highs" else run
    stage_one = Limits(
        max(0.01, share * options.time_limit - (time.monotonic() - started)),
        None if deterministic is None else share * deterministic,
        options.seed,
    )
    timetable = plan_timetable(found, stage_one, run)
    if timetable is None:
        return ReferenceResult(None, "NO PLAN", time.monotonic() - started, None, None, None)
    stage_two_began = time.monotonic()
    stage_two = Limits(
        max(0.01, options.time_limit - (stage_two_began - started)),
        None if deterministic is None else (1 - share) * deterministic,
        options.seed,
    )
    attendance = plan_attendance(found, timetable, stage_two, stage_two_began, run_two)
    seconds = time.monotonic() - started
    if attendance is None:
        return ReferenceResult(None, "NO PLAN", seconds, None, timetable, None)
    first = None
    if attendance.first_seconds is not None:
        first = stage_two_began - started + attendance.first_seconds
    proven = all(attendance.proven.get(g, False) for g in ("fairness", "interest", "optional"))
    report = SolveReport(
        status="OPTIMAL" if proven else "FEASIBLE",
        objective=attendance.goals.get("interest"),
        best_bound=attendance.bounds.get("interest"),
        seconds=round(seconds, 3),
        first_plan_seconds=None if first is None else round(first, 3),
        seed=options.seed,
        workers=1,
        parameters={"solver": options.solver, "timetable_share": share},
        ortools_version=ortools.__version__,
        goals=dict(attendance.goals),
        goal_bounds=dict(attendance.bounds),
    )
    plan = build_plan(visit, presence, timetable.slot_of, attendance.attends, report, ISSUED)
    return ReferenceResult(
        plan,
        report.status,
        seconds,
        first,
        timetable,
        attendance,
        goals=measure(visit, plan),
        violations=check_plan(visit, plan),
    )
