"""The report's money figures, read from the workbooks' named cells, never recomputed.

costs.xlsx (``visitplan plan``) and actuals.xlsx (``visitplan actuals``) name each
headline figure with a workbook-level defined name and store the formula's computed
value beside it.  The report prints those stored values, so every figure in it is a
cell an officer can find in the annexed workbook.  A figure that is not there (an
older costs.xlsx without ``per_diem_total``) is left out, not worked out here.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

import openpyxl

from .errors import ReportError

COST_NAMES = (
    "total_cost",
    "eligible",
    "per_diem_total",
    "grant_share",
    "cofinancing",
    "budget_remaining",
)
"""The names of costs.xlsx the report prints, in the order it prints them."""
COMPARED = (
    "total_cost",
    "eligible",
    "ineligible",
    "per_diem_total",
    "grant_share",
    "cofinancing",
    "budget_remaining",
)
"""The budget's rows: actuals.xlsx holds each as ``planned_<name>`` and ``actual_<name>``;
costs.xlsx names some of them as ``<name>``."""
ACTUAL_NAMES = (
    *(f"{side}_{name}" for name in COMPARED for side in ("planned", "actual")),
    "planned_attendances",
    "actual_attendances",
)
REQUIRED_ACTUAL_NAMES = tuple(
    f"{side}_{name}"
    for name in ("total_cost", "grant_share", "cofinancing", "attendances")
    for side in ("planned", "actual")
)
"""What an actuals.xlsx must define for the report to compare planned with actual."""
CENT = Decimal("0.005")
"""Two stored amounts closer than half a cent are the same figure."""
ACTUALS_TITLE = "Actuals: "
"""How `visitplan actuals` titles its workbook, before the visit's title."""
VISIT_ID_NAME = "visit_id"
"""A defined name an actuals.xlsx may carry: the id of the visit it was made for."""


@dataclass(frozen=True, slots=True)
class Figures:
    """The named cells found in one workbook: name to stored value."""

    file: str
    values: dict[str, Decimal | str]
    title: str = ""
    """The workbook's title (its document properties)."""

    def get(self, name: str) -> Decimal | None:
        value = self.values.get(name)
        return value if isinstance(value, Decimal) else None


def named_cells(path: Path, names: Iterable[str]) -> Figures:
    """The stored values of the workbook names among ``names`` that ``path`` defines.

    Raises ReportError when the file cannot be read as a workbook, or a name points
    at a cell with no stored value (the file was saved by a program that does not
    keep formula values)."""
    try:
        workbook = openpyxl.load_workbook(path, data_only=True, read_only=False)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ReportError(f"{path}: not a readable .xlsx workbook ({error})") from None
    values: dict[str, Decimal | str] = {}
    try:
        for name in names:
            if name not in workbook.defined_names:
                continue
            values[name] = _stored(path, name, workbook)
    finally:
        workbook.close()
    return Figures(path.name, values, workbook.properties.title or "")


def _stored(path: Path, name: str, workbook) -> Decimal | str:
    defined = workbook.defined_names[name]
    constant = (defined.attr_text or "").removeprefix("=")
    if len(constant) >= 2 and constant[0] == constant[-1] == '"':
        return constant[1:-1]  # a name for a text, as ``visit_id`` may be
    destinations = list(defined.destinations)
    if len(destinations) != 1 or destinations[0][0] not in workbook.sheetnames:
        raise ReportError(f"{path}: the name {name} does not point at one cell")
    sheet, ref = destinations[0]
    value = workbook[sheet][ref.replace("$", "")].value
    if value is None:
        raise ReportError(
            f"{path}: {name} ({sheet}!{ref}) holds no stored value; open the workbook in "
            "Excel or LibreOffice and save it, or write it again"
        )
    if isinstance(value, str):
        return value
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ReportError(f"{path}: {name} ({sheet}!{ref}) is not a number") from None


def cost_figures(path: Path) -> Figures:
    """costs.xlsx's figures; it must exist and define ``total_cost``."""
    if not path.is_file():
        raise ReportError(f"{path}: no cost sheet; plan the visit with its costs.csv first")
    figures = named_cells(path, COST_NAMES)
    if figures.get("total_cost") is None:
        raise ReportError(f"{path}: defines no total_cost (not a visitplan cost sheet)")
    return figures


def actual_figures(
    path: Path, visit_id: str, visit_title: str, costs: Figures | None, attendances: int
) -> Figures:
    """actuals.xlsx's figures, checked to belong to this plan.

    The workbook must define the names the report compares; when it names its visit
    (a ``visit_id`` name, or the title ``Actuals: <visit title>`` that `visitplan
    actuals` gives it) that must be this visit; its planned total cost must be
    costs.xlsx's and its planned attendances the plan's, so an actuals.xlsx made for
    another visit or an earlier plan is refused rather than compared."""
    if not path.is_file():
        raise ReportError(f"{path}: no such file")
    figures = named_cells(path, (*ACTUAL_NAMES, VISIT_ID_NAME))
    missing = [name for name in REQUIRED_ACTUAL_NAMES if figures.get(name) is None]
    if missing:
        raise ReportError(
            f"{path}: defines no {', '.join(missing)} (not written by `visitplan actuals`)"
        )
    named = figures.values.get(VISIT_ID_NAME)
    if named is not None and str(named) != visit_id:
        raise ReportError(f"{path} is for the visit {str(named)!r}, not {visit_id!r}")
    title = figures.title.removeprefix(ACTUALS_TITLE)
    if figures.title.startswith(ACTUALS_TITLE) and title != visit_title:
        raise ReportError(f"{path} is for the visit {title!r}, not {visit_title!r}")
    planned_total = figures.get("planned_total_cost")
    total = costs.get("total_cost") if costs is not None else None
    if total is not None and abs(planned_total - total) >= CENT:
        raise ReportError(
            f"{path}: its planned total cost {planned_total} is not costs.xlsx's {total}: "
            "it was made for another visit or an earlier plan"
        )
    planned_attendances = figures.get("planned_attendances")
    if planned_attendances != attendances:
        raise ReportError(
            f"{path}: its {planned_attendances} planned attendances are not the plan's "
            f"{attendances}: it was made for another visit or an earlier plan"
        )
    return figures
