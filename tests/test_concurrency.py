"""Real processes against one plan folder: runs at the same time, a run killed or
interrupted while it writes.  Whatever happens, the folder holds one whole plan that
`visitplan check` passes, and no staging folder is left behind."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from visitplan.cli import main
from visitplan.folders import staging_folders

TINY = Path(__file__).resolve().parent / "visits" / "tiny"
ISSUED = "2009-08-01T10:00:00Z"
QUICK = ["--workers", "1", "--time-limit", "20", "--quiet", "--no-site"]
"""The tiny visit solves to a proven best plan in a fraction of a second, on one worker."""
PATIENCE = 120
"""Seconds a test waits for a process: far beyond what any takes, so only a hang fails."""

PAUSED_RUN = """
import sys, time
from pathlib import Path

from visitplan import outputs
from visitplan.cli import main

marker, go = Path(sys.argv[1]), Path(sys.argv[2])


def pause(views, folder):
    marker.write_text(str(folder), encoding="utf-8")
    while not go.exists():
        time.sleep(0.02)


outputs.EXPORTERS = (*outputs.EXPORTERS[:2], pause, *outputs.EXPORTERS[2:])
raise SystemExit(main(sys.argv[3:]))
"""
"""`visitplan` that stops in the middle of writing its plan folder (plan.json and
programme.xlsx staged, the calendars not yet) until the file ``go`` exists."""


SEARCHING_RUN = """
import sys
from pathlib import Path

from visitplan import cli

marker = Path(sys.argv[1])
solved = cli._solved


def observed(*args, **kwargs):
    from ortools.sat.python import cp_model

    search = cp_model.CpSolver.solve

    def solve(self, *args, **kwargs):
        marker.touch()
        return search(self, *args, **kwargs)

    cp_model.CpSolver.solve = solve
    return solved(*args, **kwargs)


cli._solved = observed
raise SystemExit(cli.main(sys.argv[2:]))
"""
"""`visitplan` that touches the file ``marker`` as each CP-SAT search starts (ortools
imported only where visitplan imports it)."""


def visitplan(*args: str, **popen) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "visitplan", *args], text=True, stderr=subprocess.PIPE, **popen
    )


def paused_run(tmp_path: Path, *args: str) -> tuple[subprocess.Popen, Path, Path]:
    marker, go = tmp_path / "paused", tmp_path / "go"
    process = subprocess.Popen(
        [sys.executable, "-c", PAUSED_RUN, str(marker), str(go), *args],
        text=True,
        stderr=subprocess.PIPE,
    )
    wait_for(lambda: marker.exists() or process.poll() is not None)
    assert marker.exists(), process.communicate()[1]
    return process, marker, go


def wait_for(condition, seconds: float = PATIENCE) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.02)


def plan_args(out: Path, issued: str = ISSUED) -> list[str]:
    return ["plan", str(TINY), "--out", str(out), *QUICK, "--issued", issued]


def files_of(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def assert_one_whole_plan(out: Path, issued: str | None = None) -> None:
    """plan.json loads, `visitplan check` passes, every output is there, nothing staged."""
    plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    if issued is not None:
        assert plan["issued"] == issued
    assert main(["check", str(TINY), str(out)]) == 0
    assert (out / "programme.xlsx").is_file() and (out / "calendars" / "programme.ics").is_file()
    delegates = {p.stem for p in (out / "calendars" / "delegates").glob("*.ics")}
    assert delegates == {a["delegate_id"] for a in plan["assignments"]}
    assert staging_folders(out) == []


@pytest.fixture
def earlier(tmp_path: Path) -> Path:
    """A plan folder holding an earlier plan."""
    out = tmp_path / "plan"
    assert main(plan_args(out)) == 0
    return out


def test_runs_at_the_same_time_into_one_folder_leave_one_whole_plan(tmp_path):
    out = tmp_path / "plan"
    runs = [visitplan(*plan_args(out, f"2009-08-0{n}T10:00:00Z")) for n in (1, 2, 3)]
    errors = [run.communicate(timeout=PATIENCE)[1] for run in runs]
    assert [run.returncode for run in runs] == [0, 0, 0], errors
    assert not any("Traceback" in error for error in errors)
    assert_one_whole_plan(out)


def test_a_run_never_removes_the_staging_folder_of_a_run_still_writing(tmp_path):
    """The deterministic form of the race above: the first run stops halfway through
    writing; a second run starts; the first resumes only once the second is done or
    waits for it.  Before the lock, the second run swept the first one's staging
    folder, and the first then failed or put a plan folder without plan.json in place."""
    out = tmp_path / "plan"
    first, _, go = paused_run(tmp_path, *plan_args(out, "2009-08-01T10:00:00Z"))
    said = tmp_path / "second.err"
    with said.open("w", encoding="utf-8") as err:
        second = subprocess.Popen(
            [sys.executable, "-m", "visitplan", *plan_args(out, "2009-08-02T10:00:00Z")],
            stderr=err,
        )
        wait_for(
            lambda: (
                second.poll() is not None
                or "waiting for another visitplan run" in said.read_text(encoding="utf-8")
            )
        )
        go.write_text("", encoding="utf-8")
        first_err = first.communicate(timeout=PATIENCE)[1]
        second.wait(timeout=PATIENCE)
    assert (first.returncode, second.returncode) == (0, 0), first_err + said.read_text()
    assert f"waiting for another visitplan run to finish writing {out}" in said.read_text()
    assert_one_whole_plan(out, "2009-08-02T10:00:00Z")  # the second, having waited, is last


def test_a_run_killed_while_writing_leaves_the_earlier_plan_and_the_next_run_succeeds(
    tmp_path, earlier
):
    before = files_of(earlier)
    run, _, _ = paused_run(tmp_path, *plan_args(earlier, "2009-08-02T10:00:00Z"))
    run.send_signal(signal.SIGKILL)
    run.wait(timeout=PATIENCE)
    assert run.returncode == -signal.SIGKILL
    assert files_of(earlier) == before  # the earlier plan, whole
    assert len(staging_folders(earlier)) == 1  # what the killed run had written so far
    assert main(["check", str(TINY), str(earlier)]) == 0
    again = visitplan(*plan_args(earlier, "2009-08-03T10:00:00Z"))  # its lock died with it
    assert again.wait(timeout=PATIENCE) == 0, again.communicate()[1]
    assert_one_whole_plan(earlier, "2009-08-03T10:00:00Z")


def test_ctrl_c_while_writing_exits_1_and_leaves_the_earlier_plan(tmp_path, earlier):
    before = files_of(earlier)
    run, _, _ = paused_run(tmp_path, *plan_args(earlier, "2009-08-02T10:00:00Z"))
    run.send_signal(signal.SIGINT)
    err = run.communicate(timeout=PATIENCE)[1]
    assert run.returncode == 1, err
    assert err.strip().splitlines()[-1] == "interrupted; nothing written"
    assert "Traceback" not in err
    assert files_of(earlier) == before and staging_folders(earlier) == []


def test_ctrl_c_while_planning_ends_the_run_at_once(tmp_path):
    """CP-SAT takes Ctrl-C for "end this search early", and leaves it killing the
    process silently after; the run must stop at once with its message, not go on to
    write the plan found so far (the bundled Latgale visit searches for a minute)."""
    out, marker = tmp_path / "plan", tmp_path / "searching"
    args = ["plan", "--out", str(out), "--workers", "1", "--no-site", "--issued", ISSUED]
    run = subprocess.Popen(
        [sys.executable, "-c", SEARCHING_RUN, str(marker), *args], text=True, stderr=subprocess.PIPE
    )
    try:
        wait_for(lambda: marker.exists() or run.poll() is not None)
        time.sleep(0.5)  # inside the search
        run.send_signal(signal.SIGINT)
        err = run.communicate(timeout=30)[1]
    finally:
        if run.poll() is None:
            os.kill(run.pid, signal.SIGKILL)
            run.wait()
    assert run.returncode == 1, err
    assert err.strip().splitlines()[-1] == "interrupted; nothing written"
    assert not out.exists() and staging_folders(out) == []
