"""The goals of the spec's section 4 that the schedule decides, as one objective.

Goals are lexicographic: each only breaks ties of the ones before it.  Rather
than solving once per goal, each goal is scaled by the product of the ranges
of the goals after it, so one weighted sum orders plans exactly as the
lexicographic order does (every range is bounded before solving):

    objective = Σ_i  g_i × Π_{j > i} (range_j + 1)

``fairness`` (least share, 0..1000), ``interest`` (Σ met, 0..Σ potential) and
``optional`` (optional sessions dropped) are decided here, in the relative
order of ``[objective] order``.  The ride goals (vehicle, rider and idle
minutes) depend on ride times and are minimised afterwards by ``rides``, with
the schedule fixed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from ..model import Visit
from .rules import access
from .rules.attendance import interest
from .variables import Context

SCHEDULE_GOALS = ("fairness", "interest", "optional")


def potential(visit: Visit, ctx: Context, delegate) -> int:
    """Σ weights over choice sessions whose host receives on a day the delegate is present
    (and receives them: not a host their access needs rule out, ``rules.access``).

    Remembered in ``ctx`` once its model is built (every session's days known), for
    the visit it was built for: L's first plan counted every delegate's twice, 0.7 s
    each time, and the improvement once a turn."""
    if visit is not ctx.visit or len(ctx.open_days) < len(visit.sessions):
        return _potential(visit, ctx, delegate)
    if delegate.id not in ctx.potentials:
        ctx.potentials[delegate.id] = _potential(visit, ctx, delegate)
    return ctx.potentials[delegate.id]


def _potential(visit: Visit, ctx: Context, delegate) -> int:
    total = 0
    for session in visit.sessions:
        weight = interest(delegate, session)  # first: most pairs have none (L: 57 %)
        if not weight or session.is_all or delegate.id in access.barred(ctx, session):
            continue
        if any(ctx.stay_bounds(delegate, k) is not None for k in ctx.open_days.get(session.id, ())):
            total += weight
    return total


@dataclass(frozen=True)
class Elsewhere:
    """What the sessions a model leaves out add to the goals, as constants: a model of
    one day's attendance (``phases.days``) counts the rest of the plan this way, so
    that its goals are the whole plan's and its plans compare with the whole's."""

    met: Mapping[str, int] = field(default_factory=dict)
    """Delegate id to the interest they meet in the sessions left out."""
    potential: Mapping[str, int] = field(default_factory=dict)
    """Delegate id to their potential over the whole visit (``potential``)."""
    optional_held: int = 0
    """Optional sessions left out of the model that the plan holds."""
    optional: int = 0
    """Optional sessions in the whole visit."""


@dataclass
class Goal:
    name: str
    expr: object  # a linear expression to maximise
    range: int


def least_of(model, shares: list) -> object:
    """Fairness: the least of the delegates' shares (0 when no delegate has any)."""
    least = model.NewIntVar(0, 1000, "least_share")
    for share in shares:
        model.Add(least <= share).WithName(f"least_share[{share.Name()}]")
    if not shares:
        model.Add(least == 0).WithName("least_share")
    return least


def schedule_goals(ctx: Context) -> dict[str, Goal]:
    model, visit = ctx.model, ctx.visit
    elsewhere = ctx.elsewhere or Elsewhere()
    met_terms = {}
    total_potential = 0
    shares = []
    candidacies: dict[str, list] = {}  # delegate id to (session, attends), sessions in order
    for (did, sid), x in ctx.attends.items():
        candidacies.setdefault(did, []).append((visit.session(sid), x))
    for delegate in visit.delegates:
        terms = []
        for session, x in candidacies.get(delegate.id, ()):
            weight = interest(delegate, session)
            if weight and not session.is_all:
                terms.append(weight * x)
        met = sum(terms) + elsewhere.met.get(delegate.id, 0)
        met_terms[delegate.id] = met
        if ctx.elsewhere is None:
            pot = potential(visit, ctx, delegate)
        else:
            pot = elsewhere.potential.get(delegate.id, 0)
        total_potential += pot
        if pot > 0:
            share = model.NewIntVar(0, 1000, f"share[{delegate.id}]")
            model.Add(share * pot <= 1000 * met).WithName(f"share[{delegate.id}]")
            model.Add(1000 * met < (share + 1) * pot).WithName(f"share[{delegate.id}]")
            shares.append(share)
    least = least_of(model, shares)
    optional = [ctx.scheduled[s.id] for s in visit.sessions if s.id not in visit.must_schedule]
    kept = sum(optional) + elsewhere.optional_held
    count = len(optional) if ctx.elsewhere is None else elsewhere.optional
    return {
        "fairness": Goal("fairness", least, 1000),
        "interest": Goal("interest", sum(met_terms.values()), max(total_potential, 0)),
        # maximise the optional sessions kept = minimise those left out
        "optional": Goal("optional", kept, count),
    }


def goal_order(ctx: Context) -> list[str]:
    """The schedule goals in the relative order of ``[objective] order``, after the
    re-plan goals (fewest delegates changed, fewest changes) when there are any."""
    order = [g for g in ctx.visit.objective_order if g in SCHEDULE_GOALS]
    return list(ctx.extra_goals) + order + [g for g in SCHEDULE_GOALS if g not in order]


def weigh(ctx: Context, goals: dict[str, Goal], values: dict[str, object]):
    """Σ_i value_i × Π_{j > i} (range_j + 1): one number ordered like the goals."""
    ranges = {name: goal.range for name, goal in goals.items()}
    return weigh_values(goal_order(ctx), ranges, values)


def weigh_values(order: list[str], ranges: dict[str, int], values: dict[str, object]):
    """``weigh`` for plain values: the goals in ``order`` with their ``ranges``."""
    expr, scale = 0, 1
    for name in reversed(order):
        expr = expr + scale * values[name]
        scale *= ranges[name] + 1
    return expr


def objective(ctx: Context, goals: dict[str, Goal]):
    return weigh(ctx, goals, {name: goal.expr for name, goal in goals.items()})


def all_goals(ctx: Context) -> dict[str, Goal]:
    """The schedule goals, and the re-plan goals before them (made once per model)."""
    if ctx.goals is None:
        ctx.goals = {**ctx.extra_goals, **schedule_goals(ctx)}
    return ctx.goals
