"""changes.xlsx: what a re-plan changed, one row per person and item."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from ..views import Views
from .cells import save, text

HEADER = ("who", "id", "name", "item", "was", "now", "why", "reason")
WIDTHS = (10, 12, 28, 16, 42, 42, 10, 34)


def write(views: Views, folder: Path) -> Path | None:
    """Written only for a re-plan (a plan that carries changes)."""
    changes = views.plan.changes
    if not changes:
        return None
    book = Workbook()
    sheet = book.active
    sheet.title = "Changes"
    for column, (title, width) in enumerate(zip(HEADER, WIDTHS, strict=True), start=1):
        cell = text(sheet.cell(row=1, column=column), title)
        cell.font = Font(bold=True)
        sheet.column_dimensions[cell.column_letter].width = width
    for row, change in enumerate(changes, start=2):
        values = (
            change.who,
            change.id,
            change.name,
            change.item,
            change.was,
            change.now,
            change.why,
            change.reason,
        )
        for column, value in enumerate(values, start=1):
            text(sheet.cell(row=row, column=column), value)
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:H{len(changes) + 1}"
    path = Path(folder) / "changes.xlsx"
    save(book, path, views.plan.issued)
    return path
