"""Dates and wall-clock times to integer minutes and back.

The solver works in minutes after local midnight of each programme day: a
day's frame never crosses midnight, so wall-clock minutes are exact even on a
day when summer time ends.  Turning a local date and time into an instant
(``instant``) is the only place where the time zone's offsets matter.
"""

from __future__ import annotations

import math
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from .model import Day, Delegate, Visit


def minute_of(t: time) -> int:
    return t.hour * 60 + t.minute


def time_of(minutes: int) -> time:
    if not 0 <= minutes < 24 * 60:
        raise ValueError(f"{minutes} minutes is not a time of day")
    return time(minutes // 60, minutes % 60)


def hhmm(t: time | int) -> str:
    if isinstance(t, int):
        t = time_of(t)
    return f"{t.hour:02d}:{t.minute:02d}"


def round_up(minutes: int | float, slot: int) -> int:
    return int(math.ceil(minutes / slot) * slot)


def round_down(minutes: int | float, slot: int) -> int:
    return int(math.floor(minutes / slot) * slot)


def instant(timezone: str, on: date, at: time | int) -> datetime:
    """The aware datetime of a local date and time (an ambiguous time means its first occurrence)."""
    if isinstance(at, int):
        at = time_of(at)
    return datetime.combine(on, at, tzinfo=ZoneInfo(timezone))


def local_exists(moment: datetime) -> bool:
    """False for a wall-clock time skipped by a spring-forward change."""
    utc = moment.astimezone(ZoneInfo("UTC"))
    back = utc.astimezone(moment.tzinfo)
    return back.replace(tzinfo=None) == moment.replace(tzinfo=None)


def stay(visit: Visit, delegate: Delegate, day: Day) -> tuple[float, float] | None:
    """Rule 3: the delegate's stay on a day as minutes after midnight, or None when empty.

    Bounds from ``arrives``/``departs`` may fall between grid points, so they
    are returned unrounded (fractions of a minute when seconds are given).
    """
    start = float(minute_of(day.day_start))
    end = float(minute_of(day.day_end))
    if delegate.arrives is not None:
        arrives = delegate.arrives.astimezone(ZoneInfo(visit.timezone))
        if arrives.date() > day.date:
            return None
        if arrives.date() == day.date:
            start = max(start, _minutes_in_day(arrives))
    if delegate.departs is not None:
        departs = delegate.departs.astimezone(ZoneInfo(visit.timezone))
        if departs.date() < day.date:
            return None
        if departs.date() == day.date:
            end = min(end, _minutes_in_day(departs))
    if end <= start:
        return None
    return start, end


def stays_all_day(visit: Visit, delegate: Delegate, day: Day) -> bool:
    """Whether the delegate's stay covers the day's whole frame (rule 3)."""
    bounds = stay(visit, delegate, day)
    return (
        bounds is not None
        and bounds[0] <= minute_of(day.day_start)
        and bounds[1] >= minute_of(day.day_end)
    )


def _minutes_in_day(moment: datetime) -> float:
    return moment.hour * 60 + moment.minute + moment.second / 60
