"""Each goal's bound: the best value any plan could have, the goals before it held.

The bound of a goal that the whole model proved (a small visit, ``improve``)
is kept.  Otherwise it is the least of three: the seats and hours counted
without a solver (``seats``: fairness and interest, on any visit), the same
two rules for everyone at once as an LP (``seats_lp``: fairness and interest,
each with the other held where it comes first; up to L's size), and the
relaxation without the clock (``relaxation``: who attends what on which day
under sizes, groups, must_attend and stays, with every rule about times
dropped, so that each plan is one of its solutions; visits of its size).  All
are made from the spec's rules alone, never from the restrictions a solve
added (a shortlist, chosen days, a ranking): those narrow the search, and a
bound under them would hold only for the plans they let through.  Where none
says more, a goal's bound is the most it could ever be: its range, or no
change at all for a re-plan's goals.
"""

from __future__ import annotations

from ...model import Visit
from .. import seats_lp
from ..budget import SHORTEST, Budget
from ..build import every_pair, sessions_only
from ..goals import SCHEDULE_GOALS
from ..relaxation import Relaxation
from ..restrictions import Restrictions
from ..schedule import Found
from ..seats import Seats


def bounds(
    visit: Visit, restrictions: Restrictions, best: Found, budget: Budget, limit: float
) -> dict[str, int]:
    """Per goal, the tightest bound known, never below the value found."""
    known = dict(best.bounds)
    relaxation, seats = None, None  # made when a goal first needs them: a proven plan needs none
    held: dict[str, int] = {}
    order = list(best.values)
    for index, name in enumerate(order):
        value = best.values[name]
        bound = known.get(name, best.ranges.get(name, 0) if name in SCHEDULE_GOALS else 0)
        wanted = bound > value and budget.left() > 0 and restrictions.previous is None
        if wanted and seats is None:
            sessions = sessions_only(visit)
            seats = Seats.of(sessions)
            room = limit >= budget.part("relaxation built", budget.share("bound"))
            if room and not Relaxation.too_large(sessions, seats.per_session()):
                relaxation = Relaxation.of(every_pair(visit))
            if relaxation is not None:
                relaxation.hint(best.schedule)
        if wanted:
            counted = _least(seats.bound(name, value), _programme(seats, name, held, budget))
            if counted is not None and counted >= value:
                bound = min(bound, counted)  # (below would be a wrong count)
        if wanted and relaxation is not None and bound > value:
            share = limit / (len(order) - index)
            relaxed = relaxation.bound(name, held, budget.parameters(budget.limit(share)))
            if relaxed is not None and relaxed >= value:  # (below would be a wrong relaxation)
                bound = min(bound, relaxed)
        known[name] = max(bound, value)
        held[name] = value
    return known


def _programme(seats: Seats, name: str, held: dict[str, int], budget: Budget) -> int | None:
    """The LP's bound of goal ``name`` (``seats_lp``), or None; given its part of
    the wall clock left (``budget.PARTS``)."""
    seconds = max(SHORTEST, budget.part("seats lp", budget.wall_left()))
    if name == "fairness":
        return seats_lp.least_share(seats, seconds, held.get("interest", 0))
    if name == "interest":
        return seats_lp.interest(seats, held.get("fairness", 0), seconds)
    return None


def _least(*bounds: int | None) -> int | None:
    known = [bound for bound in bounds if bound is not None]
    return min(known) if known else None
