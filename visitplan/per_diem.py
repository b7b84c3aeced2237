"""Per diems per delegate and trip day, less the meals provided (the spec's rule 9, as
docs/visit-format.md section 5 extends it).

A delegate earns one per diem for each trip day, travel_out..travel_home, at the rate of
the visit's zone valid that day (the per_diem.csv row with the latest valid_from on or
before it). Each meal provided that day takes its share of the rate off: the meals of the
sessions the delegate attends, and breakfast at a hotel that includes it on every day
after a night there. The shares add up to at most the whole rate.

The plan's attendance says who eats what (:func:`planned_stays`); the actuals recompute
the same days from what really happened, with their own :class:`Stay` values. The cost
sheet writes the same arithmetic as live formulas; :func:`per_diem_days` is the
reference both it and ``visitplan costs`` are held to.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from visitplan.costs import exactly, round_cents, travel_home, travel_out
from visitplan.model import MEALS, PerDiemRate, Visit
from visitplan.plan import Plan

PLANNED_MEALS = "the plan's attendance: meals of the sessions each delegate attends"
"""What the cost sheet says of planned per diems' meals."""


@dataclass(frozen=True, slots=True)
class Stay:
    """One delegate's trip as the per diems see it.

    ``meals`` holds, per date, the meals provided by the sessions the delegate attends
    (hotel breakfasts are not in it: :func:`per_diem_days` adds them from the nights).
    ``days_out`` are trip days that earn no per diem (a no-show day in the actuals).
    """

    travel_out: date
    travel_home: date
    meals: Mapping[date, frozenset[str]] = field(default_factory=dict)
    days_out: frozenset[date] = frozenset()

    def __hash__(self) -> int:  # meals is a mapping: hash what identifies the stay
        return hash((self.travel_out, self.travel_home, self.days_out))


@dataclass(frozen=True, slots=True)
class PerDiemDay:
    """One delegate-day's per diem, in the visit's currency.

    ``rate`` is in ``currency``; ``exchange_rate`` turns it into the visit's currency;
    ``meals`` are the meals provided that day, in MEALS order; ``deduction`` =
    MIN(1, Σ their shares); ``amount`` = ROUND(rate × exchange_rate × (1 − deduction), 2).
    """

    delegate_id: str
    date: date
    zone: str
    rate: Decimal
    currency: str
    exchange_rate: Decimal
    meals: tuple[str, ...]
    deduction: Decimal
    amount: Decimal
    valid_from: date = date.min
    """The valid_from of the rate row used."""


def trip_dates(stay: Stay) -> tuple[date, ...]:
    """Every date travel_out..travel_home, in order."""
    days = (stay.travel_home - stay.travel_out).days + 1
    return tuple(stay.travel_out + timedelta(days=offset) for offset in range(max(days, 0)))


def visit_stays(visit: Visit) -> dict[str, Stay]:
    """Each delegate's travel dates without any meal from a session: what ``visitplan
    costs`` counts without a plan (hotel breakfasts only)."""
    return {d.id: Stay(travel_out(visit, d), travel_home(visit, d)) for d in visit.delegates}


def planned_stays(visit: Visit, plan: Plan) -> dict[str, Stay]:
    """Each delegate's travel dates and the meals of the sessions the plan has them attend.

    Parameters
    ----------
    visit
        The visit planned (sessions' ``provides``, delegates' travel dates).
    plan
        The plan whose attendance says who eats which meal; sessions the visit no
        longer has provide nothing.
    """
    known = {s.id: s for s in visit.sessions}
    meals: dict[str, dict[date, set[str]]] = defaultdict(lambda: defaultdict(set))
    for assignment in plan.assignments:
        session = known.get(assignment.session_id)
        if session is not None and session.provides:
            meals[assignment.delegate_id][assignment.date].update(session.provides)
    return {
        d.id: Stay(
            travel_out(visit, d),
            travel_home(visit, d),
            {on: frozenset(eaten) for on, eaten in sorted(meals[d.id].items())},
        )
        for d in visit.delegates
    }


def rate_on(rates: Iterable[PerDiemRate], on: date) -> PerDiemRate:
    """The row with the latest valid_from on or before ``on``.

    Raises
    ------
    ValueError
        When ``on`` is before every valid_from (the reader refuses such visits; a stay
        from the actuals may still move a journey earlier).
    """
    valid = [rate for rate in rates if rate.valid_from <= on]
    if not valid:
        raise ValueError(f"no per-diem rate is valid on {on}: add one valid from {on} or earlier")
    return max(valid, key=lambda rate: rate.valid_from)


def meals_on(visit: Visit, stay: Stay, on: date) -> tuple[str, ...]:
    """The meals provided on a trip day, each once, in MEALS order."""
    eaten = set(stay.meals.get(on, ()))
    if visit.base.breakfast and on > stay.travel_out:
        eaten.add("breakfast")  # a night at the hotel before it
    return tuple(meal for meal in MEALS if meal in eaten)


@exactly
def per_diem_day(visit: Visit, delegate_id: str, stay: Stay, on: date) -> PerDiemDay:
    """One delegate-day's per diem, rounded as rule 9 rounds."""
    rate = rate_on(visit.per_diem_rates, on)
    exchange = visit.rate(rate.currency)
    meals = meals_on(visit, stay, on)
    deduction = min(Decimal(1), sum((rate.share(meal) for meal in meals), Decimal(0)))
    amount = round_cents(rate.rate * exchange * (1 - deduction))
    return PerDiemDay(
        delegate_id=delegate_id,
        date=on,
        zone=rate.zone,
        rate=rate.rate,
        currency=rate.currency,
        exchange_rate=exchange,
        meals=meals,
        deduction=deduction,
        amount=amount,
        valid_from=rate.valid_from,
    )


def per_diem_days(visit: Visit, stays: Mapping[str, Stay]) -> tuple[PerDiemDay, ...]:
    """Every delegate-day's per diem, by delegate id then date; none without rates.

    Parameters
    ----------
    visit
        The visit with its per-diem rates (``Visit.per_diem_rates``), base and exchange.
    stays
        The stay of each delegate to count (:func:`planned_stays`, :func:`visit_stays`,
        or the actuals'); days in a stay's ``days_out`` earn nothing.

    Raises
    ------
    ValueError
        When a trip day has no valid rate, or a rate's currency no exchange rate.
    """
    if not visit.per_diem_rates:
        return ()
    days = []
    for delegate_id in sorted(stays):
        stay = stays[delegate_id]
        for on in trip_dates(stay):
            if on not in stay.days_out:
                try:
                    days.append(per_diem_day(visit, delegate_id, stay, on))
                except KeyError:
                    raise ValueError(
                        f"per diem on {on}: no exchange rate in [exchange] for its currency"
                    ) from None
    return tuple(days)


def per_diem_total(days: Iterable[PerDiemDay]) -> Decimal:
    """Σ amounts: each is already rounded, so the sum is exact."""
    return sum((day.amount for day in days), Decimal(0))


def unplanned_per_diems(visit: Visit) -> tuple[PerDiemDay, ...]:
    """The per diems without a plan: every trip day, less hotel breakfasts only."""
    return per_diem_days(visit, visit_stays(visit))
