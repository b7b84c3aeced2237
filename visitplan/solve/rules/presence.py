"""Rules 3 and 4 (presence): a delegate attends only inside their stay, with
time to ride from the base and back, and a whole-delegation session is attended
by exactly the delegates rule 3 names (the ride by vehicle for a delegate who
does not walk; ``access`` for who is excused)."""

from __future__ import annotations

from ...timegrid import round_up, stays_all_day
from ..variables import BASE, DAY, Context


def add(ctx: Context) -> None:
    model, visit = ctx.model, ctx.visit
    for session in visit.sessions:
        sid, host = session.id, session.host_id
        for did in ctx.candidates[sid]:
            delegate = visit.delegate(did)
            on_foot = ctx.walks(delegate)
            into, back = ctx.hop(BASE, host, on_foot), ctx.hop(host, BASE, on_foot)
            x = ctx.attends[(did, sid)]
            text = f"delegate {did} is present only from arrival to departure"
            if not on_foot:
                text += " and rides by vehicle (access need: no walking)"
            guard = ctx.guard(f"stay:{did}", text)
            eligible_days = []
            for k in ctx.possible_days(session):
                on = ctx.on_day[(sid, k)]
                bounds = ctx.stay_bounds(delegate, k)
                if bounds is None:
                    model.AddBoolOr([x.Not(), on.Not()]).WithName(
                        f"absent[{did},{sid},{k}]"
                    ).OnlyEnforceIf(guard)
                    if session.is_all:
                        eligible_days.append(None)
                    continue
                lo, hi = bounds
                held = ctx.fixed_start.get(sid)
                if held is None:
                    model.Add(ctx.start[sid] >= k * DAY + lo + into).WithName(
                        f"after_arrival[{did},{sid},{k}]"
                    ).OnlyEnforceIf([x, on, *guard])
                    model.Add(ctx.end[sid] <= k * DAY + hi - back).WithName(
                        f"before_departure[{did},{sid},{k}]"
                    ).OnlyEnforceIf([x, on, *guard])
                elif not k * DAY + lo + into <= held <= k * DAY + hi - back - session.minutes:
                    # the start is held: decided here, one clause only where it fails
                    model.AddBoolOr([x.Not(), on.Not()]).WithName(
                        f"stay[{did},{sid},{k}]"
                    ).OnlyEnforceIf(guard)
                if session.is_all:
                    eligible_days.append(_eligible(ctx, delegate, session, k, bounds))
            if session.is_all:
                _attend_iff_eligible(ctx, did, session, x, eligible_days)


def _eligible(ctx: Context, delegate, session, k: int, bounds):
    """Literal: rule 3 names this delegate for the all-session if held on day k."""
    model = ctx.model
    on = ctx.on_day[(session.id, k)]
    if stays_all_day(ctx.visit, delegate, ctx.visit.days[k]):
        return on
    lo, hi = bounds
    conditions = [on]
    host = session.host_id
    if delegate.arrives is not None:
        reach = model.NewBoolVar(f"reaches[{delegate.id},{session.id}]")
        bound = k * DAY + lo + round_up(ctx.travel.vehicle(BASE, host), ctx.slot)
        name = f"reaches[{delegate.id},{session.id}]"
        model.Add(ctx.start[session.id] >= bound).WithName(name).OnlyEnforceIf(reach)
        model.Add(ctx.start[session.id] < bound).WithName(name).OnlyEnforceIf(reach.Not())
        conditions.append(reach)
    if delegate.departs is not None:
        home = model.NewBoolVar(f"returns[{delegate.id},{session.id}]")
        bound = k * DAY + hi - round_up(ctx.travel.vehicle(host, BASE), ctx.slot)
        name = f"returns[{delegate.id},{session.id}]"
        model.Add(ctx.end[session.id] <= bound).WithName(name).OnlyEnforceIf(home)
        model.Add(ctx.end[session.id] > bound).WithName(name).OnlyEnforceIf(home.Not())
        conditions.append(home)
    if len(conditions) == 1:
        return on
    eligible = model.NewBoolVar(f"eligible[{delegate.id},{session.id},{k}]")
    name = f"eligible[{delegate.id},{session.id},{k}]"
    model.AddBoolAnd(conditions).WithName(name).OnlyEnforceIf(eligible)
    model.AddBoolOr([c.Not() for c in conditions]).WithName(name).OnlyEnforceIf(eligible.Not())
    return eligible


def _attend_iff_eligible(ctx: Context, did: str, session, x, eligible_days) -> None:
    literals = [e for e in eligible_days if e is not None]
    guard = ctx.guard(
        f"all:{session.id}:{did}",
        f"delegate {did} attends whole-delegation session {session.id} when present",
    )
    ctx.model.Add(x == sum(literals)).WithName(f"all[{did},{session.id}]").OnlyEnforceIf(guard)
