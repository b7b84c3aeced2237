"""The top-up's moves: free seats taken, sessions traded for keener ones, seats of
full sessions passed to the least served or the keener, and sessions left out
opened for the keen delegates who fit them or trade for them (``top_up`` says why
and when)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from ..placement import keen_delegates
from ..rules import access
from ..rules.attendance import interest
from ..schedule import DAY, Schedule
from ..variables import Context
from .agendas import Agendas, least_share, rooms
from .fill import in_order

Move = tuple[str, str, str | None, str | None]
"""(delegate id, session id taken, session id given up for it or None, delegate id
who gives their seat in it up or None)."""

BUMPED_SHARE = 0.2
"""The least-served part of the delegation that may take a seat of a full session from
a better-served delegate (``moves_for``)."""


def moves_for(
    ctx: Context,
    schedule: Schedule,
    offered: Mapping[str, int] | None = None,
    left: frozenset[int] = frozenset(),
) -> list[Move]:
    """The moves that improve ``schedule``, in the order made, one kind after the
    other (``_Moves``): free seats, trades, seats passed to the least served, seats
    passed to the keener, the sessions of ``offered`` (id to start: those the
    schedule does not hold) opened, and trades again: a delegate who fits an opened
    session only without one it cares for less (on L: least share 79 to 82,
    interest +500; passing full seats again as well cost 1 to 4 of the least share
    for +5,000 interest).  Neither the least share nor interest
    falls.  Any first part of one day's moves that does not end inside the run
    opening one session keeps every rule whatever the other days keep
    (``with_moves``): a day's moves touch that day's sessions alone, and no move
    frees a delegate's group for another of its sessions.

    The shortlists guess, before any time is known, which sessions a delegate
    might get; with the times known, the regular L benchmark's plan after its goal
    by goal pass had room for 5,394 more (interest 136,544 to 165,361, least share
    16 to 61, in 3 s), where CP-SAT with every keen pair of one day gained 1,500 in
    10 s.  ``ctx`` knows stays, rides and open days (``build.open_days``).  No move
    touches a day of ``left`` (indexes): the repair made those stricter than the
    moves know."""
    made = _Moves(ctx, schedule, left)
    made.free_seats()
    made.trades()
    made.to_least_served()
    made.to_keener()
    made.openings(offered or {})
    made.trades()  # again: an opened session's seats, for a session cared for less
    return made.moves


class _Moves:
    """The plan's days as the moves change them, each delegate's interest met and each
    session's seats taken; one method per kind of move, each adding to ``moves``."""

    def __init__(self, ctx: Context, schedule: Schedule, left: frozenset[int]):
        self.ctx, self.visit = ctx, ctx.visit
        self.days, self.served, self.taken = Agendas.of(ctx, schedule)
        self.room = rooms(ctx)
        self.starts = schedule.starts()
        self.left = left
        """Days no move touches."""
        self.moves: list[Move] = []
        self._keen: dict[str, list] = {}  # delegate id to the held sessions they care for
        self._fans: dict[str, list] = {}  # session id to ``_wanted_by``'s, in visit order
        self._wanted_by = keen_delegates(ctx)  # session id to the keen delegates it admits
        self._on_topics: dict[str, list] | None = None  # ``_on_topic``, while the held stay
        self._weights: dict[tuple[str, str], int] = {}  # (delegate id, session id) to interest
        self._low: dict[str, list] = {}  # session id to ``_by_loss``, while its seats stay
        self.kept = dict(self.served)
        """Each delegate's interest met that no first part of the moves loses."""
        self.least = least_share(self.served, self.room)
        """The plan's least share: no seat given up takes anyone below it."""
        self.floor = self.least
        """The least share the moves reached: for interest alone, no seat given up takes
        anyone below it (``to_keener``)."""

    def weight(self, delegate, session) -> int:
        """``interest``, remembered: L's moves ask it millions of times."""
        key = (delegate.id, session.id)
        if key not in self._weights:
            self._weights[key] = interest(delegate, session)
        return self._weights[key]

    def share(self, delegate) -> int:
        return self.served[delegate.id] * 1000 // self.room[delegate.id]

    def free_seats(self) -> None:
        """Each held session's free seats to every keen delegate who still fits it,
        least served first, the sessions in ``fill``'s order."""
        for session in in_order(self.visit, self._movable(self.starts)):
            for delegate in self._by_share(session):
                if not _free(session, self.taken):
                    break
                if session.id not in self.days.attends(delegate) and self.days.fits(
                    delegate, session, self.starts[session.id]
                ):
                    self._take(delegate, session)

    def trades(self) -> None:
        """Least served first, each delegate takes the free seats it cares for, keenest
        first, giving up the one session that alone stands in the way of one when it
        cares for that one less (``_given_up``)."""
        for delegate in self._least_served_first():
            for session in self._keenest(delegate):
                if not _free(session, self.taken) or session.id in self.days.attends(delegate):
                    continue  # taken by a move made since
                if self.days.fits(delegate, session, self.starts[session.id]):
                    self._take(delegate, session)
                    continue
                given = self._given_up(delegate, session)
                if given is not None:
                    self.served[delegate.id] -= self.weight(delegate, given)
                    self.taken[given.id] -= 1
                    self._take(delegate, session, given)

    def to_least_served(self) -> None:
        """The least-served fifth (``BUMPED_SHARE``) takes seats of full sessions from
        better-served delegates who care for them no more (``_seat_for``)."""
        fifth = math.ceil(len(self.visit.delegates) * BUMPED_SHARE)
        for delegate in self._least_served_first()[:fifth]:
            for session in self._full_for(delegate):
                self._bump(delegate, session, keener=False)

    def to_keener(self) -> None:
        """Any delegate takes seats of full sessions from one who cares for them less,
        and who keeps the least share the moves have reached so far."""
        self.floor = least_share(self.served, self.room)
        for delegate in self.visit.delegates:
            for session in self._full_for(delegate):
                self._bump(delegate, session, keener=True)

    def openings(self, offered: Mapping[str, int]) -> None:
        """Each session of ``offered``, the most wanted first, opened at its start where
        at least its min_size of keen delegates fit it: its seats go to them, least
        served first.  Where too few fit as they are, keen delegates who would give up
        the one session in the way that they care for no more (``_given_up``) make
        up the number (M seed 1: four sessions had keen delegates enough, none of
        them free).  Last, so that a day whose rides fail can lose them first."""
        for session in in_order(self.visit, self._movable(offered)):
            if session.kind == "meal":
                continue  # (a meal is someone's lunch: the model's choice alone)
            start = offered[session.id]
            cap = session.max_size or len(self.visit.delegates)
            fit = [d for d in self._by_share(session) if self.days.fits(d, session, start)]
            traded = self._traders(session, start, max(1, session.min_size) - len(fit))
            if traded is None:
                continue
            self.starts[session.id], self.taken[session.id] = start, 0
            self._keen.clear()
            self._on_topics = None
            for delegate, given in traded:
                self.served[delegate.id] -= self.weight(delegate, given)
                self._take(delegate, session, given)
            for delegate in fit[: cap - len(traded)]:
                self._take(delegate, session)

    def _traders(self, session, start: int, wanted: int) -> list | None:
        """``wanted`` keen delegates who fit ``session`` at ``start`` once they give up the
        one session in the way (``_given_up``, already dropped from their days), as
        (delegate, given up), least served first; [] when none are wanted, None when
        too few would (their days as they were)."""
        if wanted <= 0:
            return []
        self.starts[session.id] = start  # (``_given_up`` reads it)
        traded = []
        for delegate in self._by_share(session):
            if len(traded) == wanted:
                break
            if self.days.fits(delegate, session, start):
                continue  # (counted as fitting already)
            given = self._given_up(delegate, session, ties=True)
            if given is not None:
                self.taken[given.id] -= 1  # (so that its min_size holds for the next)
                traded.append((delegate, given))
        if len(traded) == wanted:
            return traded
        for delegate, given in traded:
            self.days.put(delegate, given, self.starts[given.id])
            self.taken[given.id] += 1
        del self.starts[session.id]
        return None

    def _movable(self, starts: Mapping[str, int]) -> dict[str, int]:
        """The sessions of ``starts`` on the days moves may touch."""
        return {sid: start for sid, start in starts.items() if start // DAY not in self.left}

    def _take(self, delegate, session, given=None, bumped=None) -> None:
        self.days.put(delegate, session, self.starts[session.id])
        self._low.pop(session.id, None)
        if given is not None:
            self._low.pop(given.id, None)
        self.served[delegate.id] += self.weight(delegate, session)
        self.taken[session.id] += 1
        self.moves.append(
            (
                delegate.id,
                session.id,
                None if given is None else given.id,
                None if bumped is None else bumped.id,
            )
        )

    def _bump(self, delegate, session, keener: bool) -> None:
        other = self._seat_for(delegate, session, keener)
        if other is not None:
            self.served[other.id] -= self.weight(other, session)
            self.taken[session.id] -= 1
            self._take(delegate, session, bumped=other)

    def _least_served_first(self) -> list:
        return sorted(self.visit.delegates, key=lambda d: (self.share(d), d.id))

    def _by_share(self, session) -> list:
        """The keen delegates the access needs admit to ``session``, least served first."""
        if session.id not in self._fans:
            near = self._wanted_by.get(session.id, frozenset())  # (none for an ``all`` session)
            self._fans[session.id] = [d for d in self.visit.delegates if d.id in near]
        keen = self._fans[session.id]
        return sorted(keen, key=lambda d: (self.share(d), -self.weight(d, session), d.id))

    def _keenest(self, delegate) -> list:
        """The held choice sessions the delegate cares for, may enter and does not
        attend, keenest first."""
        if delegate.id not in self._keen:  # (the held sessions change only as ``openings`` end)
            on_topic = self._on_topic()
            near = {s.id: s for t, w in delegate.interests if w > 0 for s in on_topic.get(t, ())}
            keen = [
                s
                for s in near.values()
                if self.weight(delegate, s) > 0 and access.admits(self.ctx, delegate, s)
            ]
            self._keen[delegate.id] = sorted(keen, key=lambda s: (-self.weight(delegate, s), s.id))
        attended = self.days.attends(delegate)
        return [s for s in self._keen[delegate.id] if s.id not in attended]

    def _on_topic(self) -> dict[str, list]:
        """Per topic, the held choice sessions on it, on the days moves may touch."""
        if self._on_topics is None:
            self._on_topics = {}
            for sid in self._movable(self.starts):
                session = self.visit.session(sid)
                if not session.is_all:
                    for topic in session.topics:
                        self._on_topics.setdefault(topic, []).append(session)
        return self._on_topics

    def _full_for(self, delegate) -> list:
        """The full sessions the delegate cares for, keenest first (a meal is someone's
        lunch: never).  Whether the delegate fits one is ``_seat_for``'s to ask: most
        find no seat to take, and asking first was most of L's top-up."""
        return [s for s in self._keenest(delegate) if s.kind != "meal" and not _free(s, self.taken)]

    def _seat_for(self, delegate, session, keener: bool):
        """The attendee who gives up their seat in a full session to ``delegate``, or
        None: of those who need not attend it, keep a lunch without it and stay at or
        above the plan's least share counted without the other moves (so that any
        first part of the moves keeps it), the best served who care for it no more
        and stay above the delegate's share; with ``keener``, for interest alone, the
        one who cares for it least, less than the delegate does, and stays at or
        above ``floor``."""
        days, start = self.days, self.starts[session.id]
        gain = self.weight(delegate, session)
        before = -1 if keener else self.share(delegate)
        willing = []  # (key, the attendee) of those who may give the seat up
        for loss, did in self._by_loss(session):
            if loss > gain or (keener and loss == gain):
                break  # (asked of every full session a delegate cares for: L's 230,000)
            other = self.visit.delegate(did)
            kept = (self.kept[did] - loss) * 1000 // self.room[did]
            now = (self.served[did] - loss) * 1000 // self.room[did]
            if kept > before and kept >= self.least and now >= self.floor:
                willing.append(((-loss, kept) if keener else (kept,), other))
        willing.sort(key=lambda item: item[1].id)
        if not willing or not days.fits(delegate, session, start):
            return None
        best, best_key = None, None
        for key, other in willing:
            if (best_key is None or key > best_key) and days.gives_up(other, session, start):
                best, best_key = other, key
        if best is None:
            return None
        days.drop(best, session, start)
        self.kept[best.id] -= self.weight(best, session)
        return best

    def _by_loss(self, session) -> list[tuple[int, str]]:
        """(interest, delegate id) of the attendees of ``session`` who need not attend it,
        the least keen first."""
        if session.id not in self._low:
            seated = map(self.visit.delegate, self.days.seated.get(session.id, ()))
            self._low[session.id] = sorted(
                (self.weight(other, session), other.id)
                for other in seated
                if session.id not in other.must_attend
            )
        return self._low[session.id]

    def _given_up(self, delegate, session, ties: bool = False):
        """The one session of the delegate's day that alone keeps them from ``session``
        and that they care for less (with ``ties``, no more), when giving it up lets
        ``session`` fit; else None.  Never a session they must attend, one of a group,
        a meal, or one its min_size needs them at."""
        visit, days, starts = self.visit, self.days, self.starts
        start = starts[session.id]
        clashes = [
            visit.session(sid)
            for sid in days.attends(delegate)
            if starts[sid] // DAY == start // DAY
            and days.clash(delegate, visit.session(sid), starts[sid], session, start)
        ]
        if len(clashes) != 1:
            return None
        given = clashes[0]
        if (
            given.is_all
            or given.group
            or given.kind == "meal"
            or given.id in delegate.must_attend
            or self.taken[given.id] <= given.min_size
            or self.weight(delegate, given) > self.weight(delegate, session) - (not ties)
        ):
            return None
        days.drop(delegate, given, starts[given.id])
        if days.fits(delegate, session, start):
            return given
        days.put(delegate, given, starts[given.id])
        return None


def with_moves(
    ctx: Context, schedule: Schedule, moves: list[Move], offered: Mapping[str, int] | None = None
) -> Schedule:
    """``schedule`` after ``moves``, the sessions of ``offered`` they take held at those
    starts, and a lunch break placed again on each day they touch (a meal session
    kept where it was the break)."""
    attends = {did: set(sids) for did, sids in schedule.attends.items()}
    times = dict(schedule.times)
    touched = set()
    for did, sid, given, bumped in moves:
        if sid not in times:
            k, minute = divmod(offered[sid], DAY)
            times[sid] = (k, minute, minute + ctx.visit.session(sid).minutes)
        k = times[sid][0]
        attends.setdefault(did, set()).add(sid)
        attends[did].discard(given)
        touched.add((did, k))
        if bumped is not None:
            attends[bumped].discard(sid)
            touched.add((bumped, k))
    lists = {did: sorted(sids) for did, sids in attends.items() if sids}
    more = Schedule(times, lists, dict(schedule.lunch), dict(schedule.lunch_place))
    days, _served, _taken = Agendas.of(ctx, more)
    days.lunches(more, touched)
    return more


def _free(session, taken: dict) -> bool:
    return session.max_size is None or taken[session.id] < session.max_size
