"""The field kit: what an organiser prints and hands out once a visit is planned.

Sign-in sheets, the participant list, vehicle manifests and drivers' sheets, the group
leader's day brief, caterers' counts, certificates of attendance and name badges, each
a PDF in ``kit/`` printed by the booklet's Chromium path, and kit.xlsx with the tables
people tick or edit.  Every item is built from the views alone (never the solver) in
the visit's languages: delegates' items in ``language``, hosts', drivers' and caterers'
in ``host_language``.  :data:`ITEMS` is the one list of them; ``visitplan kit --only``
takes their names.
"""

from __future__ import annotations

import warnings
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from visitplan.export.booklet import PRINT_ERRORS, chromium_or_warn, render_pdf
from visitplan.views import Views

from . import (
    badges,
    catering,
    certificates,
    day_brief,
    manifests,
    participants,
    sign_in,
    workbook,
)

__all__ = [
    "FILES",
    "ITEMS",
    "KIT_DIR",
    "NAMES",
    "print_items",
    "write",
    "write_pdfs",
    "write_workbook",
]

KIT_DIR = "kit"
ITEMS = (sign_in, participants, manifests, day_brief, catering, certificates, badges)
"""Every printed item, in the order they are written; each has NAME, FILE and html(views)."""
NAMES = (*(item.NAME for item in ITEMS), workbook.NAME)
"""What ``--only`` accepts: an item, or ``workbook`` for kit.xlsx."""
FILES = {**{item.NAME: item.FILE for item in ITEMS}, workbook.NAME: workbook.FILE}
"""Each name to the file it writes in kit/: every file the kit owns there."""
PARALLEL_PRINTS = 4


def write_workbook(views: Views, folder: str | Path) -> Path:
    """Write ``folder/kit/kit.xlsx`` (``folder`` is the plan folder)."""
    return workbook.write(views, Path(folder) / KIT_DIR)


def write_pdfs(views: Views, folder: str | Path) -> list[Path]:
    """Print every item into ``folder/kit/`` (``folder`` is the plan folder)."""
    return print_items(views, Path(folder) / KIT_DIR)


def print_items(views: Views, kit_folder: Path, only: str | None = None) -> list[Path]:
    """Print every item (or the one named ``only``) into ``kit_folder``; the PDFs Chromium
    could not print are left out, each with a warning (one in all when it is absent).

    The items print side by side (:data:`PARALLEL_PRINTS` browsers at once): a print
    mostly waits for Chromium to start, so the kit takes a few seconds, not one per item.
    Warnings are given here, in the caller's thread, in the items' order."""
    items = [item for item in ITEMS if only is None or item.NAME == only]
    if not items:
        return []
    what = f"{KIT_DIR}/*.pdf" if only is None else f"{KIT_DIR}/{items[0].FILE}"
    chromium = chromium_or_warn(what)
    if chromium is None:
        return []
    issued = views.plan.issued
    documents = [(item, item.html(views)) for item in items]
    written = []
    with ThreadPoolExecutor(max_workers=PARALLEL_PRINTS) as pool:
        futures = [
            (item, pool.submit(render_pdf, html, kit_folder / item.FILE, issued, chromium))
            for item, html in documents
        ]
        for item, future in futures:
            try:
                written.append(future.result())
            except PRINT_ERRORS as error:
                warnings.warn(
                    f"{KIT_DIR}/{item.FILE} skipped: {error}", RuntimeWarning, stacklevel=2
                )
    return written


def write(views: Views, kit_folder: Path, *, pages: bool = True, only: str | None = None) -> None:
    """Write the kit into ``kit_folder``: kit.xlsx and, with ``pages``, the PDFs; with
    ``only``, just that item's file."""
    if only is None or only == workbook.NAME:
        workbook.write(views, kit_folder)
    if pages and only != workbook.NAME:
        print_items(views, kit_folder, only)
