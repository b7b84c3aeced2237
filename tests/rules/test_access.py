"""Access needs: codes in a delegate's ``needs`` that the plan keeps.

``no_walking``: the delegate never walks a leg; their travel time is the
vehicle's.  ``step_free``: the delegate attends sessions only at the base and
at hosts marked step-free; excused from a whole-delegation session elsewhere;
a must_attend session elsewhere cannot be planned, and the reason says so.

Host ``near`` is 0.5 km north of the base, walkable in ceil(60 × 1.3 × 0.5 /
4.5) + 10 = 19 minutes (30 on the grid), while travel.csv makes the drive 40
minutes, 50 with the buffer (60 on the grid).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from visitplan.cli import main
from visitplan.model import Transport

from ..solving import (
    attendees,
    cannot_plan,
    delegate,
    greedy_rides_only,
    host,
    plan_and_check,
    session,
    sessions_of,
    tiny_visit,
    travel,
)

TINY = Path(__file__).parent.parent / "visits" / "tiny"
SLOW_DRIVE = dict(hosts=[host("near", 0.5)], travel_times=[travel("base", "near", 40)])
FLEETS = {
    "unnumbered": Transport(walk_km=1.0),
    "numbered": Transport(vehicles=2, seats=10, walk_km=1.0),
}


def _base_then_near(near_start: str, transport: Transport, d2_must=(), **changes):
    """A session at the base 09:00-10:00, then one at ``near``, for a walker d1 and a
    delegate d2 who needs no walking."""
    return tiny_visit(
        [
            session("s-base", "base", 60, start="09:00", **changes),
            session("s-near", "near", 60, start=near_start, **changes),
        ],
        delegates=[
            delegate("d1", "planning"),
            delegate("d2", "planning", needs="wheelchair user; no_walking", must_attend=d2_must),
        ],
        transport=transport,
        **SLOW_DRIVE,
    )


@pytest.mark.parametrize("fleet", [*sorted(FLEETS), "greedy"])
def test_a_delegate_who_needs_no_walking_rides_while_others_walk(fleet, monkeypatch):
    """An hour between the sessions: enough for the drive, so both delegates attend
    both; d1 walks (no vehicle minutes), d2 is driven (by the rides model, by its
    greedy rule, or unnumbered)."""
    if fleet == "greedy":
        greedy_rides_only(monkeypatch)
    transport = FLEETS.get(fleet, FLEETS["numbered"])
    plan = plan_and_check(_base_then_near("11:00", transport, audience="all"))
    assert attendees(plan, "s-near") == {"d1", "d2"}
    d2_legs = [g for g in plan.legs if g.delegate_id == "d2"]
    assert d2_legs and all(g.vehicle != "walk" for g in d2_legs)
    assert any(g.vehicle == "walk" for g in plan.legs if g.delegate_id == "d1")


@pytest.mark.parametrize("fleet", sorted(FLEETS))
def test_a_delegate_who_needs_no_walking_gets_no_session_only_a_walk_reaches(fleet):
    """Half an hour between the sessions: d1 walks there in time, d2 would need the
    hour-long drive, so d2 attends only one of the two."""
    plan = plan_and_check(_base_then_near("10:30", FLEETS[fleet]))
    assert sessions_of(plan, "d1") == {"s-base", "s-near"}
    assert len(sessions_of(plan, "d2")) == 1
    assert all(g.vehicle != "walk" for g in plan.legs if g.delegate_id == "d2")


def test_must_attend_that_only_a_walk_reaches_cannot_be_planned_and_says_why():
    why = cannot_plan(_base_then_near("10:30", FLEETS["numbered"], ("s-base", "s-near")))
    assert "no walking" in why and "d2" in why


STEPS = dict(hosts=[host("level", 0.5, step_free=True), host("steps", 0.5)])


def _step_free_visit(sessions, **d1_changes):
    return tiny_visit(
        sessions,
        delegates=[
            delegate("d1", "planning", needs="Step_Free", **d1_changes),
            delegate("d2", "planning"),
        ],
        **STEPS,
    )


def test_a_delegate_who_needs_step_free_access_attends_a_step_free_host():
    plan = plan_and_check(_step_free_visit([session("s-level", "level", 60, start="10:00")]))
    assert attendees(plan, "s-level") == {"d1", "d2"}


def test_a_delegate_who_needs_step_free_access_attends_nothing_up_steps():
    """A choice session of interest up steps: d2 attends it, d1 does not; an `all`
    session up steps: d1 is excused, as a delegate away would be."""
    plan = plan_and_check(
        _step_free_visit(
            [
                session("s-steps", "steps", 60, start="10:00"),
                session("s-all", "steps", 60, start="14:00", audience="all"),
                session("s-base", "base", 60, start="16:00", audience="all"),
            ]
        )
    )
    assert attendees(plan, "s-steps") == {"d2"}
    assert attendees(plan, "s-all") == {"d2"}
    assert attendees(plan, "s-base") == {"d1", "d2"}  # the base counts as step-free


def test_must_attend_up_steps_cannot_be_planned_and_says_why():
    why = cannot_plan(_step_free_visit([session("s-steps", "steps", 60)], must_attend=("s-steps",)))
    assert "d1 needs step-free access" in why and "s-steps" in why


def test_one_vehicle_keeps_one_route_for_those_who_can_follow_it():
    """With one vehicle every day starts on one route for the whole delegation; a
    delegate who cannot go up the steps is left out of that stop, not the route
    given up (which would keep the places apart instead)."""
    plan = plan_and_check(
        tiny_visit(
            [
                session("s-steps", "steps", 60),
                session("s-level", "level", 60),
                session("s-all", "steps", 60, audience="all"),
            ],
            delegates=[
                delegate("d1", "planning", needs="step_free"),
                delegate("d2", "planning"),
                delegate("d3", "planning"),
            ],
            transport=Transport(vehicles=1, seats=10),
            **STEPS,
        )
    )
    assert sessions_of(plan, "d1") == {"s-level"}
    assert sessions_of(plan, "d2") == sessions_of(plan, "d3") == {"s-steps", "s-level", "s-all"}
    assert any("one route" in line for line in plan.report.diagnosis), plan.report.diagnosis


def test_sessions_up_steps_count_for_nothing_in_a_step_free_delegates_share():
    """Section 4's potential counts only sessions the delegate could attend: d1 gets
    every session they can reach, so the least share is whole."""
    plan = plan_and_check(
        _step_free_visit(
            [
                session("s-level", "level", 60, start="10:00"),
                session("s-steps", "steps", 60, start="14:00"),
            ]
        )
    )
    assert sessions_of(plan, "d1") == {"s-level"}
    assert sessions_of(plan, "d2") == {"s-level", "s-steps"}
    assert plan.report.goals["fairness"] == 1000


def test_plan_of_a_must_attend_up_steps_exits_3_naming_the_access_need(tmp_path, capsys):
    """From the organiser's files: d1 needs step-free access and must attend a session
    at NTNU, which hosts.csv does not mark step-free."""
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    delegates = folder / "delegates.csv"
    text = delegates.read_text(encoding="utf-8")
    written = text.replace(
        '",welcome,"vegetarian;\nneeds a step-free entrance"', '",welcome;ntnu-edu,"step_free"'
    )
    assert written != text
    delegates.write_text(written, encoding="utf-8")
    out = tmp_path / "plan"
    issued = ["--issued", "2009-08-01T10:00:00Z"]
    assert main(["plan", str(folder), "--out", str(out), "--workers", "1", "--quiet", *issued]) == 3
    err = capsys.readouterr().err
    assert "d1 needs step-free access" in err and "ntnu-edu" in err
    assert not out.exists()
