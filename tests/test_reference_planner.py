"""The two-stage reference planner (scripts/reference_planner) makes real plans.

Each plan here is judged by ``check_plan``.  The planner proves these small visits
optimal for its timetable, so the results do not depend on the time limits, which
are only a safety net.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from visitplan.check import check_plan
from visitplan.model import GOALS
from visitplan.read import read_visit
from visitplan.timegrid import minute_of

from .solving import DAY1, delegate, host, local, session, tiny_visit, window

SCRIPTS = Path(__file__).resolve().parent.parent / "scripts"
INTEREST_FIRST = ("interest", *(goal for goal in GOALS if goal != "interest"))


@pytest.fixture(scope="module")
def reference():
    sys.path.insert(0, str(SCRIPTS))
    try:
        import reference_planner

        yield reference_planner
    finally:
        sys.path.remove(str(SCRIPTS))


@pytest.fixture(scope="module")
def benchmark():
    spec = importlib.util.spec_from_file_location(
        "visitplan_benchmark_for_reference", SCRIPTS / "benchmark.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        yield module
    finally:
        sys.modules.pop(spec.name, None)


@pytest.fixture(scope="module")
def block_s(benchmark, tmp_path_factory):
    visit, problems = read_visit(benchmark.generate_blocks("S", 1, tmp_path_factory.mktemp("s")))
    assert [str(p) for p in problems] == []
    return visit


def test_block_s_plan_keeps_every_rule_and_its_interest_is_proven(reference, benchmark, block_s):
    found = reference.plan_reference(
        block_s, benchmark.BLOCKS, reference.ReferenceOptions(time_limit=60, seed=1)
    )
    assert found.plan is not None
    assert [str(v) for v in check_plan(block_s, found.plan)] == []
    assert found.violations == []
    attendance = found.attendance
    assert attendance.proven["interest"]
    assert found.goals["interest"] == attendance.goals["interest"] == attendance.bounds["interest"]
    assert found.goals == reference.measure(block_s, found.plan)
    starts = {start for start, _end in benchmark.BLOCKS}
    assert found.plan.sessions and all(minute_of(s.start) in starts for s in found.plan.sessions)
    assert found.plan.legs and all(leg.vehicle == "" for leg in found.plan.legs)


def test_block_s_stage_two_optimum_is_the_same_for_both_solvers(reference, benchmark, block_s):
    """The attendance model on HiGHS's timetable, solved again by CP-SAT, proves the same
    interest: what stage 2 reports is the optimum of its model, not a solver's slip."""
    from reference_planner import cpsat, highs
    from reference_planner.attendance import plan_attendance
    from reference_planner.candidates import gather
    from reference_planner.outcome import Limits
    from reference_planner.slots import Presence, visit_slots
    from reference_planner.timetable import plan_timetable

    from visitplan.travel import TravelTable

    presence = Presence(block_s, TravelTable(block_s))
    found = gather(block_s, presence, visit_slots(block_s, benchmark.BLOCKS))
    timetable = plan_timetable(found, Limits(30, seed=1), highs.run)
    assert timetable is not None and timetable.outcome.proven
    by_highs = plan_attendance(found, timetable, Limits(30), time.monotonic(), highs.run)
    by_cpsat = plan_attendance(
        found, timetable, Limits(30, deterministic=20.0), time.monotonic(), cpsat.run
    )
    assert by_highs.proven["interest"] and by_cpsat.proven["interest"]
    assert by_highs.goals["interest"] == by_cpsat.goals["interest"]


def _tiny_block_visit(**changes):
    """One day 08:00-17:00, one host with one room 0.5 km away open all day, and
    three 90-minute sessions: ``a`` and ``b`` one group on topic x, ``c`` on y, each
    for one delegate.  d1 cares for x (5) and y (1), d2 for x (3) and arrives 12:30."""
    sessions = [
        session("a", "h1", 90, ("x",), max_size=1, group="g"),
        session("b", "h1", 90, ("x",), max_size=1, group="g"),
        session("c", "h1", 90, ("y",), max_size=1),
    ]
    delegates = [
        replace(delegate("d1", "x"), interests=(("x", 5), ("y", 1))),
        delegate("d2", "x", weight=3, arrives=local(DAY1, "12:30")),
    ]
    visit = tiny_visit(
        sessions,
        delegates=delegates,
        hosts=[host("h1", rooms=1)],
        frame=("08:00", "17:00"),
        windows=[window("h1", DAY1, "08:30", "16:30")],
    )
    return replace(visit, objective_order=INTEREST_FIRST, **changes)


def test_tiny_block_visit_reaches_its_known_optimum(reference, benchmark):
    """d1 attends one of the group (5) and c (1), d2 the other run in the afternoon (3):
    9 is the most; a plan that let d1 attend both runs would reach 11."""
    visit = _tiny_block_visit()
    found = reference.plan_reference(
        visit, benchmark.BLOCKS, reference.ReferenceOptions(time_limit=30)
    )
    assert [str(v) for v in check_plan(visit, found.plan)] == []
    assert found.status == "OPTIMAL"
    assert found.goals == {"fairness": 500, "interest": 9, "optional": 0}
    attended = {(a.delegate_id, a.session_id): a for a in found.plan.assignments}
    d2 = [a for (who, _s), a in attended.items() if who == "d2"]
    assert len(d2) == 1 and minute_of(d2[0].start) >= 13 * 60  # after arriving at 12:30
    assert ("d1", "c") in attended
    starts = sorted(minute_of(s.start) for s in found.plan.sessions)
    assert len(set(starts)) == 3  # one room: three different blocks


def test_a_visit_outside_the_premises_is_not_applicable(reference, benchmark):
    from .solving import lunch

    visit = _tiny_block_visit(lunch=lunch())
    with pytest.raises(reference.NotApplicable) as raised:
        reference.plan_reference(visit, benchmark.BLOCKS)
    assert raised.value.reasons == ("a lunch rule",)


def test_measure_counts_section_4_on_any_plan(reference):
    """potential(d) counts sessions on days d is there; fairness is the least share."""
    visit = _tiny_block_visit()
    assert reference.potentials(visit) == {"d1": 11, "d2": 6}


def test_the_regular_family_is_outside_the_premises(reference, benchmark, tmp_path):
    visit, _ = read_visit(benchmark.generate("S", 1, tmp_path / "s"))
    with pytest.raises(reference.NotApplicable) as raised:
        reference.plan_reference(visit, benchmark.BLOCKS)
    assert "a lunch rule" in raised.value.reasons
    assert "`all` sessions" in raised.value.reasons
    assert "numbered vehicles (vehicles or seats set)" in raised.value.reasons
