"""A folder written whole or not at all, as the plan folder is (:mod:`visitplan.outputs`).

The files go into a hidden staging folder beside the target (``.DIR.tmp-*``),
holding the exclusive lock ``.DIR.lock`` beside it; only when all are written
does the staging folder take the target's place.  A failed or interrupted run
leaves the target as it was; the next run into it removes the leftover.  The
same scheme as ``outputs``, kept here so the questionnaire never loads the plan
writer (and with it the views and the plan).
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: runs into one folder are not serialised
    fcntl = None


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
def _lock(folder: Path) -> Iterator[None]:
    """The exclusive lock ``.DIR.lock`` beside ``folder`` (waiting for another run)."""
    target = folder.resolve()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(target.parent / f".{target.name}.lock", os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


@contextmanager
def staged(folder: Path, replaceable: Callable[[Path], bool] = lambda _: False) -> Iterator[Path]:
    """A fresh staging folder; when the block ends without an error it becomes ``folder``
    (an earlier one, when ``replaceable`` allows it, is replaced as a whole)."""
    check_empty(folder, replaceable)
    with _lock(folder):
        check_empty(folder, replaceable)
        target = folder.resolve()
        for stale in target.parent.glob(f".{target.name}.tmp-*"):  # ended runs': we hold the lock
            shutil.rmtree(stale, ignore_errors=True)
        staging = target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
        staging.mkdir()
        try:
            yield staging
            _put_in_place(staging, target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)


def _put_in_place(staging: Path, target: Path) -> None:
    """Make ``staging`` the ``target``; an earlier target ends up at ``staging``."""
    if not target.exists():
        staging.rename(target)
        return
    retired = staging.with_name(f"{staging.name}-old")
    target.rename(retired)
    try:
        staging.rename(target)
    except BaseException:
        retired.rename(target)
        raise
    retired.rename(staging)


def replace_file(path: Path, data: bytes) -> None:
    """Replace ``path``'s bytes in one step (a temporary file beside it, then a rename)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
