"""The schedule model: the spec's rules (``rules.RULES``) and a solve's restrictions
(``restrictions.RESTRICTIONS``), made into one CP-SAT model and its Context."""

from __future__ import annotations

import time as clock

from ortools.sat.python import cp_model

from ..model import Visit
from ..travel import TravelTable
from .goals import SCHEDULE_GOALS
from .restrictions import RESTRICTIONS, Restrictions
from .rules import RULES, attendance, host_windows
from .rules import lunch as lunch_rule
from .variables import Context, Guards

FREE = Restrictions()
"""No restriction: the spec's rules alone."""
WHOLE_LARGEST = 4_000
"""Most delegates × sessions for which the whole model is solved goal by goal, with
every keen delegate a candidate (no shortlist), so that what it proves holds for
every plan (Latgale: 26 × 23; the benchmark's S: 20 × 30; M: 200 × 150)."""


WIDE_LARGEST = 40_000
"""Most delegates × sessions for which attendance with every time held is solved again
with every keen delegate a candidate (M: 200 × 150): that model's one-place rule is
a few cliques per delegate and day (``rules.delegate_travel``), but its lunches
grow with the candidates (``exact``)."""


def small(visit: Visit) -> bool:
    """Whether the whole model is small enough to be solved goal by goal."""
    return len(visit.delegates) * len(visit.sessions) <= WHOLE_LARGEST


def exact(visit: Visit, replanning: bool = False) -> bool:
    """Whether attendance with the times held is solved again goal by goal with every keen
    delegate a candidate (``wide``, ``day_by_day``) rather than filled by the top-up
    (``phases.top_up``): a visit too large for the whole model, without a fleet limit,
    whose first goal is interest, or a re-plan, whose first goals count the changes (M
    seed 1 without a fleet, a delegate dropping out: 1,520 changes with every keen
    delegate, 1,829 on the shortlists).  Those models prove interest for the times held
    (block M: 20,793 to 25,510; block L 307,021 where the top-up reaches 292,420).  With
    the least share first they spend their time on it, which a model of some of the
    pairs or of one day cannot prove, and leave interest behind: regular M without a
    fleet 203 / 15,322 against the top-up's 208 / 18,449; L 46 / 106,830 with 169
    optional sessions left out against 88 / 202,046 with none.  Under a fleet, with
    every keen delegate a candidate, attendance spreads over more places at once than
    the vehicles serve (M, 25 vehicles: two days failed)."""
    first = next((g for g in visit.objective_order if g in SCHEDULE_GOALS), None)
    return (
        not small(visit)
        and visit.transport.vehicles is None
        and (replanning or first == "interest")
    )


def wide(visit: Visit, replanning: bool = False) -> bool:
    """Whether attendance with the times held takes every keen pair at once: ``exact``,
    within ``WIDE_LARGEST``."""
    size = len(visit.delegates) * len(visit.sessions)
    return exact(visit, replanning) and size <= WIDE_LARGEST


def large(visit: Visit) -> bool:
    """Whether the visit is beyond ``WIDE_LARGEST``: too large for a model of every keen
    pair at once, or of several days' times free at once (``repair``)."""
    return len(visit.delegates) * len(visit.sessions) > WIDE_LARGEST


def day_by_day(visit: Visit) -> bool:
    """Whether attendance with the times held is solved again one day at a time with every
    keen pair (``phases.days``): ``exact``, beyond ``WIDE_LARGEST``."""
    return exact(visit) and large(visit)


def by_top_up(visit: Visit) -> bool:
    """Whether the first plan's attendance is left as its first solution, for the top-up
    (``phases.top_up``) to fill once its rides are made: a large visit not solved
    ``exact``, whose goal-by-goal pass on the shortlists gained little over that
    top-up and took the time (regular L at 120 s: least share 67, interest 162,384 at
    80 s with the pass; 75 and 162,616 at 41 s without it)."""
    return large(visit) and not exact(visit)


def topped(visit: Visit) -> bool:
    """Whether the top-up fills the first plan and the improved one: every visit too large
    for the whole model that is not solved ``exact``."""
    return not small(visit) and not exact(visit)


def bare(visit: Visit) -> Context:
    """A Context with no rule added: its travel, stays and hops, for code that plans
    around a Schedule (the greedy placement, the rides, the explanations)."""
    model = cp_model.CpModel()
    return Context(visit, model, TravelTable(visit), Guards(model, False))


def open_days(visit: Visit) -> Context:
    """A bare Context that knows each session's open days, all that ``goals.potential``
    reads besides stays: for code that weighs a Schedule without a model."""
    ctx = bare(visit)
    ctx.open_days = {s.id: sorted(host_windows.session_starts(ctx, s)) for s in visit.sessions}
    return ctx


def build(visit: Visit, restrictions: Restrictions = FREE, explaining: bool = False) -> Context:
    """The model of ``visit`` under ``restrictions``; with ``explaining``, every rule
    instance gets an assumption literal (``explain``)."""
    began = clock.monotonic()
    model = cp_model.CpModel()
    ctx = Context(visit, model, TravelTable(visit), Guards(model, explaining))
    ctx.every_pair = small(visit)
    for _name, prepare, _add in RESTRICTIONS:
        if prepare is not None:
            prepare(ctx, restrictions)
    for rule in RULES:
        if rule is lunch_rule and restrictions.without_lunch:
            continue
        rule.add(ctx)
    ctx.rule_variables = len(model.Proto().variables)
    for _name, _prepare, add in RESTRICTIONS:
        if add is not None:
            add(ctx, restrictions)
    ctx.built_in = clock.monotonic() - began
    return ctx


def sessions_only(visit: Visit) -> Context:
    """A bare Context with the sessions' variables, days and starts (``host_windows``),
    every keen or filling delegate to be a candidate, and no attendance made yet: what
    the count of seats and hours reads (``seats``), in a third of ``every_pair``'s
    time on L."""
    ctx = bare(visit)
    ctx.every_pair = True
    host_windows.add(ctx)
    return ctx


def every_pair(visit: Visit) -> Context:
    """The sessions and candidates of the spec's rules alone, with every keen or filling
    delegate a candidate: what a bound that holds for every plan is built on."""
    ctx = sessions_only(visit)
    attendance.add(ctx)
    return ctx


def sessions_and_candidates(visit: Visit, restrictions: Restrictions = FREE) -> Context:
    """A Context with only the session variables and the attendance candidates made:
    what the relaxation and the re-plan's reasons read, at a fraction of the cost."""
    ctx = bare(visit)
    free = restrictions.freeing()
    for _name, prepare, _add in RESTRICTIONS:
        if prepare is not None:
            prepare(ctx, free)
    host_windows.add(ctx)
    attendance.add(ctx)
    return ctx
