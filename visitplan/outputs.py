"""Writes a plan folder as a whole or not at all.

Every exporter writes into a fresh temporary folder beside the target; only
when all have finished is it renamed into place, replacing an earlier plan.
A failed or killed run leaves the target untouched (at worst a hidden
``.DIR.tmp-*`` folder, removed on the next run)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .export import booklet, changes_sheet, costs_sheet, ics, plan_json, programme, site
from .model import Visit
from .plan import Plan
from .views import build_views


class OutputError(Exception):
    """The target folder cannot take a plan."""


def _costs(views, folder: Path) -> None:
    if views.visit.costs:
        costs_sheet.write(views.visit, folder / "costs.xlsx")


EXPORTERS = (
    plan_json.write,
    programme.write,
    _costs,
    ics.write,
    changes_sheet.write,
    booklet.write,
    site.write,
)
"""Every output of a plan folder, in the order they are written: the site last, as
it links the others."""

PAGES = (booklet.write, site.write)
"""The HTML site and the PDF printed from it: left out by ``--no-site``."""


def check_target(folder: Path) -> None:
    """The spec: DIR must not exist, or must hold an earlier plan (a plan.json)."""
    if folder.exists() and not (folder / "plan.json").is_file():
        if folder.is_dir() and not any(folder.iterdir()):
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
) -> Path:
    """Write every output of ``plan`` into ``folder``; ``previous`` is the plan folder a
    re-plan replaces (its calendars give the UIDs, SEQUENCE numbers and cancellations)."""
    folder = Path(folder)
    earlier = previous_calendars(previous)
    check_target(folder)
    parent = folder.resolve().parent
    parent.mkdir(parents=True, exist_ok=True)
    for stale in parent.glob(f".{folder.name}.tmp-*"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-", dir=parent))
    try:
        views = build_views(visit, plan, earlier)
        for exporter in EXPORTERS:
            if pages or exporter not in PAGES:
                exporter(views, staging)
        if folder.exists():
            retired = Path(tempfile.mkdtemp(prefix=f".{folder.name}.tmp-old-", dir=parent))
            folder.rename(retired / folder.name)
            staging.rename(folder)
            shutil.rmtree(retired, ignore_errors=True)
        else:
            staging.rename(folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return folder
