"""Rule 8 (lunch): each delegate whose stay covers the lunch window gets a break
of lunch.minutes inside it, clear of sessions and rides, unless a meal session
inside the window is that break.

The break sits between two consecutive stops P and N of the delegate's day
(the base counts as the first and the last stop).  Either the ride P→N comes
first and lunch is eaten at N, or lunch is eaten at P and the ride follows;
``ride_first[d,N]`` chooses.  Like ``delegate_travel``, the inequalities are
stated for every earlier stop, which is exact under the triangle inequality."""

from __future__ import annotations

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
                _lunch_day(ctx, delegate, k, sessions, frm, to, lunch.minutes)


def _lunch_day(ctx: Context, delegate, k: int, sessions: list[str], frm, to, minutes) -> None:
    model, did = ctx.model, delegate.id
    date = ctx.visit.days[k].date
    lo, hi = ctx.stay_bounds(delegate, k)
    starts = list(range(frm, to - minutes + 1, ctx.slot))
    start = model.NewIntVarFromDomain(
        _domain([k * DAY + m for m in starts]), f"lunch_start[{did},{date}]"
    )
    end = start + minutes
    ctx.lunch_start[(did, k)] = start
    by_meal = _meal_options(ctx, delegate, k, sessions, frm, to, minutes)
    ctx.lunch_by_meal[(did, k)] = by_meal
    guard = ctx.guard(f"lunch:{did}:{date}", f"delegate {did} needs a lunch break on {date}")
    free = [by_meal.Not(), *guard]
    # stops: (id, place, attends literal or None, lunch-before literal or bool, start, end)
    stops = [("base-start", BASE, None, False, None, k * DAY + lo)]
    for sid in sessions:
        x, on = ctx.attends[(did, sid)], ctx.on_day[(sid, k)]
        before = model.NewBoolVar(f"lunch_before[{did},{sid}]")
        ctx.lunch_before[(did, sid)] = before
        model.Add(end <= ctx.start[sid]).OnlyEnforceIf([x, on, before, *free])
        model.Add(start >= ctx.end[sid]).OnlyEnforceIf([x, on, before.Not(), *free])
        stops.append((sid, ctx.host_of(sid), [x, on], before, ctx.start[sid], ctx.end[sid]))
    stops.append(("base-end", BASE, None, True, k * DAY + hi, None))
    for nxt in stops[1:]:
        n_id, n_place, n_lits, n_before, n_start, _ = nxt
        first = model.NewBoolVar(f"ride_first[{did},{n_id},{date}]")
        ctx.ride_first[(did, f"{n_id}@{k}" if n_lits is None else n_id)] = first
        for prv in stops[:-1]:
            p_id, p_place, p_lits, p_before, _, p_end = prv
            if p_id == n_id or p_place == n_place:
                continue
            gap = ctx.hop(p_place, n_place)
            lits = list(free)
            for lits_of in (p_lits, n_lits):
                if lits_of:
                    lits.extend(lits_of)
            if p_before is not False:
                lits.append(p_before.Not())
            if n_before is not True:
                lits.append(n_before)
            model.Add(start >= p_end + gap).OnlyEnforceIf([*lits, first])
            model.Add(end + gap <= n_start).OnlyEnforceIf([*lits, first.Not()])


def _meal_options(ctx: Context, delegate, k, sessions, frm, to, minutes):
    """Literal: a meal session attended this day, inside the window, is the break."""
    model, did = ctx.model, delegate.id
    options = []
    for sid in sessions:
        session = ctx.visit.session(sid)
        if session.kind != "meal" or session.minutes < minutes:
            continue
        y = model.NewBoolVar(f"lunch_at_meal[{did},{sid}]")
        model.AddBoolAnd([ctx.attends[(did, sid)], ctx.on_day[(sid, k)]]).OnlyEnforceIf(y)
        model.Add(ctx.start[sid] >= k * DAY + frm).OnlyEnforceIf(y)
        model.Add(ctx.end[sid] <= k * DAY + to).OnlyEnforceIf(y)
        options.append(y)
    by_meal = model.NewBoolVar(f"lunch_by_meal[{did},{ctx.visit.days[k].date}]")
    if options:
        model.AddBoolOr(options).OnlyEnforceIf(by_meal)
    else:
        model.Add(by_meal == 0)
    return by_meal


def _domain(values):
    from ortools.sat.python import cp_model

    return cp_model.Domain.FromValues(values)
