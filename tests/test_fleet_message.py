"""A fleet too small says which day and which ride it cannot serve (issue 15, item 15).

It used to end with exit 4 "no plan found within the time limit" after a few
seconds of a 30-second limit, naming no day and no ride.  Where the pins,
windows and must-attend lists prove the fleet short, the visit cannot be
planned (exit 3); otherwise the run still ends with exit 4, but names the
day and the ride of the last schedule the vehicles could not serve."""

from __future__ import annotations

import pytest

from visitplan import cli
from visitplan.model import Transport

from .solving import DAY1, delegate, host, plan_and_check, session, solve_visit, tiny_visit, window

DELEGATES = tuple(delegate(f"d{i:02d}") for i in range(10))
ONE_SMALL_VAN = Transport(vehicles=1, seats=5)
"""Five seats: the ten delegates need two loads, a round trip of 98 minutes apart."""


def _far_session(transport=ONE_SMALL_VAN):
    """An all-session 49 min by vehicle from the base, its host open 09:30-11:00: it starts
    by 10:00, and from 08:30 one vehicle brings one load by then."""
    return tiny_visit(
        [session("far", "h1", 60, audience="all")],
        delegates=DELEGATES,
        hosts=(host("h1", km_north=30, name="Stjørdal kommune"),),
        windows=(window("h1", DAY1, "09:30", "11:00"),),
        transport=transport,
    )


def _two_places(pinned: bool, transport=ONE_SMALL_VAN, audience: str = "all"):
    """Two sessions 49 min apart by vehicle: ``sb`` at 12:00 sharp (its host's only
    hour), ``sa`` pinned to 10:00 (``pinned``) or anywhere in its host's 09:00-11:00,
    so over by 10:00 at the earliest.  Either way the van takes one load across in
    time.  ``audience="choice"`` makes both required choice sessions for all ten:
    every delegate still rides, but the must-attend lists no longer prove it."""
    at = {"start": "10:00"} if pinned else {}
    size = {} if audience == "all" else {"required": True, "min_size": len(DELEGATES)}
    return tiny_visit(
        [
            session("sa", "ha", 60, audience=audience, date=DAY1, **at, **size),
            session("sb", "hb", 60, audience=audience, date=DAY1, **size),
        ],
        delegates=DELEGATES,
        hosts=(host("ha", km_north=30, name="Host A"), host("hb", km_north=60, name="Host B")),
        windows=(window("ha", DAY1, "09:00", "11:00"), window("hb", DAY1, "12:00", "13:00")),
        transport=transport,
        frame=("06:00", "18:00"),
    )


def _run(monkeypatch, capsys, tmp_path, visit) -> tuple[int, str]:
    """``visitplan plan`` on a visit built in code: its exit status and what it printed."""
    monkeypatch.setattr(cli, "_load", lambda _path: visit)
    out = tmp_path / "plan"
    args = ["plan", "visit", "--out", str(out), "--quiet", "--workers", "1"]
    status = cli.main([*args, "--time-limit", "30", "--no-site"])
    assert not out.exists()
    return status, capsys.readouterr().err


def test_a_fleet_too_small_for_an_all_session_exits_3_naming_day_session_and_host(
    monkeypatch, capsys, tmp_path
):
    status, err = _run(monkeypatch, capsys, tmp_path, _far_session())
    assert status == 3
    assert "Session far at Stjørdal kommune" in err
    assert "on 2009-08-24 it starts at 10:00 at the latest" in err
    assert "can bring at most 5 of the 10 delegates who must attend it" in err


@pytest.mark.parametrize("pinned", [True, False])
def test_a_fleet_too_small_between_two_sessions_in_a_known_order_exits_3_naming_both(
    monkeypatch, capsys, tmp_path, pinned
):
    status, err = _run(monkeypatch, capsys, tmp_path, _two_places(pinned))
    assert status == 3
    assert "On 2009-08-24 the 10 delegates who must attend sa at Host A, which ends" in err
    assert "at sb at Host B, which starts 12:00" in err
    assert "can bring at most 5 of them in time" in err


def test_rides_the_fleet_cannot_serve_exit_4_naming_day_and_ride_not_the_time_limit(
    monkeypatch, capsys, tmp_path
):
    """Choice sessions that need all ten: no must-attend list proves it, so exit 4,
    with the ride of the last schedule tried that the van could not serve."""
    status, err = _run(monkeypatch, capsys, tmp_path, _two_places(False, audience="choice"))
    assert status == 4
    assert "time limit" not in err
    assert "the vehicles could not serve every ride" in err
    assert (
        "on 2009-08-24 the 1 vehicle(s) cannot carry the 10 delegates from Host A after "
    ) in err
    assert "to sb (Host B) by 12:00: 2 vehicle trips of 5 seats needed, at most 1 possible" in err


@pytest.mark.parametrize("visit", [_far_session, lambda t: _two_places(False, t)])
def test_a_second_vehicle_makes_the_same_visits_plannable(visit):
    """The bounds claim no more than they prove: with two vans the loads fit."""
    plan_and_check(visit(Transport(vehicles=2, seats=5)))


def test_the_solver_reports_the_unserved_ride_as_its_diagnosis():
    plan, report = solve_visit(_two_places(False, audience="choice"))
    assert plan is None and report.status == "TIMEOUT"
    assert any("sb (Host B) by 12:00" in line for line in report.diagnosis), report.diagnosis
