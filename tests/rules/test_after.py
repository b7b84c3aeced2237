"""Rule 2 (order): a scheduled session starts no earlier than the end of every
scheduled session in its ``after`` list."""

from __future__ import annotations

from ..solving import (
    DAY1,
    DAY2,
    cannot_plan,
    held,
    host,
    minutes,
    plan_and_check,
    session,
    tiny_visit,
    window,
)


def test_sessions_start_after_the_sessions_they_follow():
    visit = tiny_visit(
        [
            session("s-intro", "h1", 60, required=True, start="10:00"),
            session("s-tour", "h1", 60, required=True, after=("s-intro",)),
            session("s-debate", "h2", 90, required=True, after=("s-intro", "s-tour")),
            session("s-day2", "h2", 60, required=True, date=DAY2),
            session("s-late", "h1", 30, required=True, after=("s-day2",)),
        ],
        hosts=[host("h1", rooms=2), host("h2", 0.8, rooms=2)],
        days=2,
        windows=[window("h1", DAY1, "09:00", "12:00"), window("h1", DAY2, "09:00", "18:00")],
    )
    plan = plan_and_check(visit)
    intro, tour, debate = held(plan, "s-intro"), held(plan, "s-tour"), held(plan, "s-debate")
    assert minutes(tour.start) >= minutes(intro.end) and tour.date == intro.date == DAY1
    assert (debate.date, debate.start) >= (tour.date, tour.end)
    day2, late = held(plan, "s-day2"), held(plan, "s-late")
    assert late.date == DAY2 and late.start >= day2.end


def test_a_session_after_one_left_out_is_free():
    visit = tiny_visit(
        [
            session("s-never", "h2", 60),
            session("s-early", "h1", 60, required=True, start="09:00", after=("s-never",)),
        ],
        hosts=[host("h1"), host("h2", 0.8)],
        windows=[],
        windowed_hosts=frozenset({"h2"}),  # h2 gave rows, all clipped away: it never receives
    )
    plan = plan_and_check(visit)
    assert held(plan, "s-never") is None
    assert held(plan, "s-early").start.hour == 9


def test_a_session_pinned_before_the_one_it_follows_cannot_be_held():
    visit = tiny_visit(
        [
            session("s-first", "h1", 60, required=True, start="10:00"),
            session("s-second", "h1", 60, required=True, start="09:00", after=("s-first",)),
        ],
        hosts=[host("h1", rooms=2)],
    )
    diagnosis = cannot_plan(visit)
    assert "session s-second must start after session s-first ends" in diagnosis
