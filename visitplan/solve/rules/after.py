"""Rule 2 (order): a scheduled session starts no earlier than the end of every
scheduled session in its ``after`` list."""

from __future__ import annotations

from ..variables import Context


def add(ctx: Context) -> None:
    for session in ctx.visit.sessions:
        for earlier in session.after:
            guard = ctx.guard(
                f"after:{session.id}:{earlier}",
                f"session {session.id} must start after session {earlier} ends",
            )
            ctx.model.Add(ctx.start[session.id] >= ctx.end[earlier]).WithName(
                f"after[{session.id},{earlier}]"
            ).OnlyEnforceIf([ctx.scheduled[session.id], ctx.scheduled[earlier], *guard])
