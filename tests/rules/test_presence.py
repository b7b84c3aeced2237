"""Rules 3 and 4 (presence): a delegate attends only inside their stay, with time
to ride from the base and back; a whole-delegation session is attended by
exactly the delegates rule 3 names.

Host ``h1`` is 0.5 km from the base: ceil(60 × 1.3 × 0.5 / 60) + 10 = 11 minutes
by vehicle, 15 on the grid."""

from __future__ import annotations

from ..solving import (
    DAY1,
    DAY2,
    attendees,
    cannot_plan,
    delegate,
    host,
    local,
    plan_and_check,
    session,
    tiny_visit,
)


def test_whole_delegation_sessions_have_exactly_the_delegates_present():
    visit = tiny_visit(
        [
            session("s-morning", "h1", 60, audience="all", start="09:00", date=DAY1),
            session("s-edge", "h1", 30, audience="all", start="11:15", date=DAY1),
            session("s-afternoon", "h1", 60, audience="all", start="14:00", date=DAY1),
            session("s-choice", "h1", 60, topics=("ports",), start="10:00", date=DAY1),
            session("s-next-day", "h2", 60, audience="all", date=DAY2),
        ],
        hosts=[host("h1"), host("h2", 0.8)],
        days=2,
        delegates=[
            delegate("d1", "ports"),
            delegate("d2", departs=local(DAY1, "12:00")),  # leaves for good
            delegate("d3", "ports", arrives=local(DAY1, "11:00")),
        ],
    )
    plan = plan_and_check(visit)
    assert attendees(plan, "s-morning") == {"d1", "d2"}  # d3 is not there yet
    # up(11:00) + up(11 min) = 11:15 ≤ start; 11:45 + 15 = 12:00 ≤ d2's departure
    assert attendees(plan, "s-edge") == {"d1", "d2", "d3"}
    assert attendees(plan, "s-afternoon") == {"d1", "d3"}  # d2 has left
    assert attendees(plan, "s-choice") == {"d1"}  # d3 cares, but arrives too late
    assert attendees(plan, "s-next-day") == {"d1", "d3"}


def test_a_whole_delegation_session_missed_by_a_few_minutes_is_not_attended():
    visit = tiny_visit(
        [session("s-open", "h1", 30, audience="all", start="11:00")],
        delegates=[delegate("d1"), delegate("d2", arrives=local(DAY1, "10:50"))],
    )
    plan = plan_and_check(visit)
    # up(10:50) + 15 = 11:15 > 11:00: d2 cannot get there in time
    assert attendees(plan, "s-open") == {"d1"}


def test_a_required_session_needing_a_delegate_who_has_not_arrived_cannot_be_held():
    visit = tiny_visit(
        [session("s-pair", "h1", 60, required=True, min_size=2, start="09:00")],
        delegates=[
            delegate("d1", "planning"),
            delegate("d2", "planning", arrives=local(DAY1, "12:00")),
        ],
    )
    diagnosis = cannot_plan(visit)
    assert "session s-pair needs 2 to any number of attendees" in diagnosis
    assert "delegate d2 is present only from arrival to departure" in diagnosis


def test_a_must_attend_session_too_early_to_reach_from_the_base_cannot_be_kept():
    visit = tiny_visit(
        [session("s-dawn", "h1", 60, start="08:30")],
        delegates=[delegate("d1", must_attend=("s-dawn",))],
    )
    diagnosis = cannot_plan(visit)
    assert "delegate d1 must attend session s-dawn" in diagnosis
    assert "delegate d1 is present only from arrival to departure" in diagnosis
