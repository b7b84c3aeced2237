"""A plan folder is written whole or not at all, by one run at a time (in one process;
tests/test_concurrency.py runs real processes against each other)."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import pytest

from visitplan import folders, outputs
from visitplan.check import check_plan
from visitplan.folders import lock_path, staging_folders, target_lock
from visitplan.outputs import OutputError, check_target, write_outputs
from visitplan.plan import load_plan
from visitplan.read import load_visit

from .solving import plan_and_check

TINY = Path(__file__).parent / "visits" / "tiny"


@pytest.fixture(scope="module")
def planned():
    """The tiny visit and a plan of it, checked clean."""
    visit = load_visit(TINY)
    return visit, plan_and_check(visit)


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_a_second_writer_waits_for_the_one_holding_the_lock(planned, tmp_path):
    visit, plan = planned
    out = tmp_path / "plan"
    holding, release = threading.Event(), threading.Event()

    def first_run() -> None:
        with target_lock(out):
            holding.set()
            release.wait(30)

    holder = threading.Thread(target=first_run)
    holder.start()
    assert holding.wait(30)
    waited = []

    def on_wait() -> None:
        waited.append(out.exists())
        release.set()  # the first run finishes writing

    write_outputs(visit, plan, out, pages=False, on_wait=on_wait)
    holder.join()
    assert waited == [False]  # told to wait, before anything was written
    assert check_plan(visit, load_plan(out)) == []
    assert lock_path(out) == tmp_path / ".plan.lock" and lock_path(out).is_file()


def test_a_free_target_is_written_without_waiting(planned, tmp_path):
    visit, plan = planned
    waited = []
    write_outputs(visit, plan, tmp_path / "plan", pages=False, on_wait=lambda: waited.append(1))
    assert waited == [] and (tmp_path / "plan" / "plan.json").is_file()


def test_staging_folders_left_by_ended_runs_are_removed(planned, tmp_path):
    visit, plan = planned
    out = tmp_path / "plan"
    stale = tmp_path / ".plan.tmp-4194303-deadbeef"  # a run killed while writing
    (stale / "calendars").mkdir(parents=True)
    (stale / "calendars" / "programme.ics").write_text("half", encoding="utf-8")
    other = tmp_path / ".other.tmp-4194303-deadbeef"  # another target's: not ours to remove
    other.mkdir()
    write_outputs(visit, plan, out, pages=False)
    assert staging_folders(out) == [] and other.is_dir()


def test_a_failing_exporter_leaves_the_earlier_plan_as_it_was(planned, tmp_path, monkeypatch):
    visit, plan = planned
    out = tmp_path / "plan"
    write_outputs(visit, plan, out, pages=False)
    before = files_of(out)

    def broken(views, folder):
        (folder / "half.txt").write_text("half", encoding="utf-8")
        raise RuntimeError("disk full")

    monkeypatch.setattr(outputs, "EXPORTERS", (*outputs.EXPORTERS[:2], broken))
    with pytest.raises(RuntimeError, match="disk full"):
        write_outputs(visit, plan, out, pages=False)
    assert files_of(out) == before and staging_folders(out) == []


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_the_new_plan_takes_the_earlier_ones_place_in_one_exchange(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    first.mkdir()
    second.mkdir()
    (first / "plan.json").write_text("new", encoding="utf-8")
    (second / "plan.json").write_text("old", encoding="utf-8")
    assert folders.exchange(first, second)
    assert (second / "plan.json").read_text(encoding="utf-8") == "new"
    assert (first / "plan.json").read_text(encoding="utf-8") == "old"


def test_without_an_exchange_a_failed_rename_puts_the_earlier_plan_back(
    planned, tmp_path, monkeypatch
):
    """Where the system has no atomic exchange, the two renames are undone together."""
    visit, plan = planned
    out = tmp_path / "plan"
    write_outputs(visit, plan, out, pages=False)
    before = files_of(out)
    monkeypatch.setattr(folders, "exchange", lambda first, second: False)
    rename, interrupted = Path.rename, []

    def failing(self, target):
        if not interrupted and self.name.startswith(".plan.tmp-") and Path(target) == out.resolve():
            interrupted.append(self)
            raise KeyboardInterrupt  # Ctrl-C between taking the plan away and putting the new one
        return rename(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(KeyboardInterrupt):
        write_outputs(visit, plan, out, pages=False)
    monkeypatch.undo()
    assert interrupted and files_of(out) == before and staging_folders(out) == []


def test_a_target_that_is_a_file_or_below_one_is_refused(tmp_path):
    note = tmp_path / "notes.txt"
    note.write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match="is a file, not a plan folder"):
        check_target(note)
    with pytest.raises(OutputError, match=r"notes.txt is a file, not a folder"):
        check_target(note / "plan")
    assert note.read_text(encoding="utf-8") == "mine"
