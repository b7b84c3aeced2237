"""The visitplan command as an organiser uses it: exit codes, messages, and
plan folders that are whole or absent."""

from __future__ import annotations

import argparse
import json
import re
import shutil
from importlib import metadata
from pathlib import Path

import pytest
from openpyxl import load_workbook

from visitplan.check import check_plan
from visitplan.cli import GOAL_WORDS, _proof_words, main, parser
from visitplan.plan import SolveReport, load_plan
from visitplan.read import load_visit

TINY = Path(__file__).parent / "visits" / "tiny"
ISSUED = "2009-08-01T10:00:00Z"
FAST = ["--workers", "1", "--time-limit", "20", "--quiet", "--issued", ISSUED]


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    return folder


def test_validate_summarises_a_valid_visit(tiny, capsys):
    assert main(["validate", str(tiny)]) == 0
    out = capsys.readouterr().out
    assert "delegates: " in out and "sessions: " in out


def test_invalid_input_exits_2_naming_file_row_and_column_and_writes_nothing(
    tiny, tmp_path, capsys
):
    sessions = tiny / "sessions.csv"
    lines = sessions.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("minutes")] = "50"
    lines[1] = ",".join(row)
    sessions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "plan"
    assert main(["plan", str(tiny), "--out", str(out), *FAST]) == 2
    err = capsys.readouterr().err
    assert "sessions.csv:2: minutes:" in err
    assert not out.exists()


def test_a_plan_folder_holds_a_plan_that_keeps_every_rule(tiny, tmp_path):
    out = tmp_path / "plan"
    assert main(["plan", str(tiny), "--out", str(out), *FAST]) == 0
    visit, plan = load_visit(tiny), load_plan(out)
    assert check_plan(visit, plan) == []
    assert main(["check", str(tiny), str(out)]) == 0
    book = load_workbook(out / "programme.xlsx")
    rows = [tuple(r) for r in book["Assignments"].iter_rows(min_row=2, values_only=True)]
    expected = {
        (
            a.delegate_id,
            a.session_id,
            a.host_id,
            a.date.isoformat(),
            a.start.strftime("%H:%M"),
            a.end.strftime("%H:%M"),
        )
        for a in plan.assignments
    }
    assert set(rows) == expected and len(rows) == len(expected)
    assert (out / "costs.xlsx").is_file() == bool(visit.costs)
    assert not list(tmp_path.glob(".plan.tmp-*"))


def test_check_finds_a_broken_plan(tiny, tmp_path, capsys):
    out = tmp_path / "plan"
    assert main(["plan", str(tiny), "--out", str(out), *FAST]) == 0
    data = json.loads((out / "plan.json").read_text(encoding="utf-8"))
    data["sessions"] = data["sessions"][1:]
    (out / "plan.json").write_text(json.dumps(data), encoding="utf-8")
    capsys.readouterr()
    assert main(["check", str(tiny), str(out)]) == 1
    assert "rule " in capsys.readouterr().out


def test_same_seed_and_one_worker_give_the_same_plan_json(tiny, tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["plan", str(tiny), "--out", str(first), *FAST]) == 0
    assert main(["plan", str(tiny), "--out", str(second), *FAST]) == 0
    a = json.loads((first / "plan.json").read_text(encoding="utf-8"))
    b = json.loads((second / "plan.json").read_text(encoding="utf-8"))
    if a["report"]["status"] == "OPTIMAL":
        for report in (a["report"], b["report"]):
            report.pop("seconds")
            report.pop("first_plan_seconds")
        assert a == b


def test_an_impossible_session_exits_3_and_names_host_and_window(tiny, tmp_path, capsys):
    sessions = tiny / "sessions.csv"
    lines = sessions.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[2].split(",")  # ntnu-edu, required; the host's longest window is 6.5 h
    row[header.index("minutes")] = "420"
    lines[2] = ",".join(row)
    sessions.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "plan"
    assert main(["plan", str(tiny), "--out", str(out), *FAST]) == 3
    err = capsys.readouterr().err
    assert "Session ntnu-edu (420 min)" in err and "cannot be held" in err
    assert "2009-08-25 07:30–14:00" in err
    assert not out.exists()


def test_a_folder_that_is_not_a_plan_is_never_replaced(tiny, tmp_path):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    assert main(["plan", str(tiny), "--out", str(out), *FAST]) == 1
    assert (out / "notes.txt").read_text(encoding="utf-8") == "mine"


def test_template_reads_back_as_a_visit(tmp_path):
    path = tmp_path / "visit.xlsx"
    assert main(["template", str(path)]) == 0
    assert load_visit(path).id


def test_replan_reports_changes_and_cancels_the_dropped_delegates_events(tiny, tmp_path, capsys):
    first, second = tmp_path / "v1", tmp_path / "v2"
    assert main(["plan", str(tiny), "--out", str(first), "--no-site", *FAST]) == 0
    delegates = tiny / "delegates.csv"
    lines = delegates.read_text(encoding="utf-8").splitlines()
    dropped = lines[-1].split(",")[0]
    delegates.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")
    capsys.readouterr()
    args = ["replan", str(tiny), "--previous", str(first), "--out", str(second), "--no-site"]
    assert main([*args, *FAST[:-2], "--issued", "2009-08-10T10:00:00Z"]) == 0
    out = capsys.readouterr().out
    assert f"delegate {dropped}" in out
    assert check_plan(load_visit(tiny), load_plan(second)) == []
    sheet = load_workbook(second / "changes.xlsx")["Changes"]
    rows = [r for r in sheet.iter_rows(min_row=2, values_only=True)]
    assert any(r[0] == "delegate" and r[1] == dropped and r[6] == "removed" for r in rows)
    ics = (second / "calendars" / "delegates" / f"{dropped}.ics").read_text(encoding="utf-8")
    assert ics.count("BEGIN:VEVENT") == ics.count("STATUS:CANCELLED") > 0
    kept = json.loads((second / "plan.json").read_text(encoding="utf-8"))["changes"]
    changed = {c["id"] for c in kept if c["who"] == "delegate"}
    # besides the dropped delegate, at most the one who fills their seat at a min_size session
    assert dropped in changed and len(changed) <= 2


def test_a_deterministic_limit_and_one_worker_give_the_same_plan_json(tmp_path):
    """Without the guard of the test above: whatever the status, the plans agree."""
    visit = Path(__file__).parents[1] / "data" / "latgale-trondelag-2009"
    runs = []
    for name in ("a", "b"):
        out = tmp_path / name
        args = ["plan", str(visit), "--out", str(out), "--deterministic-time", "0.5"]
        assert main([*args, "--workers", "1", "--quiet", "--issued", ISSUED, "--no-site"]) == 0
        plan = json.loads((out / "plan.json").read_text(encoding="utf-8"))
        assert plan["report"]["parameters"]["max_deterministic_time"] == 0.5
        assert "max_time_in_seconds" not in plan["report"]["parameters"]
        plan["report"].pop("seconds")
        plan["report"].pop("first_plan_seconds")
        runs.append(plan)
    assert runs[0] == runs[1]
    assert len(runs[0]["assignments"]) > 200  # a whole plan, not an empty one


def test_the_plan_report_says_what_each_goal_could_be(tiny, tmp_path, capsys):
    out = tmp_path / "out"
    assert main(["plan", str(tiny), "--out", str(out), *FAST]) == 0
    report = json.loads((out / "plan.json").read_text(encoding="utf-8"))["report"]
    bounds, goals = report["goal_bounds"], report["goals"]
    assert set(bounds) == {"fairness", "interest", "optional"}
    assert bounds["fairness"] >= goals["fairness"] and bounds["interest"] >= goals["interest"]
    assert bounds["optional"] <= goals["optional"]  # left out: fewer is better
    printed = capsys.readouterr().out
    for name in ("fairness", "interest", "optional"):
        line = next(x for x in printed.splitlines() if x.startswith(f"  {name}: "))
        proven = bounds[name] == goals[name]
        assert line.startswith(
            f"  {name}: {goals[name]}"
            + (" (proven best)" if proven else f" (could be {bounds[name]})")
        )
        assert line.endswith(GOAL_WORDS[name])
    for name in ("vehicle_minutes", "rider_minutes", "idle_minutes"):  # no bound: none claimed
        line = next(x for x in printed.splitlines() if x.startswith(f"  {name}: "))
        assert "proven" not in line and "could be" not in line
        assert line.endswith(GOAL_WORDS[name])
    assert load_plan(out).report.goal_bounds == bounds


def test_the_headline_names_the_first_goal_not_proven_best_in_its_own_count():
    """Not the weighted gap, a number no organiser can read (0.01% here, with interest
    6% short of what it could be)."""
    goals = {"fairness": 594, "interest": 1684, "optional": 0, "idle_minutes": 4425}
    bounds = {"fairness": 594, "interest": 1797, "optional": 0}
    weighted = SolveReport("FEASIBLE", gap=0.000086, goals=goals, goal_bounds=bounds)
    assert _proof_words(weighted) == ", not proven best: interest 1684 could be up to 1797"
    # a minimised goal: 13 left out where none might be
    left_out = SolveReport(
        "FEASIBLE", gap=0.5, goals={**goals, "interest": 1797, "optional": 13}, goal_bounds=bounds
    )
    assert _proof_words(left_out) == ", not proven best: optional 13 could be down to 0"
    proven = SolveReport(
        "FEASIBLE", gap=0.000086, goals={**goals, "interest": 1797}, goal_bounds=bounds
    )
    assert _proof_words(proven) == ", proven best"  # every goal with a bound reaches it
    assert _proof_words(SolveReport("OPTIMAL", goals=goals)) == ", proven best"
    assert _proof_words(SolveReport("FEASIBLE", gap=0.2, goals=goals)) == ", not proven best"
    for report in (weighted, left_out, proven):
        assert "gap" not in _proof_words(report) and "bound" not in _proof_words(report)


# -- files an organiser already has are never lost ------------------------------------


def test_template_never_replaces_an_existing_workbook_without_force(tmp_path, capsys):
    path = tmp_path / "filled.xlsx"
    assert main(["template", str(path)]) == 0
    book = load_workbook(path)
    book["delegates"]["A3"] = "my-own-delegate"
    book.save(path)
    filled = path.read_bytes()
    capsys.readouterr()
    assert main(["template", str(path)]) == 1
    assert (
        capsys.readouterr().err == f"error: {path} exists; not replacing it (--force replaces it)\n"
    )
    assert path.read_bytes() == filled
    assert main(["template", str(path), "--force"]) == 0
    assert load_workbook(path)["delegates"]["A3"].value != "my-own-delegate"
    assert [p.name for p in tmp_path.iterdir()] == ["filled.xlsx"]  # no temporary file left


@pytest.mark.parametrize("command", ["template", "convert"])
def test_a_workbook_name_that_is_not_xlsx_is_refused(tmp_path, capsys, command):
    out = tmp_path / "out.csv"
    args = [command, *([str(TINY)] if command == "convert" else []), str(out)]
    assert main(args) == 2
    assert capsys.readouterr().err == f"error: {out}: the workbook's name must end in .xlsx\n"
    assert not out.exists()


def test_convert_reads_a_visit_folder_and_never_replaces_an_existing_file(tmp_path, capsys):
    out = tmp_path / "visit.xlsx"
    assert main(["convert", str(TINY), str(out)]) == 0
    assert load_visit(out).id == load_visit(TINY).id
    capsys.readouterr()
    again = tmp_path / "again.xlsx"
    assert main(["convert", str(out), str(again)]) == 2  # a workbook, not a folder
    err = capsys.readouterr().err
    assert err.startswith(f"error: {out} is a file; convert reads a visit folder")
    assert err.count("\n") == 1 and not again.exists()
    out.write_bytes(b"organiser's own")
    assert main(["convert", str(TINY), str(out)]) == 1
    assert "exists; not replacing it" in capsys.readouterr().err
    assert out.read_bytes() == b"organiser's own"
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    assert main(["convert", str(TINY), str(folder)]) == 1 and folder.is_dir()
    assert main(["convert", str(TINY), str(out), "--force"]) == 0
    assert load_visit(out).id == load_visit(TINY).id


# -- a path that is not what a command expects: one line, the right exit status --------


@pytest.fixture
def unreadable(tmp_path: Path) -> dict[str, tuple[Path, str]]:
    """Plan paths a command cannot read, each with the words that must say why."""
    truncated = tmp_path / "truncated"
    truncated.mkdir()
    (truncated / "plan.json").write_text('{"schema_version": 1, "visit_id": "ti', encoding="utf-8")
    note = tmp_path / "notes.txt"
    note.write_text("mine", encoding="utf-8")
    return {
        "truncated": (
            truncated,
            "plan.json is not a plan.json: truncated or not JSON (line 1 column",
        ),
        "missing": (tmp_path / "nowhere", f"no plan folder at {tmp_path / 'nowhere'}"),
        "a file": (note, f"{note} is not a plan.json: truncated or not JSON (line 1 column 1)"),
        "empty": (tmp_path, f"{tmp_path} holds no plan.json: not a plan folder"),
    }


@pytest.mark.parametrize("case", ["truncated", "missing", "a file", "empty"])
@pytest.mark.parametrize("command", ["check", "replan", "publish", "show"])
def test_a_plan_that_cannot_be_read_is_one_line_and_exit_2(
    tiny, tmp_path, capsys, unreadable, command, case
):
    path, words = unreadable[case]
    args = {
        "check": ["check", str(tiny), str(path)],
        "replan": ["replan", str(tiny), "--previous", str(path), "--out", str(tmp_path / "new")],
        "publish": ["publish", str(path), "--caldav", "http://127.0.0.1:9/"],
        "show": ["show", str(path)],
    }[command]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: ") and words in err, err
    assert not (tmp_path / "new").exists()


def test_a_plan_folder_below_a_file_is_refused_before_planning(tiny, tmp_path, capsys):
    note = tmp_path / "notes.txt"
    note.write_text("mine", encoding="utf-8")
    assert main(["plan", str(tiny), "--out", str(note / "plan"), *FAST]) == 1
    err = capsys.readouterr().err
    assert err == f"error: {note / 'plan'} cannot be made: {note} is a file, not a folder\n"
    assert note.read_text(encoding="utf-8") == "mine"


# -- --help and --version ------------------------------------------------------------


def test_help_of_every_command_describes_each_option_its_exit_status_and_an_example(capsys):
    top = parser()
    commands = next(a for a in top._actions if isinstance(a, argparse._SubParsersAction))
    assert set(commands.choices) >= {"validate", "plan", "replan", "check", "template", "convert"}
    for name, command in commands.choices.items():
        for action in command._actions:
            assert action.help and action.help != argparse.SUPPRESS, (name, action.dest)
        with pytest.raises(SystemExit) as done:
            main([name, "--help"])
        assert done.value.code == 0
        text = capsys.readouterr().out
        codes = text.split("exit status:\n", 1)[1].split("\n\n", 1)[0]
        assert re.search(r"^  0 ", codes, re.M), (name, codes)
        assert re.search(r"^examples?:\n  (DAV_PASSWORD=\S+ )?visitplan " + name, text, re.M), name
    solving = commands.choices["plan"].format_help()
    for code in "01234":
        assert re.search(rf"^  {code} \w", solving, re.M)
    assert "bound" in solving and "gap" in solving  # the live line's words, explained
    assert re.search(r"^  2 .*cannot be read", commands.choices["check"].format_help(), re.M)


def test_version_is_the_installed_packages(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out == f"visitplan {metadata.version('visitplan')}\n"


def test_workers_default_to_this_machines_cores_at_most_8_and_the_report_says_so(
    tmp_path, capsys, monkeypatch
):
    import os

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(12)))
    out = tmp_path / "plan"
    argv = ["plan", str(TINY), "--out", str(out), "--time-limit", "20", "--quiet"]
    assert main([*argv, "--issued", ISSUED, "--no-site"]) == 0
    assert " on 8 worker(s)" in capsys.readouterr().out
    plan = load_plan(out)
    assert plan.report.workers == 8
    assert check_plan(load_visit(TINY), plan) == []
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert parser().parse_args(["plan"]).workers is None  # resolved when the run starts
    from visitplan.cli import default_workers

    assert default_workers() == 1


@pytest.mark.parametrize("bad", ["0", "65", "two"])
def test_workers_outside_1_to_64_are_refused(bad, capsys):
    with pytest.raises(SystemExit) as stop:
        main(["plan", "--workers", bad])
    assert stop.value.code == 2
    assert "--workers" in capsys.readouterr().err
