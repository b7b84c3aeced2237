"""Writing the evaluation, whole or not at all, one run at a time.

The forms folder (OUT_DIR) is written like a plan folder (:mod:`visitplan.folders`):
into a staging folder beside it that takes its place in one exchange, holding the
folder's lock.  OUT_DIR must not exist, be empty, or hold earlier forms (an
evaluation.csv), which are replaced as a whole.

The collected results go into the plan folder, holding the plan folder's lock (so a
plan run into the same folder waits): evaluation.xlsx and evaluation.json, each
through a temporary file, and, where the plan folder has a site, the site again with
its evaluation page, made in a staging folder that takes the site's place in one
exchange.  Everything is made before anything is put in place, so a failure while
making leaves the plan folder as it was.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from visitplan.export import site
from visitplan.export.cells import save, workbook_bytes
from visitplan.folders import new_staging, put_in_place, target_lock
from visitplan.outputs import OutputError
from visitplan.views import Views

from . import form, online, workbook
from .attendance import recipients
from .summary import JSON_FILE, Summary

FORMS_MARKER = online.FILE
"""The file that marks a folder as evaluation forms (so it may be replaced)."""


def check_forms_target(folder: Path) -> None:
    """OUT_DIR must not exist, be empty, or hold earlier forms."""
    above = next((p for p in folder.absolute().parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise OutputError(f"{folder} cannot be made: {above} is a file, not a folder")
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{folder} is a file, not a folder; not replacing it")
    if folder.exists() and any(folder.iterdir()) and not (folder / FORMS_MARKER).is_file():
        raise OutputError(
            f"{folder} exists and holds no earlier evaluation forms ({FORMS_MARKER}); "
            "not replacing it"
        )


def write_forms(
    views: Views, folder: str | Path, on_wait: Callable[[], None] | None = None
) -> list[Path]:
    """Write every delegate's form and evaluation.csv into ``folder``; returns the forms."""
    folder = Path(folder)
    with target_lock(folder, on_wait):
        check_forms_target(folder)
        target = folder.resolve()
        staging = new_staging(folder)
        try:
            names = []
            for delegate_id in recipients(views):
                name = form.file_name(delegate_id)
                save(form.build(views, delegate_id), staging / name, views.plan.issued)
                names.append(name)
            (staging / online.FILE).write_bytes(online.header_bytes(views))
            put_in_place(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return [folder / name for name in names]


def write_results(
    views: Views,
    summary: Summary,
    plan_dir: str | Path,
    moment: datetime,
    on_wait: Callable[[], None] | None = None,
) -> list[Path]:
    """Write evaluation.xlsx and evaluation.json into the plan folder and, where it has
    a site, the site again with its evaluation page; returns what was written."""
    plan_dir = Path(plan_dir)
    with target_lock(plan_dir, on_wait):
        root = plan_dir.resolve()
        if not (root / "plan.json").is_file():
            raise OutputError(f"{plan_dir} holds no plan (plan.json)")
        for stale in root.glob(f".{site.SITE_DIR}.tmp-*"):
            shutil.rmtree(stale, ignore_errors=True)
        tag = f"{os.getpid()}-{uuid.uuid4().hex[:8]}"
        made = {
            root / workbook.FILE: workbook_bytes(workbook.build(views, summary), moment),
            root / JSON_FILE: summary.json_bytes(),
        }
        temporary = {path: path.with_name(f".{path.name}.{tag}.tmp") for path in made}
        staging = root / f".{site.SITE_DIR}.tmp-{tag}"
        has_site = (root / site.SITE_DIR).is_dir()
        try:
            for path, data in made.items():
                temporary[path].write_bytes(data)
            if has_site:
                beside = site.plan_files(root) | {workbook.FILE, JSON_FILE}
                pages = site.render_site(views, beside, evaluation=summary.as_json())
                site.write_pages(pages, staging)
            for path in made:
                os.replace(temporary[path], path)
            if has_site:
                put_in_place(staging, root / site.SITE_DIR)
        finally:
            for path in temporary.values():
                path.unlink(missing_ok=True)
            shutil.rmtree(staging, ignore_errors=True)
    written = [plan_dir / workbook.FILE, plan_dir / JSON_FILE]
    return written + ([plan_dir / site.SITE_DIR / site.EVALUATION_PAGE] if has_site else [])
