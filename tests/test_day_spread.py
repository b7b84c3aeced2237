"""Large visits: one day per session chosen before solving (``day_spread``).

The choice is a restriction, not a rule: the plan must still keep every rule,
and when the chosen days leave no plan, the solve is repeated without them."""

from __future__ import annotations

import importlib

import pytest

from visitplan.solve import build, day_spread
from visitplan.solve.budget import Budget, Limits
from visitplan.solve.phases import construct
from visitplan.solve.restrictions import Restrictions
from visitplan.solve.schedule import DAY

from .solving import DAY1, DAY2, delegate, host, local, plan_and_check, session, tiny_visit


@pytest.fixture
def always_spread(monkeypatch):
    """Every visit is large: days are chosen, and the engine takes the large visits' path."""
    monkeypatch.setattr(day_spread, "SPREAD_ABOVE", -1)
    monkeypatch.setattr(importlib.import_module("visitplan.solve.build"), "WHOLE_LARGEST", 0)


def test_only_large_visits_are_spread():
    small = tiny_visit([session("s1", "h1")], days=2)
    assert not day_spread.needed(small)


def test_sessions_are_spread_over_the_days_after_their_after_list(always_spread):
    """Four one-room-host sessions of three hours on two days go two a day; s-late,
    which comes after s-early, is never on an earlier day."""
    visit = tiny_visit(
        [
            session("s-a", "h1", 180),
            session("s-b", "h1", 180),
            session("s-early", "h1", 180),
            session("s-late", "h1", 180, after=("s-early",)),
            session("s-pinned", "h2", 60, date=DAY2),
        ],
        hosts=[host("h1"), host("h2", 0.8)],
        days=2,
    )
    chosen = day_spread.choose_days(build(visit))
    assert "s-pinned" not in chosen  # one possible day: nothing to choose
    assert sorted(chosen.values()) == [0, 0, 1, 1]
    assert chosen["s-early"] <= chosen["s-late"]


def test_cp_sats_timetable_holds_each_session_on_its_chosen_day(always_spread):
    """The chosen days restrict the one model that leaves every time free on a large
    visit, CP-SAT's timetable (``phases.construct``); the plan still checks clean."""
    visit = tiny_visit(
        [session(f"s{i}", "h1", 120, topics=("ports",)) for i in range(1, 5)],
        delegates=[delegate("d1", "ports"), delegate("d2", "ports")],
        days=2,
    )
    chosen = day_spread.choose_days(build(visit))
    budget = Budget(Limits(10.0, 1.0, 1, 0))
    times, _out, _ranking = construct._timetable(visit, Restrictions(), budget)
    assert times and {sid: start // DAY for sid, start in times.items()} == {
        sid: chosen[sid] for sid in times
    }
    plan_and_check(visit)


def test_when_the_chosen_days_leave_no_plan_the_days_are_left_open(always_spread):
    """d1 leaves after day 1 and must attend s-talk; day 1 is loaded with a long
    pinned visit, so the spread puts s-talk on day 2, where d1 is gone."""
    visit = tiny_visit(
        [
            session("s-talk", "h1", 60, topics=("ports",)),
            session("s-tour", "h2", 360, audience="all", date=DAY1, start="09:00"),
        ],
        hosts=[host("h1"), host("h2", 0.8)],
        delegates=[
            delegate("d1", "ports", must_attend=("s-talk",), departs=local(DAY2, "07:00")),
            delegate("d2", "ports"),
        ],
        days=2,
    )
    assert day_spread.choose_days(build(visit)) == {"s-talk": 1}
    plan = plan_and_check(visit)
    talk = next(s for s in plan.sessions if s.session_id == "s-talk")
    assert talk.date == DAY1
