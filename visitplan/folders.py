"""Folders written whole or not at all, one run at a time.

Whatever a command writes goes into a fresh staging folder beside its target
(``.DIR.tmp-<pid>-*``); only when every file is written does the staging folder
take the target's place: in one atomic exchange where the system offers one
(Linux), else by two renames that are undone if the second fails.  A failed,
interrupted or killed run leaves the target as it was.

Runs into the same target take turns.  Each holds an exclusive lock on the file
``.DIR.lock`` beside the target from checking the target to the final rename,
and only a run holding that lock removes leftover staging folders: every one it
finds then belongs to a run that has ended, never to a live one.  The operating
system drops the lock of a killed process, so a kill never blocks the next run.
The lock file stays: removing it would let two runs lock two different files.

The plan folder (``outputs``), the kit, the questionnaires (``survey``) and the
evaluation's files (``evaluation``) are all written this way.
"""

from __future__ import annotations

import ctypes
import errno
import os
import shutil
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path

try:
    import fcntl
except ImportError:  # not POSIX: runs into one folder are not serialised
    fcntl = None


def lock_path(folder: Path) -> Path:
    """The lock file of a target folder: ``.DIR.lock`` beside it."""
    folder = folder.resolve()
    return folder.parent / f".{folder.name}.lock"


@contextmanager
def target_lock(folder: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold the exclusive lock of ``folder`` (waiting for it if another run has it;
    ``on_wait`` is called first then, to say so)."""
    path = lock_path(folder)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)  # releases the lock


def staging_folders(folder: Path) -> list[Path]:
    """The staging (and retired) folders runs into ``folder`` made beside it."""
    folder = folder.resolve()
    return sorted(folder.parent.glob(f".{folder.name}.tmp-*"))


def new_staging(folder: Path) -> Path:
    """A fresh, empty staging folder beside ``folder``, the leftovers of ended runs
    removed first: call it holding ``folder``'s lock."""
    for stale in staging_folders(folder):
        shutil.rmtree(stale, ignore_errors=True)
    target = folder.resolve()
    staging = target.parent / f".{target.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    staging.mkdir()
    return staging


def put_in_place(staging: Path, target: Path) -> None:
    """Make ``staging`` the ``target``; an earlier target ends up at ``staging``."""
    if not target.exists():
        staging.rename(target)
        return
    if exchange(staging, target):
        return
    retired = staging.with_name(f"{staging.name}-old")
    target.rename(retired)
    try:
        staging.rename(target)
    except BaseException:
        retired.rename(target)
        raise
    retired.rename(staging)


def exchange(first: Path, second: Path) -> bool:
    """Swap two folders in one atomic step; False where the system cannot."""
    renameat2 = _renameat2()
    if renameat2 is None:
        return False
    at_cwd, swap = -100, 2  # AT_FDCWD, RENAME_EXCHANGE
    if renameat2(at_cwd, os.fsencode(first), at_cwd, os.fsencode(second), swap) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EPERM):
        return False  # an old kernel, or a file system without exchange
    raise OSError(code, os.strerror(code), str(second))


@cache
def _renameat2():
    """glibc's renameat2, or None off Linux or with a C library that lacks it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return None
    function.argtypes = (
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    )
    function.restype = ctypes.c_int
    return function


def replace_file(path: Path, data: bytes) -> None:
    """Replace ``path``'s bytes in one step (a temporary file beside it, then a rename)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
