"""The second registry beside ``rules.RULES``: what a phase adds to the spec's rules.

A rule is the spec's and holds in every plan.  A restriction narrows the
model for one solve, for a reason of the engine's own: session times held
where an earlier Schedule put them (the attendance phase, a neighbourhood),
one day per session chosen ahead (large visits), a day kept together for the
fleet (``fallback``), a day schedule the vehicles could not serve
(``fallback.exclude``), a re-plan's earlier plan (``continuity``), attendance settled on the days
a neighbourhood leaves alone, the
shortlists' ranking (``ranking``) or no shortlist at all, and a lunch slot kept free when the lunch
rule is left out (the CP-SAT timetable).  ``Restrictions`` carries them as
plain values; ``RESTRICTIONS`` lists, in order, what each one does to a
model: ``prepare`` before the rules make their variables, ``add`` after.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from ortools.sat.python import cp_model

from ..model import BASE
from ..timegrid import minute_of
from . import continuity, fallback
from .continuity import Previous
from .fallback import Cut
from .goals import Elsewhere
from .variables import DAY, Context


@dataclass(frozen=True)
class Restrictions:
    fixed: Mapping[str, int] = field(default_factory=dict)
    """Session id to its start on the solver's axis, should it be held (it may be dropped
    unless the rules require it)."""
    held_out: frozenset[str] = frozenset()
    """Sessions not held."""
    chosen_days: Mapping[str, int] = field(default_factory=dict)
    """Session id to the one day it may be held on."""
    levels: Mapping[int, int] = field(default_factory=dict)
    """Day index to how tightly the delegation keeps together there (``fallback``)."""
    cuts: tuple[Cut, ...] = ()
    """Day schedules whose rides the vehicles could not serve."""
    previous: Previous | None = None
    """For a re-plan: the earlier plan (its goals come first, ``continuity``)."""
    ranking: Mapping[str, Mapping[str, int]] | None = None
    """Per delegate, the tiers in which their shortlist takes sessions (``ranking``)."""
    kept_pairs: frozenset[tuple[str, str]] = frozenset()
    """(delegate, session) pairs that are candidates whatever the shortlists say: those of
    the Schedule a neighbourhood starts from, so that it stays a solution."""
    settled: frozenset[str] = frozenset()
    """Held sessions whose attendees stay those of ``kept_pairs``: a neighbourhood's
    sessions on days it leaves alone."""
    without_lunch: bool = False
    """Leave the lunch rule out, keeping a lunch slot free each day instead."""
    every_pair: bool = False
    """Every keen delegate a candidate, no shortlist: for attendance with every time
    held on a visit of ``build.WIDE_LARGEST`` at most (``phases.construct``)."""
    elsewhere: Elsewhere | None = None
    """For a model of one day's attendance (``phases.days``): what the rest of the plan
    adds to the goals."""

    def holding(self, times: Mapping[str, int], out: frozenset[str]) -> Restrictions:
        """These restrictions with the sessions in ``times`` held at those starts (if held)
        and those in ``out`` not held."""
        return replace(self, fixed=dict(times), held_out=frozenset(out))

    def freeing(self) -> Restrictions:
        """These restrictions with every session time free again."""
        return replace(self, fixed={}, held_out=frozenset())


def _prepare_times(ctx: Context, r: Restrictions) -> None:
    ctx.fixed_start = dict(r.fixed)
    ctx.held_out = r.held_out
    ctx.day_choice = dict(r.chosen_days)


def _prepare_candidates(ctx: Context, r: Restrictions) -> None:
    pairs = set(r.kept_pairs)
    if r.previous is not None:
        pairs |= {(a.delegate_id, a.session_id) for a in r.previous.plan.assignments}
    ctx.previous_attended = frozenset(pairs)
    ctx.ranking = None if r.ranking is None else {d: dict(t) for d, t in r.ranking.items()}
    ctx.every_pair = ctx.every_pair or r.every_pair
    ctx.elsewhere = r.elsewhere


def _prepare_fleet(ctx: Context, r: Restrictions) -> None:
    ctx.convoy_days = frozenset(k for k, level in r.levels.items() if level >= fallback.ONE_ROUTE)


def _add_fleet(ctx: Context, r: Restrictions) -> None:
    for k, level in sorted(r.levels.items()):
        fallback.keep_together(ctx, k, level)
    for cut in r.cuts:
        fallback.exclude(ctx, cut)


def _add_replan(ctx: Context, r: Restrictions) -> None:
    if r.previous is not None:
        ctx.extra_goals = continuity.add(ctx, r.previous)


def _add_settled(ctx: Context, r: Restrictions) -> None:
    for sid in sorted(r.settled):
        for did in ctx.candidates.get(sid, ()):
            attended = int((did, sid) in r.kept_pairs)
            ctx.model.Add(ctx.attends[(did, sid)] == attended).WithName(f"settled[{did},{sid}]")


def _add_lunch_room(ctx: Context, r: Restrictions) -> None:
    if r.without_lunch:
        leave_lunch_room(ctx)


Step = Callable[[Context, Restrictions], None]

RESTRICTIONS: tuple[tuple[str, Step | None, Step | None], ...] = (
    ("session times", _prepare_times, None),
    ("candidates", _prepare_candidates, None),
    ("fleet", _prepare_fleet, _add_fleet),
    ("re-plan", None, _add_replan),
    ("settled attendance", None, _add_settled),
    ("lunch room", None, _add_lunch_room),
)
"""(name, prepare, add): ``prepare`` runs before ``RULES``, ``add`` after them."""


def leave_lunch_room(ctx: Context) -> None:
    """Without the lunch rule, each day keeps one lunch slot free of every session that
    must be held, with time to ride to the hotel before it and back after it, so
    everybody can lunch there.  Optional sessions are left free: the attendance phase
    may drop them.  Without this, two sessions that must be held close together
    around noon left some delegate no lunch, and no attendance fitted the times."""
    lunch, model = ctx.visit.lunch, ctx.model
    if lunch is None:
        return
    frm, to = minute_of(lunch.start), minute_of(lunch.end)
    slots = list(range(frm, to - lunch.minutes + 1, ctx.slot))
    by_day: dict[int, list] = {}
    for session in ctx.visit.sessions:
        if session.id in ctx.visit.must_schedule and session.kind != "meal":
            for k in ctx.possible_days(session):
                by_day.setdefault(k, []).append(session)
    for k, sessions in sorted(by_day.items()):
        noon = model.NewIntVarFromDomain(
            cp_model.Domain.FromValues([k * DAY + m for m in slots]), f"lunch_slot[{k}]"
        )
        for session in sessions:
            sid, host = session.id, session.host_id
            before = model.NewBoolVar(f"before_lunch_slot[{sid},{k}]")
            on = ctx.on_day[(sid, k)]
            model.Add(ctx.end[sid] + ctx.hop(host, BASE) <= noon).WithName(
                f"before_lunch_slot[{sid},{k}]"
            ).OnlyEnforceIf([on, before])
            model.Add(ctx.start[sid] >= noon + lunch.minutes + ctx.hop(BASE, host)).WithName(
                f"after_lunch_slot[{sid},{k}]"
            ).OnlyEnforceIf([on, before.Not()])
