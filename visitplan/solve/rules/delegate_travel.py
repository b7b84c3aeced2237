"""Rules 4–6 (no two places at once): any two sessions one delegate attends on
one day are apart by at least the ride between their places.

Requiring the ride time between *every* pair, not only consecutive ones, is
exact when travel times obey the triangle inequality (a detour is never
faster), which rule 6's estimates and buffers do; it keeps the model free of
per-delegate sequencing variables.  Rides to and from the base are in
``presence``."""

from __future__ import annotations

from ..variables import Context


def order(ctx: Context, first: str, second: str):
    """Literal: ``second`` starts after ``first`` ends plus the ride between them."""
    key = (first, second)
    if key not in ctx.before:
        literal = ctx.model.NewBoolVar(f"before[{first},{second}]")
        gap = ctx.hop(ctx.host_of(first), ctx.host_of(second))
        ctx.model.Add(ctx.start[second] >= ctx.end[first] + gap).WithName(
            f"before[{first},{second}]"
        ).OnlyEnforceIf(literal)
        ctx.before[key] = literal
    return ctx.before[key]


def add(ctx: Context) -> None:
    per_delegate: dict[str, list[str]] = {}
    for did, sid in ctx.attends:
        per_delegate.setdefault(did, []).append(sid)
    days_of: dict[str, set[int]] = {}
    for sid, k in ctx.on_day:
        days_of.setdefault(sid, set()).add(k)
    for did in sorted(per_delegate):
        sessions = sorted(per_delegate[did])
        for i, a in enumerate(sessions):
            for b in sessions[i + 1 :]:
                if not days_of.get(a, set()) & days_of.get(b, set()):
                    continue
                guard = ctx.guard(
                    f"one_place:{did}", f"delegate {did} can be in only one place at a time"
                )
                ctx.model.AddBoolOr(
                    [
                        ctx.attends[(did, a)].Not(),
                        ctx.attends[(did, b)].Not(),
                        order(ctx, a, b),
                        order(ctx, b, a),
                    ]
                ).WithName(f"one_place[{did},{a},{b}]").OnlyEnforceIf(guard)
