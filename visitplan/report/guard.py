"""Files visitplan wrote, told apart from files a person has edited since.

report.docx is a draft the organiser finishes in Word or LibreOffice where it lies,
so running ``visitplan report`` again must not destroy that work.  Each run keeps,
beside the two files, ``.report.sha256``: the SHA-256 of the bytes it wrote, in
``sha256sum`` form (``sha256sum -c .report.sha256`` checks it by hand).  An existing
file is visitplan's own when its bytes still have that hash, or are the bytes about
to be written; any other file is an edit and is kept unless the caller forces it.

Why a hash and not the document's properties: Word and LibreOffice do change the
docx core properties (last modified by, modified) when they save, but python-docx,
scripts and other editors save without touching them, and a vCard file has no such
properties at all.  A hash of the exact bytes notices every change by any program, and
treats both files the same way.  Without the record (deleted, or a report written by
an older visitplan) nobody can tell who wrote a file, so it counts as edited.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from pathlib import Path

RECORD_FILE = ".report.sha256"
"""The hashes of what visitplan last wrote into a folder, one ``<hex>  <name>`` a line."""

_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


class EditedFiles(Exception):
    """Files in the way were edited since visitplan wrote them: nothing is written
    (``visitplan report`` exits 1 and says how to proceed)."""

    def __init__(self, paths: tuple[Path, ...]):
        self.paths = paths
        names = ", ".join(str(path) for path in paths)
        said = "was edited since visitplan wrote it"
        if len(paths) > 1:
            said = "were edited since visitplan wrote them"
        super().__init__(f"{names} {said}")


def edited(folder: Path, new: Mapping[str, bytes]) -> tuple[Path, ...]:
    """The files among ``new``'s names in ``folder`` that a person has changed: those
    that exist, differ from the bytes about to be written and are not what
    visitplan last wrote there."""
    written = _record(folder)
    found = []
    for name, data in new.items():
        path = folder / name
        if not path.is_file():
            continue
        existing = path.read_bytes()
        if existing != data and written.get(name) != _digest(existing):
            found.append(path)
    return tuple(found)


def record_text(files: Mapping[str, bytes]) -> bytes:
    """The record of ``files`` just written, for RECORD_FILE."""
    return "".join(f"{_digest(data)}  {name}\n" for name, data in files.items()).encode()


def _record(folder: Path) -> dict[str, str]:
    """Name to hash from ``folder``'s record; unreadable lines are no record."""
    try:
        text = (folder / RECORD_FILE).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    found = {}
    for line in text.splitlines():
        match = _LINE.fullmatch(line.strip())
        if match:
            found[match.group(2)] = match.group(1)
    return found


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
