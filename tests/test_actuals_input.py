"""What `visitplan actuals` reads: actual.csv and the kit's ticked sign-in sheets.

Every bad row gets its own `file:row: column: what is wrong` line, all at once, exit
2 and nothing written; the kit's sign-in sheets with ticks taken away give the same
result as the actual.csv that says the same; walk-ins are listed, not refused.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest

from visitplan import costs
from visitplan.actuals import compare, read_actuals
from visitplan.actuals.differences import differences
from visitplan.actuals.sheet import write
from visitplan.check import check_plan
from visitplan.cli import main
from visitplan.plan import dumps
from visitplan.read import load_visit

from .actualcases import HEADER, case, names, no_show_and_late_csv, signed_kit
from .kitplans import tiny

DATA = Path(__file__).resolve().parents[1] / "data"
EXTRA = "extra,A session the plan leaves out,base,60,other,,choice,no,,,,,,,,\n"


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """A visit folder (the Vidzeme seed with an optional session the plan leaves out)
    and a plan folder holding the kit tests' plan of it, checked clean against it."""
    c = case()
    root = tmp_path_factory.mktemp("cli")
    visit_folder = root / "visit"
    shutil.copytree(DATA / "vidzeme-ostfold-2009", visit_folder)
    with (visit_folder / "sessions.csv").open("a", encoding="utf-8") as sessions:
        sessions.write(EXTRA)
    visit = load_visit(visit_folder)
    assert check_plan(visit, c.plan) == []
    plan_folder = root / "plan"
    plan_folder.mkdir()
    (plan_folder / "plan.json").write_text(dumps(c.plan), encoding="utf-8")
    return c, visit, visit_folder, plan_folder


def run_cli(folders, text: str, tmp_path: Path, capsys) -> tuple[int, str, str, Path]:
    c, _, visit_folder, plan_folder = folders
    source = tmp_path / "actual.csv"
    source.write_text(text, encoding="utf-8")
    out = tmp_path / "actuals.xlsx"
    code = main(["actuals", str(visit_folder), str(plan_folder), str(source), "--out", str(out)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err, out


def test_the_command_writes_the_workbook_and_prints_the_totals(folders, tmp_path, capsys):
    c = folders[0]
    code, out, err, path = run_cli(folders, no_show_and_late_csv(c), tmp_path, capsys)
    assert code == 0, err
    assert path.exists()
    figures = names(path)
    assert f"{figures['actual_total_cost']:,.2f}" in out
    assert f"{figures['planned_total_cost']:,.2f}" in out
    assert "1 arrived late" in out and "1 no-show day(s)" in out
    assert f"{len(c.plan.assignments) - len(c.missed)} of {len(c.plan.assignments)}" in out


def test_the_default_workbook_goes_into_the_plan_folder(folders, tmp_path, capsys):
    c, _, visit_folder, plan_folder = folders
    source = tmp_path / "actual.csv"
    source.write_text(HEADER, encoding="utf-8")
    try:
        assert main(["actuals", str(visit_folder), str(plan_folder), str(source)]) == 0
        assert (plan_folder / "actuals.xlsx").exists()
    finally:
        (plan_folder / "actuals.xlsx").unlink(missing_ok=True)


def bad_rows(c) -> dict[str, tuple[str, str]]:
    """A bad row of actual.csv for each kind of problem, with the column and words expected."""
    a = c.plan.sorted().assignments[0]
    out = costs.travel_out(c.visit, c.visit.delegate(c.late))
    return {
        "nobody,{s},no,,": ("delegate_id", "'nobody' is no delegate of the visit"),
        "{d},nothing,no,,": ("session_id", "'nothing' is no session of the visit"),
        "{d},extra,yes,,": ("session_id", "'extra' is not held in the plan"),
        "{d},{s},maybe,,": ("present", "'maybe' is not yes or no"),
        f"ghost,,,{c.visit.depart_day},": ("delegate_id", "'ghost' is no delegate of the visit"),
        "{d},{s},,,": ("present", "missing: write yes or no"),
        f"{{d}},,,{c.visit.depart_day - timedelta(days=2)},": ("travel_out", "is outside"),
        f"{{d}},,,,{c.visit.return_day + timedelta(days=2)}": ("travel_home", "is outside"),
        f"{c.late},,,{out + timedelta(days=3)},{out + timedelta(days=2)}": (
            "travel_home",
            "before travelling out",
        ),
        "{d},,,2009-13-01,": ("travel_out", "is not a date"),
        "{d},,,,": (None, "nothing recorded"),
        f"{a.delegate_id},{a.session_id},yes,{a.date + timedelta(days=1)},": (
            "present",
            "outside",
        ),
    }


def test_every_bad_row_gets_its_message_at_once_and_nothing_is_written(folders, tmp_path, capsys):
    c = folders[0]
    a = c.plan.sorted().assignments[0]
    rows = bad_rows(c)
    lines = [row.format(d=a.delegate_id, s=a.session_id) for row in rows]
    code, out, err, path = run_cli(folders, HEADER + "\n".join(lines) + "\n", tmp_path, capsys)
    assert code == 2
    assert not path.exists()
    assert out == ""
    messages = err.splitlines()
    for line_number, (column, words) in enumerate(rows.values(), start=2):
        place = f"actual.csv:{line_number}: " + (f"{column}: " if column else "")
        assert any(m.startswith(place) and words in m for m in messages), (place, words, err)
    assert (
        messages[-1]
        == f"{len(messages) - 1} problem(s) in {tmp_path / 'actual.csv'}; nothing written"
    )


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("delegate_id,session,present\n", "actual.csv:1: session: unknown column"),
        ("session_id,present\n", "delegate_id: missing column"),
        ("delegate_id,session_id,present\n{d},{s},yes\n{d},{s},no\n", "is already on row 2"),
        ("delegate_id,session_id,present\n{d},{s},y\x07s\n", "'y\\x07s' is not yes or no"),
    ],
)
def test_a_bad_file_is_refused_with_its_reason(folders, tmp_path, capsys, text, words):
    a = folders[0].plan.sorted().assignments[0]
    code, _, err, path = run_cli(
        folders, text.format(d=a.delegate_id, s=a.session_id), tmp_path, capsys
    )
    assert code == 2 and not path.exists()
    assert words in err
    assert "\x07" not in err


def test_a_file_that_is_not_utf8_is_refused(folders, tmp_path, capsys):
    c, _, visit_folder, plan_folder = folders
    source = tmp_path / "actual.csv"
    source.write_bytes(HEADER.encode() + "p01,v-open,nē,,\n".encode("cp1257"))
    code = main(["actuals", str(visit_folder), str(plan_folder), str(source)])
    assert code == 2
    assert "actual.csv:2: not UTF-8 text" in capsys.readouterr().err
    assert not (plan_folder / "actuals.xlsx").exists()


def test_a_semicolon_csv_with_a_bom_reads_as_the_comma_one(folders, tmp_path):
    c, visit, _, _ = folders
    text = no_show_and_late_csv(c)
    comma, semicolon = tmp_path / "comma.csv", tmp_path / "semicolon.csv"
    comma.write_text(text, encoding="utf-8")
    semicolon.write_text(text.replace(",", ";"), encoding="utf-8-sig")
    first = read_actuals(visit, c.plan, comma)
    second = read_actuals(visit, c.plan, semicolon)
    assert (first.marks, first.travel_out) == (second.marks, second.travel_out)


# -- the kit's sign-in sheets ------------------------------------------------------


def test_the_kit_with_ticks_removed_gives_what_the_same_csv_gives(tmp_path):
    c = case()
    unsigned = {(c.absent, s) for s in c.missed}
    late_day = [a for a in c.plan.assignments if a.delegate_id == c.late]
    first = c.plan.sorted().sessions[0].session_id
    kit = signed_kit(c, tmp_path, unsigned=unsigned, walk_ins={"Ola Nordmann": first})
    from_kit = compare(c.visit, c.plan, read_actuals(c.visit, c.plan, kit))
    csv = tmp_path / "actual.csv"
    csv.write_text(HEADER + "".join(f"{d},{s},no,,\n" for d, s in sorted(unsigned)))
    from_csv = compare(c.visit, c.plan, read_actuals(c.visit, c.plan, csv))
    assert from_kit.people == from_csv.people
    assert from_kit.actual.summary == from_csv.actual.summary
    assert from_kit.actual.per_diems == from_csv.actual.per_diems
    assert [w.name for w in from_kit.walk_ins] == ["Ola Nordmann"]
    kit_rows = differences(from_kit)
    assert kit_rows[:-1] == differences(from_csv)
    assert kit_rows[-1].name == "Ola Nordmann" and kit_rows[-1].effect == 0
    assert late_day  # the late delegate signed everywhere: as planned in both


def test_a_walk_in_with_a_delegates_name_counts_as_that_delegate(tmp_path):
    c = case()
    mine = {a.session_id for a in c.plan.assignments if a.delegate_id == c.absent}
    other = next(s for s in c.plan.sorted().sessions if s.session_id not in mine)
    name = c.visit.delegate(c.absent).name.upper()
    kit = signed_kit(c, tmp_path, unsigned=set(), walk_ins={f"  {name} ": other.session_id})
    comparison = compare(c.visit, c.plan, read_actuals(c.visit, c.plan, kit))
    (person,) = [p for p in comparison.people if p.delegate_id == c.absent]
    assert person.added == (other.session_id,)
    assert comparison.walk_ins == ()


def test_a_kit_of_another_plan_or_with_a_bad_row_is_refused(folders, tmp_path, capsys):
    c, _, visit_folder, plan_folder = folders
    kit = signed_kit(c, tmp_path, unsigned=set(), walk_ins={})
    workbook = openpyxl.load_workbook(kit)
    sheet = workbook["Sign-in"]
    sheet.cell(2, 7).value = "nobody"
    workbook.save(kit)
    out = tmp_path / "actuals.xlsx"
    code = main(["actuals", str(visit_folder), str(plan_folder), str(kit), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert "kit.xlsx:2: delegate_id: 'nobody' is no delegate of the visit" in err
    assert "kit.xlsx: Sign-in: no row for" in err


def test_a_walk_in_name_stays_text_in_the_workbook(tmp_path):
    c = case()
    evil = '=HYPERLINK("http://x","y")'
    kit = signed_kit(c, tmp_path, unsigned=set(), walk_ins={evil: c.missed[0]})
    comparison = compare(c.visit, c.plan, read_actuals(c.visit, c.plan, kit))
    out = tmp_path / "actuals.xlsx"
    write(comparison, out)
    workbook = openpyxl.load_workbook(out)
    found = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value == evil
    ]
    assert {cell.parent.title for cell in found} == {"Attendance", "Differences"}
    assert all(cell.data_type == "s" for cell in found)


def test_a_visit_without_costs_or_per_diems_gets_a_workbook_all_the_same(tmp_path):
    visit, plan = tiny()
    visit = replace(visit, costs=(), budget=None)  # no part in the plan's rules
    assert not visit.per_diem_rates and check_plan(visit, plan) == []
    first = plan.sorted().assignments[0]
    source = tmp_path / "actual.csv"
    source.write_text(HEADER + f"{first.delegate_id},{first.session_id},no,,\n")
    comparison = compare(visit, plan, read_actuals(visit, plan, source))
    out = tmp_path / "actuals.xlsx"
    write(comparison, out)
    figures = names(out)
    assert figures["planned_total_cost"] == figures["actual_total_cost"] == 0
    assert figures["actual_attendances"] == figures["planned_attendances"] - 1
    assert "planned_budget_remaining" not in figures


def test_a_journey_before_the_first_per_diem_rate_is_refused(folders, tmp_path, capsys):
    """An earlier journey out than any rate in per_diem.csv covers is a message on its
    row, not a crash in the per-diem count."""
    c, visit, visit_folder, plan_folder = folders
    changed = tmp_path / "visit"
    shutil.copytree(visit_folder, changed)
    rates = (changed / "per_diem.csv").read_text(encoding="utf-8")
    first = min(r.valid_from for r in visit.per_diem_rates)
    (changed / "per_diem.csv").write_text(
        rates.replace(str(first), str(visit.depart_day)), encoding="utf-8"
    )
    early = visit.depart_day - timedelta(days=1)
    delegate_id = c.plan.sorted().assignments[0].delegate_id
    source = tmp_path / "actual.csv"
    source.write_text(f"{HEADER}{delegate_id},,,{early},\n", encoding="utf-8")
    out = tmp_path / "actuals.xlsx"
    code = main(["actuals", str(changed), str(plan_folder), str(source), "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and not out.exists()
    assert f"actual.csv:2: travel_out: no per-diem rate is valid on {early}" in err
