"""Rule 2 (placement): a session lies inside one programme day, that day's frame,
one availability window of its host, and at its pin."""

from __future__ import annotations

from visitplan.model import Day

from ..checkfixtures import hm
from ..solving import (
    DAY1,
    DAY2,
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


def test_sessions_fall_inside_windows_frames_and_pins():
    visit = tiny_visit(
        [
            session("s-win", "h1", 60, required=True),
            session("s-pin", "h2", 60, required=True, start="15:00"),
            session("s-date", "h2", 30, required=True, date=DAY2),
            session("s-free", "h3", 90, required=True),
        ],
        hosts=[host("h1"), host("h2", 0.8), host("h3", 1.2)],
        day_rows=(
            Day(DAY1, hm("08:30"), hm("18:00"), programme=False),
            Day(DAY2, hm("09:00"), hm("12:00")),
            Day(DAY2.replace(day=26), hm("08:30"), hm("18:00")),
        ),
        windows=[
            window("h1", DAY2, "10:00", "11:00"),
            window("h1", DAY2.replace(day=26), "14:00", "15:30"),
        ],
    )
    plan = plan_and_check(visit)
    for sid in ("s-win", "s-pin", "s-date", "s-free"):
        entry = held(plan, sid)
        assert entry is not None, sid
        assert entry.date != DAY1, f"{sid} is on the day without programme"
        frame = visit.day(entry.date)
        assert frame.day_start <= entry.start and entry.end <= frame.day_end, sid
    win = held(plan, "s-win")
    windows = visit.windows_of("h1", win.date)
    assert any(w.start <= win.start and win.end <= w.end for w in windows)
    assert held(plan, "s-pin").start == hm("15:00")
    assert held(plan, "s-pin").date == DAY2.replace(day=26)  # 15:00 is after day 2's frame
    assert held(plan, "s-date").date == DAY2
    free = held(plan, "s-free")
    assert minutes(free.end) - minutes(free.start) == 90


def test_an_optional_session_that_fits_no_window_is_left_out():
    visit = tiny_visit(
        [session("s-long", "h1", 120), session("s-short", "h1", 60)],
        windows=[window("h1", DAY1, "09:00", "10:30")],
    )
    plan = plan_and_check(visit)
    assert held(plan, "s-long") is None
    assert held(plan, "s-short") is not None


def test_a_required_session_longer_than_every_window_cannot_be_held():
    visit = tiny_visit(
        [session("s-long", "h1", 120, required=True)],
        hosts=[host("h1", name="Trondheim kommune")],
        days=2,
        windows=[window("h1", DAY1, "09:00", "10:30"), window("h1", DAY2, "14:00", "15:00")],
    )
    diagnosis = cannot_plan(visit)
    assert "s-long" in diagnosis
    assert "cannot be held" in diagnosis
    assert "Trondheim kommune" in diagnosis
    assert "2009-08-24 09:00–10:30 (90 min)" in diagnosis
    assert "2009-08-25 14:00–15:00 (60 min)" in diagnosis


def test_a_required_session_pinned_outside_its_hosts_window_cannot_be_held():
    visit = tiny_visit(
        [session("s-pinned", "h1", 60, required=True, start="09:00")],
        hosts=[host("h1", name="NTNU")],
        windows=[window("h1", DAY1, "13:00", "17:00")],
        delegates=[delegate("d1", "planning")],
    )
    diagnosis = cannot_plan(visit)
    assert "s-pinned" in diagnosis and "cannot be held" in diagnosis
    assert "NTNU" in diagnosis
    assert "2009-08-24 13:00–17:00" in diagnosis
    assert "pinned to start at 09:00" in diagnosis
