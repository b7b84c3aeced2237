"""costs.xlsx: the cost sheet, computing rule 9 with live formulas and their values.

Sheets: ``Inputs`` (counts, dates, exchange rates, budget), ``Costs`` (one
row per cost line, subtotals by category, the total), ``Budget`` (eligible
costs, grant share, co-financing, what is left) and ``Per delegate`` (each
delegate's travel dates, days and informative share of the per-person lines);
with per_diem.csv also ``Per diems`` (the zone's dated rates, then one row per
delegate and trip day: the rate valid that day looked up from them, the meals
provided as 1/0 inputs, the deduction and the amount), whose total is one eligible
row of Costs. The workbook names ``total_cost``, ``eligible``, ``grant_share``,
``cofinancing``, with a budget total ``budget_remaining``, and with per_diem.csv
``per_diem_total`` point at the Budget and Per diems cells.

Every formula cell also stores its value, taken from :mod:`visitplan.costs`,
so a viewer that never recalculates (a mail or phone preview, pandas, a
script) shows the figures; Excel recalculates on load all the same. Only
XlsxWriter writes a formula together with its value, hence it here.

Input cells are unlocked and filled yellow; every other cell is locked under
sheet protection (no password), so an organiser can try other numbers without
breaking a formula. Text from the input is always written as a string cell,
never as a formula, whatever it starts with, and without control characters.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_cell_to_rowcol, xl_col_to_name, xl_pixel_width
from xlsxwriter.worksheet import Worksheet

from visitplan import costs
from visitplan.model import MEALS, Visit
from visitplan.per_diem import PerDiemDay, unplanned_per_diems

INPUTS, COSTS, BUDGET, PER_DELEGATE = "Inputs", "Costs", "Budget", "Per delegate"
PER_DIEMS = "Per diems"
NO_PLAN = "no plan: only hotel breakfasts are deducted"
"""What the Per diems sheet says of its meals when no attendance is given."""

INPUT_COLOUR = "#FFF2CC"
DATE_FORMAT = "yyyy-mm-dd"
RATE_FORMAT = "0.0000##"
COUNT_FORMAT = "0"
PERCENT_FORMAT = "0.00%"
EXCEL_EPOCH = date(1899, 12, 30)
DIGIT_PIXELS = 7
"""Width of a digit in the default font: a column ``width`` characters wide is ``7 × width`` px."""

# Inputs: label in column A, value in column B, on these rows.
ROW_VISIT, ROW_CURRENCY, ROW_DELEGATES = 2, 3, 4
ROW_DEPART, ROW_RETURN, ROW_TRIP_DAYS = 5, 6, 7
ROW_PERSON_DAYS, ROW_PERSON_NIGHTS = 8, 9
ROW_BUDGET_TOTAL, ROW_COFINANCING_RATE = 10, 11
ROW_RATES_HEADER = 13

# Budget: label in column A, value in column B.
ROW_TOTAL_COST, ROW_ELIGIBLE, ROW_RATE, ROW_APPLICANT = 2, 3, 4, 5
ROW_GRANT, ROW_COFINANCING, ROW_BUDGET, ROW_REMAINING = 6, 7, 8, 9

# Costs: the columns of a line row.
COST_HEADERS = (
    "id",
    "category",
    "description",
    "basis",
    "unit amount",
    "currency",
    "rate",
    "quantity",
    "eligible",
    "amount",
)
C_ID, C_CATEGORY, C_DESCRIPTION, C_BASIS, C_UNIT, C_CURRENCY = "ABCDEF"
C_RATE, C_QUANTITY, C_ELIGIBLE, C_AMOUNT = "GHIJ"

# Per delegate: the fixed columns; one share column per per-person line follows.
DELEGATE_HEADERS = ("id", "name", "travel_out", "travel_home", "trip days", "nights")
D_ID, D_NAME, D_OUT, D_HOME, D_DAYS, D_NIGHTS = "ABCDEF"
FIRST_SHARE_COLUMN = 7

CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")
"""Characters dropped from text: XML cannot carry them, or a spreadsheet would show them raw."""


def write(
    visit: Visit,
    path: Path,
    per_diems: Iterable[PerDiemDay] | None = None,
    meals_from: str = "",
) -> None:
    """Write the visit's cost sheet to ``path`` (costs.xlsx).

    Parameters
    ----------
    visit
        The visit; its cost lines, budget, exchange rates and per-diem rates fill the sheet.
    path
        The file to write. The same visit gives the same bytes.
    per_diems
        The per diems per delegate and day (:func:`visitplan.per_diem.per_diem_days`);
        None: the visit's stays without a plan, less hotel breakfasts only.
    meals_from
        Where the meals provided come from, printed on the Per diems sheet (e.g. the
        plan's attendance); without per diems given, the sheet says there was no plan.
    """
    Path(path).write_bytes(workbook_bytes(visit, per_diems, meals_from))


def workbook_bytes(
    visit: Visit, per_diems: Iterable[PerDiemDay] | None = None, meals_from: str = ""
) -> bytes:
    """The cost sheet as the bytes of an .xlsx file, fixed for a given visit.

    Raises
    ------
    ValueError
        When a cost line's currency has no exchange rate (before anything is written).
    """
    if per_diems is None:
        per_diems, meals_from = unplanned_per_diems(visit), NO_PLAN
    days = tuple(per_diems)
    summary = costs.compute_costs(visit, days)  # every currency needs a rate: fail first
    buffer = io.BytesIO()
    # in_memory: XlsxWriter then stamps every zip member 1980-01-01, not the clock.
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
        },
    )
    book = _Book(workbook)
    inputs, cost_sheet = book.sheet(INPUTS), book.sheet(COSTS)
    budget, per_delegate = book.sheet(BUDGET), book.sheet(PER_DELEGATE)

    delegate_rows = tuple(range(2, 2 + len(visit.delegates)))
    line_rows = tuple(range(2, 2 + len(visit.costs)))
    per_diem_row = 2 + len(visit.costs) if visit.per_diem_rates else None
    rate_cells = _write_inputs(inputs, visit, delegate_rows)
    per_diem_cells = None
    if per_diem_row is not None:
        per_diem_cells = _write_per_diems(
            book.sheet(PER_DIEMS), workbook, visit, days, meals_from, rate_cells
        )
    total_cell = _write_costs(
        cost_sheet, visit, summary, line_rows, rate_cells, per_diem_row, per_diem_cells
    )
    summed = line_rows + ((per_diem_row,) if per_diem_row is not None else ())
    layout = _Layout(delegate_rows, line_rows, rate_cells, total_cell, summed)
    _write_budget(budget, workbook, visit, summary, layout)
    _write_per_delegate(per_delegate, visit, layout)

    for sheet in book.sheets:
        sheet.protect()
    workbook.set_calc_mode("auto")  # with fullCalcOnLoad: Excel recomputes on opening
    workbook.set_properties(
        {
            "title": clean(visit.title),
            "author": "visitplan",
            "created": datetime.combine(visit.first_day, time()),
        }
    )
    workbook.close()
    return buffer.getvalue()


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the cells other sheets refer to ended up."""

    delegate_rows: tuple[int, ...]
    line_rows: tuple[int, ...]
    rate_cells: dict[str, str]
    total_cell: str
    summed_rows: tuple[int, ...]
    """The Costs rows the totals add up: the lines, and the per diems' row."""


@dataclass(frozen=True, slots=True)
class _PerDiemCells:
    """Where the Per diems sheet keeps what Costs refers to."""

    total: str
    dates: str


# -- sheets -------------------------------------------------------------------


def _write_inputs(ws: _Sheet, visit: Visit, delegate_rows: tuple[int, ...]) -> dict[str, str]:
    """Fill Inputs; return the absolute reference of each foreign currency's rate cell."""
    ws.header(1, ("input", "value", "note"))
    ws.text(f"A{ROW_VISIT}", "visit")
    ws.text(f"B{ROW_VISIT}", visit.title)
    ws.text(f"C{ROW_VISIT}", visit.id)
    ws.text(f"A{ROW_CURRENCY}", "currency")
    ws.text(f"B{ROW_CURRENCY}", visit.currency)

    count = _Style(COUNT_FORMAT)
    counts = (
        (ROW_DELEGATES, "delegates", "COUNTA", D_ID, "per_person"),
        (ROW_PERSON_DAYS, "delegate trip days", "SUM", D_DAYS, "per_person_day"),
        (ROW_PERSON_NIGHTS, "delegate nights", "SUM", D_NIGHTS, "per_person_night"),
    )
    for row, label, function, column, basis in counts:
        ws.text(f"A{row}", label)
        value = costs.quantity(visit, basis)
        if delegate_rows:
            cells = _sheet_range(PER_DELEGATE, column, delegate_rows)
            ws.formula(f"B{row}", f"={function}({cells})", value, count)
        else:
            ws.number(f"B{row}", value, count)
    ws.text(f"C{ROW_DELEGATES}", f"rows of '{PER_DELEGATE}'")

    ws.text(f"A{ROW_DEPART}", "depart")
    ws.date(f"B{ROW_DEPART}", visit.depart_day, _Style(DATE_FORMAT, is_input=True))
    ws.text(f"C{ROW_DEPART}", "travel day out")
    ws.text(f"A{ROW_RETURN}", "return")
    ws.date(f"B{ROW_RETURN}", visit.return_day, _Style(DATE_FORMAT, is_input=True))
    ws.text(f"C{ROW_RETURN}", "travel day home")
    ws.text(f"A{ROW_TRIP_DAYS}", "visit trip days")
    trip_days = f"=B{ROW_RETURN}-B{ROW_DEPART}+1"
    ws.formula(f"B{ROW_TRIP_DAYS}", trip_days, costs.visit_trip_days(visit), count)
    ws.text(f"C{ROW_TRIP_DAYS}", "(return − depart) + 1; quantity of per_day lines")
    ws.text(f"C{ROW_PERSON_DAYS}", "Σ over delegates; quantity of per_person_day lines")
    ws.text(f"C{ROW_PERSON_NIGHTS}", "Σ over delegates; quantity of per_person_night lines")

    budget = visit.budget
    ws.text(f"A{ROW_BUDGET_TOTAL}", "budget total")
    total = budget.total if budget is not None else None
    ws.number(f"B{ROW_BUDGET_TOTAL}", total, _Style(_money_format(visit.currency), is_input=True))
    ws.text(f"C{ROW_BUDGET_TOTAL}", "[budget] total")
    ws.text(f"A{ROW_COFINANCING_RATE}", "co-financing rate")
    rate = budget.cofinancing_rate if budget is not None else Decimal(0)
    ws.number(f"B{ROW_COFINANCING_RATE}", rate, _Style(PERCENT_FORMAT, is_input=True))
    ws.text(f"C{ROW_COFINANCING_RATE}", "share of eligible costs paid by the applicant")

    ws.header(ROW_RATES_HEADER, ("currency", f"rate ({visit.currency})", "source", "date"))
    row = ROW_RATES_HEADER + 1
    ws.text(f"A{row}", visit.currency)
    ws.number(f"B{row}", 1, _Style(RATE_FORMAT))
    ws.text(f"C{row}", "the visit's currency")
    note = visit.exchange_note
    rate_cells = {}
    for currency, value in visit.exchange:
        if currency == visit.currency:
            continue
        row += 1
        ws.text(f"A{row}", currency)
        ws.number(f"B{row}", value, _Style(RATE_FORMAT, is_input=True))
        if note is not None:
            ws.text(f"C{row}", note.source)
            if note.date is not None:
                ws.date(f"D{row}", note.date, _Style(DATE_FORMAT))
        rate_cells[currency] = f"{_quote(INPUTS)}!$B${row}"
    row += 2
    ws.number(f"A{row}", None, _Style(is_input=True))
    ws.text(f"B{row}", "input: change it and the sheet recomputes; other cells are locked")

    ws.freeze(1, 0)
    ws.widths({"A": 20, "B": 16, "C": 44, "D": 12})
    return rate_cells


def _write_costs(
    ws: _Sheet,
    visit: Visit,
    summary: costs.CostSummary,
    line_rows: tuple[int, ...],
    rate_cells: dict[str, str],
    per_diem_row: int | None = None,
    per_diem_cells: _PerDiemCells | None = None,
) -> str:
    """Fill Costs; return the absolute reference of the total cell."""
    money = _Style(_money_format(visit.currency))
    ws.header(1, COST_HEADERS[:-1] + (f"amount ({visit.currency})",))
    quantity_cells = {
        "per_person": f"={_quote(INPUTS)}!$B${ROW_DELEGATES}",
        "per_person_day": f"={_quote(INPUTS)}!$B${ROW_PERSON_DAYS}",
        "per_person_night": f"={_quote(INPUTS)}!$B${ROW_PERSON_NIGHTS}",
        "per_day": f"={_quote(INPUTS)}!$B${ROW_TRIP_DAYS}",
    }
    for row, amount in zip(line_rows, summary.lines, strict=True):
        line = amount.line
        currency = line.currency or visit.currency
        ws.text(f"{C_ID}{row}", line.id)
        ws.text(f"{C_CATEGORY}{row}", line.category)
        ws.text(f"{C_DESCRIPTION}{row}", line.description)
        ws.text(f"{C_BASIS}{row}", line.basis)
        ws.number(f"{C_UNIT}{row}", line.amount, _Style(_money_format(currency), is_input=True))
        ws.text(f"{C_CURRENCY}{row}", currency)
        if currency != visit.currency:
            ws.formula(
                f"{C_RATE}{row}", f"={rate_cells[currency]}", amount.rate, _Style(RATE_FORMAT)
            )
        else:
            ws.number(f"{C_RATE}{row}", 1, _Style(RATE_FORMAT))
        if line.basis == "lump_sum":
            ws.number(f"{C_QUANTITY}{row}", 1, _Style(COUNT_FORMAT))
        else:
            quantity = quantity_cells[line.basis]
            ws.formula(f"{C_QUANTITY}{row}", quantity, amount.quantity, _Style(COUNT_FORMAT))
        ws.text(f"{C_ELIGIBLE}{row}", "yes" if line.eligible else "no", _Style(is_input=True))
        formula = f"=ROUND({C_UNIT}{row}*{C_RATE}{row}*{C_QUANTITY}{row},2)"
        ws.formula(f"{C_AMOUNT}{row}", formula, amount.amount, money)

    if per_diem_row is not None and per_diem_cells is not None:
        _write_per_diem_row(ws, visit, summary, per_diem_row, per_diem_cells)
        line_rows = (*line_rows, per_diem_row)
    row = (line_rows[-1] if line_rows else 1) + 2
    amounts = _range(C_AMOUNT, line_rows)
    categories = _range(C_CATEGORY, line_rows)
    for category, subtotal in summary.subtotals:
        ws.text(f"A{row}", "subtotal")
        ws.text(f"{C_CATEGORY}{row}", category)
        formula = f'=ROUND(SUMIF({categories},"{_formula_text(category)}",{amounts}),2)'
        ws.formula(f"{C_AMOUNT}{row}", formula, subtotal, money)
        row += 1
    ws.text(f"A{row}", "total")
    bold_money = _Style(money.number_format, bold=True)
    if line_rows:
        ws.formula(f"{C_AMOUNT}{row}", f"=ROUND(SUM({amounts}),2)", summary.total_cost, bold_money)
    else:
        ws.number(f"{C_AMOUNT}{row}", 0, bold_money)

    ws.freeze(1, 1)
    ws.widths(
        {"A": 14, "B": 16, "C": 40, "D": 18, "E": 16, "F": 10}
        | {"G": 10, "H": 10, "I": 9, "J": 18},
    )
    return f"{_quote(COSTS)}!${C_AMOUNT}${row}"


def _write_budget(
    ws: _Sheet,
    workbook: xlsxwriter.Workbook,
    visit: Visit,
    summary: costs.CostSummary,
    layout: _Layout,
) -> None:
    money = _Style(_money_format(visit.currency))
    ws.header(1, ("item", f"value ({visit.currency})", "rule"))
    rows = layout.summed_rows
    eligible_flags = _sheet_range(COSTS, C_ELIGIBLE, rows)
    amounts = _sheet_range(COSTS, C_AMOUNT, rows)
    eligible = f'=ROUND(SUMIF({eligible_flags},"yes",{amounts}),2)' if rows else None
    applicant = summary.eligible - summary.grant_share
    cells = (
        (ROW_TOTAL_COST, "total cost", f"={layout.total_cell}", summary.total_cost, money),
        (ROW_ELIGIBLE, "eligible costs", eligible, summary.eligible, money),
        (
            ROW_RATE,
            "co-financing rate",
            f"={_quote(INPUTS)}!$B${ROW_COFINANCING_RATE}",
            summary.cofinancing_rate,
            _Style(PERCENT_FORMAT),
        ),
        (
            ROW_APPLICANT,
            "applicant's share of eligible",
            f"=ROUND(B{ROW_ELIGIBLE}*B{ROW_RATE},2)",
            applicant,
            money,
        ),
        (
            ROW_GRANT,
            "grant share",
            f"=ROUND(B{ROW_ELIGIBLE}-B{ROW_APPLICANT},2)",
            summary.grant_share,
            money,
        ),
        (
            ROW_COFINANCING,
            "co-financing",
            f"=ROUND(B{ROW_TOTAL_COST}-B{ROW_GRANT},2)",
            summary.cofinancing,
            money,
        ),
    )
    rules = {
        ROW_TOTAL_COST: "Σ cost lines (and per diems)",
        ROW_ELIGIBLE: "Σ eligible cost lines (and per diems)",
        ROW_RATE: "from Inputs",
        ROW_APPLICANT: "ROUND(eligible × co-financing rate, 2)",
        ROW_GRANT: "eligible − applicant's share of eligible",
        ROW_COFINANCING: "total cost − grant share",
        ROW_BUDGET: "from Inputs",
        ROW_REMAINING: "budget total − total cost",
    }
    names = {
        "total_cost": ROW_TOTAL_COST,
        "eligible": ROW_ELIGIBLE,
        "grant_share": ROW_GRANT,
        "cofinancing": ROW_COFINANCING,
    }
    if summary.budget_total is not None:
        cells += (
            (
                ROW_BUDGET,
                "budget total",
                f"={_quote(INPUTS)}!$B${ROW_BUDGET_TOTAL}",
                summary.budget_total,
                money,
            ),
            (
                ROW_REMAINING,
                "budget remaining",
                f"=B{ROW_BUDGET}-B{ROW_TOTAL_COST}",
                summary.budget_remaining,
                money,
            ),
        )
        names["budget_remaining"] = ROW_REMAINING
    named_rows = set(names.values())
    for row, label, formula, value, style in cells:
        ws.text(f"A{row}", label, _Style(bold=row in named_rows))
        if formula is None:
            ws.number(f"B{row}", value, style)
        else:
            ws.formula(f"B{row}", formula, value, style)
        ws.text(f"C{row}", rules[row])
    for name, row in names.items():
        workbook.define_name(name, f"={_quote(BUDGET)}!$B${row}")

    ws.freeze(1, 0)
    ws.widths({"A": 30, "B": 20, "C": 42})


def _write_per_delegate(ws: _Sheet, visit: Visit, layout: _Layout) -> None:
    money = _Style(_money_format(visit.currency))
    count = _Style(COUNT_FORMAT)
    date_input = _Style(DATE_FORMAT, is_input=True)
    lines = costs.per_person_lines(visit)
    shares = costs.delegate_shares(visit)
    line_row = {line.id: row for line, row in zip(visit.costs, layout.line_rows, strict=True)}
    total_column = FIRST_SHARE_COLUMN + len(lines)
    ws.header(1, DELEGATE_HEADERS)
    bold = _Style(bold=True)
    for offset, line in enumerate(lines):
        ws.text(_ref(FIRST_SHARE_COLUMN + offset, 1), line.id, bold)
    ws.text(_ref(total_column, 1), f"total ({visit.currency})", bold)

    depart = f"={_quote(INPUTS)}!$B${ROW_DEPART}"
    back = f"={_quote(INPUTS)}!$B${ROW_RETURN}"
    own_quantity = {"per_person": "1", "per_person_day": D_DAYS, "per_person_night": D_NIGHTS}
    for row, share in zip(layout.delegate_rows, shares, strict=True):
        delegate = share.delegate
        ws.text(f"{D_ID}{row}", delegate.id)
        ws.text(f"{D_NAME}{row}", delegate.name)
        for column, given, default, value in (
            (D_OUT, delegate.travel_out, depart, share.travel_out),
            (D_HOME, delegate.travel_home, back, share.travel_home),
        ):
            if given is None:
                ws.formula(f"{column}{row}", default, _serial(value), date_input)
            else:
                ws.date(f"{column}{row}", given, date_input)
        ws.formula(f"{D_DAYS}{row}", f"={D_HOME}{row}-{D_OUT}{row}+1", share.trip_days, count)
        ws.formula(f"{D_NIGHTS}{row}", f"={D_DAYS}{row}-1", share.nights, count)
        for offset, (line, (_, amount)) in enumerate(zip(lines, share.amounts, strict=True)):
            source = line_row[line.id]
            quantity = own_quantity[line.basis]
            quantity = quantity if quantity == "1" else f"{quantity}{row}"
            unit = f"{_quote(COSTS)}!${C_UNIT}${source}"
            rate = f"{_quote(COSTS)}!${C_RATE}${source}"
            formula = f"=ROUND({unit}*{rate}*{quantity},2)"
            ws.formula(_ref(FIRST_SHARE_COLUMN + offset, row), formula, amount, money)
        if lines:
            first = xl_col_to_name(FIRST_SHARE_COLUMN - 1)
            last = xl_col_to_name(total_column - 2)
            total = f"=SUM({first}{row}:{last}{row})"
            ws.formula(_ref(total_column, row), total, share.total, money)
        else:
            ws.number(_ref(total_column, row), 0, money)

    if layout.delegate_rows:
        row = layout.delegate_rows[-1] + 1
        ws.text(f"A{row}", "total")
        columns = (
            [sum(s.trip_days for s in shares), sum(s.nights for s in shares)]
            + [sum(s.amounts[i][1] for s in shares) for i in range(len(lines))]
            + [sum(s.total for s in shares)]
        )
        for column, value in enumerate(columns, start=5):
            letter = xl_col_to_name(column - 1)
            style = count if column < FIRST_SHARE_COLUMN else money
            total = f"=SUM({_range(letter, layout.delegate_rows)})"
            ws.formula(f"{letter}{row}", total, value, style)
        ws.text(f"A{row + 2}", "informative: each share is rounded on its own")

    ws.freeze(1, 2)
    widths = {"A": 14, "B": 28, "C": 12, "D": 12, "E": 10, "F": 8}
    for column in range(FIRST_SHARE_COLUMN, total_column + 1):
        widths[xl_col_to_name(column - 1)] = 16
    ws.widths(widths)


def _write_per_diem_row(
    ws: _Sheet, visit: Visit, summary: costs.CostSummary, row: int, cells: _PerDiemCells
) -> None:
    """The per diems as one eligible Costs row, its amount the Per diems sheet's total."""
    money = _Style(_money_format(visit.currency))
    ws.text(f"{C_ID}{row}", "per diems")
    ws.text(f"{C_CATEGORY}{row}", costs.PER_DIEM)
    ws.text(f"{C_DESCRIPTION}{row}", f"per_diem.csv: each delegate-day on '{PER_DIEMS}'")
    ws.text(f"{C_BASIS}{row}", "per_person_day")
    ws.text(f"{C_CURRENCY}{row}", visit.currency)
    ws.number(f"{C_RATE}{row}", 1, _Style(RATE_FORMAT))
    count = f"=COUNT({cells.dates})"
    ws.formula(f"{C_QUANTITY}{row}", count, summary.per_diem_days, _Style(COUNT_FORMAT))
    ws.text(f"{C_ELIGIBLE}{row}", "yes")
    ws.formula(f"{C_AMOUNT}{row}", f"={cells.total}", summary.per_diem_total, money)


# Per diems: the rates from this row on, then the delegate-days.
ROW_PD_ZONE, ROW_PD_MEALS, ROW_PD_BREAKFAST, ROW_PD_RATES_HEADER = 1, 2, 3, 5
RATE_HEADERS = ("valid_from", "rate", "currency", "exchange rate", *MEALS, "note")
DAY_HEADERS = ("delegate", "name", "date", "rate", "exchange rate", *MEALS, "deduction")


def _write_per_diems(
    ws: _Sheet,
    workbook: xlsxwriter.Workbook,
    visit: Visit,
    days: tuple[PerDiemDay, ...],
    meals_from: str,
    rate_cells: dict[str, str],
) -> _PerDiemCells:
    """Fill Per diems: the zone's rates (inputs), then one row per delegate-day whose
    rate, exchange rate and shares are looked up by date (LOOKUP: the row with the
    latest valid_from on or before it), its meals 1/0 inputs; define per_diem_total."""
    money = _Style(_money_format(visit.currency))
    share = _Style(PERCENT_FORMAT, is_input=True)
    rates = visit.per_diem_rates
    ws.text(f"A{ROW_PD_ZONE}", "zone")
    ws.text(f"B{ROW_PD_ZONE}", rates[0].zone)
    ws.text(f"A{ROW_PD_MEALS}", "meals provided")
    ws.text(f"B{ROW_PD_MEALS}", meals_from or "as given")
    ws.text(f"A{ROW_PD_BREAKFAST}", "hotel breakfast")
    ws.text(
        f"B{ROW_PD_BREAKFAST}",
        "included: deducted every day after a night at the hotel"
        if visit.base.breakfast
        else "not included",
    )

    ws.header(ROW_PD_RATES_HEADER, RATE_HEADERS)
    first = ROW_PD_RATES_HEADER + 1
    last = first + len(rates) - 1
    for row, rate in enumerate(rates, start=first):
        ws.date(f"A{row}", rate.valid_from, _Style(DATE_FORMAT, is_input=True))
        ws.number(f"B{row}", rate.rate, _Style(_money_format(rate.currency), is_input=True))
        ws.text(f"C{row}", rate.currency)
        exchange = visit.rate(rate.currency)
        if rate.currency != visit.currency:
            ws.formula(f"D{row}", f"={rate_cells[rate.currency]}", exchange, _Style(RATE_FORMAT))
        else:
            ws.number(f"D{row}", 1, _Style(RATE_FORMAT))
        for column, meal in zip("EFG", MEALS, strict=True):
            ws.number(f"{column}{row}", rate.share(meal), share)
        ws.text(f"H{row}", rate.note)

    def column(letter: str) -> str:
        return f"${letter}${first}:${letter}${last}"

    header = last + 2
    ws.header(header, (*DAY_HEADERS, f"amount ({visit.currency})"))
    day_rows = tuple(range(header + 1, header + 1 + len(days)))
    flag = _Style(COUNT_FORMAT, is_input=True)
    names = {d.id: d.name for d in visit.delegates}
    for row, day in zip(day_rows, days, strict=True):
        ws.text(f"A{row}", day.delegate_id)
        ws.text(f"B{row}", names.get(day.delegate_id, ""))
        ws.date(f"C{row}", day.date, _Style(DATE_FORMAT))
        lookup = f"LOOKUP(C{row},{column('A')},{{}})"
        ws.formula(f"D{row}", "=" + lookup.format(column("B")), day.rate, _Style(RATE_FORMAT))
        ws.formula(
            f"E{row}", "=" + lookup.format(column("D")), day.exchange_rate, _Style(RATE_FORMAT)
        )
        for letter, meal in zip("FGH", MEALS, strict=True):
            ws.number(f"{letter}{row}", int(meal in day.meals), flag)
        shares = "+".join(
            f"{letter}{row}*{lookup.format(column(source))}"
            for letter, source in zip("FGH", "EFG", strict=True)
        )
        ws.formula(f"I{row}", f"=MIN(1,{shares})", day.deduction, _Style(PERCENT_FORMAT))
        ws.formula(f"J{row}", f"=ROUND(D{row}*E{row}*(1-I{row}),2)", day.amount, money)

    total_row = (day_rows[-1] if day_rows else header) + 1
    ws.text(f"A{total_row}", "total", _Style(bold=True))
    total = sum((day.amount for day in days), Decimal(0))
    bold_money = _Style(money.number_format, bold=True)
    if day_rows:
        formula = f"=ROUND(SUM({_range('J', day_rows)}),2)"
        ws.formula(f"J{total_row}", formula, total, bold_money)
    else:
        ws.number(f"J{total_row}", 0, bold_money)
    ws.text(
        f"A{total_row + 2}",
        "deduction = MIN(1, Σ shares of the meals provided); "
        "amount = ROUND(rate × exchange rate × (1 − deduction), 2)",
    )
    cell = f"{_quote(PER_DIEMS)}!$J${total_row}"
    workbook.define_name("per_diem_total", f"={cell}")

    ws.freeze(header, 0)
    ws.widths(
        {"A": 14, "B": 28, "C": 12, "D": 14, "E": 14, "F": 10, "G": 10, "H": 10}
        | {"I": 12, "J": 18},
    )
    dates = f"{_quote(PER_DIEMS)}!{_range('C', day_rows)}"
    return _PerDiemCells(total=cell, dates=dates)


# -- cells --------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Style:
    """How a cell looks: its number format, bold, top-aligned, and whether it is an input."""

    number_format: str | None = None
    bold: bool = False
    top: bool = False
    is_input: bool = False


PLAIN = _Style()


class _Book:
    """The workbook with one XlsxWriter format per style, made once and in a fixed order."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.workbook = workbook
        self.sheets: list[_Sheet] = []
        self._formats: dict[_Style, Format] = {}

    def sheet(self, name: str) -> _Sheet:
        sheet = _Sheet(self, self.workbook.add_worksheet(name))
        self.sheets.append(sheet)
        return sheet

    def format(self, style: _Style) -> Format | None:
        if style == PLAIN:
            return None
        if style not in self._formats:
            properties: dict[str, object] = {}
            if style.number_format is not None:
                properties["num_format"] = style.number_format
            if style.bold:
                properties["bold"] = True
            if style.top:
                properties["valign"] = "top"
            if style.is_input:
                properties.update(locked=False, pattern=1, bg_color=INPUT_COLOUR)
            self._formats[style] = self.workbook.add_format(properties)
        return self._formats[style]


@dataclass
class _Sheet:
    """One worksheet, written by A1 reference; widens money columns to fit their figures."""

    book: _Book
    ws: Worksheet
    _needed: dict[int, int] = field(default_factory=dict)

    def text(self, ref: str, value: object, style: _Style = PLAIN) -> None:
        """A string cell: never read as a formula, a number or a link."""
        self.ws.write_string(ref, clean(value), self.book.format(style))

    def number(self, ref: str, value: Decimal | int | None, style: _Style) -> None:
        """A number, or a blank cell with the style when ``value`` is None."""
        if value is None:
            self.ws.write_blank(ref, None, self.book.format(style))
        else:
            self.ws.write_number(ref, _number(value), self.book.format(style))
            self._fit(ref, value, style)

    def date(self, ref: str, value: date, style: _Style) -> None:
        self.ws.write_number(ref, _serial(value), self.book.format(style))

    def formula(self, ref: str, formula: str, value: Decimal | int, style: _Style) -> None:
        """A live formula with its value stored, for viewers that do not recalculate."""
        self.ws.write_formula(ref, formula, self.book.format(style), _number(value))
        self._fit(ref, value, style)

    def header(self, row: int, labels: tuple[str, ...]) -> None:
        for column, label in enumerate(labels, start=1):
            self.text(_ref(column, row), label, _Style(bold=True, top=True))

    def freeze(self, rows: int, columns: int) -> None:
        self.ws.freeze_panes(rows, columns)

    def widths(self, widths: dict[str, float]) -> None:
        """Column widths in characters, wider where a figure needs it (else Excel shows ####).

        Set in pixels, a digit being 7: XlsxWriter's ``set_column`` would add Excel's padding.
        """
        for letter, width in widths.items():
            column = xl_cell_to_rowcol(f"{letter}1")[1]
            pixels = max(round(width * DIGIT_PIXELS), self._needed.get(column, 0))
            self.ws.set_column_pixels(column, column, pixels)

    def protect(self) -> None:
        """Lock every cell but the inputs (no password)."""
        self.ws.protect()

    def _fit(self, ref: str, value: Decimal | int, style: _Style) -> None:
        """Note the pixels ``value`` needs in its column, as its number format shows it."""
        shown = _shown(value, style.number_format)
        if shown:
            column = xl_cell_to_rowcol(ref)[1]
            needed = xl_pixel_width(shown) + 2 * DIGIT_PIXELS
            self._needed[column] = max(self._needed.get(column, 0), needed)


def _shown(value: Decimal | int, number_format: str | None) -> str:
    """About what a spreadsheet shows for ``value`` in this number format ('' if not a figure)."""
    if number_format is None:
        return ""
    if number_format.startswith("#,##0.00"):
        return f"{value:,.2f}" + number_format.removeprefix("#,##0.00").replace('"', "")
    if number_format == RATE_FORMAT:
        return f"{value:.6f}"
    if number_format == COUNT_FORMAT:
        return f"{value:.0f}"
    return ""


def clean(value: object) -> str:
    """``value`` as a string without control characters, which XML cannot carry."""
    return CONTROL_CHARACTERS.sub("", str(value))


def _number(value: Decimal | int) -> float | int:
    if isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _serial(value: date) -> int:
    """A date as Excel's day number (the 1900 system; days after 1900-03-01)."""
    return (value - EXCEL_EPOCH).days


def _ref(column: int, row: int) -> str:
    """A1 reference of a 1-based column and row."""
    return f"{xl_col_to_name(column - 1)}{row}"


def _money_format(currency: str) -> str:
    code = re.sub(r"[^A-Za-z0-9]", "", currency)
    return f'#,##0.00 "{code}"'


def _formula_text(value: str) -> str:
    """A string literal's content inside a formula."""
    return clean(value).replace('"', '""')


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _range(column: str, rows: tuple[int, ...]) -> str:
    if not rows:
        return f"${column}$2:${column}$2"
    return f"${column}${rows[0]}:${column}${rows[-1]}"


def _sheet_range(sheet: str, column: str, rows: tuple[int, ...]) -> str:
    return f"{_quote(sheet)}!{_range(column, rows)}"
