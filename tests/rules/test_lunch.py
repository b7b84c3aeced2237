"""Rule 8 (lunch): each delegate whose stay covers the lunch window and who attends
a session that day has a break of lunch.minutes inside the window, clear of
sessions and rides; a meal session inside the window is that break."""

from __future__ import annotations

from ..solving import (
    DAY1,
    DAY2,
    cannot_plan,
    delegate,
    host,
    local,
    lunch,
    minutes,
    plan_and_check,
    session,
    tiny_visit,
    window,
)


def _busy(plan, did, on):
    """The delegate's sessions and rides on a date as (start, end) minutes."""
    spans = [
        (minutes(a.start), minutes(a.end))
        for a in plan.assignments
        if a.delegate_id == did and a.date == on
    ]
    spans += [
        (minutes(g.depart), minutes(g.arrive))
        for g in plan.legs
        if g.delegate_id == did and g.date == on
    ]
    return spans


def test_every_busy_delegate_gets_a_lunch_break_inside_the_window():
    visit = tiny_visit(
        [
            session("s-morning", "h1", 150, required=True, min_size=2),
            session("s-noon", "h2", 90, required=True, min_size=2, after=("s-morning",)),
            session("s-day2", "h3", 60, topics=("ports",), required=True, date=DAY2),
        ],
        hosts=[host("h1"), host("h2", 3.0), host("h3", 1.5)],
        days=2,
        windows=[window("h1", DAY1, "09:30", "12:00"), window("h2", DAY1, "12:30", "14:30")],
        lunch_rule=lunch("11:30", "13:30", 45),
        delegates=[
            delegate("d1", "planning", "ports"),
            delegate("d2", "planning"),
            delegate("d3", "ports", arrives=local(DAY1, "12:00")),  # after the window opens
        ],
    )
    plan = plan_and_check(visit)
    breaks = {(b.delegate_id, b.date): b for b in plan.lunches}
    busy_days = {(a.delegate_id, a.date) for a in plan.assignments}
    # d3 arrives at 12:00, inside the window: no lunch rule for d3 on day 1
    due = {(d, day) for d, day in busy_days if (d, day) != ("d3", DAY1)}
    assert {("d1", DAY1), ("d2", DAY1), ("d1", DAY2)} <= due
    for did, day in sorted(due):
        b = breaks[(did, day)]
        start, end = minutes(b.start), minutes(b.end)
        assert end - start >= 45
        assert 11 * 60 + 30 <= start and end <= 13 * 60 + 30
        assert start % 15 == 0
        for s, e in _busy(plan, did, day):
            assert e <= start or end <= s, f"{did}'s lunch on {day} overlaps {s}-{e}"
    assert ("d2", DAY2) not in breaks  # no session that day: no break


def test_a_meal_session_in_the_window_is_the_lunch_break():
    visit = tiny_visit(
        [
            session("s-talk", "h1", 60, audience="all", start="10:00"),
            session("s-meal", "base", 60, kind="meal", audience="all", start="12:00"),
            session("s-tour", "h1", 120, audience="all", start="13:15"),
        ],
        lunch_rule=lunch("11:30", "13:30", 45),
    )
    plan = plan_and_check(visit)
    for did in ("d1", "d2"):
        (b,) = [b for b in plan.lunches if b.delegate_id == did]
        assert b.session_id == "s-meal"
        assert (b.start.hour, b.start.minute, b.end.hour) == (12, 0, 13)


def test_sessions_filling_the_lunch_window_leave_no_break():
    visit = tiny_visit(
        [session("s-marathon", "base", 180, audience="all", start="11:00")],
        delegates=[delegate("d1")],
        lunch_rule=lunch("11:30", "13:30", 45),
    )
    diagnosis = cannot_plan(visit)
    assert "delegate d1 needs a lunch break on 2009-08-24" in diagnosis
    assert "session s-marathon (whole delegation) must be held" in diagnosis
