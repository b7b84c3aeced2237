"""The first plan: a timetable, then attendance and lunch with its times fixed.

Choosing who attends what and when they lunch is a far smaller problem once
the sessions' days and starts are known: the rule that keeps a delegate in
one place at a time is then decided pair by pair before the solver sees it
(``rules.delegate_travel``).  So the first plan climbs a short ladder of
timetables, each tried with attendance fixed to it, until one leaves a plan:

1. for a re-plan, the earlier plan's times;
2. the greedy placement (``placement``), which keeps every rule about times
   and room for lunch and for the fleet, in a second or two even on large
   visits (not under a fleet level or cut, which it does not know);
3. CP-SAT's timetable: the model without the lunch rule, a lunch slot kept
   free each day instead (``restrictions.leave_lunch_room``);
4. the whole model, times and attendance together.  Only this rung can prove
   that no plan exists.  On a small visit it comes first: it finds a plan in
   well under a second, and the improvement solves that same model anyway.

The attendance model starts from a greedy attendance (``fill``), and what it finds is
then improved goal by goal with the times still fixed: on the shortlists first, then, on
a visit solved exactly (``build.exact``: interest first or a re-plan, no fleet limit),
with every keen delegate a candidate, at once on a visit of middle size
(``build.wide``), a day at a time on a larger one that is not a re-plan (``days``).  A
larger visit not solved exactly keeps its first solution: once its rides are made, the
top-up fills it (``top_up``, ``build.by_top_up``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace

from ...model import Visit
from .. import day_spread, placement, ranking
from ..budget import Budget
from ..build import bare, build, by_top_up, day_by_day, small, wide
from ..continuity import previous_start
from ..restrictions import Restrictions
from ..rules import attendance as attendance_rule
from ..schedule import Found
from . import days, stages
from .fill import fill

Timetable = tuple[dict[str, int], frozenset[str]]
"""Session id to start, for the sessions held; the sessions left out."""


def construct(
    visit: Visit, restrictions: Restrictions, budget: Budget, show: bool = False
) -> tuple[stages.Outcome, Restrictions]:
    """The first plan under ``restrictions``, and the restrictions it was made under (a
    placement may have ranked the shortlists).  INFEASIBLE only when the whole
    model is: no plan exists under these restrictions."""
    for name in _ladder(visit, restrictions):
        if name in ("timetable", "whole") and not small(visit):
            restrictions = _ranked_ahead(visit, restrictions)
        if name == "whole":
            ctx = build(visit, restrictions)
            return stages.first_solution(
                ctx, budget, budget.share("construct"), show=show
            ), restrictions
        made = _RUNGS[name](visit, restrictions, budget)
        if made is None:
            continue
        times, out, ranked = made
        held = replace(restrictions, ranking=ranked) if ranked else restrictions
        outcome = attendance(visit, held.holding(times, out), budget, show)
        if outcome.found is not None:
            return outcome, held
    return stages.Outcome("UNKNOWN"), restrictions


def attendance(
    visit: Visit, restrictions: Restrictions, budget: Budget, show: bool = False
) -> stages.Outcome:
    """Attendance and lunches with the times ``restrictions`` hold, goal by goal; on a
    visit solved day by day (``build.day_by_day``) the days' pass takes the shortlists'
    time too, as that pass gains little there (block L: 176,229 to 176,322 in 25 s),
    and starts from the first solution: each day's first goal is searched afresh.  A
    visit the top-up fills (``build.by_top_up``) keeps its first solution."""
    ctx = build(visit, restrictions)
    greedy = Found(fill(ctx, dict(restrictions.fixed)), {})
    limit = budget.share("construct")
    outcome = stages.first_solution(ctx, budget, limit, greedy, show, completing=True)
    if outcome.found is None:  # the greedy attendance missed a rule: a hint only
        outcome = stages.first_solution(ctx, budget, limit, greedy, show)
    if outcome.found is None:
        return outcome
    start = outcome.found
    if by_top_up(visit) and restrictions.previous is None:
        # a first solution's least share is any value below the true one: count it
        counted = stages.valued(ctx, budget, limit, start)
        return replace(outcome, found=counted or start)
    if day_by_day(visit) and restrictions.previous is None:
        share = budget.share("goals") + budget.share("wide goals")
        improved = days.by_days(visit, restrictions, budget, share, start, show)
        return replace(outcome, found=improved)
    if restrictions.previous is None:
        start = stages.filled(ctx, budget, budget.part("filled", budget.share("goals")), start)
    improved = stages.by_goals(ctx, budget, budget.share("goals"), start, show)
    replanning = restrictions.previous is not None
    if wide(visit, replanning) and not restrictions.every_pair and budget.left() > 0:
        improved = _widened(visit, restrictions, budget, improved, show)
    return replace(outcome, found=replace(improved, bounds={}))


def _widened(visit: Visit, restrictions: Restrictions, budget: Budget, start: Found, show):
    """``start`` improved goal by goal with every keen delegate a candidate, times held.

    The shortlists guess, before any time is known, which four sessions a day a
    delegate might get; with the times held that guess is no longer needed, and
    the one-place rule is a few cliques a day.  Started from the shortlists' plan,
    this stage keeps its least share and raises the rest (the block family's M,
    the placement's timetable: interest 20,793 to 25,510, proven for those times)."""
    held = replace(restrictions, every_pair=True, kept_pairs=start.schedule.pairs())
    ctx = build(visit, held)
    return stages.by_goals(
        ctx, budget, budget.share("wide goals"), start, show, stages.Pass(fresh=True)
    )


def _ladder(visit: Visit, restrictions: Restrictions) -> Iterator[str]:
    if small(visit):
        yield "whole"
        return
    if restrictions.previous is not None:
        yield "earlier plan"
    if not restrictions.levels and not restrictions.cuts and restrictions.previous is None:
        yield "placement"
    yield "timetable"
    yield "whole"


def _ranked_ahead(visit: Visit, restrictions: Restrictions) -> Restrictions:
    """The shortlists ranked by a placement made for that alone, for the rungs that
    make no placement of their own, when nothing ranked them yet.  Made only when
    such a rung is reached: the placement's rung ranks them itself (ranking ahead
    cost L's first plan 4.5 s it then threw away)."""
    if restrictions.ranking is not None or restrictions.previous is not None:
        return restrictions
    return replace(restrictions, ranking=placement.ranking_ahead(visit))


def _earlier(visit: Visit, restrictions: Restrictions, _budget: Budget):
    starts = previous_start(bare(visit), restrictions.previous.plan)
    out = frozenset(s.id for s in visit.sessions if s.id not in starts)
    return starts, out, None


def _placed(visit: Visit, restrictions: Restrictions, _budget: Budget | None = None):
    """The greedy placement's timetable, and the shortlists ranked by it."""
    ctx = bare(visit)
    ctx.day_choice = dict(restrictions.chosen_days)
    placed = placement.place(ctx)
    if not placed:
        return None
    times = {sid: start for sid, (held, start) in placed.items() if held != 0}
    out = frozenset(sid for sid, (held, _start) in placed.items() if held == 0)
    return times, out, _ranked(ctx, placed)


def _ranked(ctx, placed) -> dict | None:
    """The shortlists' tiers by this placement, when some delegate's shortlist is cut short."""
    if not attendance_rule.truncated(ctx):
        return None
    return ranking.rank(ctx, placed)


def _timetable(visit: Visit, restrictions: Restrictions, budget: Budget):
    """CP-SAT's timetable: the model without the lunch rule, improved for the goals."""
    relaxed = replace(restrictions, without_lunch=True)
    if day_spread.needed(visit) and not restrictions.chosen_days:
        relaxed = replace(relaxed, chosen_days=day_spread.choose_days(bare(visit)))
    ctx = build(visit, relaxed)
    outcome = stages.first_solution(ctx, budget, budget.share("construct"))
    if outcome.found is None:
        return None
    # a first solution holds few optional sessions: the goals, lunch aside, estimate
    # what delegates can get from a timetable, so they choose it
    polished, _proven = stages.weighted(ctx, budget, budget.share("goals"), outcome.found)
    times = (polished or outcome.found).schedule.starts()
    must = visit.must_schedule
    out = frozenset(s.id for s in visit.sessions if s.id not in times and s.id not in must)
    return times, out, None


_RUNGS: dict[str, Callable[[Visit, Restrictions, Budget], tuple | None]] = {
    "earlier plan": _earlier,
    "placement": _placed,
    "timetable": _timetable,
}
"""The rungs that make a timetable: (times, left out, ranking) or None."""
