"""Rule 2 (rooms): at no moment does a host hold more sessions than its rooms."""

from __future__ import annotations

from ...model import BASE
from ..variables import Context


def add(ctx: Context) -> None:
    by_host: dict[str, list[str]] = {}
    for session in ctx.visit.sessions:
        if session.host_id != BASE:
            by_host.setdefault(session.host_id, []).append(session.id)
    for host_id, ids in sorted(by_host.items()):
        rooms = ctx.visit.rooms_of(host_id)
        if len(ids) <= rooms:
            continue
        name = ctx.visit.place_name(host_id)
        guard = ctx.guard(
            f"rooms:{host_id}",
            f"{name} ({host_id}) has {rooms} room{'s' if rooms > 1 else ''}: "
            f"at most {rooms} of its sessions at a time",
        )
        intervals = [ctx.interval[sid] for sid in ids]
        if guard and rooms == 1:
            _pairwise(ctx, ids, guard)  # NoOverlap takes no enforcement literal
        elif rooms == 1:
            ctx.model.AddNoOverlap(intervals).WithName(f"rooms[{host_id}]")
        else:
            ctx.model.AddCumulative(intervals, [1] * len(ids), rooms).WithName(f"rooms[{host_id}]")


def _pairwise(ctx: Context, ids: list[str], guard: list) -> None:
    model = ctx.model
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            first = model.NewBoolVar(f"room_order[{a},{b}]")
            both = [ctx.scheduled[a], ctx.scheduled[b], *guard]
            model.Add(ctx.start[b] >= ctx.end[a]).WithName(f"room_order[{a},{b}]").OnlyEnforceIf(
                [first, *both]
            )
            model.Add(ctx.start[a] >= ctx.end[b]).WithName(f"room_order[{b},{a}]").OnlyEnforceIf(
                [first.Not(), *both]
            )
