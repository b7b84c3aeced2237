"""kit/kit.xlsx: the kit's tables that people tick or edit, one sheet each.

``Sign-in``, ``Participants``, ``Manifests`` and ``Catering``, from the items'
:class:`~visitplan.kit.common.Table`; text is always a text cell, never a formula
(:mod:`visitplan.export.cells`), and the same views give the same bytes.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from visitplan.export.cells import save, text
from visitplan.text import one_line
from visitplan.views import Views

from . import catering, manifests, participants, sign_in
from .common import Table

NAME = "workbook"
FILE = "kit.xlsx"
SHEETS = (sign_in, participants, manifests, catering)
"""The items with a table, in the order of their sheets."""

HEADER_FILL = PatternFill(fill_type="solid", start_color="FFD9D9D9", end_color="FFD9D9D9")


def build(views: Views) -> Workbook:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for item in SHEETS:
        _sheet(workbook, item.table(views))
    workbook.properties.title = one_line(views.visit.title)
    return workbook


def _sheet(workbook: Workbook, table: Table) -> None:
    ws = workbook.create_sheet(table.title)
    for column, label in enumerate(table.header, start=1):
        cell = text(ws.cell(1, column), label)
        cell.font = Font(bold=True)
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(table.widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    for row, values in enumerate(table.rows, start=2):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(row, column)
            if isinstance(value, int) and not isinstance(value, bool):
                cell.value = value
            elif value != "":
                text(cell, value)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(table.header))}{max(ws.max_row, 1)}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "1:1"


def write(views: Views, folder: Path) -> Path:
    """Write ``folder/kit.xlsx``."""
    return save(build(views), Path(folder) / FILE, views.plan.issued)
