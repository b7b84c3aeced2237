"""Small helpers shared by the xlsx exporters: safe text cells and byte-stable saving.

Text from the input (names, titles) is written as a string cell whatever it
starts with, so a delegate called ``=HYPERLINK(...)`` never becomes a formula,
and without the characters XML cannot carry (:mod:`visitplan.text`), so a stray
control character never stops the workbook being written.
Saving fixes the workbook's created/modified times and every zip member's
time, so the same views give the same bytes.
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.writer.excel import ExcelWriter

from ..folders import replace_file
from ..text import clean

TEXT_FORMAT = "@"
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
ZIP_MODE = 0o600 << 16


def text(cell: Cell, value: object) -> Cell:
    """Write ``value`` as a text cell that no spreadsheet reads as a formula.

    openpyxl takes a str starting with ``=`` for a formula; forcing the data
    type keeps it a string. The Text number format keeps Excel from turning
    an edited ``2009-08-24`` into a date.
    """
    cell.value = clean(value)
    cell.data_type = "s"
    cell.number_format = TEXT_FORMAT
    return cell


def workbook_bytes(workbook: Workbook, moment: datetime) -> bytes:
    """The workbook as .xlsx bytes, stamped with ``moment`` and fixed zip times."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    workbook.properties.creator = "visitplan"
    workbook.properties.created = moment
    workbook.properties.modified = moment
    buffer = io.BytesIO()
    # ExcelWriter rather than Workbook.save, which stamps the clock into docProps/core.xml.
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(workbook, archive).save()
    return fixed_zip(buffer.getvalue())


def fixed_zip(data: bytes) -> bytes:
    """The same archive with every member's time and mode fixed."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = ZIP_MODE
            target.writestr(fixed, source.read(info.filename))
    return out.getvalue()


def save(workbook: Workbook, path: str | os.PathLike[str], moment: datetime) -> Path:
    """Write the workbook to ``path`` through a temporary file, so no half-written file stays."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    replace_file(target, workbook_bytes(workbook, moment))
    return target
