"""Cost lines to quantities and amounts, exactly as the spec's rule 9.

The cost sheet (``export/costs_sheet.py``) writes the same arithmetic as live
formulas; this module is the reference both it and the tests hold it to. Per diems
from per_diem.csv come in already counted per delegate and day
(:func:`visitplan.per_diem.per_diem_days`): ``compute_costs(visit, per_diems)`` adds
their total as one eligible cost of category per_diem, exactly as the sheet does.
Without them (``per_diems=None``) it counts the visit's own stays with no plan: only
hotel breakfasts are deducted, as ``visitplan costs VISIT`` says. All
arithmetic is in :class:`~decimal.Decimal`, so the rounding is the spec's
(halves away from zero, like Excel's ROUND) and never a binary float's.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Context, Decimal, localcontext
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from visitplan.model import CATEGORIES, CostLine, Delegate, Visit

if TYPE_CHECKING:  # per_diem imports this module's rounding
    from visitplan.per_diem import PerDiemDay

CENT = Decimal("0.01")
P = ParamSpec("P")
R = TypeVar("R")
EXACT = Context(prec=100)
"""Digits enough that rule 9's products are exact before their ROUND (amounts have at
most 13 digits, quantities 6, so rates up to 80): Decimal's default 28 can turn a value
a hair below half a cent into exactly a half, which ROUND then takes up."""
PER_DIEM = "per_diem"
"""The category per_diem.csv's per diems are counted under."""
PER_PERSON_BASES = ("per_person", "per_person_day", "per_person_night")
"""Bases whose quantity is a sum over delegates (shared out in :func:`delegate_shares`)."""


def exactly(function: Callable[P, R]) -> Callable[P, R]:
    """Run ``function``'s arithmetic in the :data:`EXACT` context."""

    @functools.wraps(function)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        with localcontext(EXACT):
            return function(*args, **kwargs)

    return run


def round_cents(value: Decimal) -> Decimal:
    """ROUND(value, 2) with halves away from zero, as Excel's ROUND."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def visit_trip_days(visit: Visit) -> int:
    """(return − depart) + 1."""
    return (visit.return_day - visit.depart_day).days + 1


def travel_out(visit: Visit, delegate: Delegate) -> date:
    """The delegate's journey out; the visit's depart day when not given."""
    return delegate.travel_out or visit.depart_day


def travel_home(visit: Visit, delegate: Delegate) -> date:
    """The delegate's journey home; the visit's return day when not given."""
    return delegate.travel_home or visit.return_day


def trip_days(visit: Visit, delegate: Delegate) -> int:
    """(travel_home − travel_out) + 1, with the visit's depart/return as defaults."""
    return (travel_home(visit, delegate) - travel_out(visit, delegate)).days + 1


def nights(visit: Visit, delegate: Delegate) -> int:
    """Trip days − 1."""
    return trip_days(visit, delegate) - 1


def quantity(visit: Visit, basis: str) -> int:
    """The number the unit amount is multiplied by for a line of this basis."""
    if basis == "lump_sum":
        return 1
    if basis == "per_person":
        return len(visit.delegates)
    if basis == "per_person_day":
        return sum(trip_days(visit, d) for d in visit.delegates)
    if basis == "per_person_night":
        return sum(nights(visit, d) for d in visit.delegates)
    if basis == "per_day":
        return visit_trip_days(visit)
    raise ValueError(f"unknown cost basis {basis!r}")


def delegate_quantity(visit: Visit, delegate: Delegate, basis: str) -> int:
    """One delegate's part of a per-person basis's quantity."""
    if basis == "per_person":
        return 1
    if basis == "per_person_day":
        return trip_days(visit, delegate)
    if basis == "per_person_night":
        return nights(visit, delegate)
    raise ValueError(f"basis {basis!r} is not shared per person")


def line_rate(visit: Visit, line: CostLine) -> Decimal:
    """Units of the visit currency per unit of the line's currency."""
    try:
        return visit.rate(line.currency or visit.currency)
    except KeyError:
        raise ValueError(
            f"cost line {line.id}: no exchange rate for {line.currency} in [exchange]"
        ) from None


@dataclass(frozen=True, slots=True)
class CostLineAmount:
    """A cost line with its rate, quantity and amount in the visit currency."""

    line: CostLine
    rate: Decimal
    quantity: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class CostSummary:
    """Rule 9's values for a whole visit, all in the visit currency.

    ``subtotals`` holds (category, sum of its lines) for the categories that
    have lines, in the order of :data:`visitplan.model.CATEGORIES`; per diems
    from per_diem.csv count under per_diem. ``per_diem_total`` is their sum over
    ``per_diem_days`` delegate-days (0 without per_diem.csv).
    ``budget_remaining`` is None when the visit gives no budget total.
    """

    currency: str
    lines: tuple[CostLineAmount, ...]
    total_cost: Decimal
    eligible: Decimal
    cofinancing_rate: Decimal
    grant_share: Decimal
    cofinancing: Decimal
    budget_total: Decimal | None
    budget_remaining: Decimal | None
    subtotals: tuple[tuple[str, Decimal], ...]
    per_diem_total: Decimal = Decimal(0)
    per_diem_days: int = 0

    def amount(self, line_id: str) -> Decimal:
        for line in self.lines:
            if line.line.id == line_id:
                return line.amount
        raise KeyError(line_id)

    def subtotal(self, category: str) -> Decimal:
        return dict(self.subtotals).get(category, Decimal(0))


@dataclass(frozen=True, slots=True)
class DelegateShare:
    """One delegate's informative share of the per-person lines.

    ``amounts`` holds (line id, ROUND(unit × rate × own quantity, 2)) for
    every per_person, per_person_day and per_person_night line, in line
    order. The shares of a line need not add up to the line's amount to the
    cent: each is rounded on its own.
    """

    delegate: Delegate
    travel_out: date
    travel_home: date
    trip_days: int
    nights: int
    amounts: tuple[tuple[str, Decimal], ...]
    total: Decimal


@exactly
def line_amount(visit: Visit, line: CostLine) -> CostLineAmount:
    rate = line_rate(visit, line)
    count = quantity(visit, line.basis)
    return CostLineAmount(line, rate, count, round_cents(line.amount * rate * count))


@exactly
def compute_costs(visit: Visit, per_diems: Iterable[PerDiemDay] | None = None) -> CostSummary:
    """Every value rule 9 asks of the cost sheet.

    Parameters
    ----------
    visit
        The visit with its cost lines, budget and exchange rates.
    per_diems
        The per diems of per_diem.csv, one per delegate-day
        (:func:`visitplan.per_diem.per_diem_days` of the planned or actual stays);
        their total is an eligible cost of category per_diem. None: the visit's stays
        without a plan (:func:`visitplan.per_diem.unplanned_per_diems`); ``()``: none.

    Returns
    -------
    CostSummary
        Line amounts, totals, grant share, co-financing and what is left of the budget.
    """
    if per_diems is None:
        from visitplan.per_diem import unplanned_per_diems

        per_diems = unplanned_per_diems(visit)
    days = tuple(per_diems)
    per_diem_total = sum((day.amount for day in days), Decimal(0))
    lines = tuple(line_amount(visit, line) for line in visit.costs)
    total_cost = sum((line.amount for line in lines), per_diem_total)
    eligible = sum((line.amount for line in lines if line.line.eligible), per_diem_total)
    budget = visit.budget
    cofinancing_rate = budget.cofinancing_rate if budget is not None else Decimal(0)
    grant_share = eligible - round_cents(eligible * cofinancing_rate)
    cofinancing = total_cost - grant_share
    budget_total = budget.total if budget is not None else None
    budget_remaining = budget_total - total_cost if budget_total is not None else None
    with_per_diems = bool(days or visit.per_diem_rates)
    subtotals = tuple(
        (
            category,
            sum(
                (x.amount for x in lines if x.line.category == category),
                per_diem_total if category == PER_DIEM else Decimal(0),
            ),
        )
        for category in categories_of(visit, with_per_diems)
    )
    return CostSummary(
        currency=visit.currency,
        lines=lines,
        total_cost=total_cost,
        eligible=eligible,
        cofinancing_rate=cofinancing_rate,
        grant_share=grant_share,
        cofinancing=cofinancing,
        budget_total=budget_total,
        budget_remaining=budget_remaining,
        subtotals=subtotals,
        per_diem_total=per_diem_total,
        per_diem_days=len(days),
    )


def categories_of(visit: Visit, per_diems: bool = False) -> tuple[str, ...]:
    """Categories that have cost lines (and per_diem with ``per_diems``): the spec's
    order first, any others after, sorted."""
    used = {line.category for line in visit.costs} | ({PER_DIEM} if per_diems else set())
    known = tuple(c for c in CATEGORIES if c in used)
    return known + tuple(sorted(used - set(CATEGORIES)))


def per_person_lines(visit: Visit) -> tuple[CostLine, ...]:
    return tuple(line for line in visit.costs if line.basis in PER_PERSON_BASES)


@exactly
def delegate_shares(visit: Visit) -> tuple[DelegateShare, ...]:
    """Each delegate's amount of every per-person line, counted with their own days.

    Informative only (the sheet's ``Per delegate``): rule 9's line amounts
    come from :func:`compute_costs`.
    """
    lines = per_person_lines(visit)
    shares = []
    for delegate in visit.delegates:
        amounts = tuple(
            (
                line.id,
                round_cents(
                    line.amount
                    * line_rate(visit, line)
                    * delegate_quantity(visit, delegate, line.basis)
                ),
            )
            for line in lines
        )
        shares.append(
            DelegateShare(
                delegate=delegate,
                travel_out=travel_out(visit, delegate),
                travel_home=travel_home(visit, delegate),
                trip_days=trip_days(visit, delegate),
                nights=nights(visit, delegate),
                amounts=amounts,
                total=sum((amount for _, amount in amounts), Decimal(0)),
            )
        )
    return tuple(shares)
