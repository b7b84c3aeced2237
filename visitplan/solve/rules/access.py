"""Access needs (rule 4 for ``step_free``, rule 6 for ``no_walking``): codes in a
delegate's ``needs`` that the plan keeps, not only prints.

``step_free``: the delegate attends only sessions at hosts marked step-free
(the base always is).  Such a delegate is no candidate for a choice session
elsewhere, and is excused from a whole-delegation session elsewhere as rule 3
excuses a delegate who is away (``attendance.candidates``).  A must_attend
session elsewhere cannot be kept: the guarded rule here makes that
infeasible, and ``explain`` names it.

``no_walking`` is kept where travel is counted: the schedule rules use the
vehicle time for that delegate (``Context.walks``) and the rides model never
lets them walk (``rides``)."""

from __future__ import annotations

from ...model import BASE, Delegate, Session
from ..variables import Context


def barred(ctx: Context, session: Session) -> frozenset[str]:
    """The delegates whose access needs keep them from the session's place."""
    if session.host_id == BASE or ctx.visit.host(session.host_id).step_free:
        return frozenset()
    return ctx.needing("step_free")


def admits(ctx: Context, delegate: Delegate, session: Session) -> bool:
    """Whether the delegate's access needs let them attend the session."""
    return delegate.id not in barred(ctx, session)


def add(ctx: Context) -> None:
    visit = ctx.visit
    for (did, sid), x in sorted(ctx.attends.items()):
        if did not in ctx.needing("step_free"):
            continue
        session = visit.session(sid)
        if did not in barred(ctx, session):
            continue
        guard = ctx.guard(
            f"access:{did}:{sid}",
            f"delegate {did} needs step-free access, but {visit.place_name(session.host_id)} "
            f"(where session {sid} is held) is not step-free",
        )
        ctx.model.Add(x == 0).WithName(f"step_free[{did},{sid}]").OnlyEnforceIf(guard)
