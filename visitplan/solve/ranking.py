"""Which of a delegate's sessions their shortlist takes first, once the sessions are placed.

The attendance rule gives each delegate a literal for at most
``SHORTLIST_PER_DAY`` × days choice sessions, the ones of most interest.  On
the M benchmark a delegate cares for about ninety sessions, many of the same
weight, and the twenty taken by weight (then id) often ended up at the same
hours once placed, while sessions of that weight at free hours were out of
their reach: with the sessions fixed, the least share could not pass 122.
When ``first_plan`` has placed the sessions, the list is taken in tiers
instead, each by interest: first the sessions of the best day programme the
delegate could follow between the whole-delegation sessions (rides between
places included, lunch left to the model), then the other held sessions
free of those, then the rest.  With the same placement the least share
could reach 154.
"""

from __future__ import annotations

from ..model import Delegate, Session
from .rules.attendance import interest
from .variables import DAY, Context

BEST, FITS = 0, 1
"""Tiers: in the best day programme found, held and clear of fixed sessions; any
other session ranks after them."""


def rank(ctx: Context, placed: dict[str, tuple[int | None, int]]) -> dict[str, dict[str, int]]:
    """Per delegate, session id to its tier (``BEST`` or ``FITS``); others rank last.

    ``placed`` is ``placement.place``'s: session id to (held: 1, None for held but
    optional, 0 dropped; start minute counted from the first day)."""
    visit = ctx.visit
    held = {sid: start for sid, (kept, start) in placed.items() if kept != 0}
    choice = [s for s in visit.sessions if not s.is_all and s.id in held]
    whole = [s for s in visit.sessions if s.is_all and s.id in held]
    known: dict[tuple[str, str], bool] = {}

    def fits(a: Session, b: Session) -> bool:
        """``apart`` at the placed starts, remembered: the same pairs come up for
        every delegate."""
        key = (a.id, b.id)
        if key not in known:
            known[key] = apart(ctx, a, held[a.id], b, held[b.id])
        return known[key]

    # asked once, not for each delegate (L: 2.7M questions of the same 6,600 pairs)
    clear = {s.id for s in choice if all(fits(s, other) for other in whole)}
    after = _after(fits, held, choice)
    tiers: dict[str, dict[str, int]] = {}
    for delegate in visit.delegates:
        # what the delegate attends whatever the plan: their choices must avoid it
        musts = [visit.session(sid) for sid in delegate.must_attend if sid in held]
        musts = [s for s in musts if not s.is_all]
        by_day: dict[int, list[tuple[int, int, Session]]] = {}
        for session in choice:
            if session.id not in clear or not interest(delegate, session):
                continue
            start = held[session.id]
            k, end = start // DAY, start + session.minutes
            stay = ctx.stay_bounds(delegate, k)
            if stay is None or not stay[0] <= start - k * DAY <= end - k * DAY <= stay[1]:
                continue
            if all(fits(session, other) for other in musts):
                by_day.setdefault(k, []).append((start, end, session))
        mine = {s.id: FITS for sessions in by_day.values() for _, _, s in sessions}
        for sessions in by_day.values():
            mine.update(dict.fromkeys(_best_programme(after, delegate, sessions), BEST))
        tiers[delegate.id] = mine
    return tiers


def _after(fits, held: dict[str, int], choice: list[Session]) -> dict[str, frozenset[str]]:
    """Per session, those of its day that start before it and leave time to reach it:
    the same for every delegate, so asked once (L: 2.6M questions a run)."""
    by_day: dict[int, list[Session]] = {}
    for session in choice:
        by_day.setdefault(held[session.id] // DAY, []).append(session)
    return {
        b.id: frozenset(a.id for a in day if held[a.id] < held[b.id] and fits(a, b))
        for day in by_day.values()
        for b in day
    }


def apart(ctx: Context, a: Session, a_start: int, b: Session, b_start: int) -> bool:
    """Whether one delegate can attend both: no overlap, and time for the ride between."""
    if a.id == b.id:
        return True
    a_end, b_end = a_start + a.minutes, b_start + b.minutes
    return (
        a_end + ctx.hop(a.host_id, b.host_id) <= b_start
        or b_end + ctx.hop(b.host_id, a.host_id) <= a_start
    )


def _best_programme(after: dict, delegate: Delegate, sessions: list) -> list[str]:
    """The sessions of one day of most interest in all that one delegate can attend
    one after another (weighted interval scheduling; a day has a few dozen at most)."""
    sessions = sorted(sessions, key=lambda item: (item[0], item[1], item[2].id))
    best: list[tuple[int, tuple[str, ...]]] = []
    for j, (_start, _end, session) in enumerate(sessions):
        reach = after[session.id]
        before = [best[i] for i, (_s, _e, other) in enumerate(sessions[:j]) if other.id in reach]
        value, chosen = max(before, default=(0, ()), key=lambda pair: pair[0])
        best.append((value + interest(delegate, session), (*chosen, session.id)))
    return list(max(best, default=(0, ()), key=lambda pair: pair[0])[1])
