"""The greedy placement of a large visit's first plan: every session it can place,
where it clashes least, keeping the rules a start must keep."""

from __future__ import annotations

from datetime import timedelta

from visitplan.model import BASE, Transport
from visitplan.solve import build, placement
from visitplan.solve.variables import DAY

from .solving import DAY1, delegate, hm, host, lunch, session, tiny_visit, window


def _minute(at: str, day: int = 0) -> int:
    clock = hm(at)
    return day * DAY + clock.hour * 60 + clock.minute


def _overlap(visit, placed, a: str, b: str) -> bool:
    (_, sa), (_, sb) = placed[a], placed[b]
    return sa < sb + visit.session(b).minutes and sb < sa + visit.session(a).minutes


def test_sessions_the_same_delegates_want_are_placed_apart_when_the_day_has_room():
    visit = tiny_visit(
        [
            session("s-a", "h1", 90, topics=("ports",)),
            session("s-b", "h2", 90, topics=("ports",)),
            session("s-c", "h1", 90, topics=("rails",)),
        ],
        hosts=[host("h1", rooms=2), host("h2", 0.6)],
        delegates=[delegate("d1", "ports"), delegate("d2", "ports"), delegate("d3", "rails")],
    )
    placed = placement.place(build(visit))
    assert placed["s-a"][0] is None and placed["s-b"][0] is None  # optional, placed
    a, b = placed["s-a"][1], placed["s-b"][1]
    ride = build(visit).hop("h1", "h2")
    assert a + 90 + ride <= b or b + 90 + ride <= a  # d1 and d2 can attend both


def test_rooms_windows_pins_and_after_are_kept():
    visit = tiny_visit(
        [
            session("first", "h1", 60, required=True),
            session("then", "h1", 60, after=("first",)),
            session("pinned", "h1", 60, start="10:00"),
            session("late", "h1", 60),
        ],
        windows=[window("h1", DAY1, "09:00", "13:00")],
    )
    placed = placement.place(build(visit))
    assert placed["first"][0] == 1  # required: held
    assert placed["pinned"][1] == _minute("10:00")
    starts = {sid: start for sid, (held, start) in placed.items() if held != 0}
    assert len(starts) == 4  # four hours of window, four one-hour sessions, one room
    for sid, start in starts.items():
        assert _minute("09:00") <= start and start + 60 <= _minute("13:00"), sid
        for other in starts:
            assert other == sid or not _overlap(visit, placed, sid, other), (sid, other)
    assert starts["then"] >= starts["first"] + 60


def test_a_session_somebody_must_attend_is_kept_clear_of_the_whole_delegation_ones():
    visit = tiny_visit(
        [
            session("all-1", "h1", 120, audience="all", start="09:00"),
            session("must", "h2", 60),
            session("all-2", "h1", 120, audience="all"),
        ],
        hosts=[host("h1", rooms=2), host("h2", 0.2)],
        delegates=[delegate("d1", "planning", must_attend=("must",)), delegate("d2", "planning")],
        frame=("08:30", "15:30"),
    )
    ctx = build(visit)
    placed = placement.place(ctx)
    assert placed["must"][0] == 1
    for a, b in (("all-1", "all-2"), ("must", "all-1"), ("must", "all-2")):
        (_, sa), (_, sb) = placed[a], placed[b]
        ea, eb = sa + visit.session(a).minutes, sb + visit.session(b).minutes
        hosts = visit.session(a).host_id, visit.session(b).host_id
        assert ea + ctx.hop(*hosts) <= sb or eb + ctx.hop(*reversed(hosts)) <= sa, (a, b)


def test_no_session_covers_the_middle_of_the_lunch_window():
    """Two hours inside 11:00-14:30 with a 45-minute break in 11:30-13:30: only a
    start that leaves 45 minutes of the window free before it will do."""
    visit = tiny_visit(
        [session("long", "h1", 120)],
        windows=[window("h1", DAY1, "11:00", "14:30")],
        lunch_rule=lunch("11:30", "13:30", 45),
    )
    start = placement.place(build(visit))["long"][1]
    assert start in (_minute("12:15"), _minute("12:30"))


def test_never_more_drives_under_way_than_vehicles():
    """Two vehicles, three sessions far from the hotel that fit only 10:00-11:00: the
    third's drives would make three at once, so it is left out."""
    visit = tiny_visit(
        [session(f"s{i}", f"h{i}", 60, topics=(f"t{i}",)) for i in range(3)],
        hosts=[host(f"h{i}", 20.0 + i) for i in range(3)],
        delegates=[delegate(f"d{i}", f"t{i}") for i in range(3)],
        windows=[window(f"h{i}", DAY1, "10:00", "11:00") for i in range(3)],
        transport=Transport(vehicles=2, seats=8),
    )
    placed = placement.place(build(visit))
    assert sorted(held is None for held, _start in placed.values()) == [False, True, True]
    assert [held for held, _start in placed.values()].count(0) == 1


def test_a_session_that_must_be_held_and_has_no_start_gives_no_placement():
    """Two whole-delegation sessions of three hours in one four-hour day cannot both
    be held apart: ``first_plan`` then places with CP-SAT instead."""
    visit = tiny_visit(
        [session("a", "h1", 180, audience="all"), session("b", BASE, 180, audience="all")],
        frame=("09:00", "13:00"),
    )
    assert placement.place(build(visit)) == {}


def test_the_day_a_large_visit_chose_for_a_session_is_kept():
    visit = tiny_visit([session("s", "h1", 60)], days=3)
    ctx = build(visit)
    ctx.day_choice = {"s": 2}
    start = placement.place(ctx)["s"][1]
    assert start // DAY == 2
    assert visit.days[start // DAY].date == DAY1 + timedelta(days=2)


def test_a_choice_session_is_not_placed_beside_a_whole_delegation_one():
    """Before 10:15 s-x would overlap the whole delegation's welcome (or the ride from
    it), where everybody is; from 10:15 it overlaps s-y, which d1 and d2 also
    want, but there they can choose."""
    visit = tiny_visit(
        [
            session("welcome", BASE, 60, audience="all", start="09:00"),
            session("s-y", "h2", 60, start="10:30"),
            session("s-x", "h1", 60),
        ],
        hosts=[host("h1"), host("h2", 0.6)],
        windows=[window("h1", DAY1, "09:00", "11:30")],
        frame=("08:00", "18:00"),
    )
    placed = placement.place(build(visit))
    assert placed["s-x"] == (None, _minute("10:15"))
