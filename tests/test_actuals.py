"""visitplan actuals: a no-show day and a late arrival change exactly the cells they
should, an all-as-planned record changes nothing, and a delegate who never came leaves
the per-person lines.  Expected figures are worked out here from the inputs with rule
9's arithmetic and the per-diem reference (visitplan.per_diem), never written down."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal

import pytest

from visitplan import costs
from visitplan.costs import round_cents
from visitplan.per_diem import per_diem_days, planned_stays

from .actualcases import (
    HEADER,
    cached,
    case,
    names,
    no_show_and_late_csv,
    row_of,
    run,
)

D = Decimal
NAMED = (
    "total_cost",
    "eligible",
    "ineligible",
    "grant_share",
    "cofinancing",
    "per_diem_total",
    "attendances",
    "budget_remaining",
)


def cents(value: object) -> Decimal:
    return round_cents(D(str(value or 0)))


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory):
    """The as-planned workbook and the one with a no-show day and a late arrival."""
    c = case()
    folder = tmp_path_factory.mktemp("actuals")
    planned = run(c.visit, c.plan, HEADER, folder, "as-planned")
    changed = run(c.visit, c.plan, no_show_and_late_csv(c), folder, "changed")
    return c, planned, changed


def test_an_empty_actual_csv_gives_actual_equal_to_planned_everywhere(workbooks):
    c, (comparison, path), _ = workbooks
    values = names(path)
    for key in NAMED:
        assert values[f"planned_{key}"] == values[f"actual_{key}"], key
    assert values["planned_attendances"] == len(c.plan.assignments)
    cells = cached(path)
    pairs = {
        "Summary": ("B", "C"),
        "Sessions": ("G", "H"),
        "Costs": ("IJ", "KL"),
        "Per delegate": ("CDEFM", "GHIJN"),
        "Per diem": ("GH", "IJ"),
    }
    for sheet, (planned_columns, actual_columns) in pairs.items():
        rows = {int(at.lstrip("ABCDEFGHIJKLMNO")) for (s, at) in cells if s == sheet}
        compared = 0
        for row in rows - {1}:
            for planned, actual in zip(planned_columns, actual_columns, strict=True):
                was = cells.get((sheet, f"{planned}{row}"))
                if isinstance(was, str):
                    continue  # the visit's title and the file's name, under the figures
                assert was == cells.get((sheet, f"{actual}{row}")), (sheet, planned, row)
                compared += was is not None
        assert compared, sheet
    assert ("Differences", "A2") in cells and cells[("Differences", "A2")] == "total"


def test_confirming_every_planned_session_is_the_same_as_saying_nothing(workbooks, tmp_path):
    c, (_, planned_path), _ = workbooks
    rows = [f"{a.delegate_id},{a.session_id},yes,," for a in c.plan.assignments]
    _, path = run(c.visit, c.plan, HEADER + "\n".join(rows) + "\n", tmp_path, "confirmed")
    before, after = cached(planned_path), cached(path)
    before.pop(("Summary", "B19"))
    after.pop(("Summary", "B19"))  # the file the actuals came from
    assert before == after


def _changed(before: dict, after: dict, sheet: str) -> set[str]:
    refs = {at for (s, at) in before.keys() | after.keys() if s == sheet}
    return {at for at in refs if before.get((sheet, at)) != after.get((sheet, at))}


def _meals(day) -> str | None:
    return None if day is None else (", ".join(day.meals) or None)


def test_a_no_show_day_and_a_late_arrival_change_exactly_their_cells(workbooks):
    c, (_, planned_path), (comparison, changed_path) = workbooks
    before, after = cached(planned_path), cached(changed_path)
    visit, absent, late = c.visit, c.absent, c.late

    # Sessions: the missed sessions turn from attended to missing.
    missed_rows = [row_of(before, "Sessions", A=absent, E=s) for s in c.missed]
    total = row_of(before, "Sessions", A="total")
    expected = {f"{col}{r}" for r in missed_rows for col in "HIK"} | {f"H{total}", f"I{total}"}
    assert _changed(before, after, "Sessions") == expected
    assert all(after[("Sessions", f"K{r}")] == "missed" for r in missed_rows)

    # Attendance: the absent delegate's counts and lists, the late one's journey.
    ra, rl = row_of(before, "Attendance", A=absent), row_of(before, "Attendance", A=late)
    total = row_of(before, "Attendance", A="total")
    expected = {f"{col}{ra}" for col in "DEGI"} | {f"J{rl}", f"D{total}", f"E{total}"}
    assert _changed(before, after, "Attendance") == expected
    assert after[("Attendance", f"E{ra}")] == len(c.missed)
    assert after[("Attendance", f"I{ra}")] == c.day.isoformat()

    # Per diem: the reference per diems of the stays the actuals describe.
    stays = planned_stays(visit, c.plan)
    actual_stays = dict(stays)
    actual_stays[absent] = replace(stays[absent], days_out=frozenset({c.day}))
    actual_stays[late] = replace(stays[late], travel_out=c.arrival)
    was = {(d.delegate_id, d.date): d for d in per_diem_days(visit, stays)}
    now = {(d.delegate_id, d.date): d for d in per_diem_days(visit, actual_stays)}
    assert was, "the Vidzeme seed has per diems"
    expected = set()
    for key, day in was.items():
        r = row_of(before, "Per diem", A=key[0], C=_excel(key[1]))
        new = now.get(key)
        assert cents(after.get(("Per diem", f"J{r}"))) == (new.amount if new else 0)
        if _meals(new) != _meals(day):
            expected.add(f"I{r}")
        if new is None or new.amount != day.amount:
            expected |= {f"J{r}", f"K{r}"}
        if new is None:
            expected.add(f"L{r}")
    assert set(now) <= set(was)
    total = row_of(before, "Per diem", A="total")
    expected |= {f"J{total}", f"K{total}"}
    assert _changed(before, after, "Per diem") == expected
    per_diem_delta = sum(d.amount for d in now.values()) - sum(d.amount for d in was.values())
    assert per_diem_delta < 0

    # Per delegate: the no-show day; the late journey's date, days and nights.
    ra, rl = row_of(before, "Per delegate", A=absent), row_of(before, "Per delegate", A=late)
    total = row_of(before, "Per delegate", A="total")
    expected = {f"L{ra}", f"N{ra}", f"O{ra}"} | {f"{col}{rl}" for col in "GIJNO"}
    expected |= {f"{col}{total}" for col in "IJLNO"}
    assert _changed(before, after, "Per delegate") == expected
    assert after[("Per delegate", f"I{rl}")] == before[("Per delegate", f"E{rl}")] - 1
    assert after[("Per delegate", f"J{rl}")] == before[("Per delegate", f"F{rl}")] - 1

    # Costs: per-person day and night lines lose one unit; per diems change; the total.
    expected, line_delta, eligible_delta = set(), D(0), D(0)
    for line in visit.costs:
        r = row_of(before, "Costs", A=line.id)
        if line.basis in ("per_person_day", "per_person_night"):
            rate = visit.rate(line.currency or visit.currency)
            quantity = costs.quantity(visit, line.basis) - 1
            amount = round_cents(line.amount * rate * quantity)
            assert after[("Costs", f"K{r}")] == quantity
            assert cents(after[("Costs", f"L{r}")]) == amount
            delta = amount - costs.line_amount(visit, line).amount
            line_delta += delta
            eligible_delta += delta if line.eligible else 0
            expected |= {f"K{r}", f"L{r}", f"M{r}"}
    r = row_of(before, "Costs", A="per_diem.csv")
    total = row_of(before, "Costs", A="total")
    expected |= {f"L{r}", f"M{r}", f"L{total}", f"M{total}"}
    assert _changed(before, after, "Costs") == expected

    # Summary: rule 9 on the changed totals.
    planned = costs.compute_costs(visit, per_diem_days(visit, stays))
    total_cost = planned.total_cost + line_delta + per_diem_delta
    eligible = planned.eligible + eligible_delta + per_diem_delta
    grant = eligible - round_cents(eligible * planned.cofinancing_rate)
    figures = names(changed_path)
    assert cents(figures["actual_total_cost"]) == total_cost
    assert cents(figures["actual_eligible"]) == eligible
    assert cents(figures["actual_grant_share"]) == grant
    assert cents(figures["actual_cofinancing"]) == total_cost - grant
    assert cents(figures["actual_per_diem_total"]) == planned.per_diem_total + per_diem_delta
    assert figures["actual_attendances"] == len(c.plan.assignments) - len(c.missed)
    assert cents(figures["planned_total_cost"]) == planned.total_cost
    moved = [
        "total cost",
        "eligible costs",
        "applicant's share of eligible",
        "grant share",
        "co-financing",
        "budget remaining",
        "per diems",
        "attendances",
        "delegate trip days",
        "delegate nights",
        "no-show days",
    ]
    rows = [row_of(before, "Summary", A=label) for label in moved]
    expected = {f"{col}{r}" for r in rows for col in "CD"}
    expected.add(f"B{row_of(before, 'Summary', A='actuals from')}")  # the file's name
    assert _changed(before, after, "Summary") == expected


def test_every_difference_is_listed_with_its_cost_effect(workbooks):
    c, _, (comparison, path) = workbooks
    cells = cached(path)
    rows = {}
    r = 2
    while cells.get(("Differences", f"A{r}")) not in (None, "total"):
        rows.setdefault(cells[("Differences", f"A{r}")], []).append(
            (cells.get(("Differences", f"D{r}")), cells[("Differences", f"E{r}")])
        )
        r += 1
    assert {s for s, _ in rows[c.absent] if s} == set(c.missed)
    assert any("no-show day" in change for _, change in rows[c.absent])
    assert any(change.startswith("travelled out on") for _, change in rows[c.late])
    assert set(rows) == {c.absent, c.late}
    figures = names(path)
    effect = cents(cells[("Differences", f"F{r}")])
    assert effect == cents(figures["actual_total_cost"]) - cents(figures["planned_total_cost"])


def test_a_delegate_who_never_came_leaves_the_per_person_lines(workbooks, tmp_path):
    c, (_, planned_path), _ = workbooks
    gone = c.visit.delegates[2].id
    rows = [f"{gone},{a.session_id},no,," for a in c.plan.assignments if a.delegate_id == gone]
    comparison, path = run(c.visit, c.plan, HEADER + "\n".join(rows) + "\n", tmp_path, "gone")
    (person,) = [p for p in comparison.people if p.delegate_id == gone]
    assert not person.travelled and person.attended == ()
    before, after = cached(planned_path), cached(path)
    delegate = c.visit.delegate(gone)
    own = {
        "per_person": 1,
        "per_person_day": costs.trip_days(c.visit, delegate),
        "per_person_night": costs.nights(c.visit, delegate),
    }
    for line in c.visit.costs:
        r = row_of(before, "Costs", A=line.id)
        expected = before[("Costs", f"I{r}")] - own.get(line.basis, 0)
        assert after[("Costs", f"K{r}")] == expected, line.id
    assert cents(names(path)["actual_per_diem_total"]) == cents(
        names(planned_path)["planned_per_diem_total"]
    ) - sum(d.amount for d in comparison.planned.per_diems if d.delegate_id == gone)


def test_travel_dates_keep_a_delegate_who_attended_nothing_on_the_trip(workbooks, tmp_path):
    c, _, _ = workbooks
    who = c.visit.delegates[2].id
    mine = [a for a in c.plan.assignments if a.delegate_id == who]
    rows = [f"{who},{a.session_id},no,," for a in mine]
    rows.append(f"{who},,,{c.visit.depart_day},{c.visit.return_day}")
    comparison, _ = run(c.visit, c.plan, HEADER + "\n".join(rows) + "\n", tmp_path, "ill")
    (person,) = [p for p in comparison.people if p.delegate_id == who]
    assert person.travelled
    assert person.no_show_days == tuple(sorted({a.date for a in mine}))


def test_an_added_session_counts_as_attended(workbooks, tmp_path):
    c, _, _ = workbooks
    who = c.absent
    mine = {a.session_id for a in c.plan.assignments if a.delegate_id == who}
    other = next(s for s in c.plan.sorted().sessions if s.session_id not in mine)
    text = no_show_and_late_csv(c) + f"{who},{other.session_id},yes,,\n"
    comparison, path = run(c.visit, c.plan, text, tmp_path, "added")
    (person,) = [p for p in comparison.people if p.delegate_id == who]
    assert person.added == (other.session_id,)
    assert person.no_show_days == ((c.day,) if other.date != c.day else ())
    assert comparison.actual_attendances == len(c.plan.assignments) - len(c.missed) + 1
    cells = cached(path)
    r = row_of(cells, "Sessions", A=who, E=other.session_id)
    assert [cells.get(("Sessions", f"{col}{r}")) for col in "GHIJK"] == [0, 1, 0, 1, "added"]


def _excel(on: date) -> datetime:
    """A date as openpyxl reads a date cell back."""
    return datetime.combine(on, datetime.min.time())
