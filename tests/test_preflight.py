"""Preflight: counts and advice an organiser reads before solving."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from visitplan.model import TravelTime, Visit
from visitplan.preflight import summary, warnings
from visitplan.read import load_visit

TINY = Path(__file__).parent / "visits" / "tiny"
DATA = Path(__file__).parent.parent / "data"


OSLO = ZoneInfo("Europe/Oslo")


@pytest.fixture(scope="module")
def tiny() -> Visit:
    """The tiny visit with d2 arriving before the lunch window, so that it draws no
    advice (as written, d2 arrives during it: ``test_arrival_during_lunch_...``)."""
    visit = load_visit(TINY)
    return with_delegate(visit, "d2", arrives=datetime(2009, 8, 24, 11, 0, tzinfo=OSLO))


def with_delegate(visit: Visit, delegate_id: str, **changes) -> Visit:
    delegates = tuple(replace(d, **changes) if d.id == delegate_id else d for d in visit.delegates)
    return replace(visit, delegates=delegates)


def with_session(visit: Visit, session_id: str, **changes) -> Visit:
    sessions = tuple(replace(s, **changes) if s.id == session_id else s for s in visit.sessions)
    return replace(visit, sessions=sessions)


def step_free(visit: Visit, *host_ids: str) -> Visit:
    hosts = tuple(replace(h, step_free=h.id in host_ids) for h in visit.hosts)
    return replace(visit, hosts=hosts)


def test_summary_counts_what_was_read(tiny):
    assert summary(tiny) == [
        "delegates: 3",
        "hosts: 2",
        "sessions: 4 (1 all, 3 choice; 2 required, 2 optional)",
        "programme days: 2 (2009-08-24, 2009-08-25)",
        "days without programme: 1 (2009-08-26)",
        "availability windows: 3 (2 hosts)",
        "cost lines: 3",
    ]


def test_a_sound_visit_has_no_warnings(tiny):
    assert warnings(tiny) == []


def test_delegate_without_interests(tiny):
    visit = with_delegate(tiny, "d3", interests=())
    assert warnings(visit) == [
        "delegate d3 (Ēriks Kalniņš) has no interests: choice sessions cannot be matched to them"
    ]


def test_topic_nobody_is_interested_in(tiny):
    visit = with_session(tiny, "sme-b", topics=("forestry",))
    assert warnings(visit) == ["topic 'forestry' (sessions sme-b) interests no delegate"]


def test_session_longer_than_every_window_of_its_host(tiny):
    visit = with_session(tiny, "ntnu-edu", minutes=480)
    assert warnings(visit) == ["session ntnu-edu (480 min) fits no window of host ntnu"]


def test_session_pinned_where_it_does_not_fit(tiny):
    visit = with_session(tiny, "welcome", pin_start=time(17, 45))
    assert warnings(visit) == ["session welcome (30 min) fits no window of the base at its pin"]


def test_host_nobody_can_reach_and_return_from_in_a_day(tiny):
    far = (TravelTime("base", "stjordal", 150), TravelTime("stjordal", "ntnu", 40))
    visit = replace(tiny, travel=far)
    assert warnings(visit) == [
        "host stjordal (Stjørdal kommune) cannot be reached from the base, hold its "
        "shortest session (120 min) and return within any day's frame"
    ]


def test_choice_session_needing_more_attendees_than_delegates(tiny):
    visit = with_session(tiny, "sme-a", min_size=5)
    assert warnings(visit) == [
        "session sme-a needs at least 5 attendees, but the visit has 3 delegates"
    ]


def test_must_attend_delegate_away_whenever_the_session_can_be_held(tiny):
    early = datetime(2009, 8, 24, 8, 0, tzinfo=ZoneInfo("Europe/Oslo"))
    visit = with_delegate(tiny, "d3", must_attend=("sme-a",), departs=early)
    assert warnings(visit) == [
        "delegate d3 must attend sme-a, but is present on no day it can be held"
    ]


@pytest.mark.parametrize("name", ["latgale-trondelag-2009", "vidzeme-ostfold-2009"])
def test_seed_visits_summarise(name):
    folder = DATA / name
    if not folder.exists():
        pytest.skip(f"{folder} is not written yet")
    visit = load_visit(folder)
    assert summary(visit)[0] == f"delegates: {len(visit.delegates)}"
    assert all(isinstance(line, str) for line in warnings(visit))


def test_arrival_during_the_lunch_window_is_remarked():
    """Rule 8 plans no break for a stay that does not cover the window: say so."""
    assert warnings(load_visit(TINY)) == [
        "delegate d2 arrives 2009-08-24 12:00, during the lunch window (11:30–13:30): "
        "no lunch break is planned for them that day"
    ]


def test_arrival_after_and_departure_before_the_lunch_window_are_remarked(tiny):
    visit = with_delegate(
        tiny,
        "d1",
        arrives=datetime(2009, 8, 24, 14, 0, tzinfo=OSLO),
        departs=datetime(2009, 8, 25, 11, 0, tzinfo=OSLO),
    )
    assert warnings(visit) == [
        "delegate d1 arrives 2009-08-24 14:00, after the lunch window (11:30–13:30): "
        "no lunch break is planned for them that day",
        "delegate d1 leaves 2009-08-25 11:00, before the lunch window (11:30–13:30): "
        "no lunch break is planned for them that day",
    ]


def test_no_lunch_remark_without_a_lunch_rule_or_on_a_day_without_programme(tiny):
    late = datetime(2009, 8, 24, 14, 0, tzinfo=OSLO)
    assert warnings(replace(with_delegate(tiny, "d1", arrives=late), lunch=None)) == []
    resting = datetime(2009, 8, 26, 12, 0, tzinfo=OSLO)  # 2009-08-26 has no programme
    assert warnings(with_delegate(tiny, "d3", departs=resting)) == []


def test_validate_prints_the_lunch_remark(capsys):
    from visitplan.cli import main

    assert main(["validate", str(TINY)]) == 0
    out = capsys.readouterr().out
    assert "warning: delegate d2 arrives 2009-08-24 12:00, during the lunch window" in out


def test_step_free_delegate_is_told_which_sessions_they_will_not_attend(tiny):
    visit = step_free(with_delegate(tiny, "d3", needs="step_free"), "ntnu")
    assert warnings(visit) == [
        "delegate d3 needs step-free access: 2 of 4 sessions are at hosts not marked "
        "step_free, which they will not attend"
    ]
    assert warnings(step_free(visit, "ntnu", "stjordal")) == []


def test_step_free_delegate_who_must_attend_a_session_up_steps_is_warned(tiny):
    visit = step_free(with_delegate(tiny, "d1", needs="Step_Free", must_attend=("ntnu-edu",)))
    assert warnings(visit)[-1] == (
        "delegate d1 needs step-free access but must attend ntnu-edu at host ntnu, "
        "which is not step_free: no plan can keep both"
    )


def test_plan_prints_the_lunch_remark_before_planning(tmp_path, capsys):
    from visitplan.cli import main

    out = tmp_path / "plan"
    argv = ["plan", str(TINY), "--out", str(out), "--workers", "1", "--no-site"]
    assert main([*argv, "--deterministic-time", "2", "--time-limit", "20"]) == 0
    err = capsys.readouterr().err
    assert "warning: delegate d2 arrives 2009-08-24 12:00, during the lunch window" in err
    assert main(["check", str(TINY), str(out)]) == 0
