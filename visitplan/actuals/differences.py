"""Every difference between plan and actuals, each with its cost effect.

Per delegate, in time order: a journey that started later or ended earlier (its
effect: the delegate's share of the per-person lines with that change, against
without), a delegate who did not travel, each session missed or added (no cost of its
own: a meal it provided shows in that day's per diem), and each day whose per diem
changed.  Walk-ins who are no delegate are listed with no cost.  Each effect is
rounded on its own, as the per-delegate shares are: informative, where the Summary
sheet's totals are rule 9's.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from visitplan import costs
from visitplan.model import Delegate, Visit

from .attendance import DelegateAttendance
from .compare import Comparison

ZERO = Decimal(0)


@dataclass(frozen=True, slots=True)
class Difference:
    delegate_id: str
    name: str
    date: date | None
    session_id: str
    change: str
    effect: Decimal


def differences(comparison: Comparison) -> tuple[Difference, ...]:
    """Every difference, delegate by delegate in the visit's order, then the walk-ins."""
    rows: list[Difference] = []
    for person in comparison.people:
        rows += sorted(_of(comparison, person), key=lambda d: d.date or date.min)
    for walk_in in comparison.walk_ins:
        rows.append(
            Difference(
                "",
                walk_in.name,
                walk_in.date,
                "; ".join(walk_in.session_ids),
                "walk-in who is no delegate of the visit (not costed)",
                ZERO,
            )
        )
    return tuple(rows)


def _of(comparison: Comparison, person: DelegateAttendance) -> list[Difference]:
    visit = comparison.visit
    delegate = visit.delegate(person.delegate_id)

    def row(on: date | None, session_id: str, change: str, effect: Decimal = ZERO) -> Difference:
        return Difference(person.delegate_id, person.name, on, session_id, change, effect)

    rows = []
    planned_share = comparison.planned.shares[person.delegate_id].total
    if not person.travelled:
        rows.append(
            row(
                person.planned_out,
                "",
                "did not travel: no session attended and no travel dates recorded",
                -planned_share,
            )
        )
    else:
        out_only = _share(visit, replace(delegate, travel_out=person.actual_out))
        actual = comparison.actual.shares[person.delegate_id].total
        if person.actual_out != person.planned_out:
            change = f"travelled out on {person.actual_out}, planned {person.planned_out}"
            rows.append(row(person.actual_out, "", change, out_only - planned_share))
        if person.actual_home != person.planned_home:
            change = f"travelled home on {person.actual_home}, planned {person.planned_home}"
            rows.append(row(person.actual_home, "", change, actual - out_only))
    held = comparison.sessions
    for session_id in person.missing:
        rows.append(row(held[session_id].date, session_id, "planned, not attended"))
    for session_id in person.added:
        rows.append(row(held[session_id].date, session_id, "attended, not planned"))
    rows += _per_diem_rows(comparison, person, row)
    return rows


def _per_diem_rows(comparison: Comparison, person: DelegateAttendance, row) -> list[Difference]:
    planned = comparison.planned.days_of.get(person.delegate_id, {})
    actual = comparison.actual.days_of.get(person.delegate_id, {})
    rows = []
    for on in sorted(planned.keys() | actual.keys()):
        before, after = planned.get(on), actual.get(on)
        was = before.amount if before is not None else ZERO
        now = after.amount if after is not None else ZERO
        if before is not None and after is not None and was == now:
            continue
        if after is None:
            if not person.travelled:
                why = "per diem: did not travel"
            elif on in person.no_show_days:
                why = "per diem: no-show day"
            else:
                why = "per diem: not a day of the actual journey"
        elif before is None:
            why = "per diem: a day of the journey not planned"
        else:
            why = (
                f"per diem: meals provided: {_meals(after.meals)} (planned: {_meals(before.meals)})"
            )
        rows.append(row(on, "", why, now - was))
    return rows


def _meals(meals: tuple[str, ...]) -> str:
    return ", ".join(meals) or "none"


def _share(visit: Visit, delegate: Delegate) -> Decimal:
    """The delegate's share of the per-person lines with these journey dates."""
    (share,) = costs.delegate_shares(replace(visit, delegates=(delegate,)))
    return share.total
