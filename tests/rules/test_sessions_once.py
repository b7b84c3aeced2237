"""Rule 1 (scheduling): every required, whole-delegation and must_attend session
is held exactly once; any other session at most once."""

from __future__ import annotations

from collections import Counter

from ..solving import (
    cannot_plan,
    delegate,
    held,
    host,
    plan_and_check,
    session,
    tiny_visit,
)


def test_required_all_and_must_attend_sessions_are_held_exactly_once():
    visit = tiny_visit(
        [
            session("s-req", "h1", 60, topics=("ports",), required=True),
            session("s-all", "h1", 60, audience="all"),
            session("s-must", "h2", 60, topics=("ports",)),
            session("s-opt", "h2", 60),
            session("s-big", "h2", 60, min_size=3),
        ],
        hosts=[host("h1"), host("h2", 0.8)],
        delegates=[
            delegate("d1", "planning"),
            delegate("d2", "planning", must_attend=("s-must",)),
        ],
    )
    plan = plan_and_check(visit)
    counts = Counter(s.session_id for s in plan.sessions)
    assert all(n == 1 for n in counts.values()), counts
    assert {"s-req", "s-all", "s-must"} <= set(counts)
    assert "s-opt" in counts  # an optional session someone cares for is kept when it fits
    assert held(plan, "s-big") is None  # min_size 3 with two delegates: left out


def test_two_required_sessions_ordered_after_each_other_cannot_both_be_held():
    visit = tiny_visit(
        [
            session("s-a", "h1", 60, required=True, after=("s-b",)),
            session("s-b", "h1", 60, required=True, after=("s-a",)),
        ]
    )
    diagnosis = cannot_plan(visit)
    assert diagnosis.startswith("These rules cannot all hold")
    assert "session s-a (required) must be held" in diagnosis
    assert "session s-b (required) must be held" in diagnosis
    assert "session s-a must start after session s-b ends" in diagnosis
    assert "session s-b must start after session s-a ends" in diagnosis


def test_a_must_attend_session_with_no_room_cannot_be_held():
    visit = tiny_visit(
        [
            session("s-first", "h1", 480, audience="all", start="09:00"),
            session("s-must", "h1", 60),
        ],
        delegates=[delegate("d1", "planning", must_attend=("s-must",)), delegate("d2")],
    )
    diagnosis = cannot_plan(visit)
    lines = diagnosis.splitlines()
    assert any("s-must" in line and "must" in line for line in lines[1:]), diagnosis
    assert "session s-first (whole delegation) must be held" in diagnosis
