"""Rule 2 (placement): a session starts on the grid inside a programme day, the
day's frame, one window of its host and its pin.  This rule creates the
session variables, so it runs first: every other rule reads them."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ...timegrid import minute_of
from ..variables import DAY, Context


def session_starts(ctx: Context, session) -> dict[int, list[int]]:
    """Allowed start minutes per day index, before any other rule."""
    visit = ctx.visit
    options: dict[int, list[int]] = {}
    for k, day in enumerate(visit.days):
        if not day.programme:
            continue
        if session.pin_date is not None and session.pin_date != day.date:
            continue
        lo_frame, hi_frame = ctx.frame(k)
        starts: set[int] = set()
        for window in visit.windows_of(session.host_id, day.date):
            lo = max(minute_of(window.start), lo_frame)
            hi = min(minute_of(window.end), hi_frame)
            first = -(-lo // ctx.slot) * ctx.slot
            starts.update(range(first, hi - session.minutes + 1, ctx.slot))
        if session.pin_start is not None:
            pinned = minute_of(session.pin_start)
            starts = {m for m in starts if m == pinned}
        if starts:
            options[k] = sorted(starts)
    return options


def add(ctx: Context) -> None:
    model = ctx.model
    for session in ctx.visit.sessions:
        options = session_starts(ctx, session)
        ctx.open_days[session.id] = sorted(options)
        options = _restricted(ctx, session.id, options)
        values = [k * DAY + m for k, starts in options.items() for m in starts]
        sid = session.id
        if values:
            start = model.NewIntVarFromDomain(cp_model.Domain.FromValues(values), f"start[{sid}]")
        else:
            start = model.NewConstant(0)
        ctx.start[sid] = start
        ctx.end[sid] = start + session.minutes
        days = []
        for k, starts in options.items():
            on = model.NewBoolVar(f"on_day[{sid},{ctx.visit.days[k].date}]")
            domain = cp_model.Domain.FromValues([k * DAY + m for m in starts])
            model.AddLinearExpressionInDomain(start, domain).WithName(
                f"starts_on[{sid},{ctx.visit.days[k].date}]"
            ).OnlyEnforceIf(on)
            ctx.on_day[(sid, k)] = on
            ctx.session_days.setdefault(sid, []).append(k)
            days.append(on)
        scheduled = model.NewBoolVar(f"scheduled[{sid}]")
        model.Add(sum(days) == scheduled).WithName(f"one_day[{sid}]")
        ctx.scheduled[sid] = scheduled
        ctx.interval[sid] = model.NewOptionalFixedSizeIntervalVar(
            start, session.minutes, scheduled, f"held[{sid}]"
        )


def _restricted(ctx: Context, sid: str, options: dict[int, list[int]]) -> dict[int, list[int]]:
    """The starts a restriction leaves: none when held out, the one held, or one day's."""
    if sid in ctx.held_out:
        return {}
    if sid in ctx.fixed_start:
        k, minute = divmod(ctx.fixed_start[sid], DAY)
        return {k: [minute]} if minute in options.get(k, ()) else {}
    if sid in ctx.day_choice:
        return {k: v for k, v in options.items() if k == ctx.day_choice[sid]}
    return options
