"""Stage 1: a slot for each session, chosen by a surrogate of the interest reachable.

x[s, j] puts session s in slot j (its options only); z[s, j] counts the keen delegates
it could seat there.  Maximise Σ value(s) × z[s, j], where value(s) is the mean weight
of the max_size keenest delegates (×10, rounded), subject to:

- every required or must-attend session in exactly one slot, any other in at most one;
- no host holds more sessions in a slot than its rooms (blocks never overlap);
- z[s, j] ≤ min(max_size, keen delegates who can be there) × x[s, j];
- for each slot and each topic set T (every single topic, and every session's own
  topic set), the seats counted in sessions whose topics lie inside T are at most
  the delegates present who care for a topic of T (a delegate sits in one session
  a block), and all seats counted at most the delegates present;
- the min_size of every session in a slot together at most the delegates present;
- a delegate's must-attend sessions in different slots.

These are necessary conditions of an attendance, so the surrogate bounds what stage
2 can seat; it ignores who in particular sits where, which stage 2 decides.
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass

from ortools.sat.python import cp_model

from visitplan.model import BASE

from .candidates import Candidates
from .outcome import Limits, Outcome
from .slots import Slot


@dataclass
class Timetable:
    slot_of: dict[str, Slot]
    """Scheduled session id to its slot; sessions left out are absent."""
    outcome: Outcome
    value: int
    bound: int


def plan_timetable(found: Candidates, limits: Limits, run) -> Timetable | None:
    """The best timetable found within the limits by ``run`` (``cpsat.run`` or
    ``highs.run``), or None when there is none."""
    visit = found.visit
    model = cp_model.CpModel()
    x: dict[tuple[str, int], cp_model.IntVar] = {}
    z: dict[tuple[str, int], cp_model.IntVar] = {}
    value = {s.id: _value(found, s) for s in visit.sessions}
    by_slot: dict[int, list[str]] = {}
    for session in visit.sessions:
        for slot in found.options[session.id]:
            key = (session.id, slot.index)
            x[key] = model.NewBoolVar(f"x[{session.id},{slot.index}]")
            by_slot.setdefault(slot.index, []).append(session.id)
            seats = min(found.keen_there[key], session.max_size or found.keen_there[key])
            if seats and value[session.id]:
                z[key] = model.NewIntVar(0, seats, f"z[{session.id},{slot.index}]")
                model.Add(z[key] <= seats * x[key])
        chosen = [x[(session.id, slot.index)] for slot in found.options[session.id]]
        if session.id in visit.must_schedule:
            model.AddExactlyOne(chosen)
        elif chosen:
            model.AddAtMostOne(chosen)
    _rooms(found, model, x, by_slot)
    _seats(found, model, x, z, by_slot)
    for sessions in found.must.values():
        for slot in found.slots:
            held = [x[(s, slot.index)] for s in sessions if (s, slot.index) in x]
            if len(held) > 1:
                model.AddAtMostOne(held)
    model.Maximize(sum(value[s] * var for (s, _j), var in z.items()))
    outcome = run(model, limits)
    if not outcome.found:
        return None
    slot_of = {s: found.slots[j] for (s, j), var in sorted(x.items()) if outcome.true(var)}
    return Timetable(slot_of, outcome, round(outcome.objective), math.floor(outcome.bound + 1e-6))


def _value(found: Candidates, session) -> int:
    """Ten times the mean weight of the keenest delegates who fill the session."""
    weights = sorted(found.keen[session.id].values(), reverse=True)
    if session.max_size is not None:
        weights = weights[: session.max_size]
    return round(10 * sum(weights) / len(weights)) if weights else 0


def _rooms(found: Candidates, model, x, by_slot: dict[int, list[str]]) -> None:
    visit = found.visit
    for j, sessions in sorted(by_slot.items()):
        per_host: dict[str, list] = {}
        for s in sessions:
            per_host.setdefault(visit.session(s).host_id, []).append(x[(s, j)])
        for host_id, held in sorted(per_host.items()):
            rooms = visit.rooms_of(host_id) if host_id != BASE else None
            if rooms is not None and len(held) > rooms:
                model.Add(sum(held) <= rooms)


def _seats(found: Candidates, model, x, z, by_slot: dict[int, list[str]]) -> None:
    """Seats counted and min_sizes against the delegates present, per topic set."""
    visit = found.visit
    topic_sets = {frozenset([t]) for s in visit.sessions for t in s.topics}
    topic_sets |= {frozenset(s.topics) for s in visit.sessions if len(s.topics) > 1}
    for j, sessions in sorted(by_slot.items()):
        slot = found.slots[j]
        present = [d for d in visit.delegates if found.presence.present(d, slot)]
        profiles = Counter(frozenset(t for t, _w in d.interests) for d in present)
        minimum = [(visit.session(s).min_size, x[(s, j)]) for s in sessions]
        model.Add(sum(size * var for size, var in minimum) <= len(present))
        counted = [(visit.session(s), z[(s, j)]) for s in sessions if (s, j) in z]
        if not counted:
            continue
        model.Add(sum(var for _s, var in counted) <= len(present))
        for topics in sorted(topic_sets, key=sorted):
            inside = [var for s, var in counted if s.topics and set(s.topics) <= topics]
            if not inside:
                continue
            caring = sum(n for profile, n in profiles.items() if profile & topics)
            model.Add(sum(inside) <= caring)
