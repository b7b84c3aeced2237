"""Rule 2 (rooms): at no moment does a host hold more sessions than its rooms;
the base has unlimited rooms."""

from __future__ import annotations

from ..solving import (
    DAY1,
    attendees,
    cannot_plan,
    delegate,
    held,
    host,
    minutes,
    plan_and_check,
    session,
    tiny_visit,
    window,
)


def _overlap(a, b) -> bool:
    return a.date == b.date and a.start < b.end and b.start < a.end


def test_a_one_room_host_holds_its_sessions_one_after_the_other():
    visit = tiny_visit(
        [
            session("s-a", "h1", 60, topics=("ports",), required=True),
            session("s-b", "h1", 60, topics=("roads",), required=True),
        ],
        delegates=[delegate("d1", "ports"), delegate("d2", "roads")],
        windows=[window("h1", DAY1, "09:00", "11:00")],
    )
    plan = plan_and_check(visit)
    a, b = held(plan, "s-a"), held(plan, "s-b")
    assert not _overlap(a, b)
    assert {minutes(a.start), minutes(b.start)} == {9 * 60, 10 * 60}


def test_a_two_room_host_holds_two_sessions_at_once():
    visit = tiny_visit(
        [
            session("s-a", "h1", 60, topics=("ports",), required=True),
            session("s-b", "h1", 60, topics=("roads",), required=True),
            session("s-c", "h1", 60, topics=("roads",)),
        ],
        hosts=[host("h1", rooms=2)],
        delegates=[delegate("d1", "ports"), delegate("d2", "roads")],
        windows=[window("h1", DAY1, "09:00", "10:00")],
    )
    plan = plan_and_check(visit)
    a, b = held(plan, "s-a"), held(plan, "s-b")
    assert _overlap(a, b)
    assert attendees(plan, "s-a") == {"d1"} and attendees(plan, "s-b") == {"d2"}
    assert held(plan, "s-c") is None  # a third session has no room left


def test_the_base_holds_any_number_of_sessions_at_once():
    visit = tiny_visit(
        [
            session(f"s-{topic}", "base", 60, topics=(topic,), required=True, start="10:00")
            for topic in ("ports", "roads", "rails")
        ],
        delegates=[delegate("d1", "ports"), delegate("d2", "roads"), delegate("d3", "rails")],
    )
    plan = plan_and_check(visit)
    assert len({held(plan, sid).start for sid in ("s-ports", "s-roads", "s-rails")}) == 1


def test_two_required_hours_do_not_fit_one_room_for_ninety_minutes():
    visit = tiny_visit(
        [
            session("s-a", "h1", 60, topics=("ports",), required=True),
            session("s-b", "h1", 60, topics=("roads",), required=True),
        ],
        hosts=[host("h1", name="Trondheim kommune")],
        delegates=[delegate("d1", "ports"), delegate("d2", "roads")],
        windows=[window("h1", DAY1, "09:00", "10:30")],
    )
    diagnosis = cannot_plan(visit)
    assert "session s-a (required) must be held" in diagnosis
    assert "session s-b (required) must be held" in diagnosis


def test_the_diagnosis_names_the_host_whose_rooms_are_short():
    visit = tiny_visit(
        [
            session("s-a", "h1", 60, topics=("ports",), required=True),
            session("s-b", "h1", 60, topics=("roads",), required=True),
        ],
        hosts=[host("h1", name="Trondheim kommune")],
        delegates=[delegate("d1", "ports"), delegate("d2", "roads")],
        windows=[window("h1", DAY1, "09:00", "10:30")],
    )
    diagnosis = cannot_plan(visit)
    assert "Trondheim kommune" in diagnosis or "h1" in diagnosis
