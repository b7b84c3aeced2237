"""Rules 1 and 4 (who attends): attendance literals, group sizes, must_attend
and one session per group.

Only *candidates* get an attendance literal: delegates present on a day the
session can be held who either care for its topics, must attend it, or are
needed to reach its min_size.  Attending a session of no interest gains no
goal of section 4, so leaving such pairs out loses no better plan and keeps
the model small on large visits.  Each delegate is a candidate for at most
``SHORTLIST_PER_DAY`` choice sessions per programme day, those of most
interest to them (ties by id): nobody attends more than a few sessions a day,
and the model's pairwise rules grow with the square of this list."""

from __future__ import annotations

import functools
import math
import zlib

from ...model import Delegate, Session
from ..variables import Context
from . import access


def interest(delegate: Delegate, session: Session) -> int:
    """Σ the delegate's weights over the session's topics."""
    return _weight(delegate.interests, session.topics)


@functools.lru_cache(maxsize=1 << 18)
def _weight(interests: tuple[tuple[str, int], ...], topics: tuple[str, ...]) -> int:
    """Remembered by value: a large visit asks millions of times (L's first plan: the
    shortlists, the candidates, the goals, the greedy attendance)."""
    weights = dict(reversed(interests))  # the first of a topic counts, as in weight()
    return sum(weights.get(topic, 0) for topic in topics)


def _present(ctx: Context, delegate: Delegate, session: Session) -> bool:
    return any(ctx.stay_bounds(delegate, k) is not None for k in ctx.possible_days(session))


SHORTLIST_PER_DAY = 4
SPARE_FILLERS = 10
"""A session fewer keen delegates can attend than its min_size needs takes others
to fill it: the missing number and this many more, chosen by a hash of the
session and delegate ids so that such sessions do not all draw the same
people.  (Taking every present delegate made 1.7M attendance literals on XL.)"""


def shortlist(ctx: Context, delegate: Delegate) -> set[str]:
    """The choice sessions a delegate is a candidate for by interest, must_attend included;
    in the tiers of ``ctx.ranking`` first when a placement gave them (``ranking``)."""
    kept = {sid for (did, sid) in ctx.previous_attended if did == delegate.id}
    if ctx.every_pair:
        return {s.id for s in _keen(ctx, delegate)} | set(delegate.must_attend) | kept
    tiers = (ctx.ranking or {}).get(delegate.id, {})
    keen = sorted(
        _keen(ctx, delegate),
        key=lambda s: (tiers.get(s.id, math.inf), -interest(delegate, s), s.id),
    )
    return {s.id for s in keen[: _shortlist_size(ctx)]} | set(delegate.must_attend) | kept


def truncated(ctx: Context) -> bool:
    """Whether some delegate cares for more choice sessions than their shortlist holds."""
    size = _shortlist_size(ctx)
    return any(len(_keen(ctx, delegate)) > size for delegate in ctx.visit.delegates)


def _keen(ctx: Context, delegate: Delegate) -> list[Session]:
    """The choice sessions of some interest to the delegate."""
    return [s for s in ctx.visit.sessions if not s.is_all and interest(delegate, s) > 0]


def _shortlist_size(ctx: Context) -> int:
    return SHORTLIST_PER_DAY * max(1, len(ctx.visit.programme_days))


def candidates(ctx: Context, session: Session, lists: dict[str, set[str]]) -> list[str]:
    """Delegates present who may attend: keen ones, fillers, everybody for an `all`
    session.  A delegate whose access needs rule the session out (``access``) is
    none, as a delegate away is none (excused from an `all` session), unless they
    must attend it or did in the earlier plan: ``access`` then forbids it by name."""
    delegates = ctx.visit.delegates

    def admitted(d: Delegate) -> bool:
        return _present(ctx, d, session) and (
            access.admits(ctx, d, session)
            or session.id in d.must_attend
            or (d.id, session.id) in ctx.previous_attended
        )

    if session.is_all or set(ctx.possible_days(session)) & ctx.convoy_days:
        return [d.id for d in delegates if admitted(d)]
    # the keen first: asking every delegate's stay of each session took L 1.5 s a model
    keen = [d.id for d in delegates if session.id in lists[d.id] and admitted(d)]
    if len(keen) >= session.min_size:
        return keen
    others = [d.id for d in delegates if session.id not in lists[d.id] and admitted(d)]
    wanted = session.min_size - len(keen) + SPARE_FILLERS
    if len(others) > wanted and not ctx.every_pair:
        # spread over the delegation, the same on every run
        others = sorted(others, key=lambda did: zlib.crc32(f"{session.id}/{did}".encode()))
        others = sorted(others[:wanted])
    order = {d.id: i for i, d in enumerate(delegates)}
    return sorted(keen + others, key=order.__getitem__)


def add(ctx: Context) -> None:
    model, visit = ctx.model, ctx.visit
    lists = {d.id: shortlist(ctx, d) for d in visit.delegates}
    for session in visit.sessions:
        sid = session.id
        ids = candidates(ctx, session, lists)
        ctx.candidates[sid] = tuple(ids)
        for did in ids:
            x = model.NewBoolVar(f"attends[{did},{sid}]")
            model.AddImplication(x, ctx.scheduled[sid]).WithName(f"attends_held[{did},{sid}]")
            ctx.attends[(did, sid)] = x
        if session.is_all:
            continue
        total = sum(ctx.attends[(did, sid)] for did in ids)
        size_guard = ctx.guard(
            f"size:{sid}",
            f"session {sid} needs {session.min_size} to {session.max_size or 'any number of'} "
            "attendees",
        )
        model.Add(total >= session.min_size).WithName(f"min_size[{sid}]").OnlyEnforceIf(
            [ctx.scheduled[sid], *size_guard]
        )
        if session.max_size is not None:
            model.Add(total <= session.max_size).WithName(f"max_size[{sid}]").OnlyEnforceIf(
                size_guard
            )
    for delegate in visit.delegates:
        for sid in delegate.must_attend:
            guard = ctx.guard(
                f"must_attend:{delegate.id}:{sid}",
                f"delegate {delegate.id} must attend session {sid}",
            )
            x = ctx.attends.get((delegate.id, sid))
            if x is None:
                model.AddBoolOr([]).WithName(  # not present when it is held
                    f"must_attend[{delegate.id},{sid}]"
                ).OnlyEnforceIf(guard)
            else:
                model.Add(x == 1).WithName(f"must_attend[{delegate.id},{sid}]").OnlyEnforceIf(guard)
        groups: dict[str, list] = {}
        for session in visit.sessions:
            x = ctx.attends.get((delegate.id, session.id))
            if session.group and x is not None:
                groups.setdefault(session.group, []).append(x)
        for group, members in groups.items():
            if len(members) > 1:
                model.AddAtMostOne(members).WithName(f"one_of_group[{delegate.id},{group}]")
