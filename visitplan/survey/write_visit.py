"""The collected answers written into a visit: a new visit folder, or the visit's own
delegates table replaced in one step (``--in-place``).

Either way the result is read back with the project's reader before it counts:
a problem the visit did not have before (two must-attend sessions at once a
check here missed, say) stops the run with nothing written.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from visitplan.model import Delegate, Visit
from visitplan.read import Problem, read_visit

from . import delegates_table
from .collect import Change, Collected
from .folder import replace_file, staged

DELEGATES_CSV = "delegates.csv"


class NewProblems(Exception):
    """The visit with the answers in would not read as it did: ``problems`` says why."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = tuple(problems)
        super().__init__("\n".join(map(str, self.problems)))


def updates(collected: Collected) -> dict[str, dict[str, str]]:
    """The cells to write per delegate: only the columns an answer changed."""
    cells: dict[str, dict[str, str]] = {}
    for change in collected.changes:
        values = _cells(change)
        if values:
            cells[change.delegate.id.casefold()] = values
    return cells


def _cells(change: Change) -> dict[str, str]:
    delegate: Delegate = change.delegate
    values = {}
    if change.added or change.removed or change.changed:
        values["interests"] = "; ".join(f"{t}:{w}" for t, w in delegate.interests)
    if change.must_added or change.must_removed:
        values["must_attend"] = "; ".join(delegate.must_attend)
    if change.needs is not None:
        values["needs"] = delegate.needs
    return values


def table_path(source: Path) -> Path:
    """The file holding the delegates: delegates.csv, or the visit's workbook."""
    if source.is_dir():
        if (source / "visit.toml").is_file():
            return source / DELEGATES_CSV
        return source / "visit.xlsx"
    return source


def new_table(source: Path, collected: Collected) -> bytes:
    path = table_path(source)
    if path.suffix.casefold() == ".xlsx":
        return delegates_table.workbook_bytes(path, updates(collected))
    return delegates_table.csv_bytes(path.read_bytes(), updates(collected))


def write_new_visit(source: Path, visit: Visit, collected: Collected, out: Path) -> Path:
    """A new visit folder ``out`` (absent or empty): the visit's files with the answers
    in.  Raises NewProblems (nothing written) when it would not read as the visit did."""
    data = new_table(source, collected)
    with staged(out) as staging:
        _copy_visit(source, visit, staging)
        (staging / table_path(source).name).write_bytes(data)
        _verify(source, staging if source.is_dir() else staging / source.name)
    return out


def write_in_place(source: Path, visit: Visit, collected: Collected) -> Path:
    """Replace the visit's delegates table in one step; every other file, column and row
    stays.  Raises NewProblems (nothing written) as :func:`write_new_visit` does."""
    path = table_path(source)
    data = new_table(source, collected)
    with tempfile.TemporaryDirectory(prefix="visitplan-survey-") as scratch:
        trial = Path(scratch) / "visit"
        _copy_visit(source, visit, trial)
        (trial / path.name).write_bytes(data)
        _verify(source, trial if source.is_dir() else trial / source.name)
    replace_file(path, data)
    return path


def _copy_visit(source: Path, visit: Visit, into: Path) -> None:
    """The visit's own files: the folder's files (not its subfolders, not hidden ones)
    and the funder's logo; or the workbook."""
    into.mkdir(parents=True, exist_ok=True)
    files = sorted(source.iterdir()) if source.is_dir() else [source]
    for path in files:
        if path.is_file() and not path.name.startswith("."):
            shutil.copy2(path, into / path.name)
    if visit.funder is not None and visit.funder.logo and not (into / visit.funder.logo).exists():
        logo = into / visit.funder.logo
        logo.parent.mkdir(parents=True, exist_ok=True)
        logo.write_bytes(visit.funder.logo_data)


def _verify(source: Path, written: Path) -> None:
    """Raise NewProblems for any problem ``written`` has that ``source`` has not."""
    _, before = read_visit(source)
    _, after = read_visit(written)
    known = {str(p) for p in before}
    new = [p for p in after if str(p) not in known]
    if new:
        raise NewProblems(new)
