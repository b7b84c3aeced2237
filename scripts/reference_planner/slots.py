"""What the reference planner assumes of a visit, the block slots it may use, and who
can be at a session held in one.

The reference plans the benchmark's block family: choice sessions only, no lunch
rule, rides without vehicle numbers (no vehicles or seats), no ``after`` lists and
no session longer than a block.  Sessions start only at block starts.  A visit
outside these premises gets ``NotApplicable`` naming every one it breaks.

Stays and rides follow the spec's rules 3-6: a delegate can attend a session at
host h from ``start`` to ``end`` on a day when up(start of stay) + up(travel(base,
h)) ≤ start and end + up(travel(h, base)) ≤ down(end of stay), up and down rounding
to the slot grid, so the ride there and back fits inside the stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from visitplan.model import BASE, Delegate, Session, Visit
from visitplan.timegrid import minute_of, round_down, round_up, stay
from visitplan.travel import TravelTable

Block = tuple[int, int]
"""(start, end) in minutes after midnight."""


class NotApplicable(ValueError):
    """The visit lies outside the reference planner's premises; ``reasons`` says how."""

    def __init__(self, reasons: Sequence[str]):
        super().__init__("; ".join(reasons))
        self.reasons = tuple(reasons)


@dataclass(frozen=True, slots=True)
class Slot:
    """One block on one programme day; ``index`` orders the visit's slots in time."""

    index: int
    day: int  # index into visit.days
    date: date
    start: int
    end: int


def premises_broken(visit: Visit, blocks: Sequence[Block]) -> list[str]:
    """Every premise of the reference planner the visit breaks (empty: it applies)."""
    reasons = []
    if not blocks:
        reasons.append("no blocks given")
    ordered = sorted(blocks)
    if any(a[1] > b[0] for a, b in zip(ordered, ordered[1:], strict=False)):
        reasons.append("blocks overlap")
    if visit.lunch is not None:
        reasons.append("a lunch rule")
    if visit.transport.numbered:
        reasons.append("numbered vehicles (vehicles or seats set)")
    if any(s.is_all for s in visit.sessions):
        reasons.append("`all` sessions")
    if any(s.after for s in visit.sessions):
        reasons.append("`after` lists")
    shortest = min((end - start for start, end in blocks), default=0)
    if any(s.minutes > shortest for s in visit.sessions):
        reasons.append(f"sessions longer than the shortest block ({shortest} minutes)")
    if any(start % visit.slot_minutes for start, _end in blocks):
        reasons.append(f"a block start off the {visit.slot_minutes}-minute grid")
    return reasons


def visit_slots(visit: Visit, blocks: Sequence[Block]) -> list[Slot]:
    """The blocks of every programme day that lie inside the day's frame, in time order."""
    slots: list[Slot] = []
    for k, day in enumerate(visit.days):
        if not day.programme:
            continue
        lo, hi = minute_of(day.day_start), minute_of(day.day_end)
        for start, end in sorted(blocks):
            if lo <= start and end <= hi:
                slots.append(Slot(len(slots), k, day.date, start, end))
    return slots


def session_slots(visit: Visit, session: Session, slots: Sequence[Slot]) -> list[Slot]:
    """The slots where the session fits one window of its host and its pin, if any."""
    fitting = []
    for slot in slots:
        if session.pin_date is not None and session.pin_date != slot.date:
            continue
        if session.pin_start is not None and minute_of(session.pin_start) != slot.start:
            continue
        end = slot.start + session.minutes
        windows = visit.windows_of(session.host_id, slot.date)
        if any(minute_of(w.start) <= slot.start and end <= minute_of(w.end) for w in windows):
            fitting.append(slot)
    return fitting


def interest(delegate: Delegate, session: Session) -> int:
    """Section 4's met(d) term: the delegate's weights for the session's topics."""
    return sum(delegate.weight(topic) for topic in session.topics)


def needs_step_free(visit: Visit) -> frozenset[str]:
    """The delegates whose access needs bar hosts that are not step-free."""
    return frozenset(d.id for d in visit.delegates if "step_free" in d.access)


def bars(visit: Visit, session: Session) -> bool:
    """Whether the session's place bars the delegates who need step-free access."""
    return session.host_id != BASE and not visit.host(session.host_id).step_free


class Presence:
    """Who can be at a session held in a slot: the stay on the grid, the ride both ways."""

    def __init__(self, visit: Visit, travel: TravelTable):
        self.visit = visit
        self.travel = travel
        self.slot_minutes = visit.slot_minutes
        self.step_free = needs_step_free(visit)
        self._rides: dict[tuple[str, str], int] = {}
        self.frames = [
            (
                round_up(minute_of(day.day_start), self.slot_minutes),
                round_down(minute_of(day.day_end), self.slot_minutes),
            )
            for day in visit.days
        ]
        self._stays: dict[tuple[str, int], tuple[int, int] | None] = {}
        self.partial: list[list[Delegate]] = [[] for _ in visit.days]
        """Per day index, the delegates whose stay that day is not the whole frame."""
        for delegate in visit.delegates:
            if delegate.arrives is None and delegate.departs is None:
                continue
            for k in range(len(visit.days)):
                self._stays[(delegate.id, k)] = bounds = self._stay(delegate, k)
                if bounds != self.frames[k]:
                    self.partial[k].append(delegate)

    def _stay(self, delegate: Delegate, day: int) -> tuple[int, int] | None:
        bounds = stay(self.visit, delegate, self.visit.days[day])
        if bounds is None:
            return None
        lo = round_up(bounds[0], self.slot_minutes)
        hi = round_down(bounds[1], self.slot_minutes)
        return (lo, hi) if lo < hi else None

    def stay(self, delegate: Delegate, day: int) -> tuple[int, int] | None:
        """The stay on day ``day`` as (up(start), down(end)) on the grid, or None."""
        return self._stays.get((delegate.id, day), self.frames[day])

    def barred(self, delegate: Delegate, session: Session) -> bool:
        return delegate.id in self.step_free and bars(self.visit, session)

    def ride(self, a: str, b: str) -> int:
        """A ride's minutes on the grid: travel(a, b) rounded up to the slot."""
        key = (a, b)
        if key not in self._rides:
            self._rides[key] = round_up(self.travel.vehicle(a, b), self.slot_minutes)
        return self._rides[key]

    def fits(self, bounds: tuple[int, int] | None, session: Session, slot: Slot) -> bool:
        """Whether a stay of ``bounds`` holds the session in the slot and the rides both ways."""
        if bounds is None:
            return False
        host, end = session.host_id, slot.start + session.minutes
        return (
            bounds[0] + self.ride(BASE, host) <= slot.start
            and end + self.ride(host, BASE) <= bounds[1]
        )

    def can_attend(self, delegate: Delegate, session: Session, slot: Slot) -> bool:
        """Inside the stay with the rides from and to the base, and not barred."""
        return not self.barred(delegate, session) and self.fits(
            self.stay(delegate, slot.day), session, slot
        )

    def present(self, delegate: Delegate, slot: Slot) -> bool:
        """Whether the stay covers the slot at all (rides ignored): for upper bounds."""
        bounds = self.stay(delegate, slot.day)
        return bounds is not None and bounds[0] <= slot.start and slot.end <= bounds[1]
