"""Rules 4–6 (no two places at once): any two sessions one delegate attends on
one day are apart by at least the ride between their places.

Requiring the ride time between *every* pair, not only consecutive ones, is
exact when travel times obey the triangle inequality (a detour is never
faster), which rule 6's estimates and buffers do; it keeps the model free of
per-delegate sequencing variables.  A delegate with the access need
``no_walking`` gets the vehicle time.  Rides to and from the base are in
``presence``.

With both starts held (the attendance phase, most of a neighbourhood) a pair
is decided before the solver sees it, and the pairs that clash are grouped
into cliques: one AtMostOne over sessions no delegate can attend two of."""

from __future__ import annotations

from ..variables import DAY, Context


def order(ctx: Context, first: str, second: str, on_foot: bool = True):
    """Literal: ``second`` starts after ``first`` ends plus the ride between them
    (by vehicle only, for a delegate who does not walk: ``on_foot`` false)."""
    key = (first, second, on_foot)
    if key not in ctx.before:
        name = f"before[{first},{second}]" if on_foot else f"driven_before[{first},{second}]"
        literal = ctx.model.NewBoolVar(name)
        gap = ctx.hop(ctx.host_of(first), ctx.host_of(second), on_foot)
        ctx.model.Add(ctx.start[second] >= ctx.end[first] + gap).WithName(name).OnlyEnforceIf(
            literal
        )
        ctx.before[key] = literal
    return ctx.before[key]


def add(ctx: Context) -> None:
    explaining = ctx.guard.enabled  # each pair its own named clause, for ``explain``
    cliques = {} if explaining else _fixed_cliques(ctx)
    per_delegate: dict[str, list[str]] = {}
    for did, sid in ctx.attends:
        per_delegate.setdefault(did, []).append(sid)
    days_of: dict[str, set[int]] = {}
    for sid, k in ctx.on_day:
        days_of.setdefault(sid, set()).add(k)
    for did in sorted(per_delegate):
        sessions = sorted(per_delegate[did])
        on_foot = ctx.walks(ctx.visit.delegate(did))
        if not explaining:
            _keep_cliques(ctx, did, sessions, cliques[on_foot])
        text = f"delegate {did} can be in only one place at a time"
        if not on_foot:
            text += ", riding by vehicle (access need: no walking)"
        for i, a in enumerate(sessions):
            for b in sessions[i + 1 :]:
                if not days_of.get(a, set()) & days_of.get(b, set()):
                    continue
                if not explaining and a in ctx.fixed_start and b in ctx.fixed_start:
                    continue  # in a clique above
                guard = ctx.guard(f"one_place:{did}", text)
                ctx.model.AddBoolOr(
                    [
                        ctx.attends[(did, a)].Not(),
                        ctx.attends[(did, b)].Not(),
                        order(ctx, a, b, on_foot),
                        order(ctx, b, a, on_foot),
                    ]
                ).WithName(f"one_place[{did},{a},{b}]").OnlyEnforceIf(guard)


def _apart(ctx: Context, a: str, b: str, on_foot: bool) -> bool:
    """Whether two sessions held at their fixed starts leave the ride between them."""
    start_a, start_b = ctx.fixed_start[a], ctx.fixed_start[b]
    end_a = start_a + ctx.visit.session(a).minutes
    end_b = start_b + ctx.visit.session(b).minutes
    gap_ab = ctx.hop(ctx.host_of(a), ctx.host_of(b), on_foot)
    gap_ba = ctx.hop(ctx.host_of(b), ctx.host_of(a), on_foot)
    return start_b >= end_a + gap_ab or start_a >= end_b + gap_ba


def _keep_cliques(ctx: Context, did: str, sessions: list[str], cover: list[frozenset[str]]) -> None:
    """At most one session of each clique the delegate is a candidate for."""
    mine = set(sessions)
    seen = set()
    for clique in cover:
        members = sorted(clique & mine)
        if len(members) < 2 or tuple(members) in seen:
            continue
        seen.add(tuple(members))
        ctx.model.AddAtMostOne([ctx.attends[(did, sid)] for sid in members]).WithName(
            f"one_place[{did},{members[0]},{len(members)}]"
        )


def _fixed_cliques(ctx: Context) -> dict[bool, list[frozenset[str]]]:
    """Sessions held at fixed starts that no delegate can attend two of, as cliques
    covering every such pair, on foot and by vehicle.  One AtMostOne over a clique
    instead of a clause per pair makes the LP relaxation as tight as the timetable
    allows (a delegate cannot attend half of each of three overlapping sessions)."""
    by_day: dict[int, list[str]] = {}
    for sid, start in ctx.fixed_start.items():
        by_day.setdefault(start // DAY, []).append(sid)
    cover: dict[bool, list[frozenset[str]]] = {}
    for on_foot in sorted({ctx.walks(d) for d in ctx.visit.delegates}):
        cover[on_foot] = []
        for k in sorted(by_day):
            held = sorted(by_day[k], key=lambda sid: (ctx.fixed_start[sid], sid))
            cover[on_foot] += _cover(ctx, held, on_foot)
    return cover


def _cover(ctx: Context, held: list[str], on_foot: bool) -> list[frozenset[str]]:
    """A greedy edge clique cover of the clash graph of sessions ``held`` (by start)."""
    clash = {
        (a, b) for i, a in enumerate(held) for b in held[i + 1 :] if not _apart(ctx, a, b, on_foot)
    }
    clash |= {(b, a) for a, b in clash}
    covered: set[tuple[str, str]] = set()
    cliques = []
    for i, a in enumerate(held):
        for b in held[i + 1 :]:
            if (a, b) not in clash or (a, b) in covered:
                continue
            clique = [a, b]
            for c in held:
                if c not in clique and all((c, m) in clash for m in clique):
                    clique.append(c)
            cliques.append(frozenset(clique))
            covered |= {(m, n) for m in clique for n in clique}
    return cliques
