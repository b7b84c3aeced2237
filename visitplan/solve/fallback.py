"""What the schedule model adds for a day whose rides the vehicles could not serve.

The schedule model checks each delegate's own time to travel, not the fleet.
When the rides model finds a day it cannot serve, that day is solved again
under a stricter level, one step at a time:

1. ``FLEET_LOAD``: the drives into and out of the day's sessions, at least the
   shortest ride each, never need more vehicles at once than there are;
2. ``APART``: besides, sessions at different places never overlap, with time
   for the fleet to shuttle everyone between them (walking needs no vehicle);
3. ``ONE_ROUTE``: besides, every delegate present all day visits every place
   used that day, each place once, so one route carries the whole delegation.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..model import BASE, Visit
from ..timegrid import round_up, stays_all_day
from .variables import DAY, Context

FLEET_LOAD, APART, ONE_ROUTE = 1, 2, 3


def describe(visit: Visit, k: int, level: int) -> str:
    day = visit.days[k].date
    if level >= ONE_ROUTE:
        return f"{day}: the whole delegation follows one route so the vehicles can carry everyone"
    if level >= APART:
        return f"{day}: sessions at different places kept apart so the vehicles can carry everyone"
    return f"{day}: no more drives at once than vehicles"


@dataclass(frozen=True)
class Cut:
    """One day's schedule the rides model could not serve: never to be tried again."""

    k: int
    starts: tuple[tuple[str, int], ...]  # (session, start minute) held that day
    attended: tuple[tuple[str, str], ...]  # (delegate, session) of those sessions


def day_cut(k: int, times: dict, attends: dict) -> Cut:
    held = {sid: start for sid, (day, start, _end) in times.items() if day == k}
    pairs = sorted((did, sid) for did, sids in attends.items() for sid in sids if sid in held)
    return Cut(k, tuple(sorted(held.items())), tuple(pairs))


def exclude(ctx: Context, cut: Cut) -> None:
    """Not this day schedule again: some session of it moves or is dropped, or its
    attendees differ.  (Adding another session to that day is not enough.)"""
    model, differs = ctx.model, []
    for sid, start in cut.starts:
        same = model.NewBoolVar(f"same_start[{sid},{cut.k}]")
        name = f"same_start[{sid},{cut.k}]"
        model.Add(ctx.start[sid] == cut.k * DAY + start).WithName(name).OnlyEnforceIf(same)
        model.Add(ctx.start[sid] != cut.k * DAY + start).WithName(name).OnlyEnforceIf(same.Not())
        differs += [same.Not(), ctx.scheduled[sid].Not()]
    attended = set(cut.attended)
    for sid, _start in cut.starts:
        for did in ctx.candidates[sid]:
            x = ctx.attends[(did, sid)]
            differs.append(x.Not() if (did, sid) in attended else x)
    model.AddBoolOr(differs).WithName(f"not_again[{cut.k}]")


def starting_levels(visit: Visit) -> dict[int, int]:
    """The level each day starts at: ``ONE_ROUTE`` with a single vehicle, which can
    never carry delegates to two places at once, otherwise none.  If that leaves
    no schedule, the solve eases every day to ``APART``, then to none."""
    if visit.transport.vehicles != 1:
        return {}
    return {k: ONE_ROUTE for k, day in enumerate(visit.days) if day.programme}


def keep_together(ctx: Context, k: int, level: int) -> None:
    _fleet_load(ctx, k)
    if level >= APART:
        order = _apart(ctx, k)
        if level >= ONE_ROUTE:
            _one_route(ctx, k, order)


def _day_sessions(ctx: Context, k: int) -> list[str]:
    return sorted(sid for (sid, day) in ctx.on_day if day == k)


def _fleet_load(ctx: Context, k: int) -> None:
    """Each session away from the base needs a drive in before it and out after it."""
    vehicles = ctx.visit.transport.vehicles
    if vehicles is None:
        return
    ids = _day_sessions(ctx, k)
    places = {BASE} | {ctx.host_of(sid) for sid in ids}
    intervals = []
    for sid in ids:
        host = ctx.host_of(sid)
        if host == BASE:
            continue
        others = [q for q in places if q != host]
        if not others or any(ctx.travel.walk(q, host) is not None for q in others):
            continue
        into = min(round_up(ctx.travel.vehicle(q, host), ctx.slot) for q in others)
        out = min(round_up(ctx.travel.vehicle(host, q), ctx.slot) for q in others)
        on = ctx.on_day[(sid, k)]
        intervals.append(
            ctx.model.NewOptionalFixedSizeIntervalVar(
                ctx.start[sid] - into, into, on, f"drive_in[{sid}]"
            )
        )
        intervals.append(
            ctx.model.NewOptionalFixedSizeIntervalVar(ctx.end[sid], out, on, f"drive_out[{sid}]")
        )
    if len(intervals) > vehicles:
        ctx.model.AddCumulative(intervals, [1] * len(intervals), vehicles).WithName(
            f"fleet_load[{k}]"
        )


def _apart(ctx: Context, k: int) -> dict:
    """Sessions of day k at different places never overlap, with time for the fleet.

    Between two places, and from and to the base, the gap holds as many round
    trips of the fleet as the day's delegates need (``trips`` shuttles there
    and ``trips - 1`` empty returns), so every delegate can be carried
    whatever route their choices make."""
    visit = ctx.visit
    present = sum(1 for d in visit.delegates if ctx.stay_bounds(d, k) is not None)
    cap = visit.transport.riders_per_vehicle or present or 1
    fleet = visit.transport.vehicles or present or 1
    loads = math.ceil(present / cap)
    trips = max(1, math.ceil(loads / fleet))
    factor = 2 * trips - 1
    lo, hi = ctx.frame(k)
    order: dict = {}
    ids = _day_sessions(ctx, k)
    for sid in ids:
        host, on = ctx.host_of(sid), ctx.on_day[(sid, k)]
        into, back = _fleet_gap(ctx, BASE, host, factor), _fleet_gap(ctx, host, BASE, factor)
        ctx.model.Add(ctx.start[sid] >= k * DAY + lo + into).WithName(
            f"fleet_from_base[{sid},{k}]"
        ).OnlyEnforceIf(on)
        ctx.model.Add(ctx.end[sid] + back <= k * DAY + hi).WithName(
            f"fleet_to_base[{sid},{k}]"
        ).OnlyEnforceIf(on)
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            if ctx.host_of(a) == ctx.host_of(b):
                continue
            ab = ctx.model.NewBoolVar(f"together[{a},{b}]")
            both = [ctx.on_day[(a, k)], ctx.on_day[(b, k)]]
            gap_ab = _fleet_gap(ctx, ctx.host_of(a), ctx.host_of(b), factor)
            gap_ba = _fleet_gap(ctx, ctx.host_of(b), ctx.host_of(a), factor)
            ctx.model.Add(ctx.start[b] >= ctx.end[a] + gap_ab).WithName(
                f"apart[{a},{b}]"
            ).OnlyEnforceIf([ab, *both])
            ctx.model.Add(ctx.start[a] >= ctx.end[b] + gap_ba).WithName(
                f"apart[{b},{a}]"
            ).OnlyEnforceIf([ab.Not(), *both])
            order[(a, b)], order[(b, a)] = ab, ab.Not()
    return order


def _fleet_gap(ctx: Context, a: str, b: str, factor: int) -> int:
    """Time for the fleet to carry everyone from a to b: walking needs no vehicle."""
    driven = factor * ctx.hop(a, b)
    walk = ctx.travel.walk(a, b)
    if walk is None:
        return driven
    return min(driven, round_up(walk, ctx.slot))


def _one_route(ctx: Context, k: int, order: dict) -> None:
    """Every delegate present all day k visits every place used that day, each place once.

    With one route for the whole delegation, its rides are the same for all,
    so the fleet only has to follow it."""
    model, visit = ctx.model, ctx.visit
    ids = _day_sessions(ctx, k)
    by_place: dict[str, list[str]] = {}
    for sid in ids:
        by_place.setdefault(ctx.host_of(sid), []).append(sid)
    for place, here in sorted(by_place.items()):
        used = model.NewBoolVar(f"visited[{place},{k}]")
        model.AddMaxEquality(used, [ctx.on_day[(sid, k)] for sid in here]).WithName(
            f"visited[{place},{k}]"
        )
        for other in ids:  # a place's sessions are not split by a visit elsewhere
            if ctx.host_of(other) == place:
                continue
            for i, a in enumerate(here):
                for b in here[i + 1 :]:
                    both = [ctx.on_day[(a, k)], ctx.on_day[(b, k)], ctx.on_day[(other, k)]]
                    model.Add(order[(a, other)] == order[(b, other)]).WithName(
                        f"place_not_split[{a},{b},{other}]"
                    ).OnlyEnforceIf(both)
        for delegate in visit.delegates:
            if not stays_all_day(ctx.visit, delegate, ctx.visit.days[k]):
                continue
            there = []
            for sid in here:
                x = ctx.attends.get((delegate.id, sid))
                if x is None:
                    continue
                z = model.NewBoolVar(f"attends_on[{delegate.id},{sid},{k}]")
                model.AddBoolAnd([x, ctx.on_day[(sid, k)]]).WithName(
                    f"attends_on[{delegate.id},{sid},{k}]"
                ).OnlyEnforceIf(z)
                there.append(z)
            if not there:  # their access needs keep them from this place (``access``)
                continue
            model.Add(sum(there) >= used).WithName(f"one_route[{delegate.id},{place},{k}]")
    _one_lunch_place(ctx, k)


def _one_lunch_place(ctx: Context, k: int) -> None:
    """Delegates present all day eat lunch at one place: a break at the hotel for some
    and at a host for others would split the route in two."""
    model = ctx.model
    eaters = [
        ctx.lunch_place[(d.id, k)]
        for d in ctx.visit.delegates
        if (d.id, k) in ctx.lunch_place and stays_all_day(ctx.visit, d, ctx.visit.days[k])
    ]
    if len(eaters) < 2:
        return
    places = sorted({p for place in eaters for p in place})
    common = {p: model.NewBoolVar(f"lunch_together[{p},{k}]") for p in places}
    model.AddExactlyOne(common.values()).WithName(f"lunch_together[{k}]")
    for place in eaters:
        for p, together in common.items():
            if p in place:
                model.Add(place[p] == together).WithName(f"lunch_together[{p},{k}]")
            else:
                model.Add(together == 0).WithName(f"lunch_together[{p},{k}]")
