"""The facts both stages share, computed once: each session's possible slots, who is
keen on it and how much, and how many can be there in each slot.

A session's options are the slots that fit its host's windows and pin, where every
delegate who must attend it can be there, and where enough delegates can be there
for its min_size.  On any day most delegates stay the whole frame: they are counted
once per (session, slot), and only the others (``Presence.partial``) one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from visitplan.model import Delegate, Visit

from .slots import Presence, Slot, session_slots


@dataclass
class Candidates:
    visit: Visit
    presence: Presence
    slots: list[Slot]
    options: dict[str, list[Slot]] = field(default_factory=dict)
    """Session id to the slots it may take."""
    keen: dict[str, dict[str, int]] = field(default_factory=dict)
    """Session id to {delegate id: weight > 0}, delegates its place does not bar."""
    keen_there: dict[tuple[str, int], int] = field(default_factory=dict)
    """(session id, slot index) to how many keen delegates can attend it there."""
    must: dict[str, list[str]] = field(default_factory=dict)
    """Delegate id to the sessions in their must_attend list."""


def gather(visit: Visit, presence: Presence, slots: Sequence[Slot]) -> Candidates:
    found = Candidates(visit, presence, list(slots))
    found.must = {d.id: list(d.must_attend) for d in visit.delegates if d.must_attend}
    bound_to: dict[str, list[Delegate]] = {}
    for delegate in visit.delegates:
        for session_id in delegate.must_attend:
            bound_to.setdefault(session_id, []).append(delegate)
    by_topic: dict[str, dict[str, int]] = {}
    for delegate in visit.delegates:
        for topic, weight in delegate.interests:
            by_topic.setdefault(topic, {})[delegate.id] = weight
    partial_ids = [{d.id for d in day} for day in presence.partial]
    for session in visit.sessions:
        keen: dict[str, int] = {}
        for topic in session.topics:
            for delegate_id, weight in by_topic.get(topic, {}).items():
                if delegate_id not in presence.step_free or not presence.barred(
                    visit.delegate(delegate_id), session
                ):
                    keen[delegate_id] = keen.get(delegate_id, 0) + weight
        found.keen[session.id] = keen
        admitted = sum(1 for d in visit.delegates if not presence.barred(d, session))
        options = []
        for slot in session_slots(visit, session, slots):
            bound = bound_to.get(session.id, ())
            if not all(presence.can_attend(d, session, slot) for d in bound):
                continue
            partial = presence.partial[slot.day]
            some = [d for d in partial if presence.can_attend(d, session, slot)]
            if presence.fits(presence.frames[slot.day], session, slot):
                admitted_there = admitted - sum(
                    1 for d in partial if not presence.barred(d, session)
                )
                keen_there = sum(1 for d in keen if d not in partial_ids[slot.day])
            else:
                admitted_there = keen_there = 0
            if admitted_there + len(some) < session.min_size:
                continue
            options.append(slot)
            keen_there += sum(1 for d in some if d.id in keen)
            found.keen_there[(session.id, slot.index)] = keen_there
        found.options[session.id] = options
    return found
