"""Rule 8 (lunch): each delegate whose stay covers the lunch window gets a break
of lunch.minutes inside it, clear of sessions and rides, unless a meal session
inside the window is that break.

The break is eaten at a place: the base or the host of a session the delegate
attends that day (``lunch_at[d,day,place]``).  Every session before the break
ends early enough to ride from its host to that place, every session after it
starts late enough to ride from there, and likewise the base at both ends of
the stay; like ``delegate_travel`` this is exact under the triangle
inequality, and it costs two constraints per delegate and session, not per
pair of sessions."""

from __future__ import annotations

from ortools.sat.python import cp_model

from ...model import BASE
from ...timegrid import minute_of, stay
from ..variables import DAY, Context


def add(ctx: Context) -> None:
    lunch = ctx.visit.lunch
    if lunch is None:
        return
    by_delegate: dict[str, list[str]] = {}
    for did, sid in ctx.attends:
        by_delegate.setdefault(did, []).append(sid)
    frm, to = minute_of(lunch.start), minute_of(lunch.end)
    for delegate in ctx.visit.delegates:
        for k, day in enumerate(ctx.visit.days):
            if not day.programme:
                continue
            bounds = stay(ctx.visit, delegate, day)
            if bounds is None or bounds[0] > frm or bounds[1] < to:
                continue
            sessions = [
                sid for sid in sorted(by_delegate.get(delegate.id, ())) if (sid, k) in ctx.on_day
            ]
            if sessions:
                _lunch_day(ctx, delegate, k, sessions)


def _lunch_day(ctx: Context, delegate, k: int, sessions: list[str]) -> None:
    model, did = ctx.model, delegate.id
    frm, to = minute_of(ctx.visit.lunch.start), minute_of(ctx.visit.lunch.end)
    minutes = ctx.visit.lunch.minutes
    date = ctx.visit.days[k].date
    lo, hi = ctx.stay_bounds(delegate, k)
    starts = list(range(frm, to - minutes + 1, ctx.slot))
    start = model.NewIntVarFromDomain(
        _domain([k * DAY + m for m in starts]), f"lunch_start[{did},{date}]"
    )
    end = start + minutes
    ctx.lunch_start[(did, k)] = start
    by_meal = _meal_options(ctx, delegate, k, sessions)
    ctx.lunch_by_meal[(did, k)] = by_meal
    guard = ctx.guard(f"lunch:{did}:{date}", f"delegate {did} needs a lunch break on {date}")
    free = [by_meal.Not(), *guard]
    place = _lunch_place(ctx, did, k, sessions, date)

    places, literals = list(place), list(place.values())
    on_foot = ctx.walks(delegate)
    cache: dict = {}

    def ride(a_place: str | None, b_place: str | None):
        """Minutes from a place to the lunch place (a_place) or back (b_place), linear."""
        key = (a_place, b_place)
        if key not in cache:
            if a_place is not None:
                weights = [ctx.hop(a_place, h, on_foot) for h in places]
            else:
                weights = [ctx.hop(h, b_place, on_foot) for h in places]
            cache[key] = cp_model.LinearExpr.WeightedSum(literals, weights)
        return cache[key]

    model.Add(start >= k * DAY + lo + ride(BASE, None)).WithName(
        f"lunch_after_arrival[{did},{date}]"
    ).OnlyEnforceIf(free)
    model.Add(end + ride(None, BASE) <= k * DAY + hi).WithName(
        f"lunch_before_departure[{did},{date}]"
    ).OnlyEnforceIf(free)
    farthest = {
        h: max(ctx.hop(h, p, on_foot) for p in places) for h in set(map(ctx.host_of, sessions))
    }
    for sid in sessions:
        host = ctx.host_of(sid)
        if _clear_of_lunch(ctx, sid, k, frm, to, farthest[host]):
            continue
        x, on = ctx.attends[(did, sid)], ctx.on_day[(sid, k)]
        before = model.NewBoolVar(f"lunch_before[{did},{sid},{date}]")
        ctx.lunch_before[(did, sid, k)] = before
        model.Add(end + ride(None, host) <= ctx.start[sid]).WithName(
            f"lunch_then[{did},{sid}]"
        ).OnlyEnforceIf([x, on, before, *free])
        model.Add(start >= ctx.end[sid] + ride(host, None)).WithName(
            f"lunch_after[{did},{sid}]"
        ).OnlyEnforceIf([x, on, before.Not(), *free])


def _clear_of_lunch(ctx: Context, sid: str, k: int, frm: int, to: int, ride: int) -> bool:
    """Whether a session held at a fixed start ends, with the longest ride to a lunch
    place, before the window opens, or starts that long after it closes: then
    every break in the window keeps clear of it, and nothing is left to decide.
    (Most sessions of a day with fixed times are; on the L benchmark this left
    out most of the rule's constraints.)"""
    if sid not in ctx.fixed_start:
        return False
    start = ctx.fixed_start[sid] - k * DAY
    end = start + ctx.visit.session(sid).minutes
    return end + ride <= frm or start >= to + ride


def _lunch_place(ctx: Context, did: str, k: int, sessions: list[str], date) -> dict:
    """One literal per place the break may be eaten: the base, or a host the delegate visits."""
    model = ctx.model
    hosts: dict[str, list[str]] = {}
    for sid in sessions:
        hosts.setdefault(ctx.host_of(sid), []).append(sid)
    place = {BASE: model.NewBoolVar(f"lunch_at[{did},{date},{BASE}]")}
    for host, here in sorted(hosts.items()):
        if host == BASE:
            continue
        at = model.NewBoolVar(f"lunch_at[{did},{date},{host}]")
        visits = []
        for sid in here:
            z = model.NewBoolVar(f"visits[{did},{sid},{date}]")
            model.AddImplication(z, ctx.attends[(did, sid)]).WithName(
                f"visits_attends[{did},{sid}]"
            )
            model.AddImplication(z, ctx.on_day[(sid, k)]).WithName(
                f"visits_held[{did},{sid},{date}]"
            )
            visits.append(z)
        model.AddBoolOr(visits).WithName(f"lunch_at_visited[{did},{date},{host}]").OnlyEnforceIf(at)
        place[host] = at
    model.AddExactlyOne(place.values()).WithName(f"one_lunch_place[{did},{date}]")
    ctx.lunch_place[(did, k)] = place
    return place


def _meal_options(ctx: Context, delegate, k, sessions):
    """Literal: a meal session attended this day, inside the window, is the break."""
    model, did = ctx.model, delegate.id
    frm, to = minute_of(ctx.visit.lunch.start), minute_of(ctx.visit.lunch.end)
    minutes = ctx.visit.lunch.minutes
    options = []
    for sid in sessions:
        session = ctx.visit.session(sid)
        if session.kind != "meal" or session.minutes < minutes:
            continue
        y = model.NewBoolVar(f"lunch_at_meal[{did},{sid}]")
        model.AddBoolAnd([ctx.attends[(did, sid)], ctx.on_day[(sid, k)]]).WithName(
            f"meal_attended[{did},{sid},{k}]"
        ).OnlyEnforceIf(y)
        model.Add(ctx.start[sid] >= k * DAY + frm).WithName(
            f"meal_from[{did},{sid}]"
        ).OnlyEnforceIf(y)
        model.Add(ctx.end[sid] <= k * DAY + to).WithName(f"meal_to[{did},{sid}]").OnlyEnforceIf(y)
        options.append(y)
    by_meal = model.NewBoolVar(f"lunch_by_meal[{did},{ctx.visit.days[k].date}]")
    if options:
        model.AddBoolOr(options).WithName(f"lunch_by_a_meal[{did},{k}]").OnlyEnforceIf(by_meal)
    else:
        model.Add(by_meal == 0).WithName(f"no_meal[{did},{k}]")
    return by_meal


def _domain(values):
    from ortools.sat.python import cp_model

    return cp_model.Domain.FromValues(values)
