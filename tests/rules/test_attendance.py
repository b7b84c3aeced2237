"""Rules 1 and 4 (who attends): attendee bounds, must_attend, at most one session
of a group, never two sessions at once."""

from __future__ import annotations

from ..solving import (
    attendees,
    cannot_plan,
    delegate,
    held,
    host,
    plan_and_check,
    session,
    sessions_of,
    tiny_visit,
)


def test_must_attend_groups_and_sizes_are_kept():
    visit = tiny_visit(
        [
            session("s-ports", "h1", 60, topics=("ports",)),
            session("s-run1", "h1", 60, group="tour"),
            session("s-run2", "h1", 60, group="tour"),
            session("s-pair", "h2", 60, topics=("roads",), min_size=2, max_size=2),
            session("s-crowd", "h2", 60, topics=("rails",), min_size=4),
        ],
        hosts=[host("h1", rooms=2), host("h2", 0.8, rooms=2)],
        delegates=[
            delegate("d1", "planning", "roads", "rails"),
            delegate("d2", "planning", "roads", "rails", must_attend=("s-ports",)),
            delegate("d3", "planning", "roads", "rails"),
        ],
    )
    plan = plan_and_check(visit)
    assert "d2" in attendees(plan, "s-ports")  # no interest in ports, but must attend
    for d in ("d1", "d2", "d3"):
        assert len(sessions_of(plan, d) & {"s-run1", "s-run2"}) <= 1, d
    assert len(attendees(plan, "s-pair")) == 2
    assert held(plan, "s-crowd") is None  # min_size 4 with three delegates
    for d in ("d1", "d2", "d3"):
        mine = sorted((a.date, a.start, a.end) for a in plan.assignments if a.delegate_id == d)
        for (day_a, _, end_a), (day_b, start_b, _) in zip(mine, mine[1:], strict=False):
            assert day_a != day_b or end_a <= start_b, f"{d} is in two sessions at once"


def test_must_attend_on_two_overlapping_pinned_sessions_cannot_be_kept():
    visit = tiny_visit(
        [
            session("s-a", "h1", 60, start="10:00"),
            session("s-b", "h2", 60, start="10:30"),
        ],
        hosts=[host("h1"), host("h2", 0.8)],
        delegates=[delegate("d1", must_attend=("s-a", "s-b")), delegate("d2", "planning")],
    )
    diagnosis = cannot_plan(visit)
    assert "delegate d1 must attend session s-a" in diagnosis
    assert "delegate d1 must attend session s-b" in diagnosis
    assert "delegate d1 can be in only one place at a time" in diagnosis


def test_a_required_session_larger_than_the_delegation_cannot_be_held():
    visit = tiny_visit([session("s-big", "h1", 60, required=True, min_size=3)])
    diagnosis = cannot_plan(visit)
    assert "session s-big (required) must be held" in diagnosis
    assert "session s-big needs 3 to any number of attendees" in diagnosis


def test_two_delegates_who_must_attend_a_session_for_one_cannot_both_attend():
    visit = tiny_visit(
        [session("s-solo", "h1", 60, max_size=1)],
        delegates=[
            delegate("d1", must_attend=("s-solo",)),
            delegate("d2", must_attend=("s-solo",)),
        ],
    )
    diagnosis = cannot_plan(visit)
    assert "session s-solo needs 1 to 1 attendees" in diagnosis
    assert "delegate d1 must attend session s-solo" in diagnosis
    assert "delegate d2 must attend session s-solo" in diagnosis
