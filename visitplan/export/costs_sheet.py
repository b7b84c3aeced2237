"""costs.xlsx: the cost sheet, computing rule 9 with live formulas.

Sheets: ``Inputs`` (counts, dates, exchange rates, budget), ``Costs`` (one
row per cost line, subtotals by category, the total), ``Budget`` (eligible
costs, grant share, co-financing, what is left) and ``Per delegate`` (each
delegate's travel dates, days and informative share of the per-person lines).
The workbook names ``total_cost``, ``grant_share``, ``cofinancing`` and, with
a budget total, ``budget_remaining`` point at the Budget cells.

Input cells are unlocked and filled yellow; every other cell is locked under
sheet protection (no password), so an organiser can try other numbers without
breaking a formula. Text from the input is always written as a string cell,
never as a formula, whatever it starts with.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from visitplan import costs
from visitplan.model import Visit

INPUTS, COSTS, BUDGET, PER_DELEGATE = "Inputs", "Costs", "Budget", "Per delegate"

INPUT_FILL = PatternFill(fill_type="solid", start_color="FFFFF2CC", end_color="FFFFF2CC")
HEADER_FONT = Font(bold=True)
UNLOCKED = Protection(locked=False)
DATE_FORMAT = "yyyy-mm-dd"
RATE_FORMAT = "0.0000##"
COUNT_FORMAT = "0"
PERCENT_FORMAT = "0.00%"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)

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


def write(visit: Visit, path: Path) -> None:
    """Write the visit's cost sheet to ``path`` (costs.xlsx).

    Parameters
    ----------
    visit
        The visit; its cost lines, budget and exchange rates fill the sheet.
    path
        The file to write. The same visit gives the same bytes.
    """
    Path(path).write_bytes(workbook_bytes(visit))


def workbook_bytes(visit: Visit) -> bytes:
    """The cost sheet as the bytes of an .xlsx file, fixed for a given visit."""
    workbook = build_workbook(visit)
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the clock into docProps/core.xml.
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    return _fixed_zip(buffer.getvalue())


@dataclass(frozen=True, slots=True)
class _Layout:
    """Where the cells other sheets refer to ended up."""

    delegate_rows: tuple[int, ...]
    line_rows: tuple[int, ...]
    rate_cells: dict[str, str]
    total_cell: str


def build_workbook(visit: Visit) -> Workbook:
    """The cost sheet as an openpyxl workbook (not saved)."""
    for line in visit.costs:
        costs.line_rate(visit, line)  # every currency needs a rate: fail before writing
    workbook = Workbook()
    inputs = workbook.active
    inputs.title = INPUTS
    cost_sheet = workbook.create_sheet(COSTS)
    budget = workbook.create_sheet(BUDGET)
    per_delegate = workbook.create_sheet(PER_DELEGATE)

    money = _money_format(visit.currency)
    delegate_rows = tuple(range(2, 2 + len(visit.delegates)))
    line_rows = tuple(range(2, 2 + len(visit.costs)))
    rate_cells = _write_inputs(inputs, visit, delegate_rows)
    total_cell = _write_costs(cost_sheet, visit, line_rows, rate_cells, money)
    layout = _Layout(delegate_rows, line_rows, rate_cells, total_cell)
    _write_budget(budget, workbook, visit, layout, money)
    _write_per_delegate(per_delegate, visit, layout, money)

    for sheet in workbook.worksheets:
        sheet.protection.sheet = True
    workbook.calculation.fullCalcOnLoad = True
    first = datetime.combine(visit.first_day, time())
    workbook.properties.creator = "visitplan"
    workbook.properties.created = first
    workbook.properties.modified = first
    workbook.properties.title = _clean(visit.title)
    return workbook


# -- sheets -------------------------------------------------------------------


def _write_inputs(ws: Worksheet, visit: Visit, delegate_rows: tuple[int, ...]) -> dict[str, str]:
    """Fill Inputs; return the absolute reference of each foreign currency's rate cell."""
    _header(ws, 1, ("input", "value", "note"))
    _label(ws, ROW_VISIT, "visit")
    text(ws.cell(ROW_VISIT, 2), visit.title)
    text(ws.cell(ROW_VISIT, 3), visit.id)
    _label(ws, ROW_CURRENCY, "currency")
    text(ws.cell(ROW_CURRENCY, 2), visit.currency)

    _label(ws, ROW_DELEGATES, "delegates")
    if delegate_rows:
        ids = _sheet_range(PER_DELEGATE, D_ID, delegate_rows)
        person_days = _sheet_range(PER_DELEGATE, D_DAYS, delegate_rows)
        person_nights = _sheet_range(PER_DELEGATE, D_NIGHTS, delegate_rows)
        _formula(ws, f"B{ROW_DELEGATES}", f"=COUNTA({ids})", COUNT_FORMAT)
        _formula(ws, f"B{ROW_PERSON_DAYS}", f"=SUM({person_days})", COUNT_FORMAT)
        _formula(ws, f"B{ROW_PERSON_NIGHTS}", f"=SUM({person_nights})", COUNT_FORMAT)
    else:
        for row in (ROW_DELEGATES, ROW_PERSON_DAYS, ROW_PERSON_NIGHTS):
            ws.cell(row, 2, 0).number_format = COUNT_FORMAT
    text(ws.cell(ROW_DELEGATES, 3), f"rows of '{PER_DELEGATE}'")

    _label(ws, ROW_DEPART, "depart")
    _input(ws.cell(ROW_DEPART, 2, visit.depart_day), DATE_FORMAT)
    text(ws.cell(ROW_DEPART, 3), "travel day out")
    _label(ws, ROW_RETURN, "return")
    _input(ws.cell(ROW_RETURN, 2, visit.return_day), DATE_FORMAT)
    text(ws.cell(ROW_RETURN, 3), "travel day home")
    _label(ws, ROW_TRIP_DAYS, "visit trip days")
    _formula(ws, f"B{ROW_TRIP_DAYS}", f"=B{ROW_RETURN}-B{ROW_DEPART}+1", COUNT_FORMAT)
    text(ws.cell(ROW_TRIP_DAYS, 3), "(return − depart) + 1; quantity of per_day lines")
    _label(ws, ROW_PERSON_DAYS, "delegate trip days")
    text(ws.cell(ROW_PERSON_DAYS, 3), "Σ over delegates; quantity of per_person_day lines")
    _label(ws, ROW_PERSON_NIGHTS, "delegate nights")
    text(ws.cell(ROW_PERSON_NIGHTS, 3), "Σ over delegates; quantity of per_person_night lines")

    budget = visit.budget
    _label(ws, ROW_BUDGET_TOTAL, "budget total")
    total = budget.total if budget is not None else None
    _input(ws.cell(ROW_BUDGET_TOTAL, 2, _number(total)), _money_format(visit.currency))
    text(ws.cell(ROW_BUDGET_TOTAL, 3), "[budget] total")
    _label(ws, ROW_COFINANCING_RATE, "co-financing rate")
    rate = budget.cofinancing_rate if budget is not None else Decimal(0)
    _input(ws.cell(ROW_COFINANCING_RATE, 2, _number(rate)), PERCENT_FORMAT)
    text(ws.cell(ROW_COFINANCING_RATE, 3), "share of eligible costs paid by the applicant")

    _header(ws, ROW_RATES_HEADER, ("currency", f"rate ({visit.currency})", "source", "date"))
    row = ROW_RATES_HEADER + 1
    text(ws.cell(row, 1), visit.currency)
    ws.cell(row, 2, 1).number_format = RATE_FORMAT
    text(ws.cell(row, 3), "the visit's currency")
    note = visit.exchange_note
    rate_cells = {}
    for currency, value in visit.exchange:
        if currency == visit.currency:
            continue
        row += 1
        text(ws.cell(row, 1), currency)
        _input(ws.cell(row, 2, _number(value)), RATE_FORMAT)
        if note is not None:
            text(ws.cell(row, 3), note.source)
            if note.date is not None:
                ws.cell(row, 4, note.date).number_format = DATE_FORMAT
        rate_cells[currency] = f"{_quote(INPUTS)}!$B${row}"
    row += 2
    _input(ws.cell(row, 1), None)
    text(ws.cell(row, 2), "input: change it and the sheet recomputes; other cells are locked")

    ws.freeze_panes = "A2"
    _widths(ws, {"A": 20, "B": 16, "C": 44, "D": 12})
    return rate_cells


def _write_costs(
    ws: Worksheet,
    visit: Visit,
    line_rows: tuple[int, ...],
    rate_cells: dict[str, str],
    money: str,
) -> str:
    """Fill Costs; return the absolute reference of the total cell."""
    _header(ws, 1, COST_HEADERS[:-1] + (f"amount ({visit.currency})",))
    quantity_cells = {
        "per_person": f"={_quote(INPUTS)}!$B${ROW_DELEGATES}",
        "per_person_day": f"={_quote(INPUTS)}!$B${ROW_PERSON_DAYS}",
        "per_person_night": f"={_quote(INPUTS)}!$B${ROW_PERSON_NIGHTS}",
        "per_day": f"={_quote(INPUTS)}!$B${ROW_TRIP_DAYS}",
    }
    for row, line in zip(line_rows, visit.costs, strict=True):
        currency = line.currency or visit.currency
        text(ws[f"{C_ID}{row}"], line.id)
        text(ws[f"{C_CATEGORY}{row}"], line.category)
        text(ws[f"{C_DESCRIPTION}{row}"], line.description)
        text(ws[f"{C_BASIS}{row}"], line.basis)
        _input(ws[f"{C_UNIT}{row}"], _money_format(currency), _number(line.amount))
        text(ws[f"{C_CURRENCY}{row}"], currency)
        rate = f"={rate_cells[currency]}" if currency != visit.currency else 1
        _formula(ws, f"{C_RATE}{row}", rate, RATE_FORMAT)
        if line.basis == "lump_sum":
            _formula(ws, f"{C_QUANTITY}{row}", 1, COUNT_FORMAT)
        else:
            _formula(ws, f"{C_QUANTITY}{row}", quantity_cells[line.basis], COUNT_FORMAT)
        _input(ws[f"{C_ELIGIBLE}{row}"], None)
        text(ws[f"{C_ELIGIBLE}{row}"], "yes" if line.eligible else "no")
        amount = f"=ROUND({C_UNIT}{row}*{C_RATE}{row}*{C_QUANTITY}{row},2)"
        _formula(ws, f"{C_AMOUNT}{row}", amount, money)

    row = (line_rows[-1] if line_rows else 1) + 2
    amounts = _range(C_AMOUNT, line_rows)
    categories = _range(C_CATEGORY, line_rows)
    for category in costs.categories_of(visit):
        _label(ws, row, "subtotal")
        text(ws[f"{C_CATEGORY}{row}"], category)
        subtotal = f'=ROUND(SUMIF({categories},"{_formula_text(category)}",{amounts}),2)'
        _formula(ws, f"{C_AMOUNT}{row}", subtotal, money)
        row += 1
    _label(ws, row, "total")
    _formula(ws, f"{C_AMOUNT}{row}", f"=ROUND(SUM({amounts}),2)" if line_rows else 0, money)
    ws[f"{C_AMOUNT}{row}"].font = HEADER_FONT

    ws.freeze_panes = "B2"
    _widths(
        ws,
        {"A": 14, "B": 16, "C": 40, "D": 18, "E": 16, "F": 10}
        | {"G": 10, "H": 10, "I": 9, "J": 18},
    )
    return f"{_quote(COSTS)}!${C_AMOUNT}${row}"


def _write_budget(ws: Worksheet, workbook: Workbook, visit: Visit, layout: _Layout, money: str):
    _header(ws, 1, ("item", f"value ({visit.currency})", "rule"))
    rows = layout.line_rows
    eligible_flags = _sheet_range(COSTS, C_ELIGIBLE, rows)
    amounts = _sheet_range(COSTS, C_AMOUNT, rows)
    eligible = f'=ROUND(SUMIF({eligible_flags},"yes",{amounts}),2)' if rows else 0
    cells = (
        (ROW_TOTAL_COST, "total cost", f"={layout.total_cell}", money, "Σ cost lines"),
        (ROW_ELIGIBLE, "eligible costs", eligible, money, "Σ eligible cost lines"),
        (
            ROW_RATE,
            "co-financing rate",
            f"={_quote(INPUTS)}!$B${ROW_COFINANCING_RATE}",
            PERCENT_FORMAT,
            "from Inputs",
        ),
        (
            ROW_APPLICANT,
            "applicant's share of eligible",
            f"=ROUND(B{ROW_ELIGIBLE}*B{ROW_RATE},2)",
            money,
            "ROUND(eligible × co-financing rate, 2)",
        ),
        (
            ROW_GRANT,
            "grant share",
            f"=ROUND(B{ROW_ELIGIBLE}-B{ROW_APPLICANT},2)",
            money,
            "eligible − applicant's share of eligible",
        ),
        (
            ROW_COFINANCING,
            "co-financing",
            f"=ROUND(B{ROW_TOTAL_COST}-B{ROW_GRANT},2)",
            money,
            "total cost − grant share",
        ),
    )
    names = {
        "total_cost": ROW_TOTAL_COST,
        "grant_share": ROW_GRANT,
        "cofinancing": ROW_COFINANCING,
    }
    budget_total = visit.budget.total if visit.budget is not None else None
    if budget_total is not None:
        cells += (
            (
                ROW_BUDGET,
                "budget total",
                f"={_quote(INPUTS)}!$B${ROW_BUDGET_TOTAL}",
                money,
                "from Inputs",
            ),
            (
                ROW_REMAINING,
                "budget remaining",
                f"=B{ROW_BUDGET}-B{ROW_TOTAL_COST}",
                money,
                "budget total − total cost",
            ),
        )
        names["budget_remaining"] = ROW_REMAINING
    for row, label, formula, number_format, rule in cells:
        _label(ws, row, label)
        _formula(ws, f"B{row}", formula, number_format)
        text(ws.cell(row, 3), rule)
    for name, row in names.items():
        ws.cell(row, 1).font = HEADER_FONT
        reference = f"{_quote(BUDGET)}!$B${row}"
        workbook.defined_names[name] = DefinedName(name, attr_text=reference)

    ws.freeze_panes = "A2"
    _widths(ws, {"A": 30, "B": 20, "C": 42})


def _write_per_delegate(ws: Worksheet, visit: Visit, layout: _Layout, money: str) -> None:
    lines = costs.per_person_lines(visit)
    line_row = {line.id: row for line, row in zip(visit.costs, layout.line_rows, strict=True)}
    _header(ws, 1, DELEGATE_HEADERS)
    for offset, line in enumerate(lines):
        text(ws.cell(1, FIRST_SHARE_COLUMN + offset), line.id)
        ws.cell(1, FIRST_SHARE_COLUMN + offset).font = HEADER_FONT
    total_column = FIRST_SHARE_COLUMN + len(lines)
    text(ws.cell(1, total_column), f"total ({visit.currency})")
    ws.cell(1, total_column).font = HEADER_FONT

    depart = f"={_quote(INPUTS)}!$B${ROW_DEPART}"
    back = f"={_quote(INPUTS)}!$B${ROW_RETURN}"
    own_quantity = {"per_person": "1", "per_person_day": D_DAYS, "per_person_night": D_NIGHTS}
    for row, delegate in zip(layout.delegate_rows, visit.delegates, strict=True):
        text(ws[f"{D_ID}{row}"], delegate.id)
        text(ws[f"{D_NAME}{row}"], delegate.name)
        _input(ws[f"{D_OUT}{row}"], DATE_FORMAT, delegate.travel_out or depart)
        _input(ws[f"{D_HOME}{row}"], DATE_FORMAT, delegate.travel_home or back)
        _formula(ws, f"{D_DAYS}{row}", f"={D_HOME}{row}-{D_OUT}{row}+1", COUNT_FORMAT)
        _formula(ws, f"{D_NIGHTS}{row}", f"={D_DAYS}{row}-1", COUNT_FORMAT)
        for offset, line in enumerate(lines):
            source = line_row[line.id]
            count = own_quantity[line.basis]
            count = count if count == "1" else f"{count}{row}"
            unit = f"{_quote(COSTS)}!${C_UNIT}${source}"
            rate = f"{_quote(COSTS)}!${C_RATE}${source}"
            share = f"=ROUND({unit}*{rate}*{count},2)"
            _formula(ws, f"{get_column_letter(FIRST_SHARE_COLUMN + offset)}{row}", share, money)
        first = get_column_letter(FIRST_SHARE_COLUMN)
        last = get_column_letter(total_column - 1)
        total = f"=SUM({first}{row}:{last}{row})" if lines else 0
        _formula(ws, f"{get_column_letter(total_column)}{row}", total, money)

    if layout.delegate_rows:
        row = layout.delegate_rows[-1] + 1
        _label(ws, row, "total")
        for column in range(5, total_column + 1):
            letter = get_column_letter(column)
            number_format = COUNT_FORMAT if column < FIRST_SHARE_COLUMN else money
            total = f"=SUM({_range(letter, layout.delegate_rows)})"
            _formula(ws, f"{letter}{row}", total, number_format)
        text(ws.cell(row + 2, 1), "informative: each share is rounded on its own")

    ws.freeze_panes = "C2"
    widths = {"A": 14, "B": 28, "C": 12, "D": 12, "E": 10, "F": 8}
    for column in range(FIRST_SHARE_COLUMN, total_column + 1):
        widths[get_column_letter(column)] = 16
    _widths(ws, widths)


# -- cells --------------------------------------------------------------------


def text(cell: Cell, value: str) -> Cell:
    """Write ``value`` as a string cell that no spreadsheet reads as a formula.

    openpyxl takes a str starting with ``=`` for a formula; forcing the data
    type keeps it an inline string. Characters XML cannot carry are dropped.
    """
    cell.value = _clean(value)
    cell.data_type = "s"
    return cell


def _clean(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _formula(ws: Worksheet, ref: str, formula: str | int, number_format: str) -> None:
    cell = ws[ref]
    cell.value = formula
    cell.number_format = number_format


def _input(cell: Cell, number_format: str | None, value: object = None) -> None:
    """Mark a cell as an input: unlocked and filled; set its value when given."""
    if value is not None:
        cell.value = value
    cell.protection = UNLOCKED
    cell.fill = INPUT_FILL
    if number_format is not None:
        cell.number_format = number_format


def _label(ws: Worksheet, row: int, label: str) -> None:
    text(ws.cell(row, 1), label)


def _header(ws: Worksheet, row: int, labels: tuple[str, ...]) -> None:
    for column, label in enumerate(labels, start=1):
        cell = text(ws.cell(row, column), label)
        cell.font = HEADER_FONT
        cell.alignment = Alignment(vertical="top")


def _widths(ws: Worksheet, widths: dict[str, float]) -> None:
    for letter, width in widths.items():
        ws.column_dimensions[letter].width = width


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _money_format(currency: str) -> str:
    code = re.sub(r"[^A-Za-z0-9]", "", currency)
    return f'#,##0.00 "{code}"'


def _formula_text(value: str) -> str:
    """A string literal's content inside a formula."""
    return value.replace('"', '""')


def _quote(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _range(column: str, rows: tuple[int, ...]) -> str:
    if not rows:
        return f"${column}$2:${column}$2"
    return f"${column}${rows[0]}:${column}${rows[-1]}"


def _sheet_range(sheet: str, column: str, rows: tuple[int, ...]) -> str:
    return f"{_quote(sheet)}!{_range(column, rows)}"


def _fixed_zip(data: bytes) -> bytes:
    """The same archive with fixed timestamps, so the same visit gives the same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return out.getvalue()
