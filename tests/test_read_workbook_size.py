"""A workbook is measured before it is loaded: one stray value far out is one
problem naming its cell, never minutes of work and gigabytes (issue 15 item 4)."""

from __future__ import annotations

import zipfile

import openpyxl
import pytest
from openpyxl.styles import Font

from visitplan.cli import main
from visitplan.read import load_visit, read_visit

from .test_read import TINY, errors_of, tiny_workbook

OUTSIDE = "lies outside 100,000 rows × 200 columns"


@pytest.mark.parametrize(
    ("sheet", "cell"),
    [
        ("hosts", "XFD1048576"),
        ("hosts", "XFD1"),
        ("delegates", "A100001"),
        ("sessions", "GS3"),
        ("visit", "C1048576"),
    ],
)
def test_a_stray_value_far_out_is_one_problem_naming_its_cell(tmp_path, sheet, cell):
    visit, problems = read_visit(tiny_workbook(tmp_path, sheet, **{cell: "stray"}))
    row = int(cell.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    assert visit is None
    assert [str(problem) for problem in problems] == [
        f"visit.xlsx[{sheet}]:{row}: a value at cell {cell} {OUTSIDE}"
    ]


def test_values_up_to_the_last_row_and_column_allowed_are_read(tmp_path):
    path = tiny_workbook(tmp_path, "hosts", GR1="parking", GR2="yes")
    book = openpyxl.load_workbook(path)
    window = ("ntnu", "2009-08-24", "09:00", "11:00")
    for column, value in zip("ABCD", window, strict=True):
        book["availability"][f"{column}100000"] = value
    book.save(path)
    visit, problems = read_visit(path)
    assert [str(problem) for problem in problems] == [
        "visit.xlsx[hosts]:1: parking: unknown column: ignored"
    ]
    assert visit == load_visit(TINY)


def test_a_far_cell_with_formatting_but_no_value_is_no_problem(tmp_path):
    path = tiny_workbook(tmp_path)
    book = openpyxl.load_workbook(path)
    book["hosts"]["XFD1048576"].font = Font(bold=True)
    book.save(path)
    visit, problems = read_visit(path)
    assert problems == []
    assert visit == load_visit(TINY)


def test_a_stray_value_in_a_sheet_that_is_not_part_of_the_visit_is_ignored(tmp_path):
    visit, problems = read_visit(tiny_workbook(tmp_path, "notes", XFD1048576="scribble"))
    assert [str(problem) for problem in problems] == [
        "visit.xlsx: sheet 'notes' is not part of a visit: ignored"
    ]
    assert visit == load_visit(TINY)


def test_validate_exits_2_on_a_stray_far_value(tmp_path, capsys):
    path = tiny_workbook(tmp_path, "hosts", XFD1048576="stray")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"visit.xlsx[hosts]:1048576: a value at cell XFD1048576 {OUTSIDE}",
        f"1 problem(s) in {path}; nothing written",
    ]


def test_an_unreadable_workbook_says_why(tmp_path):
    path = tmp_path / "visit.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    visit, problems = read_visit(path)
    assert visit is None
    [error] = errors_of(problems)
    prefix = "visit.xlsx: not readable as a workbook: "
    assert error.startswith(prefix) and len(error) > len(prefix)


def test_cells_reading_like_missing_values_stay_text(tmp_path):
    path = tiny_workbook(tmp_path, "delegates", C2="None", H2="N/A", B4="Nan")
    visit, problems = read_visit(path)
    assert errors_of(problems) == []
    assert visit.delegate("d1").role == "None"
    assert visit.delegate("d1").needs == "N/A"
    assert visit.delegate("d3").name == "Nan"
