"""Rules 4-6 (no two places at once): two sessions one delegate attends are apart
by at least the ride between their places, and the delegate's rides fill the gap.

Hosts ``east`` and ``west`` have no coordinates; travel.csv gives 20 minutes
from the base to each and 35 between them, so with the 10-minute buffer a ride
takes 30 and 45 minutes."""

from __future__ import annotations

from ..solving import (
    DAY1,
    cannot_plan,
    held,
    host,
    minutes,
    plan_and_check,
    session,
    tiny_visit,
    travel,
)

FAR_APART = dict(
    hosts=[host("east", None), host("west", None)],
    travel_times=[
        travel("base", "east", 20),
        travel("base", "west", 20),
        travel("east", "west", 35),
    ],
)


def test_sessions_at_far_apart_hosts_leave_time_for_the_ride():
    visit = tiny_visit(
        [
            session("s-east", "east", 60, required=True, min_size=2, start="09:30"),
            session("s-west", "west", 60, required=True, min_size=2),
            session("s-east-2", "east", 60, required=True, min_size=2, after=("s-west",)),
        ],
        frame=("08:30", "15:00"),
        **FAR_APART,
    )
    plan = plan_and_check(visit)
    east, west, east2 = held(plan, "s-east"), held(plan, "s-west"), held(plan, "s-east-2")
    assert minutes(west.start) - minutes(east.end) >= 45
    assert minutes(east2.start) - minutes(west.end) >= 45
    for did in ("d1", "d2"):
        legs = sorted(
            (g for g in plan.legs if g.delegate_id == did and g.date == DAY1),
            key=lambda g: g.depart,
        )
        route = [(g.from_, g.to) for g in legs]
        assert route == [("base", "east"), ("east", "west"), ("west", "east"), ("east", "base")]
        for g in legs:
            needed = 30 if "base" in (g.from_, g.to) else 45
            assert minutes(g.arrive) - minutes(g.depart) >= needed, g


def test_sessions_at_one_host_need_no_ride_between_them():
    visit = tiny_visit(
        [
            session("s-one", "east", 60, required=True, min_size=2, start="09:00"),
            session("s-two", "east", 60, required=True, min_size=2, start="10:00"),
        ],
        **FAR_APART,
    )
    plan = plan_and_check(visit)
    for did in ("d1", "d2"):
        route = [(g.from_, g.to) for g in plan.legs if g.delegate_id == did]
        assert sorted(route) == [("base", "east"), ("east", "base")]


def test_back_to_back_sessions_at_far_apart_hosts_cannot_share_a_delegate():
    visit = tiny_visit(
        [
            session("s-east", "east", 60, audience="all", start="09:30"),
            session("s-west", "west", 60, audience="all", start="11:00"),
        ],
        **FAR_APART,
    )
    diagnosis = cannot_plan(visit)
    assert "can be in only one place at a time" in diagnosis
    assert "session s-east (whole delegation) must be held" in diagnosis
    assert "session s-west (whole delegation) must be held" in diagnosis
