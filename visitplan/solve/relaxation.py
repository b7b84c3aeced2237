"""Proof of a goal's value from the visit without its clock.

The schedule model's LP cannot see that a delegate's sessions must not
overlap; on two workers its bound often stalls above a best plan that is in
fact optimal.  Dropping every rule about *when* (times, rooms, travel,
lunch, order, the fleet) leaves who attends which session on which day under
the sizes, groups, must_attend and stays, and each delegate's sessions within
the minutes their days hold (``hours``).  Every plan is a solution of that
model, so its optimum for a goal (the goals before it at the values found)
bounds every plan's.  One worker finds it in well under 0.1 s on S and the
seed visits; fairness on Latgale takes longer and gets a bound, not the
optimum.  A stage that reaches it is proven and stops: on S seed 3 the
schedule model's own bounds had stayed at 775 and 1171 for fairness 768 and
interest 1159 in some runs.  Where the dropped rules matter, the bound is
still the better one reported (Latgale's interest: 1,797 without the clock,
against about 1,880 from the schedule model, for plans of about 1,730).

Seats that gain no goal (a filler's, who cares for nothing the session is
about) are left out of it, and with them min_size: a plan less its fillers is
still a solution, with the same interest and shares, so the bound holds for
plans that needed fillers too, and the plan found can start its search.

Only for visits with few attendance choices (``LARGEST``, days with the same
people present merged): M has about 18,000, L 460,000.  On M its bounds are
loose (interest about 35,000 for plans of about 16,000): the sessions a
delegate wants clash in time, which it cannot see."""

from __future__ import annotations

from collections.abc import Sequence

from ortools.sat.python import cp_model

from ..model import BASE
from ..timegrid import minute_of
from .goals import least_of, potential
from .hours import Hours
from .rules.attendance import interest
from .schedule import Schedule
from .variables import Context

LARGEST = 25_000
"""Most attendance choices (a delegate, a session, a class of its days) the relaxation
is built for."""


class Relaxation:
    """Who attends what on which day, with the goals of section 4 as expressions."""

    def __init__(self, ctx: Context):
        self.model = cp_model.CpModel()
        self.goals: dict[str, object] = {"optional": 0}
        self.possible = True
        """False when a must_attend has no candidate pair: the schedule model is
        infeasible, and there is no bound to give."""
        self._optimal: dict[tuple, int] = {}  # (goal, goals held) to the optimum proven
        self._ctx = ctx
        self._held: dict[tuple, cp_model.IntVar] = {}  # (session, people present) to held
        self._attends: dict[tuple, cp_model.IntVar] = {}  # (delegate, session, present)
        choice = [s for s in ctx.visit.sessions if not s.is_all]
        attends: dict[tuple[str, str], list] = {}  # (delegate, session) to its choices
        busy = self._sessions(choice, attends)
        self._rooms(busy)
        self._delegates(choice, attends)

    def _sessions(self, choice: list, attends: dict) -> dict[str, list]:
        """Each choice session held at most once, on one class of its days, within its
        max_size, and once if required; the optional goal counts those held.  Returns
        per host the minutes its sessions hold."""
        ctx, model = self._ctx, self.model
        visit = ctx.visit
        busy: dict[str, list] = {}
        gaining = {
            s.id: {d.id for d in visit.delegates if interest(d, s) > 0 or s.id in d.must_attend}
            for s in choice
        }
        for session in choice:
            sid = session.id
            held = []
            for first, present in _day_classes(ctx, session):
                on = model.NewBoolVar(f"on_day[{sid},{first}]")
                self._held[(sid, present)] = on
                held.append(on)
                day = []
                for did in present:
                    if did not in gaining[sid]:
                        continue  # a filler's seat gains no goal: see the module's note
                    x = model.NewBoolVar(f"attends[{did},{sid},{first}]")
                    self._attends[(did, sid, present)] = x
                    model.AddImplication(x, on).WithName(f"attends_held[{did},{sid},{first}]")
                    attends.setdefault((did, sid), []).append(x)
                    day.append(x)
                if session.max_size is not None:
                    model.Add(sum(day) <= session.max_size * on).WithName(
                        f"max_size[{sid},{first}]"
                    )
            model.Add(sum(held) <= 1).WithName(f"once[{sid}]")
            busy.setdefault(session.host_id, []).append(session.minutes * sum(held))
            if sid in visit.must_schedule:
                model.Add(sum(held) == 1).WithName(f"required[{sid}]")
            if sid not in visit.must_schedule:
                self.goals["optional"] += sum(held)
        return busy

    def _rooms(self, busy: dict[str, list]) -> None:
        """A host's sessions take no more minutes than its rooms are open."""
        for host, minutes in sorted(busy.items()):
            room = _room_minutes(self._ctx, host)
            if room is not None:
                self.model.Add(sum(minutes) <= room).WithName(f"rooms[{host}]")

    def _delegates(self, choice: list, attends: dict) -> None:
        """Each delegate's must_attend, one session of a group, and minutes within
        their days; interest and the least share as goals."""
        ctx, model = self._ctx, self.model
        visit = ctx.visit
        hours = Hours.of(ctx, choice)
        shares, met_total = [], 0
        for delegate in visit.delegates:
            mine = {sid: sum(xs) for (did, sid), xs in attends.items() if did == delegate.id}
            for sid in delegate.must_attend:
                if visit.session(sid).is_all:
                    continue
                if sid not in mine:
                    self.possible = False
                    continue
                model.Add(mine[sid] == 1).WithName(f"must_attend[{delegate.id},{sid}]")
            groups: dict[str, list] = {}
            for session in choice:
                if session.group and session.id in mine:
                    groups.setdefault(session.group, []).append(mine[session.id])
            for group, members in groups.items():
                model.Add(sum(members) <= 1).WithName(f"one_of_group[{delegate.id},{group}]")
            # whole minutes: each session's rounded down, so the bound still holds
            minutes = sum(int(hours.minutes[sid]) * x for sid, x in mine.items())
            usable = int(hours.usable[delegate.id])
            model.Add(minutes <= usable).WithName(f"time_there[{delegate.id}]")
            met = sum(interest(delegate, visit.session(sid)) * x for sid, x in mine.items())
            met_total += met
            pot = potential(visit, ctx, delegate)
            if pot > 0:
                share = model.NewIntVar(0, 1000, f"share[{delegate.id}]")
                model.Add(share * pot <= 1000 * met).WithName(f"share[{delegate.id}]")
                shares.append(share)
        self.goals.update(fairness=least_of(model, shares), interest=met_total)

    @classmethod
    def of(cls, ctx: Context) -> Relaxation | None:
        """The relaxation, or None for a re-plan (its goals come first), a large visit,
        or a visit the schedule model cannot plan at all."""
        if ctx.extra_goals:
            return None
        choice = [s for s in ctx.visit.sessions if not s.is_all]
        by_day = sum(len(ctx.candidates.get(s.id, ())) * len(ctx.possible_days(s)) for s in choice)
        if by_day > LARGEST * max(1, len(ctx.visit.programme_days)):
            return None  # (L: 2.1M; days with the same people merged cannot bring that down)
        if by_day > LARGEST:  # the model holds one choice per class of days (M: 50k -> 18k)
            merged = sum(len(present) for s in choice for _, present in _day_classes(ctx, s))
            if merged > LARGEST:
                return None
        relaxation = cls(ctx)
        return relaxation if relaxation.possible else None

    @staticmethod
    def too_large(ctx: Context, keen: Sequence[int]) -> bool:
        """Whether ``of`` is sure to refuse the visit, ``keen`` giving per choice session
        its candidates that gain a goal (``seats``): each is a choice on every day the
        session may be held, so building ``every_pair`` to find out (5 s on L) can be
        skipped."""
        choice = [s for s in ctx.visit.sessions if not s.is_all]
        by_day = sum(int(n) * len(ctx.possible_days(s)) for n, s in zip(keen, choice, strict=True))
        return by_day > LARGEST * max(1, len(ctx.visit.programme_days))

    def hint(self, schedule: Schedule) -> None:
        """Start every bound's search from a plan (less its fillers, a solution): on M
        CP-SAT alone found no solution to report a bound with in 5 s."""
        self.model.ClearHints()
        held = {}
        for sid, (k, _start, _end) in schedule.times.items():
            session = self._ctx.visit.session(sid)
            if not session.is_all:
                held[sid] = _present(self._ctx, session, k)
        attended = schedule.pairs()
        for (sid, present), on in self._held.items():
            self.model.AddHint(on, int(held.get(sid) == present))
        for (did, sid, present), x in self._attends.items():
            self.model.AddHint(x, int(held.get(sid) == present and (did, sid) in attended))

    def bound(self, name: str, held: dict[str, int], params: dict) -> int | None:
        """An upper bound on goal ``name`` for any plan whose goals in ``held`` are at
        least at their values; None when CP-SAT found none within ``params``' limit."""
        key = (name, tuple(sorted(held.items())))
        if key in self._optimal:  # asked again (a second try with more time): known
            return self._optimal[key]
        model = self.model.clone()
        for goal, at_least in held.items():
            model.Add(self.goals[goal] >= at_least).WithName(f"held[{goal}]")
        model.Maximize(self.goals[name])
        solver = cp_model.CpSolver()
        for parameter, value in {**params, "num_workers": 1}.items():
            setattr(solver.parameters, parameter, value)
        status = solver.Solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None  # (without a solution CP-SAT's bound is not one: 0 was seen on M)
        bound = int(solver.BestObjectiveBound() + 1e-6)
        if status == cp_model.OPTIMAL:
            self._optimal[key] = bound
        return bound


def _day_classes(ctx: Context, session) -> list[tuple[int, tuple[str, ...]]]:
    """The session's possible days, one per set of candidates present (its first day
    stands for the class).  Without the clock, days with the same people present
    are the same choice: keeping five copies of each session on a five-day visit
    made the search prove each answer five times over."""
    classes: dict[tuple[str, ...], int] = {}
    for k in ctx.possible_days(session):
        classes.setdefault(_present(ctx, session, k), k)
    return [(k, present) for present, k in classes.items()]


def _present(ctx: Context, session, k: int) -> tuple[str, ...]:
    return tuple(
        did
        for did in ctx.candidates.get(session.id, ())
        if ctx.stay_bounds(ctx.visit.delegate(did), k) is not None
    )


def _room_minutes(ctx: Context, host: str) -> int | None:
    """The minutes a host's rooms are open over the visit (frames and windows), less
    what its `all` sessions take; None at the base, whose rooms are unlimited."""
    if host == BASE:
        return None
    visit = ctx.visit
    rooms = visit.host(host).rooms
    total = 0
    for k, day in enumerate(visit.days):
        if not day.programme:
            continue
        lo_frame, hi_frame = ctx.frame(k)
        for window in visit.windows_of(host, day.date):
            lo, hi = max(minute_of(window.start), lo_frame), min(minute_of(window.end), hi_frame)
            total += rooms * max(0, hi - lo)
    held = sum(s.minutes for s in visit.sessions if s.is_all and s.host_id == host)
    return max(0, total - held)
