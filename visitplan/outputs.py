"""Writes a plan folder as a whole or not at all, one run at a time.

Every exporter writes into a fresh staging folder beside the target, which takes
the target's place only when all have finished (``folders``: one atomic
exchange, the plan folder's lock held throughout).  A failed, interrupted or
killed run leaves the target as it was.  A second run into the same folder waits
for the first to finish writing (seconds, not a solve), then replaces that plan
as a whole.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from . import kit
from .export import booklet, changes_sheet, costs_sheet, ics, plan_json, programme, site
from .folders import new_staging, put_in_place, target_lock
from .model import Visit
from .per_diem import PLANNED_MEALS, per_diem_days, planned_stays
from .plan import Plan
from .views import build_views


class OutputError(Exception):
    """The target folder cannot take a plan."""


def _costs(views, folder: Path) -> None:
    """costs.xlsx, with costs.csv or per_diem.csv: the per diems less the meals of the
    sessions each delegate attends in this plan."""
    visit = views.visit
    if visit.costs or visit.per_diem_rates:
        per_diems = per_diem_days(visit, planned_stays(visit, views.plan))
        costs_sheet.write(visit, folder / "costs.xlsx", per_diems, PLANNED_MEALS)


EXPORTERS = (
    plan_json.write,
    programme.write,
    _costs,
    ics.write,
    changes_sheet.write,
    kit.write_workbook,
    booklet.write,
    kit.write_pdfs,
    site.write,
)
"""Every output of a plan folder, in the order they are written: the site last, as
it links the others."""

PAGES = (booklet.write, kit.write_pdfs, site.write)
"""The HTML site and the PDFs: left out by ``--no-site`` (kit.xlsx is still written)."""

VISIT_COPY = "visit"
"""The plan folder's copy of the visit it was planned from, for ``visitplan kit``."""


def check_target(folder: Path) -> None:
    """The spec: DIR must not exist, or must hold an earlier plan (a plan.json)."""
    above = next((p for p in folder.absolute().parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise OutputError(f"{folder} cannot be made: {above} is a file, not a folder")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file, not a plan folder; not replacing it")
    if folder.exists() and not (folder / "plan.json").is_file():
        if not any(folder.iterdir()):
            return
        raise OutputError(
            f"{folder} exists and holds no earlier plan (plan.json); not replacing it"
        )


def previous_calendars(folder: str | Path | None) -> dict[str, bytes]:
    """The calendar files of an earlier plan folder, by path relative to it."""
    if folder is None:
        return {}
    root = Path(folder)
    return {
        path.relative_to(root).as_posix(): path.read_bytes()
        for path in sorted((root / "calendars").rglob("*.ics"))
    }


def write_outputs(
    visit: Visit,
    plan: Plan,
    folder: str | Path,
    previous: str | Path | None = None,
    *,
    pages: bool = True,
    on_wait: Callable[[], None] | None = None,
    source: str | Path | None = None,
) -> Path:
    """Write every output of ``plan`` into ``folder``; ``previous`` is the plan folder a
    re-plan replaces (its calendars give the UIDs, SEQUENCE numbers and cancellations).
    ``source`` is the visit folder or workbook the visit was read from: its files are
    copied into ``folder/visit/``.  Files an organiser put in the earlier plan's ``kit/``
    (signed sheets scanned back) are kept in the new one.

    ``on_wait`` is called when another run is writing into ``folder``; this one then
    waits for it.  Raises ``OutputError`` when ``folder`` holds something other than a
    plan, ``OSError`` when the folder cannot be written."""
    folder = Path(folder)
    with target_lock(folder, on_wait):
        check_target(folder)
        earlier = previous_calendars(previous)
        target = folder.resolve()
        staging = new_staging(folder)
        try:
            views = build_views(visit, plan, earlier)
            for exporter in EXPORTERS:
                if pages or exporter not in PAGES:
                    exporter(views, staging)
            if source is not None:
                copy_visit(Path(source), visit, staging / VISIT_COPY)
            keep_organiser_files(target / kit.KIT_DIR, staging / kit.KIT_DIR)
            put_in_place(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)  # the new plan's leftovers or the old plan
    return folder


def copy_visit(source: Path, visit: Visit, into: Path) -> None:
    """The visit's input files as read: visit.toml and the CSV files, or visit.xlsx,
    and the funder's logo."""
    folder = source if source.is_dir() else source.parent
    if source.is_dir() and (source / "visit.toml").is_file():
        files = [source / "visit.toml", *sorted(source.glob("*.csv"))]
    else:
        files = [source / "visit.xlsx" if source.is_dir() else source]
    into.mkdir(parents=True, exist_ok=True)
    for path in files:
        name = "visit.xlsx" if path.suffix.lower() == ".xlsx" else path.name
        shutil.copyfile(path, into / name)
    if visit.funder is not None and visit.funder.logo:
        logo = into / visit.funder.logo
        logo.parent.mkdir(parents=True, exist_ok=True)
        logo.write_bytes(visit.funder.logo_data or (folder / visit.funder.logo).read_bytes())


def keep_organiser_files(old: Path, new: Path, owned: frozenset[str] | None = None) -> None:
    """Copy into ``new`` every file of ``old`` that the kit does not write (``owned``:
    the kit's own file names; all of them when None) and ``new`` does not hold."""
    if not old.is_dir():
        return
    owned = frozenset(kit.FILES.values()) if owned is None else owned
    for path in sorted(old.rglob("*")):
        relative = path.relative_to(old)
        if not path.is_file() or relative.as_posix() in owned or (new / relative).exists():
            continue
        (new / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, new / relative)


def write_kit(
    folder: str | Path,
    visit: Visit,
    plan: Plan,
    *,
    only: str | None = None,
    pages: bool = True,
    on_wait: Callable[[], None] | None = None,
) -> Path:
    """Write ``folder/kit/`` again from a plan folder's plan (``visitplan kit``).

    The new kit is made in a staging folder beside the old one and takes its place in
    one exchange, holding the plan folder's lock.  ``only`` names one item (kit.NAMES):
    then every other file of the kit stays as it was.  Files the kit does not write
    always stay.  Returns the kit folder."""
    folder = Path(folder)
    with target_lock(folder, on_wait):
        root = folder.resolve()
        target = root / kit.KIT_DIR
        staging = new_staging(target)
        try:
            owned = frozenset(kit.FILES.values()) if only is None else frozenset({kit.FILES[only]})
            keep_organiser_files(target, staging, owned)
            kit.write(build_views(visit, plan), staging, pages=pages, only=only)
            put_in_place(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return target
