"""actuals.xlsx: planned against actual, with live formulas and their values.

Sheets: ``Summary`` (rule 9's totals planned and actual: total cost, eligible and
ineligible, grant share, co-financing, budget remaining; per diems, attendances, days
and nights), ``Attendance`` (per delegate: sessions planned, attended, missing,
added; then the walk-ins), ``Sessions`` (one row per delegate and session planned or
attended), ``Costs`` (each cost line's quantity and amount, planned and actual, then
the per diems), ``Per delegate`` (journeys, days, nights, no-show days, per diems),
``Per diem`` (each delegate-day's per diem, planned and actual) and ``Differences``
(every difference with its cost effect).  The workbook names listed in
:data:`NAMES` point at the Summary cells the final report reads.

The sums and rule 9's arithmetic are formulas; every one stores the value
:mod:`visitplan.costs` and :mod:`visitplan.per_diem` compute, so a viewer that never
recalculates shows the same figures as one that does.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path

from visitplan import costs
from visitplan.costs import CostSummary
from visitplan.folders import replace_file

from .book import Book, Sheet, cells, quoted
from .compare import Comparison
from .differences import Difference, differences

SUMMARY, ATTENDANCE, SESSIONS = "Summary", "Attendance", "Sessions"
COSTS, PER_DELEGATE, PER_DIEM, DIFFERENCES = "Costs", "Per delegate", "Per diem", "Differences"

# Summary: label in A, planned in B, actual in C, difference in D, rule in E.
ROW_TOTAL, ROW_ELIGIBLE, ROW_INELIGIBLE, ROW_RATE, ROW_APPLICANT = 2, 3, 4, 5, 6
ROW_GRANT, ROW_COFINANCING, ROW_BUDGET, ROW_REMAINING, ROW_PER_DIEMS = 7, 8, 9, 10, 11
ROW_ATTENDANCES, ROW_TRAVELLED, ROW_DAYS, ROW_NIGHTS, ROW_NO_SHOW = 12, 13, 14, 15, 16
ROW_ABOUT = 18

NAMES = {
    "total_cost": ROW_TOTAL,
    "eligible": ROW_ELIGIBLE,
    "ineligible": ROW_INELIGIBLE,
    "grant_share": ROW_GRANT,
    "cofinancing": ROW_COFINANCING,
    "per_diem_total": ROW_PER_DIEMS,
    "attendances": ROW_ATTENDANCES,
}
"""Each figure is named ``planned_<key>`` (column B) and ``actual_<key>`` (column C);
with a budget total, ``planned_budget_remaining`` and ``actual_budget_remaining`` too."""


def write(comparison: Comparison, path: Path) -> None:
    """Write actuals.xlsx to ``path`` whole or not at all (a file beside it, then renamed);
    the same comparison gives the same bytes."""
    replace_file(Path(path), workbook_bytes(comparison))


def workbook_bytes(comparison: Comparison) -> bytes:
    buffer = io.BytesIO()
    visit = comparison.visit
    book = Book(buffer, visit.currency)
    summary, attendance_sheet = book.sheet(SUMMARY), book.sheet(ATTENDANCE)
    sessions, cost_sheet = book.sheet(SESSIONS), book.sheet(COSTS)
    per_delegate, per_diem, diff_sheet = (
        book.sheet(PER_DELEGATE),
        book.sheet(PER_DIEM),
        book.sheet(DIFFERENCES),
    )
    layout = _Layout()
    _sessions(sessions, comparison, layout)
    _per_diem(per_diem, comparison, layout)
    _per_delegate(per_delegate, comparison, layout)
    _attendance(attendance_sheet, comparison, layout)
    _costs(cost_sheet, comparison, layout)
    _summary(summary, book, comparison, layout)
    _differences(diff_sheet, differences(comparison))
    book.workbook.set_calc_mode("auto")
    book.workbook.set_properties(
        {
            "title": f"Actuals: {visit.title}",
            "author": "visitplan",
            "created": datetime.combine(visit.first_day, time()),
        }
    )
    book.workbook.close()
    return buffer.getvalue()


@dataclass
class _Layout:
    """Where the cells other sheets refer to ended up."""

    session_blocks: dict[str, tuple[int, int]] | None = None
    session_total: int = 0
    per_diem_blocks: dict[str, tuple[int, int]] | None = None
    per_diem_total: int | None = None
    delegate_rows: tuple[int, ...] = ()
    delegate_total: int = 0
    line_rows: tuple[int, ...] = ()
    cost_total: int = 0


def _sum_block(sheet: str, column: str, block: tuple[int, int] | None) -> str | None:
    if block is None:
        return None
    return f"=SUM({cells(sheet, column, *block)})"


# -- Sessions -------------------------------------------------------------------


def _sessions(ws: Sheet, comparison: Comparison, layout: _Layout) -> None:
    ws.header(
        1,
        (
            "delegate_id",
            "name",
            "date",
            "start",
            "session_id",
            "session",
            "planned",
            "attended",
            "missing",
            "added",
            "status",
        ),
    )
    held = comparison.sessions
    titles = {s.id: s.title for s in comparison.visit.sessions}
    row = 2
    blocks = {}
    totals = [0, 0, 0, 0]
    for person in comparison.people:
        ids = sorted(
            set(person.planned) | set(person.attended),
            key=lambda s: (held[s].date, held[s].start, s),
        )
        if not ids:
            continue
        blocks[person.delegate_id] = (row, row + len(ids) - 1)
        for session_id in ids:
            session = held[session_id]
            planned, attended = (
                int(session_id in person.planned),
                int(session_id in person.attended),
            )
            missing, added = int(planned and not attended), int(attended and not planned)
            status = "missed" if missing else "added" if added else "as planned"
            ws.text(f"A{row}", person.delegate_id)
            ws.text(f"B{row}", person.name)
            ws.date(f"C{row}", session.date)
            ws.text(f"D{row}", f"{session.start:%H:%M}")
            ws.text(f"E{row}", session_id)
            ws.text(f"F{row}", titles.get(session_id, ""))
            ws.number(f"G{row}", planned)
            ws.number(f"H{row}", attended)
            ws.formula(f"I{row}", f"=IF(AND(G{row}=1,H{row}=0),1,0)", missing)
            ws.formula(f"J{row}", f"=IF(AND(G{row}=0,H{row}=1),1,0)", added)
            ws.text(f"K{row}", status)
            for i, value in enumerate((planned, attended, missing, added)):
                totals[i] += value
            row += 1
    ws.text(f"A{row}", "total", "bold")
    for column, value in zip("GHIJ", totals, strict=True):
        if row > 2:
            ws.formula(f"{column}{row}", f"=SUM({column}2:{column}{row - 1})", value)
        else:
            ws.number(f"{column}{row}", value)
    layout.session_blocks, layout.session_total = blocks, row
    ws.ws.freeze_panes(1, 2)
    ws.widths(12, 26, 11, 7, 12, 50, 8, 8, 8, 8, 11)


# -- Per diem ---------------------------------------------------------------------


def _per_diem(ws: Sheet, comparison: Comparison, layout: _Layout) -> None:
    currency = comparison.visit.currency
    ws.header(
        1,
        (
            "delegate_id",
            "name",
            "date",
            "zone",
            "rate",
            "currency",
            "meals planned",
            f"planned ({currency})",
            "meals actual",
            f"actual ({currency})",
            "difference",
            "note",
        ),
    )
    row = 2
    blocks = {}
    total_planned = total_actual = Decimal(0)
    for person in comparison.people:
        planned = comparison.planned.days_of.get(person.delegate_id, {})
        actual = comparison.actual.days_of.get(person.delegate_id, {})
        dates = sorted(planned.keys() | actual.keys())
        if not dates:
            continue
        blocks[person.delegate_id] = (row, row + len(dates) - 1)
        for on in dates:
            before, after = planned.get(on), actual.get(on)
            day = after or before
            ws.text(f"A{row}", person.delegate_id)
            ws.text(f"B{row}", person.name)
            ws.date(f"C{row}", on)
            ws.text(f"D{row}", day.zone)
            ws.number(f"E{row}", day.rate, "rate")
            ws.text(f"F{row}", day.currency)
            was = now = Decimal(0)
            if before is not None:
                ws.text(f"G{row}", ", ".join(before.meals))
                ws.number(f"H{row}", before.amount, "money")
                was = before.amount
            if after is not None:
                ws.text(f"I{row}", ", ".join(after.meals))
                ws.number(f"J{row}", after.amount, "money")
                now = after.amount
            ws.formula(f"K{row}", f"=J{row}-H{row}", now - was, "money")
            if on in person.no_show_days:
                ws.text(f"L{row}", "no-show day")
            elif after is None:
                ws.text(f"L{row}", "not a day of the actual journey")
            total_planned += was
            total_actual += now
            row += 1
    layout.per_diem_blocks = blocks
    if row > 2:
        ws.text(f"A{row}", "total", "bold")
        ws.formula(f"H{row}", f"=SUM(H2:H{row - 1})", total_planned, "bold money")
        ws.formula(f"J{row}", f"=SUM(J2:J{row - 1})", total_actual, "bold money")
        ws.formula(f"K{row}", f"=SUM(K2:K{row - 1})", total_actual - total_planned, "bold money")
        layout.per_diem_total = row
    else:
        ws.text("A2", "no per diems: the visit has no per_diem.csv")
    ws.ws.freeze_panes(1, 2)
    ws.widths(12, 26, 11, 10, 10, 9, 22, 14, 22, 14, 12, 28)


# -- Per delegate -----------------------------------------------------------------


def _per_delegate(ws: Sheet, comparison: Comparison, layout: _Layout) -> None:
    ws.header(
        1,
        (
            "delegate_id",
            "name",
            "planned out",
            "planned home",
            "planned days",
            "planned nights",
            "actual out",
            "actual home",
            "actual days",
            "actual nights",
            "travelled",
            "no-show days",
            "planned per diem",
            "actual per diem",
            "per diem difference",
        ),
    )
    planned_shares, actual_shares = comparison.planned.shares, comparison.actual.shares
    rows = tuple(range(2, 2 + len(comparison.people)))
    totals = [Decimal(0)] * 9
    blocks = layout.per_diem_blocks or {}
    for row, person in zip(rows, comparison.people, strict=True):
        planned = planned_shares[person.delegate_id]
        actual = actual_shares.get(person.delegate_id)
        days, nights = (actual.trip_days, actual.nights) if actual else (0, 0)
        was = comparison.planned.per_diem_of(person.delegate_id)
        now = comparison.actual.per_diem_of(person.delegate_id)
        ws.text(f"A{row}", person.delegate_id)
        ws.text(f"B{row}", person.name)
        ws.date(f"C{row}", person.planned_out)
        ws.date(f"D{row}", person.planned_home)
        ws.formula(f"E{row}", f"=D{row}-C{row}+1", planned.trip_days)
        ws.formula(f"F{row}", f"=E{row}-1", planned.nights)
        ws.date(f"G{row}", person.actual_out)
        ws.date(f"H{row}", person.actual_home)
        ws.formula(f"I{row}", f'=IF(G{row}="",0,H{row}-G{row}+1)', days)
        ws.formula(f"J{row}", f"=IF(I{row}=0,0,I{row}-1)", nights)
        ws.formula(f"K{row}", f"=IF(I{row}>0,1,0)", int(person.travelled))
        ws.number(f"L{row}", len(person.no_show_days))
        block = blocks.get(person.delegate_id)
        for column, source, value in (("M", "H", was), ("N", "J", now)):
            formula = _sum_block(PER_DIEM, source, block)
            if formula is None:
                ws.number(f"{column}{row}", value, "money")
            else:
                ws.formula(f"{column}{row}", formula, value, "money")
        ws.formula(f"O{row}", f"=N{row}-M{row}", now - was, "money")
        values = (
            planned.trip_days,
            planned.nights,
            days,
            nights,
            int(person.travelled),
            len(person.no_show_days),
            was,
            now,
            now - was,
        )
        totals = [t + v for t, v in zip(totals, values, strict=True)]
    row = (rows[-1] if rows else 1) + 1
    ws.text(f"A{row}", "total", "bold")
    for column, value in zip("EFIJKLMNO", totals, strict=True):
        style = "bold money" if column in "MNO" else "bold"
        if rows:
            ws.formula(f"{column}{row}", f"=SUM({column}2:{column}{row - 1})", value, style)
        else:
            ws.number(f"{column}{row}", value, style)
    ws.text(f"A{row + 2}", "a delegate who did not travel has no actual journey: 0 days, 0 nights")
    layout.delegate_rows, layout.delegate_total = rows, row
    ws.ws.freeze_panes(1, 2)
    ws.widths(12, 26, *(11,) * 4, 9, 11, 11, *(8,) * 4, 16, 16, 16)


# -- Attendance -------------------------------------------------------------------


def _attendance(ws: Sheet, comparison: Comparison, layout: _Layout) -> None:
    ws.header(
        1,
        (
            "delegate_id",
            "name",
            "planned",
            "attended",
            "missing",
            "added",
            "sessions missing",
            "sessions added",
            "no-show days",
            "journey",
        ),
    )
    blocks = layout.session_blocks or {}
    row = 2
    for person in comparison.people:
        ws.text(f"A{row}", person.delegate_id)
        ws.text(f"B{row}", person.name)
        values = (len(person.planned), len(person.attended), len(person.missing), len(person.added))
        block = blocks.get(person.delegate_id)
        for column, source, value in zip("CDEF", "GHIJ", values, strict=True):
            formula = _sum_block(SESSIONS, source, block)
            if formula is None:
                ws.number(f"{column}{row}", value)
            else:
                ws.formula(f"{column}{row}", formula, value)
        ws.text(f"G{row}", "; ".join(person.missing))
        ws.text(f"H{row}", "; ".join(person.added))
        ws.text(f"I{row}", "; ".join(on.isoformat() for on in person.no_show_days))
        ws.text(f"J{row}", _journey(person))
        row += 1
    ws.text(f"A{row}", "total", "bold")
    total = layout.session_total
    for column, source in zip("CDEF", "GHIJ", strict=True):
        value = sum(
            len(getattr(p, attribute))
            for p in comparison.people
            for attribute in [
                {"C": "planned", "D": "attended", "E": "missing", "F": "added"}[column]
            ]
        )
        ws.formula(f"{column}{row}", f"={quoted(SESSIONS)}!${source}${total}", value, "bold")
    row += 2
    ws.text(f"A{row}", "walk-ins who are no delegate of the visit", "bold")
    if not comparison.walk_ins:
        ws.text(f"A{row + 1}", "none")
    for offset, walk_in in enumerate(comparison.walk_ins, start=1):
        ws.text(f"A{row + offset}", walk_in.name)
        ws.date(f"C{row + offset}", walk_in.date)
        ws.text(f"D{row + offset}", "; ".join(walk_in.session_ids))
        ws.text(f"G{row + offset}", f"{walk_in.file} row {walk_in.row}")
    ws.ws.freeze_panes(1, 2)
    ws.widths(12, 26, 9, 9, 9, 9, 30, 30, 24, 40)


def _journey(person) -> str:
    if not person.travelled:
        return "did not travel"
    if (person.actual_out, person.actual_home) == (person.planned_out, person.planned_home):
        return "as planned"
    return f"{person.actual_out}..{person.actual_home} (planned {person.planned_out}..{person.planned_home})"


# -- Costs ------------------------------------------------------------------------


def _costs(ws: Sheet, comparison: Comparison, layout: _Layout) -> None:
    visit = comparison.visit
    currency = visit.currency
    ws.header(
        1,
        (
            "id",
            "category",
            "description",
            "basis",
            "unit amount",
            "currency",
            "rate",
            "eligible",
            "planned quantity",
            f"planned ({currency})",
            "actual quantity",
            f"actual ({currency})",
            "difference",
        ),
    )
    planned, actual = comparison.planned.summary, comparison.actual.summary
    rows = layout.delegate_rows
    sums = {
        "per_person": (("COUNTA", "A"), ("SUM", "K")),
        "per_person_day": (("SUM", "E"), ("SUM", "I")),
        "per_person_night": (("SUM", "F"), ("SUM", "J")),
    }
    line_rows = tuple(range(2, 2 + len(visit.costs)))
    for row, was, now in zip(line_rows, planned.lines, actual.lines, strict=True):
        line = was.line
        ws.text(f"A{row}", line.id)
        ws.text(f"B{row}", line.category)
        ws.text(f"C{row}", line.description)
        ws.text(f"D{row}", line.basis)
        ws.number(f"E{row}", line.amount, "rate")
        ws.text(f"F{row}", line.currency or currency)
        ws.number(f"G{row}", was.rate, "rate")
        ws.text(f"H{row}", "yes" if line.eligible else "no")
        for quantity_column, amount_column, amount, side in (
            ("I", "J", was, 0),
            ("K", "L", now, 1),
        ):
            if line.basis in sums and rows:
                function, column = sums[line.basis][side]
                source = cells(PER_DELEGATE, column, rows[0], rows[-1])
                ws.formula(f"{quantity_column}{row}", f"={function}({source})", amount.quantity)
            else:
                ws.number(f"{quantity_column}{row}", amount.quantity)
            formula = f"=ROUND(E{row}*G{row}*{quantity_column}{row},2)"
            ws.formula(f"{amount_column}{row}", formula, amount.amount, "money")
        ws.formula(f"M{row}", f"=L{row}-J{row}", now.amount - was.amount, "money")
    row = (line_rows[-1] if line_rows else 1) + 1
    ws.text(f"A{row}", "per_diem.csv")
    ws.text(f"B{row}", costs.PER_DIEM)
    ws.text(f"C{row}", "per diems, less the meals provided (sheet 'Per diem')")
    ws.text(f"H{row}", "yes")
    for column, source, value in (
        ("J", "H", planned.per_diem_total),
        ("L", "J", actual.per_diem_total),
    ):
        if layout.per_diem_total is None:
            ws.number(f"{column}{row}", value, "money")
        else:
            ws.formula(
                f"{column}{row}",
                f"={quoted(PER_DIEM)}!${source}${layout.per_diem_total}",
                value,
                "money",
            )
    ws.formula(
        f"M{row}", f"=L{row}-J{row}", actual.per_diem_total - planned.per_diem_total, "money"
    )
    layout.line_rows = line_rows
    total = row + 1
    ws.text(f"A{total}", "total", "bold")
    for column, value in (
        ("J", planned.total_cost),
        ("L", actual.total_cost),
        ("M", actual.total_cost - planned.total_cost),
    ):
        ws.formula(
            f"{column}{total}", f"=ROUND(SUM({column}2:{column}{row}),2)", value, "bold money"
        )
    layout.cost_total = total
    ws.ws.freeze_panes(1, 1)
    ws.widths(12, 14, 40, 17, 12, 9, 10, 8, 10, 16, 10, 16, 14)


# -- Summary ----------------------------------------------------------------------


def _summary(ws: Sheet, book: Book, comparison: Comparison, layout: _Layout) -> None:
    visit = comparison.visit
    planned, actual = comparison.planned.summary, comparison.actual.summary
    ws.header(
        1,
        ("item", f"planned ({visit.currency})", f"actual ({visit.currency})", "difference", "rule"),
    )
    lines = layout.line_rows
    people = comparison.people

    def eligible(column: str) -> str:
        per_diem = f"{quoted(COSTS)}!${column}${layout.cost_total - 1}"
        if not lines:
            return f"=ROUND({per_diem},2)"
        flags = cells(COSTS, "H", lines[0], lines[-1])
        amounts = cells(COSTS, column, lines[0], lines[-1])
        return f'=ROUND(SUMIF({flags},"yes",{amounts})+{per_diem},2)'

    def side(
        summary: CostSummary, column: str, source: str
    ) -> dict[int, tuple[str | None, object]]:
        c = column
        figures = {
            ROW_TOTAL: (f"={quoted(COSTS)}!${source}${layout.cost_total}", summary.total_cost),
            ROW_ELIGIBLE: (eligible(source), summary.eligible),
            ROW_INELIGIBLE: (
                f"={c}{ROW_TOTAL}-{c}{ROW_ELIGIBLE}",
                summary.total_cost - summary.eligible,
            ),
            ROW_RATE: (None, summary.cofinancing_rate),
            ROW_APPLICANT: (
                f"=ROUND({c}{ROW_ELIGIBLE}*{c}{ROW_RATE},2)",
                summary.eligible - summary.grant_share,
            ),
            ROW_GRANT: (f"=ROUND({c}{ROW_ELIGIBLE}-{c}{ROW_APPLICANT},2)", summary.grant_share),
            ROW_COFINANCING: (f"=ROUND({c}{ROW_TOTAL}-{c}{ROW_GRANT},2)", summary.cofinancing),
            ROW_PER_DIEMS: (
                f"={quoted(COSTS)}!${source}${layout.cost_total - 1}",
                summary.per_diem_total,
            ),
        }
        if summary.budget_total is not None:
            figures[ROW_BUDGET] = (None, summary.budget_total)
            figures[ROW_REMAINING] = (f"={c}{ROW_BUDGET}-{c}{ROW_TOTAL}", summary.budget_remaining)
        return figures

    total_people = f"{layout.delegate_total}"
    counts = {
        ROW_ATTENDANCES: (
            (f"={quoted(SESSIONS)}!$G${layout.session_total}", comparison.planned_attendances),
            (f"={quoted(SESSIONS)}!$H${layout.session_total}", comparison.actual_attendances),
        ),
        ROW_TRAVELLED: (
            (
                f"=COUNTA({cells(PER_DELEGATE, 'A', 2, layout.delegate_total - 1)})"
                if people
                else None,
                len(people),
            ),
            (f"={quoted(PER_DELEGATE)}!$K${total_people}", sum(p.travelled for p in people)),
        ),
        ROW_DAYS: (
            (f"={quoted(PER_DELEGATE)}!$E${total_people}", costs.quantity(visit, "per_person_day")),
            (
                f"={quoted(PER_DELEGATE)}!$I${total_people}",
                costs.quantity(comparison.actual.visit, "per_person_day"),
            ),
        ),
        ROW_NIGHTS: (
            (
                f"={quoted(PER_DELEGATE)}!$F${total_people}",
                costs.quantity(visit, "per_person_night"),
            ),
            (
                f"={quoted(PER_DELEGATE)}!$J${total_people}",
                costs.quantity(comparison.actual.visit, "per_person_night"),
            ),
        ),
        ROW_NO_SHOW: (
            (None, 0),
            (
                f"={quoted(PER_DELEGATE)}!$L${total_people}",
                sum(len(p.no_show_days) for p in people),
            ),
        ),
    }
    labels = {
        ROW_TOTAL: ("total cost", "Σ cost lines + per diems"),
        ROW_ELIGIBLE: ("eligible costs", "Σ eligible cost lines + per diems"),
        ROW_INELIGIBLE: ("ineligible costs", "total cost − eligible"),
        ROW_RATE: ("co-financing rate", "[budget] cofinancing_rate"),
        ROW_APPLICANT: ("applicant's share of eligible", "ROUND(eligible × co-financing rate, 2)"),
        ROW_GRANT: ("grant share", "eligible − applicant's share of eligible"),
        ROW_COFINANCING: ("co-financing", "total cost − grant share"),
        ROW_BUDGET: ("budget total", "[budget] total"),
        ROW_REMAINING: ("budget remaining", "budget total − total cost"),
        ROW_PER_DIEMS: ("per diems", "Σ per diems (sheet 'Per diem')"),
        ROW_ATTENDANCES: ("attendances", "delegate × session (sheet 'Sessions')"),
        ROW_TRAVELLED: (
            "delegates travelling",
            "a delegate who attended nothing and gave no dates did not",
        ),
        ROW_DAYS: ("delegate trip days", "Σ (travel_home − travel_out + 1)"),
        ROW_NIGHTS: ("delegate nights", "Σ (trip days − 1)"),
        ROW_NO_SHOW: (
            "no-show days",
            "planned at a session that day, present at none: no per diem",
        ),
    }
    planned_figures = side(planned, "B", "J")
    actual_figures = side(actual, "C", "L")
    for row, (label, rule) in labels.items():
        if row in counts:
            pairs = counts[row]
            style = "count"
        elif row in planned_figures:
            pairs = (planned_figures[row], actual_figures[row])
            style = "percent" if row == ROW_RATE else "money"
        else:
            continue  # the budget's rows, without a budget total
        ws.text(f"A{row}", label, "bold" if row in NAMES.values() else "")
        ws.text(f"E{row}", rule)
        for column, (formula, value) in zip("BC", pairs, strict=True):
            if formula is None:
                ws.number(f"{column}{row}", value, style)
            else:
                ws.formula(f"{column}{row}", formula, value, style)
        if row != ROW_RATE:
            ws.formula(f"D{row}", f"=C{row}-B{row}", pairs[1][1] - pairs[0][1], style)
    for key, row in NAMES.items():
        book.name(f"planned_{key}", SUMMARY, f"B{row}")
        book.name(f"actual_{key}", SUMMARY, f"C{row}")
    if planned.budget_total is not None:
        book.name("planned_budget_remaining", SUMMARY, f"B{ROW_REMAINING}")
        book.name("actual_budget_remaining", SUMMARY, f"C{ROW_REMAINING}")
    ws.text(f"A{ROW_ABOUT}", "visit")
    ws.text(f"B{ROW_ABOUT}", visit.title)
    ws.text(f"A{ROW_ABOUT + 1}", "actuals from")
    ws.text(f"B{ROW_ABOUT + 1}", comparison.file)
    ws.text(
        f"A{ROW_ABOUT + 2}",
        "actual costs are rule 9 counted with the actual journeys and attendance; "
        "see 'Differences' for each change",
    )
    ws.ws.freeze_panes(1, 1)
    ws.widths(30, 18, 18, 16, 60)


# -- Differences -------------------------------------------------------------------


def _differences(ws: Sheet, rows: tuple[Difference, ...]) -> None:
    ws.header(1, ("delegate_id", "name", "date", "session_id", "what changed", "cost effect"))
    row = 1
    for row, difference in enumerate(rows, start=2):
        ws.text(f"A{row}", difference.delegate_id)
        ws.text(f"B{row}", difference.name)
        ws.date(f"C{row}", difference.date)
        ws.text(f"D{row}", difference.session_id)
        ws.text(f"E{row}", difference.change)
        ws.number(f"F{row}", difference.effect, "money")
    total = row + 1
    ws.text(f"A{total}", "total", "bold")
    effect = sum((d.effect for d in rows), Decimal(0))
    if rows:
        ws.formula(f"F{total}", f"=SUM(F2:F{row})", effect, "bold money")
    else:
        ws.number(f"F{total}", 0, "bold money")
        ws.text(f"E{total}", "no differences: everything as planned")
    ws.text(
        f"A{total + 2}",
        "informative: each effect is rounded on its own; the Summary's totals are rule 9's",
    )
    ws.ws.freeze_panes(1, 2)
    ws.widths(12, 26, 11, 12, 60, 14)
