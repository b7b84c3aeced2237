"""Stage 2: who attends what, with the timetable fixed, goal by goal.

a[d, s] for each candidate pair: a delegate keen on the session who can be there
(rules 3-4 with the rides both ways), plus a few fillers per session who are not keen
(3 × min_size, those with the fewest keen sessions in that slot), whom only a min_size
needs.  kept[s] says whether an optional session is held.  Rules:

- min_size × kept[s] ≤ Σ_d a[d, s] ≤ max_size × kept[s]; required ones are kept;
- a delegate attends at most one session a slot, one of a group, and every session in
  their must_attend list;
- two sessions the same day whose ride between does not fit the gap between them
  (end + up(travel) > next start) are never both attended by one delegate.

The goals of section 4 that the timetable leaves open (fairness, interest, optional)
are maximised one at a time in the visit's order, each later one with the earlier
ones held at the values found; ``proven`` says which were proven optimal for this
timetable and these candidates.  A goal not proven within the limits ends the
stage: a later goal searched under an unsettled one would mean little.  Goals and
bounds are reported as section 4 counts them (optional: sessions left out).
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from visitplan.model import Visit

from .candidates import Candidates
from .goals import potentials
from .outcome import Limits, Outcome
from .slots import Slot
from .timetable import Timetable

SCHEDULE_GOALS = ("fairness", "interest", "optional")
FILLERS_PER_MIN_SIZE = 3


@dataclass
class Attendance:
    attends: dict[str, list[str]]
    """Held session id to its attendees, sorted."""
    goals: dict[str, int] = field(default_factory=dict)
    bounds: dict[str, int] = field(default_factory=dict)
    proven: dict[str, bool] = field(default_factory=dict)
    seconds: float = 0.0
    first_seconds: float | None = None


class _Model:
    def __init__(self, found: Candidates, timetable: Timetable):
        self.found = found
        self.visit: Visit = found.visit
        self.slot_of = timetable.slot_of
        self.model = cp_model.CpModel()
        self.a: dict[tuple[str, str], cp_model.IntVar] = {}
        self.kept: dict[str, cp_model.IntVar | int] = {}
        self._pairs()
        self._rules()
        self._goals()

    def _pairs(self) -> None:
        visit, found = self.visit, self.found
        keen_in_slot: dict[tuple[str, int], int] = {}
        for session_id, slot in self.slot_of.items():
            for delegate_id in found.keen[session_id]:
                key = (delegate_id, slot.index)
                keen_in_slot[key] = keen_in_slot.get(key, 0) + 1
        presence = found.presence
        for session_id, slot in sorted(self.slot_of.items()):
            session = visit.session(session_id)
            keen = found.keen[session_id]
            partial = {d.id for d in presence.partial[slot.day]}
            whole_day = presence.fits(presence.frames[slot.day], session, slot)
            others = []
            for delegate in visit.delegates:
                if delegate.id in partial or not whole_day:
                    if not presence.can_attend(delegate, session, slot):
                        continue
                elif presence.barred(delegate, session):
                    continue
                if delegate.id in keen or session_id in delegate.must_attend:
                    self._pair(delegate.id, session_id)
                else:
                    others.append((keen_in_slot.get((delegate.id, slot.index), 0), delegate.id))
            for _n, delegate_id in sorted(others)[: FILLERS_PER_MIN_SIZE * session.min_size]:
                self._pair(delegate_id, session_id)

    def _pair(self, delegate_id: str, session_id: str) -> None:
        self.a[(delegate_id, session_id)] = self.model.NewBoolVar(f"a[{delegate_id},{session_id}]")

    def _rules(self) -> None:
        visit, model = self.visit, self.model
        by_session: dict[str, list] = {}
        by_delegate_slot: dict[tuple[str, int], list] = {}
        by_delegate_group: dict[tuple[str, str], list] = {}
        for (d, s), var in self.a.items():
            by_session.setdefault(s, []).append(var)
            by_delegate_slot.setdefault((d, self.slot_of[s].index), []).append(var)
            group = visit.session(s).group
            if group:
                by_delegate_group.setdefault((d, group), []).append(var)
        for s in sorted(self.slot_of):
            session = visit.session(s)
            kept = 1 if s in visit.must_schedule else model.NewBoolVar(f"kept[{s}]")
            self.kept[s] = kept
            seated = sum(by_session.get(s, []))
            model.Add(seated >= session.min_size * kept)
            if session.max_size is not None:
                model.Add(seated <= session.max_size * kept)
            elif not isinstance(kept, int):
                for var in by_session.get(s, []):
                    model.Add(var <= kept)
        for group in (*by_delegate_slot.values(), *by_delegate_group.values()):
            if len(group) > 1:
                model.AddAtMostOne(group)
        for delegate in visit.delegates:
            for s in delegate.must_attend:
                model.Add(self.a[(delegate.id, s)] == 1)  # a KeyError: stage 1 broke a premise
        for first, second in self._rides_too_long():
            for delegate in visit.delegates:
                pair = (self.a.get((delegate.id, first)), self.a.get((delegate.id, second)))
                if pair[0] is not None and pair[1] is not None:
                    model.AddAtMostOne(pair)

    def _rides_too_long(self) -> list[tuple[str, str]]:
        """Pairs of sessions the same day that no ride can join in the gap between them."""
        presence = self.found.presence
        by_day: dict[int, list[tuple[Slot, str]]] = {}
        for s, slot in self.slot_of.items():
            by_day.setdefault(slot.day, []).append((slot, s))
        pairs = []
        for held in by_day.values():
            for slot_a, a in held:
                for slot_b, b in held:
                    if slot_a.start >= slot_b.start:
                        continue
                    end_a = slot_a.start + self.visit.session(a).minutes
                    ride = presence.ride(
                        self.visit.session(a).host_id, self.visit.session(b).host_id
                    )
                    if end_a + ride > slot_b.start:
                        pairs.append((a, b))
        return sorted(pairs)

    def _goals(self) -> None:
        self.met: dict[str, list] = {}
        for (d, s), var in self.a.items():
            weight = self.found.keen[s].get(d, 0)
            if weight:
                self.met.setdefault(d, []).append((weight, var))
        self.pots = potentials(self.visit)
        kept = [v for s, v in self.kept.items() if s not in self.visit.must_schedule]
        self.optional_total = sum(
            1 for s in self.visit.sessions if s.id not in self.visit.must_schedule
        )
        self._least = None
        self.interest = sum(w * var for terms in self.met.values() for w, var in terms)
        self.kept_optional = sum(kept)

    def goal(self, name: str):
        """The expression to maximise for a goal (fairness: its constraints made now,
        so the goals before it search a smaller model)."""
        if name == "interest":
            return self.interest
        if name == "optional":
            return self.kept_optional
        if self._least is None:
            self._least = self._fairness()
        return self._least

    def _fairness(self):
        model = self.model
        least = model.NewIntVar(0, 1000, "least_share")
        shares = 0
        for delegate in self.visit.delegates:
            pot = self.pots[delegate.id]
            if pot <= 0:
                continue
            shares += 1
            met = sum(w * var for w, var in self.met.get(delegate.id, []))
            model.Add(least * pot <= 1000 * met)  # least ≤ floor(1000 × met / pot)
        if not shares:
            model.Add(least == 0)
        return least

    def values(self, outcome: Outcome) -> dict[str, int]:
        """The goals of a solution as section 4 counts them (optional: left out)."""
        shares = []
        for delegate_id, pot in self.pots.items():
            if pot > 0:
                met = sum(w for w, var in self.met.get(delegate_id, []) if outcome.true(var))
                shares.append(1000 * met // pot)
        kept = outcome.value(self.kept_optional)
        return {
            "fairness": min(shares, default=0),
            "interest": outcome.value(self.interest),
            "optional": self.optional_total - kept,
        }

    def reported(self, goal: str, model_value: float) -> int:
        """A model value (or bound) of a goal as section 4 counts it."""
        value = math.floor(model_value + 1e-6)  # a maximum's bound: whole numbers below it
        return self.optional_total - value if goal == "optional" else value


def plan_attendance(
    found: Candidates, timetable: Timetable, limits: Limits, started: float, run
) -> Attendance | None:
    """The goals in the visit's order, each solved by ``run`` within what is left of
    ``limits``.

    ``started`` is ``time.monotonic()`` when stage 2 began; each goal gets the time
    the earlier ones left.  None when no attendance keeps the rules.
    """
    built = _Model(found, timetable)
    order = [g for g in found.visit.objective_order if g in SCHEDULE_GOALS]
    order += [g for g in SCHEDULE_GOALS if g not in order]
    result: Attendance | None = None
    last: Outcome | None = None
    deterministic_left = limits.deterministic
    for name in order:
        left = limits.seconds - (time.monotonic() - started)
        if last is not None and left <= 0.05:
            break
        goal = built.goal(name)
        built.model.Maximize(goal)
        hint = None
        if last is not None:  # start from the plan so far; the least share made since
            hint = np.zeros(len(built.model.Proto().variables), dtype=np.int64)
            hint[: len(last.values)] = last.values
            hint[built.goal("fairness").Index()] = built.values(last)["fairness"]
        outcome = run(built.model, Limits(left, deterministic_left, limits.seed), hint)
        if deterministic_left is not None:
            deterministic_left = max(0.01, deterministic_left - outcome.work)
        if not outcome.found:
            break
        values = built.values(outcome)
        last = outcome
        if result is None:
            result = Attendance({}, first_seconds=outcome.first_seconds)
        result.attends = _attendees(built, outcome)
        result.goals = {done: values[done] for done in [*result.goals, name]}
        result.bounds[name] = built.reported(name, outcome.bound)
        result.proven[name] = outcome.proven
        if not outcome.proven:
            break  # a later goal would search under a first goal not yet settled
        built.model.Add(goal >= outcome.value(goal))
    if result is not None:
        result.seconds = time.monotonic() - started
    return result


def _attendees(built: _Model, outcome: Outcome) -> dict[str, list[str]]:
    attends: dict[str, list[str]] = {}
    for (d, s), var in sorted(built.a.items()):
        if outcome.true(var):
            attends.setdefault(s, []).append(d)
    return attends
