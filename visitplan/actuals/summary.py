"""The few lines ``visitplan actuals`` prints: what differed, and the totals planned and actual."""

from __future__ import annotations

from collections import Counter

from .compare import Comparison
from .differences import differences


def summary_lines(comparison: Comparison) -> list[str]:
    people = comparison.people
    currency = comparison.visit.currency
    rows = differences(comparison)
    kinds = Counter(
        "missed"
        if d.change.startswith("planned, not")
        else "added"
        if d.change.startswith("attended")
        else ""
        for d in rows
    )
    late = sum(p.travelled and p.actual_out > p.planned_out for p in people)
    early = sum(p.travelled and p.actual_home < p.planned_home for p in people)
    lines = [
        f"attendances: {comparison.actual_attendances} of {comparison.planned_attendances} planned "
        f"({kinds['missed']} missed, {kinds['added']} added)",
        f"delegates: {sum(p.travelled for p in people)} of {len(people)} travelled; "
        f"{late} arrived late, {early} left early; "
        f"{sum(len(p.no_show_days) for p in people)} no-show day(s)",
    ]
    if comparison.walk_ins:
        lines.append(f"walk-ins who are no delegate: {len(comparison.walk_ins)}")
    lines.append(f"differences listed: {len(rows)}")
    planned, actual = comparison.planned.summary, comparison.actual.summary
    figures = [
        ("total cost", planned.total_cost, actual.total_cost),
        ("per diems", planned.per_diem_total, actual.per_diem_total),
        ("eligible", planned.eligible, actual.eligible),
        ("grant share", planned.grant_share, actual.grant_share),
        ("co-financing", planned.cofinancing, actual.cofinancing),
    ]
    if planned.budget_remaining is not None:
        figures.append(("budget remaining", planned.budget_remaining, actual.budget_remaining))
    lines.append(f"{'':18}{'planned':>16}{'actual':>16}{'difference':>16}  {currency}")
    for label, was, now in figures:
        lines.append(f"{label:18}{was:>16,.2f}{now:>16,.2f}{now - was:>16,.2f}")
    return lines
