"""A folder written whole or not at all, as the plan folder is (:mod:`visitplan.outputs`).

The files go into a hidden staging folder beside the target (``.DIR.tmp-*``),
holding the exclusive lock ``.DIR.lock`` beside it; only when all are written
does the staging folder take the target's place (``visitplan.folders``, as the
plan folder).  A failed or interrupted run leaves the target as it was.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from visitplan.folders import new_staging, put_in_place, replace_file, target_lock

__all__ = ["FolderError", "check_empty", "replace_file", "staged"]


class FolderError(Exception):
    """The target folder cannot take what is written."""


def check_empty(folder: Path, replaceable: Callable[[Path], bool] = lambda _: False) -> None:
    """``folder`` must not exist, be empty, or be one ``replaceable`` accepts."""
    above = next((p for p in folder.absolute().parents if p.exists()), None)
    if above is not None and not above.is_dir():
        raise FolderError(f"{folder} cannot be made: {above} is a file, not a folder")
    if folder.exists() and not folder.is_dir():
        raise FolderError(f"{folder} is a file, not a folder; not replacing it")
    if folder.is_dir() and any(folder.iterdir()) and not replaceable(folder):
        raise FolderError(f"{folder} exists and is not empty; not replacing it")


@contextmanager
def staged(folder: Path, replaceable: Callable[[Path], bool] = lambda _: False) -> Iterator[Path]:
    """A fresh staging folder; when the block ends without an error it becomes ``folder``
    (an earlier one, when ``replaceable`` allows it, is replaced as a whole)."""
    check_empty(folder, replaceable)
    with target_lock(folder):
        check_empty(folder, replaceable)
        staging = new_staging(folder)
        try:
            yield staging
            put_in_place(staging, folder.resolve())
        finally:
            shutil.rmtree(staging, ignore_errors=True)
