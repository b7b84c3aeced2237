"""Rule 1 (scheduling): required, whole-delegation and must-attend sessions are
held exactly once; any other session at most once (the day literals sum to one
at most by construction)."""

from __future__ import annotations

from ..variables import Context


def add(ctx: Context) -> None:
    visit = ctx.visit
    for sid in sorted(visit.must_schedule):
        session = visit.session(sid)
        reason = "whole delegation" if session.is_all else "required"
        if not session.must_schedule:
            reason = "on a must_attend list"
        guard = ctx.guard(f"required:{sid}", f"session {sid} ({reason}) must be held")
        ctx.model.Add(ctx.scheduled[sid] == 1).WithName(f"required[{sid}]").OnlyEnforceIf(guard)
