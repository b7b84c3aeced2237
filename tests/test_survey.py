"""The interest questionnaire written as workbooks, filled in as a person would, and
collected back: exactly the answers entered reach the delegates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook

from visitplan.cli import main
from visitplan.read import load_visit
from visitplan.survey.workbook import MAP_SHEET, file_name

TINY = Path(__file__).parent / "visits" / "tiny"
VIDZEME = Path(__file__).parent.parent / "data" / "vidzeme-ostfold-2009"


@pytest.fixture
def tiny(tmp_path: Path) -> Path:
    folder = tmp_path / "tiny"
    shutil.copytree(TINY, folder)
    return folder


@pytest.fixture
def survey(tiny: Path, tmp_path: Path) -> Path:
    out = tmp_path / "survey"
    assert main(["survey", str(tiny), str(out)]) == 0
    return out


def _row_of(sheet, column: int, label: str) -> int:
    """The row whose cell in ``column`` reads ``label``: how a person finds a question."""
    for row in range(1, sheet.max_row + 1):
        if sheet.cell(row, column).value == label:
            return row
    raise AssertionError(f"{label!r} is not in {sheet.title}")


def test_a_filled_workbook_gives_exactly_the_interests_entered_by_hand(survey, tiny, tmp_path):
    path = survey / file_name("d1")
    book = load_workbook(path)
    topics, sessions, needs = book["Tēmas"], book["Pasākumi"], book["Vajadzības"]
    topics.cell(_row_of(topics, 1, "education"), 2).value = 7
    topics.cell(_row_of(topics, 1, "regional development"), 2).value = 0
    topics.cell(_row_of(topics, 1, "smes"), 2).value = 4
    sessions.cell(_row_of(sessions, 2, "SMEs in Stjørdal"), 1).value = "jā"
    needs.cell(_row_of(needs, 1, "Uztura prasības"), 2).value = "vegetarian; nut allergy"
    book.save(path)

    out = tmp_path / "answered"
    assert main(["survey", "--collect", str(tiny), str(path), "--out", str(out)]) == 0
    d1 = load_visit(out).delegate("d1")
    assert d1.interests == (("education", 7), ("smes", 4))
    assert d1.must_attend == ("welcome", "sme-a")  # welcome (`all`) was not asked: kept
    assert d1.need_codes == {"vegetarian", "nut_allergy"}
    assert d1.other_needs == ("needs a step-free entrance",)


def test_an_untouched_workbook_changes_nothing(survey, tiny, tmp_path, capsys):
    out = tmp_path / "answered"
    files = sorted(str(p) for p in survey.glob("*.xlsx"))
    assert main(["survey", "--collect", str(tiny), *files, "--out", str(out)]) == 0
    assert (out / "delegates.csv").read_bytes() == (tiny / "delegates.csv").read_bytes()
    assert capsys.readouterr().out.count("no change") == 3


def test_the_workbook_checks_answers_and_speaks_the_visits_language(tmp_path):
    out = tmp_path / "survey"
    assert main(["survey", str(VIDZEME), str(out)]) == 0
    visit = load_visit(VIDZEME)
    book = load_workbook(out / file_name("p09"))
    assert book.sheetnames == ["Tēmas", "Pasākumi", "Vajadzības", MAP_SHEET]
    assert book[MAP_SHEET].sheet_state == "veryHidden"
    assert all(book[name].protection.sheet for name in book.sheetnames)

    topics = book["Tēmas"]
    assert topics.cell(5, 2).value == "Interese (0–10)"
    (whole,) = topics.data_validations.dataValidation
    assert (whole.type, whole.operator, whole.formula1, whole.formula2) == (
        "whole",
        "between",
        "0",
        "10",
    )
    answer_cells = {str(ref) for ref in whole.sqref.ranges}
    education = topics.cell(_row_of(topics, 1, "education"), 2)
    assert education.coordinate in answer_cells and education.value == 6
    assert topics.cell(_row_of(topics, 1, "gis"), 2).value is None  # no weight: blank
    assert len(answer_cells) == len({t for s in visit.sessions for t in s.topics})

    sessions = book["Pasākumi"]
    (choice,) = sessions.data_validations.dataValidation
    assert (choice.type, choice.formula1) == ("list", '"jā"')
    titles = [sessions.cell(row, 2).value for row in range(6, sessions.max_row + 1)]
    assert titles == [s.title for s in visit.sessions if not s.is_all]
    hiof = _row_of(sessions, 2, visit.session("hiof").title)
    assert sessions.cell(hiof, 1).value == "jā"  # p09's must_attend, pre-filled
    assert sessions.cell(hiof, 3).value == "Høgskolen i Østfold, Halden"


def test_text_from_the_visit_is_never_a_formula_in_the_workbook(tiny, tmp_path):
    delegates = tiny / "delegates.csv"
    text = delegates.read_text(encoding="utf-8")
    delegates.write_text(text.replace("Jānis Bērziņš", "=HYPERLINK(1)"), encoding="utf-8")
    out = tmp_path / "survey"
    assert main(["survey", str(tiny), str(out)]) == 0
    sheet = load_workbook(out / file_name("d1"))["Tēmas"]
    assert sheet.cell(2, 1).data_type == "s"
    assert "=HYPERLINK(1)" in sheet.cell(2, 1).value


def test_a_survey_folder_is_replaced_whole_and_never_over_other_files(tiny, tmp_path, capsys):
    out = tmp_path / "survey"
    assert main(["survey", str(tiny), str(out)]) == 0
    (out / "survey-d1.xlsx").write_bytes(b"stale")
    assert main(["survey", str(tiny), str(out)]) == 0  # an earlier survey: replaced
    assert (out / "survey-d1.xlsx").read_bytes() != b"stale"
    other = tmp_path / "other"
    other.mkdir()
    (other / "keep.txt").write_text("mine")
    assert main(["survey", str(tiny), str(other)]) == 1
    assert sorted(p.name for p in other.iterdir()) == ["keep.txt"]
    assert "not empty" in capsys.readouterr().err


def test_file_names_stay_safe_on_any_file_system():
    assert file_name("con") == "survey-con.xlsx"
    assert file_name("a/b:c") == "survey-a~2fb~3ac.xlsx"
