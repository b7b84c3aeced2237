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
        intervals = [ctx.interval[sid] for sid in ids]
        if len(ids) <= rooms:
            continue
        if rooms == 1:
            ctx.model.AddNoOverlap(intervals)
        else:
            ctx.model.AddCumulative(intervals, [1] * len(ids), rooms)
