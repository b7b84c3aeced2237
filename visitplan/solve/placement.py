"""Sessions placed one at a time by a greedy rule, for the first plan of a large visit.

CP-SAT's first plan of the model without the lunch rule held few optional
sessions, and which ones depended on the solver seed: on the M benchmark it
held 15 of 150 sessions, 59-92 after 10 s of polish, and the least share of
the final plan ranged from 44 to 200 over solver seeds.  Here every session
is placed in a second or two, each where it clashes least with the sessions
already placed, counted in delegates who care for both.  The placement keeps
the rules a start must keep (a window of the host, the day's frame, pins,
rooms, ``after``, whole-delegation sessions apart) and three that depend on
who attends, in the form ``fallback`` uses: time to ride from the hotel and
back within the day, a lunch break beside the session inside the lunch
window, and never more drives under way than vehicles.  The attendance model
then chooses who attends with the sessions fixed, and may still leave an
optional session out; when it finds no plan, the first plan's ladder
(``phases.construct``) goes on to CP-SAT's timetable.  ``beside`` places the
sessions a plan left out by the same rule, around those it holds, for the
top-up to open.
"""

from __future__ import annotations

import numpy as np
from ortools.sat.python import cp_model

from ..model import BASE, Session, Visit
from ..timegrid import minute_of
from ..travel import TravelTable
from . import day_spread, ranking
from .rules import access, attendance
from .rules.host_windows import session_starts
from .variables import DAY, Context, Guards


def ranking_ahead(visit: Visit) -> dict[str, dict[str, int]] | None:
    """The shortlists' tiers (``ranking``) by the greedy placement, before any model is
    made, when some delegate's shortlist is cut short; else None.

    Ranked only after a first plan, as before, the model had to be made twice:
    M's first plan came 4-5 s later and the two models lived side by side, and
    L, where making a model takes 9 s, had no time left to do it."""
    if len(visit.delegates) * len(visit.sessions) > RANK_AHEAD_LARGEST:
        return None
    model = cp_model.CpModel()
    bare = Context(visit, model, TravelTable(visit), Guards(model, False))
    if not attendance.truncated(bare):
        return None
    if day_spread.needed(visit):
        bare.day_choice = day_spread.choose_days(bare)
    placed = place(bare)
    return ranking.rank(bare, placed) if placed else None


RANK_AHEAD_LARGEST = 1_000_000
"""Most delegate × session pairs for which the ranking is made ahead: it took 6 s
on L (600,000 pairs) and 47 s on XL (3,000,000), before any model was made."""


def place(ctx: Context) -> dict[str, tuple[int | None, int | None]]:
    """Session id to (1: must be held, None: optional and placed, 0: left out; start
    minute counted from the first day, None when left out), as ``phases.construct``
    fixes them; {} when a session that must be held has no start at all."""
    visit = ctx.visit
    keen = keen_delegates(ctx)
    board = _Board(ctx, keen)
    starts: dict[str, int] = {}
    for session in _in_order(ctx, keen):
        earliest = max(
            (starts[e] + visit.session(e).minutes for e in session.after if e in starts),
            default=0,
        )
        start = board.best_start(session, [t for t in _starts(ctx, session) if t >= earliest])
        if start is None and session.id in board.must:
            return {}
        if start is not None:
            board.put(session, start)
            starts[session.id] = start
    return {
        s.id: (1 if s.id in board.must else None, starts[s.id]) if s.id in starts else (0, None)
        for s in visit.sessions
    }


def beside(ctx: Context, starts: dict[str, int]) -> dict[str, int]:
    """Starts for the sessions a timetable leaves out, placed by the same rule around
    the sessions it holds at ``starts`` (and their ``after`` order both ways): the
    top-up (``phases.top_up``) opens those enough keen delegates can attend.  On the
    regular L benchmark the plan held 494 of 600 sessions; all 106 others had a start
    here, and 99 found keen delegates enough."""
    visit = ctx.visit
    keen = keen_delegates(ctx)
    board = _Board(ctx, keen)
    for sid, start in sorted(starts.items(), key=lambda item: (item[1], item[0])):
        board.put(visit.session(sid), start)
    placed = dict(starts)
    offered: dict[str, int] = {}
    followers: dict[str, list[str]] = {}  # session id to those that must come after it
    for other in visit.sessions:
        for first in other.after:
            followers.setdefault(first, []).append(other.id)
    for session in _in_order(ctx, keen):
        if session.id in placed or session.is_all:
            continue  # (a whole-delegation session left out stays out: it would bar the rest)
        earliest = max(
            (placed[e] + visit.session(e).minutes for e in session.after if e in placed),
            default=0,
        )
        latest = min(
            (placed[o] - session.minutes for o in followers.get(session.id, ()) if o in placed),
            default=None,
        )
        options = [
            t for t in _starts(ctx, session) if earliest <= t and (latest is None or t <= latest)
        ]
        start = board.best_start(session, options)
        if start is not None:
            board.put(session, start)
            placed[session.id] = offered[session.id] = start
    return offered


def keen_delegates(ctx: Context) -> dict[str, frozenset[str]]:
    """Per choice session, the delegates who care for it and whose access needs let
    them attend it (``access``)."""
    by_topic: dict[str, set[str]] = {}
    for delegate in ctx.visit.delegates:
        for topic, weight in delegate.interests:
            if weight > 0:
                by_topic.setdefault(topic, set()).add(delegate.id)
    return {
        s.id: frozenset().union(*(by_topic.get(topic, ()) for topic in s.topics))
        - access.barred(ctx, s)
        for s in ctx.visit.sessions
        if not s.is_all
    }


def _in_order(ctx: Context, keen: dict[str, frozenset[str]]) -> list[Session]:
    """Whole-delegation sessions first, then those that must be held, pinned ones
    first among each, then the most wanted; a session never before those in its
    ``after`` list."""
    must = ctx.visit.must_schedule
    pending = sorted(
        ctx.visit.sessions,
        key=lambda s: (
            not s.is_all,
            s.id not in must,
            s.pin_start is None and s.pin_date is None,
            -len(keen.get(s.id, ())),
            s.id,
        ),
    )
    done: set[str] = set()
    order: list[Session] = []
    while pending:
        ready = next(
            (s for s in pending if all(e in done for e in s.after)), pending[0]
        )  # a cycle in ``after`` is the reader's to report; take the next one regardless
        pending.remove(ready)
        done.add(ready.id)
        order.append(ready)
    return order


def _starts(ctx: Context, session: Session) -> list[int]:
    """Starts on the grid inside windows, frame and pin (and the day ``day_spread``
    chose), with time to ride from the hotel and back within the day where any have."""
    options = session_starts(ctx, session)
    if session.id in ctx.day_choice:
        options = {k: m for k, m in options.items() if k == ctx.day_choice[session.id]}
    there, back = ctx.hop(BASE, session.host_id), ctx.hop(session.host_id, BASE)
    every, reachable = [], []
    for k, minutes in sorted(options.items()):
        lo, hi = ctx.frame(k)
        for m in minutes:
            every.append(k * DAY + m)
            if lo + there <= m and m + session.minutes + back <= hi:
                reachable.append(k * DAY + m)
    return reachable or every


class _Board:
    """The sessions placed so far, by day, and what a new one would clash with."""

    def __init__(self, ctx: Context, keen: dict[str, frozenset[str]]):
        self.ctx, self.keen = ctx, keen
        self.by_day: dict[int, list[tuple[int, Session]]] = {}
        self.drives: dict[int, int] = {}  # minute on the grid -> drives under way
        self.shared: np.ndarray | None = None  # made at the first ask (``_shared``)
        self.row = {sid: i for i, sid in enumerate(keen)}
        lunch = ctx.visit.lunch
        self.lunch = None if lunch is None else (minute_of(lunch.start), minute_of(lunch.end))
        self.vehicles = ctx.visit.transport.vehicles
        self.must = ctx.visit.must_schedule  # a property that walks every delegate
        everyone = frozenset(d.id for d in ctx.visit.delegates)
        self.bound: dict[str, frozenset[str]] = {}
        for delegate in ctx.visit.delegates:
            for sid in delegate.must_attend:
                self.bound[sid] = self.bound.get(sid, frozenset()) | {delegate.id}
        for session in ctx.visit.sessions:
            if session.is_all:
                self.bound[session.id] = everyone

    def best_start(self, session: Session, starts: list[int]) -> int | None:
        """The start of least clash among those that break no placement rule; for a
        session that must be held, lunch and fleet give way when nothing else fits."""
        best = None
        must = session.id in self.must
        others: dict[int, list[tuple]] = {}
        for start in starts:
            if not self._fits(session, start):
                continue
            drives = self._drives_at(session, start)
            k = start // DAY
            if k not in others:
                others[k] = self._others(session, k)
            clash, parallel, beside_whole = self._overlaps(session, start, others[k])
            strain = (
                self._lunch_blocked(session, start)
                + (drives is not None and drives + 1 > self.vehicles)
                + beside_whole
            )
            if strain and not must:
                continue
            key = (strain, clash, drives or 0, parallel, start)
            if best is None or key < best:
                best = key
        return None if best is None else best[-1]

    def put(self, session: Session, start: int) -> None:
        self.by_day.setdefault(start // DAY, []).append((start, session))
        slot = self.ctx.slot
        for begin, end in self._drives_of(session, start):
            for moment in range(begin, end, slot):
                self.drives[moment] = self.drives.get(moment, 0) + 1

    def _fits(self, session: Session, start: int) -> bool:
        """Rooms, and sessions somebody must attend (whole-delegation ones: everybody)
        apart from that person's others, with the ride between."""
        rooms = None if session.host_id == BASE else self.ctx.visit.rooms_of(session.host_id)
        end, busy = start + session.minutes, 0
        bound = self.bound.get(session.id, frozenset())
        for other_start, other in self.by_day.get(start // DAY, ()):
            if (
                bound
                and bound & self.bound.get(other.id, frozenset())
                and not ranking.apart(self.ctx, session, start, other, other_start)
            ):
                return False
            if other.host_id == session.host_id and other_start < end:
                busy += start < other_start + other.minutes
        return rooms is None or busy < rooms

    def _overlaps(self, session: Session, start: int, others: list[tuple]) -> tuple[int, int, int]:
        """(delegates who care for this session and one overlapping it, how many overlap,
        1 when a choice session overlaps a whole-delegation one).  The last is strain:
        everybody present is at the whole-delegation session, so only delegates away
        could attend (on XL, a required session placed so found nobody).  ``others``:
        ``_others`` of the start's day."""
        end = start + session.minutes
        clash = parallel = beside_whole = 0
        for other_start, other_end, to_other, from_other, shared, whole in others:
            if end + to_other <= other_start or other_end + from_other <= start:
                continue  # apart, with the ride between (``ranking.apart``)
            parallel += 1
            clash += shared
            beside_whole |= whole
        return clash, parallel, beside_whole

    def _others(self, session: Session, k: int) -> list[tuple]:
        """The sessions placed on day k as ``_overlaps`` reads them at every start: (start,
        end, ride to it, ride from it, delegates it shares with ``session``, whether it
        is a whole-delegation one beside a choice one).  Made once per session and day:
        asked per start, the rides were 6M lookups of L's placement."""
        everyone = len(self.ctx.visit.delegates)
        hop, host = self.ctx.hop, session.host_id
        made = []
        for other_start, other in self.by_day.get(k, ()):
            if session.is_all:
                shared = everyone if other.is_all else len(self.keen[other.id])
            elif other.is_all:
                shared = len(self.keen[session.id])
            else:
                shared = self._shared(session.id, other.id)
            whole = int(other.is_all and not session.is_all)
            end = other_start + other.minutes
            made.append(
                (
                    other_start,
                    end,
                    hop(host, other.host_id),
                    hop(other.host_id, host),
                    shared,
                    whole,
                )
            )
        return made

    def _shared(self, a: str, b: str) -> int:
        """How many delegates care for both choice sessions.  The placement asks for
        nearly every pair, so all are counted at once, as a product of who cares for
        what: one set intersection per pair took L's first plan 1.3 s."""
        if self.shared is None:
            people = {did: j for j, did in enumerate(d.id for d in self.ctx.visit.delegates)}
            cares = np.zeros((len(self.row), len(people)), dtype=np.float32)
            for sid, i in self.row.items():
                cares[i, [people[did] for did in self.keen[sid]]] = 1.0
            self.shared = np.rint(cares @ cares.T).astype(np.int64)
        return int(self.shared[self.row[a], self.row[b]])

    def _lunch_blocked(self, session: Session, start: int) -> int:
        """1 when the session leaves its attendees no break inside the lunch window
        (eaten at its own host, the nearest place): it covers the window's middle."""
        if self.lunch is None or session.kind == "meal":
            return 0
        frm, to = self.lunch
        begin = start % DAY
        end = begin + session.minutes
        if end <= frm or to <= begin:
            return 0
        return int(max(begin - frm, to - end) < self.ctx.visit.lunch.minutes)

    def _drives_of(self, session: Session, start: int) -> list[tuple[int, int]]:
        """The drive in before the session and out after it: none at the hotel.  (Not
        counting sessions within walking distance of the hotel, as ``fallback`` does,
        left one M day more drives than the vehicles could serve.)"""
        host = session.host_id
        if self.vehicles is None or host == BASE:
            return []
        end = start + session.minutes
        return [(start - self.ctx.hop(BASE, host), start), (end, end + self.ctx.hop(host, BASE))]

    def _drives_at(self, session: Session, start: int) -> int | None:
        """The most drives already under way during this session's own drives; None
        when it needs none.  (Drives begin and end on the grid: hops are whole slots.)"""
        own = self._drives_of(session, start)
        if not own:
            return None
        slot = self.ctx.slot
        return max(
            (self.drives.get(m, 0) for begin, end in own for m in range(begin, end, slot)),
            default=0,
        )
