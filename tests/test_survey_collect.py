"""Collecting questionnaire answers: form exports, bad answers (every one reported, nothing
written), delegates who did not answer, --in-place, and the Vidzeme example."""

from __future__ import annotations

import csv
import importlib
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from visitplan.cli import main
from visitplan.read import load_visit

TINY = Path(__file__).parent / "visits" / "tiny"
DATA = Path(__file__).parent.parent / "data"
VIDZEME = DATA / "vidzeme-ostfold-2009"
VIDZEME_XLSX = DATA / "vidzeme-ostfold-2009-xlsx" / "visit.xlsx"


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    return folder


def _export(path: Path, rows: list[list[str]]) -> Path:
    """A form tool's CSV export of ``rows`` (the first is the header)."""
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8-sig")
    return path


MICROSOFT_FORMS = ["ID", "Start time", "Completion time", "Email", "Name"]


def test_a_form_export_with_the_tools_columns_in_another_order_reads_back(tiny, tmp_path):
    answers = _export(
        tmp_path / "answers.csv",
        [
            [*MICROSOFT_FORMS, " Diet ", "must_attend: SME-B", "INTEREST: SMEs (0-10)"]
            + ["Delegate_ID", "interest: Education (0-10)", "interest: regional development"],
            ["1", "9/1/09 9:00", "9/1/09 9:05", "a@x.lv", "L. O.", "vegan", "yes", "9"]
            + ["d2", "", "6"],
            ["2", "9/1/09 9:10", "9/1/09 9:12", "b@x.lv", "Ē. K.", "", "", "0", "D3", "2", "4"],
        ],
    )
    out = tmp_path / "answered"
    assert main(["survey", "--collect", str(tiny), str(answers), "--out", str(out)]) == 0
    visit = load_visit(out)
    assert visit.delegate("d2").interests == (("regional development", 6), ("smes", 9))
    assert visit.delegate("d2").must_attend == ("sme-b",)
    assert visit.delegate("d2").needs == "vegan"
    assert visit.delegate("d3").interests == (("education", 2), ("regional development", 4))
    assert visit.delegate("d1") == load_visit(tiny).delegate("d1")  # did not answer


def test_a_delegate_who_did_not_answer_keeps_their_values_and_is_listed(tiny, tmp_path, capsys):
    answers = _export(
        tmp_path / "answers.csv",
        [["Timestamp", "delegate_id", "interest: smes (0-10)"], ["2009/08/01", "d2", "5"]],
    )
    out = tmp_path / "answered"
    assert main(["survey", "--collect", str(tiny), str(answers), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    silent = printed.split("did not answer")[1]
    assert "d1 (Jānis Bērziņš)" in silent and "d3 (Ēriks Kalniņš)" in silent
    assert "d2" not in silent
    assert "d2 (Līga Ozoliņa): no change" in printed  # SMEs was 5 already
    before, after = load_visit(tiny), load_visit(out)
    assert after.delegate("d1") == before.delegate("d1")
    assert after.delegate("d3") == before.delegate("d3")


def test_the_run_prints_what_changed_per_delegate(tiny, tmp_path, capsys):
    answers = _export(
        tmp_path / "answers.csv",
        [
            ["delegate_id", "interest: smes (0-10)", "interest: education (0-10)"]
            + ["interest: regional development (0-10)", "must_attend: sme-a", "needs"],
            ["d2", "7", "", "3", "yes", "step-free"],
        ],
    )
    out = tmp_path / "answered"
    assert main(["survey", "--collect", str(tiny), str(answers), "--out", str(out)]) == 0
    line = next(x for x in capsys.readouterr().out.splitlines() if x.strip().startswith("d2"))
    assert "interests added regional development:3" in line
    assert "removed education" in line
    assert "changed smes 5→7" in line
    assert "must_attend added sme-a" in line
    assert "needs '' → 'step-free'" in line


BAD = [
    ["Timestamp", "delegate_id", "interest: smes (0-10)", "interest: housing (0-10)"]
    + ["must_attend: sme-a", "must_attend: sme-b", "must_attend: welcome", "must_attend: gone"],
    ["t", "d9", "5", "", "", "", "", ""],  # 2: unknown delegate
    ["t", "d1", "11", "", "", "", "", ""],  # 3: weight out of range
    ["t", "d2", "2.5", "3", "", "", "", ""],  # 4: not whole; a topic not in the visit
    ["t", "d3", "", "", "yes", "yes", "jā", "yes"],  # 5: group, `all`, gone
    ["t", "D1", "4", "", "", "", "", ""],  # 6: a second answer for d1
]


def test_every_bad_answer_is_reported_and_nothing_is_written(tiny, tmp_path, capsys):
    answers = _export(tmp_path / "answers.csv", BAD)
    out = tmp_path / "answered"
    assert main(["survey", "--collect", str(tiny), str(answers), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    f = str(answers)
    for expected in (
        f"{f}:2: delegate_id: unknown delegate 'd9'",
        f"{f}:3: interest: smes (0-10): '11' is not a whole number from 0 to 10",
        f"{f}:4: interest: smes (0-10): '2.5' is not a whole number from 0 to 10",
        f"{f}:4: interest: housing (0-10): 'housing' is not a topic of the visit",
        f"{f}:5: must_attend: sme-b: 'sme-a' and 'sme-b' are the same content",
        f"{f}:5: must_attend: welcome: 'welcome' is for the whole delegation",
        f"{f}:5: must_attend: gone: session 'gone' is no longer in the visit",
        f"{f}:6: delegate_id: a second answer for 'd1'; the first is {f}:3",
    ):
        assert expected in err
    assert "8 problem(s) in the answers; nothing written" in err
    assert not out.exists()


def test_a_bad_answer_leaves_the_visit_untouched_in_place(tiny, tmp_path):
    answers = _export(tmp_path / "answers.csv", BAD[:3])
    before = {p.name: p.read_bytes() for p in tiny.iterdir()}
    assert main(["survey", "--collect", str(tiny), str(answers), "--in-place"]) == 2
    assert {p.name: p.read_bytes() for p in tiny.iterdir()} == before


def test_a_bad_weight_in_a_workbook_names_its_sheet_row_and_question(tiny, tmp_path, capsys):
    survey = tmp_path / "survey"
    assert main(["survey", str(tiny), str(survey)]) == 0
    path = survey / "survey-d2.xlsx"
    book = load_workbook(path)
    book["Tēmas"]["B6"] = "daudz"  # typed past the validation (a pasted value)
    book.save(path)
    out = tmp_path / "answered"
    assert main(["survey", "--collect", str(tiny), str(path), "--out", str(out)]) == 2
    topic = book["Tēmas"]["A6"].value
    assert f"{path}[Tēmas]:6: interest: {topic} (0-10): 'daudz' is not a whole number" in (
        capsys.readouterr().err
    )
    assert not out.exists()


def test_in_place_replaces_only_the_answered_cells(tiny, tmp_path):
    answers = _export(
        tmp_path / "answers.csv", [["delegate_id", "interest: smes (0-10)"], ["d2", "8"]]
    )
    old = (tiny / "delegates.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    others = {p.name: p.read_bytes() for p in tiny.iterdir() if p.name != "delegates.csv"}
    assert main(["survey", "--collect", str(tiny), str(answers), "--in-place"]) == 0
    new = (tiny / "delegates.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    changed = [line for line in new if line not in old]
    assert len(changed) == 1 and changed[0].startswith("d2,") and "smes:8" in changed[0]
    assert len(new) == len(old)
    assert {p.name: p.read_bytes() for p in tiny.iterdir() if p.name != "delegates.csv"} == others
    assert load_visit(tiny).delegate("d2").interests == (("education", 2), ("smes", 8))


def test_a_formula_like_answer_lands_as_plain_text(tiny, tmp_path):
    formula = '=HYPERLINK("http://example.com","x")'
    answers = _export(tmp_path / "answers.csv", [["delegate_id", "needs"], ["d3", formula]])
    out = tmp_path / "answered"
    assert main(["survey", "--collect", str(tiny), str(answers), "--out", str(out)]) == 0
    assert load_visit(out).delegate("d3").needs == formula

    workbook = tmp_path / "visit.xlsx"
    shutil.copyfile(VIDZEME_XLSX, workbook)
    answers = _export(tmp_path / "p.csv", [["delegate_id", "needs"], ["p01", formula]])
    assert main(["survey", "--collect", str(workbook), str(answers), "--in-place"]) == 0
    sheet = load_workbook(workbook)["delegates"]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, 1).value == "p01")
    header = [c.value for c in sheet[1]]
    cell = sheet.cell(row, header.index("needs") + 1)
    assert (cell.value, cell.data_type) == (formula, "s")
    assert load_visit(workbook).delegate("p01").needs == formula


def test_input_text_never_reaches_the_terminal_raw(tiny, tmp_path, capsys):
    answers = _export(tmp_path / "answers.csv", [["delegate_id", "needs"], ["\x1b[31mevil", "x"]])
    assert main(["survey", "--collect", str(tiny), str(answers), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err
    assert "\x1b" not in err and "\\x1b[31mevil" in err


def test_the_vidzeme_answers_give_the_interests_and_must_attend_it_holds(tmp_path):
    files = sorted(str(p) for p in (VIDZEME / "survey-answers").glob("*.csv"))
    assert files
    out = tmp_path / "answered"
    assert main(["survey", "--collect", str(VIDZEME), *files, "--out", str(out)]) == 0
    before, after = load_visit(VIDZEME), load_visit(out)
    assert len(after.delegates) == len(before.delegates) == 10
    for old, new in zip(before.delegates, after.delegates, strict=True):
        assert (new.id, new.interests, new.must_attend) == (old.id, old.interests, old.must_attend)
    assert after.delegate("p05").need_codes == {"vegetarian"}


def test_the_visit_reader_ignores_the_answers_folder(tmp_path):
    copy = tmp_path / "vidzeme"
    shutil.copytree(VIDZEME, copy, ignore=shutil.ignore_patterns("survey-answers"))
    assert load_visit(copy) == load_visit(VIDZEME)


def test_a_session_pinned_outside_the_delegates_stay_cannot_be_insisted_on(tiny, tmp_path, capsys):
    sessions = tiny / "sessions.csv"
    text = sessions.read_text(encoding="utf-8")
    sessions.write_text(
        text.replace("SMEs,choice,,2,,sme,,,,,", "SMEs,choice,,2,,sme,,2009-08-24,09:00,,"),
        encoding="utf-8",
    )
    load_visit(tiny)  # still a valid visit
    answers = _export(tmp_path / "a.csv", [["delegate_id", "must_attend: sme-a"], ["d2", "yes"]])
    out = tmp_path / "answered"
    assert main(["survey", "--collect", str(tiny), str(answers), "--out", str(out)]) == 2
    assert f"{answers}:2: must_attend: sme-a: 'sme-a' is on 2009-08-24, outside" in (
        capsys.readouterr().err
    )
    assert not out.exists()


def test_a_form_tools_xlsx_export_reads_back_too(tiny, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Form1"
    sheet.append(["ID", "Start time", "delegate_id", "interest: education (0-10)", "diet"])
    sheet.append([1, "2009-09-01 09:00", "d3", 8, "halal"])
    export = tmp_path / "Form1.xlsx"
    book.save(export)
    out = tmp_path / "answered"
    assert main(["survey", "--collect", str(tiny), str(export), "--out", str(out)]) == 0
    d3 = load_visit(out).delegate("d3")
    assert d3.interests == (("education", 8), ("regional development", 4))
    assert d3.needs == "halal"


def test_a_visit_the_reader_would_refuse_is_never_written(tiny, tmp_path, capsys, monkeypatch):
    """The last guard: the new delegates are read back with the project's reader first."""
    collect = importlib.import_module("visitplan.survey.collect")  # the module, not the function
    monkeypatch.setattr(collect, "_stays", lambda visit, delegate, ticked: [])
    sessions = tiny / "sessions.csv"
    text = sessions.read_text(encoding="utf-8")
    sessions.write_text(
        text.replace("SMEs,choice,,2,,sme,,,,,", "SMEs,choice,,2,,sme,,2009-08-24,09:00,,"),
        encoding="utf-8",
    )
    before = (tiny / "delegates.csv").read_bytes()
    answers = _export(tmp_path / "a.csv", [["delegate_id", "must_attend: sme-a"], ["d2", "yes"]])
    out = tmp_path / "answered"
    assert main(["survey", "--collect", str(tiny), str(answers), "--out", str(out)]) == 2
    assert main(["survey", "--collect", str(tiny), str(answers), "--in-place"]) == 2
    err = capsys.readouterr().err
    assert "delegates.csv:4: must_attend: 'sme-a' is pinned to 2009-08-24 09:00, outside" in err
    assert not out.exists() and (tiny / "delegates.csv").read_bytes() == before
    assert not list(tmp_path.glob(".answered.tmp-*"))
